"""Dispatching queues shared by interchangeable machines: one heap per set of eligible machines.

Under a dispatching rule a machine takes, of the ready operations it is eligible for, the one
with the smallest ``(key, operation)``. Rather than queueing an operation on each of its
eligible machines (and skipping it on the others once one took it), ready operations wait in
one *lane* per set of eligible machines; a machine looks at the heads of its lanes (usually
one). The key is the ready time (``fifo``), the due date (``edd``, none: last) or minus the
work remaining (``mwkr``): the same on every machine. Under ``spt`` it is the duration on the
machine: operations with one duration on all their machines queue by it; those whose durations
differ get a lane per ``(machine, duration)`` list, queue by index (key 0) and each machine adds
its own duration (its *bias*) when comparing heads. Either way a machine takes exactly the
operation the per-machine queues would give it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lotone.schedule.problem import SchedulingProblem

__all__ = ["Lanes", "lanes"]


@dataclass(frozen=True, slots=True)
class Lanes:
    """Lane of each operation, machines of each lane, static keys, lanes of each machine.

    ``key`` is ``None`` for ``fifo`` (the key is the ready time); ``machine_lanes[k]`` lists
    ``(lane, bias)`` pairs, the bias being added to the keys of that lane's operations on ``k``.
    """

    lane_of: tuple[int, ...]
    machines: tuple[tuple[int, ...], ...]
    key: tuple[float, ...] | None
    machine_lanes: tuple[tuple[tuple[int, float], ...], ...]


def lanes(problem: SchedulingProblem, policy: str, tail: list[float]) -> Lanes:
    """The lanes of ``problem`` under dispatching ``policy`` (``tail``: work left, ``mwkr``)."""
    spt = policy == "spt"
    index: dict[object, int] = {}  # lanes by name: machines (or modes, spt split)
    known: dict[tuple[tuple[int, int], ...], int] = {}  # lanes by modes, to skip the work
    split: list[bool] = []  # per lane
    lane_of: list[int] = []
    machines: list[tuple[int, ...]] = []
    machine_lanes: list[list[tuple[int, float]]] = [[] for _ in range(problem.num_machines)]
    for op in problem.operations:
        g = known.get(op.modes)
        if g is None:
            ms = tuple(m for m, _ in op.modes)
            uneven = spt and len({d for _, d in op.modes}) > 1
            name: object = op.modes if uneven else ms
            g = index.get(name)
            if g is None:
                g = index[name] = len(machines)
                machines.append(ms)
                split.append(uneven)
                for m, d in op.modes:
                    machine_lanes[m].append((g, float(d) if uneven else 0.0))
            known[op.modes] = g
        lane_of.append(g)
    key: list[float] | None = None
    if spt:
        ops = problem.operations
        key = [
            0.0 if split[g] else float(op.modes[0][1]) for g, op in zip(lane_of, ops, strict=True)
        ]
    elif policy == "edd":
        due = [math.inf if j.due is None else float(j.due) for j in problem.jobs]
        key = [due[op.job] for op in problem.operations]
    elif policy == "mwkr":
        key = [-t for t in tail]
    return Lanes(
        tuple(lane_of),
        tuple(machines),
        None if key is None else tuple(key),
        tuple(map(tuple, machine_lanes)),
    )
