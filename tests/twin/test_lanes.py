"""Dispatching lanes: interchangeable machines share a queue, and no machine passes over the
operation its own queue would give it first (every rule, overlapping machine sets, durations
that differ by machine)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lotone.schedule import Job, Operation, SchedulingProblem
from lotone.twin import MachineSpec, TwinModel, simulate
from lotone.twin.lanes import lanes

MACHINE_SETS = ((0,), (1,), (0, 1), (1, 2), (0, 1, 2))


def problem(spec: list[tuple[int, tuple[int, ...], int | None]]) -> SchedulingProblem:
    """One single-operation job per ``(machine set, durations, due)``; 3 machines."""
    ops = []
    for j, (s, durs, _) in enumerate(spec):
        machines = MACHINE_SETS[s]
        ops.append(Operation(j, tuple(zip(machines, durs, strict=False))))
    return SchedulingProblem(
        3,
        tuple(Job((j,), due=due) for j, (_, _, due) in enumerate(spec)),
        tuple(ops),
    )


def test_lanes_group_operations_by_their_machines() -> None:
    """Same machines, one lane; under SPT, uneven durations get their own lane with biases."""
    p = problem([(2, (5, 5), None), (2, (3, 3), None), (2, (4, 6), None), (0, (1,), None)])
    fifo = lanes(p, "fifo", [])
    assert fifo.lane_of == (0, 0, 0, 1)
    assert fifo.machines == ((0, 1), (0,))
    assert fifo.key is None
    assert fifo.machine_lanes == (((0, 0.0), (1, 0.0)), ((0, 0.0),), ())
    spt = lanes(p, "spt", [])
    assert spt.lane_of == (0, 0, 1, 2)
    assert spt.key == (5.0, 3.0, 0.0, 1.0)
    assert spt.machine_lanes[1] == ((0, 0.0), (1, 6.0))


jobs = st.lists(
    st.tuples(
        st.integers(0, len(MACHINE_SETS) - 1),
        st.tuples(*[st.integers(1, 9)] * 3),
        st.one_of(st.none(), st.integers(0, 60)),
        st.integers(0, 30),
    ),
    min_size=1,
    max_size=25,
)


@pytest.mark.parametrize("policy", ["fifo", "spt", "edd", "mwkr"])
@settings(max_examples=60, deadline=None)
@given(spec=jobs)
def test_no_machine_passes_over_its_best_waiting_operation(
    policy: str, spec: list[tuple[int, tuple[int, int, int], int | None, int]]
) -> None:
    """When a machine takes an operation, none it could run that waited longer is better."""
    # releases whole plus a fraction of its own per job, durations whole: every instant carries
    # the fraction of the release that set it off, so no job is released as a machine takes
    # another and "waiting before the take" is unambiguous
    p = problem([(s, durs, due) for s, durs, due, _ in spec])
    releases = tuple(r + 0.5 ** (i + 2) for i, (*_, r) in enumerate(spec))
    model = TwinModel(p, (MachineSpec(),) * 3, releases)
    trace = simulate(model, policy)  # type: ignore[arg-type]

    def key(o: int, k: int) -> tuple[float, int]:
        op = p.operations[o]
        if policy == "fifo":
            return trace.op_ready[o], o
        if policy == "spt":
            return float(op.duration_on(k)), o
        if policy == "edd":
            due = p.jobs[op.job].due
            return (math.inf if due is None else float(due)), o
        return -float(op.min_duration), o  # mwkr: the work left is the operation's

    for o, k in enumerate(trace.op_machine):
        t = trace.op_start[o]
        for x, op in enumerate(p.operations):
            eligible = any(m == k for m, _ in op.modes)
            if x != o and eligible and trace.op_ready[x] < t < trace.op_start[x]:
                assert key(o, k) < key(x, k), (policy, o, x, k)
