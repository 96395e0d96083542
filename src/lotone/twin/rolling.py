"""The rolling-horizon policy: replan with the scheduler every period, execute until the next.

At time 0 and every ``every`` time units after, :func:`replan` takes the jobs released and not
completed, and asks :func:`lotone.schedule.reschedule` (CP-SAT, seeded by the old plan repaired
and the dispatching rules) for a plan of their operations not yet ended, from the current
state of the floor:

- an operation a machine is already committed to (processing, changing over, waiting for its
  crew or shift) is pinned on that machine from ``max(now, its start)``, for what is expected
  of it: its routing time plus the repairs seen so far (no knowledge of its random duration);
  the machine's calendar gives way under it, and its setup family is the machine's state;
- a machine under repair and idle is unavailable until its expected repair end: ``now + MTTR``
  (exponential repairs have no memory), or the announced end of a scripted breakdown;
- the other operations are free; the old plan (machines, starts) is the reference the solver
  moves least from. Operations of jobs released after the last replan wait for the next one.

Each machine then works through its sequence of the new plan, taking the first operation of
it that is ready (else waiting for the first one, and taking another that becomes ready
before it), as soon as it can: the plan gives machines and order, not times (a solver
minimizing tardiness leaves slack wherever it costs nothing, and waiting for it would idle the
floor). A machine waiting for an operation of the old plan drops it for its new sequence.
Times in the plan are whole units (seconds), rounded up from the simulation clock.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import simpy

from lotone.schedule.problem import NO_FAMILY, Fixed, Job, Operation, SchedulingProblem
from lotone.schedule.reschedule import reschedule
from lotone.schedule.result import SolveParams
from lotone.schedule.schedule import Objective, Schedule
from lotone.twin.errors import TwinError

if TYPE_CHECKING:
    from lotone.twin.run import Run

__all__ = ["Rolling", "replan", "replanner"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Rolling:
    """Replan every ``every`` time units, CP-SAT for ``time_limit`` seconds with ``workers``.

    ``objective`` ``None`` minimizes weighted tardiness when some job has a due date, else the
    makespan.
    """

    every: float
    time_limit: float = 2.0
    objective: Objective | None = None
    workers: int = 1

    def __post_init__(self) -> None:
        if self.every <= 0 or self.time_limit <= 0 or self.workers < 1:
            raise TwinError(
                "a rolling horizon needs a positive period and time limit and 1 or more workers"
            )


def replanner(run: Run, rolling: Rolling) -> Generator[simpy.Event, object, None]:
    """The SimPy process that replans every period until every job is done."""
    while run.done < len(run.p.jobs):
        replan(run, rolling)
        yield run.env.timeout(rolling.every)


def _carve(gaps: tuple[tuple[int, int], ...], a: int, b: int) -> tuple[tuple[int, int], ...]:
    """``gaps`` without ``[a, b)``."""
    out: list[tuple[int, int]] = []
    for x, y in gaps:
        if y <= a or x >= b:
            out.append((x, y))
            continue
        if x < a:
            out.append((x, a))
        if y > b:
            out.append((b, y))
    return tuple(out)


def _expected_up(run: Run, k: int, d: int, now: float) -> float:
    """When the repair ``run.downtime[d]`` of machine ``k`` is expected to end, seen at now."""
    _, _, up = run.downtime[d]
    if up <= now or run.scripted[d]:
        return up
    return now + run.model.machines[k].mttr


def _pins(run: Run, keep: list[int], now: float, t: int) -> dict[int, tuple[int, int, int]]:
    """Committed operations: ``op -> (machine, start, duration)`` for the plan."""
    p = run.p
    repairs: dict[int, list[int]] = {}
    for d, (k, a, _) in enumerate(run.downtime):
        if a < now:
            repairs.setdefault(k, []).append(d)
    pins: dict[int, tuple[int, int, int]] = {}
    for o in keep:
        k = run.machine[o]
        if not run.taken[o] or k < 0 or run.pending[k] == o:
            continue
        mean = p.operations[o].duration_on(k)
        s = run.start[o]
        if math.isnan(s):  # waiting for its crew: expected from now, changeover first
            s = now + p.setup(k, run.family[k], p.operations[o].setup_family)
        seen = sum(
            _expected_up(run, k, d, now) - run.downtime[d][1]
            for d in repairs.get(k, ())
            if run.downtime[d][1] >= s
        )
        at = t if s < t else math.ceil(s)
        dur = 0 if mean == 0 else max(1, math.ceil(s + mean + seen) - at)
        pins[o] = (k, at, dur)
    return pins


def _problem(
    run: Run, jobs: list[int], keep: list[int], pins: dict[int, tuple[int, int, int]], t: int
) -> SchedulingProblem:
    p = run.p
    index = {o: i for i, o in enumerate(keep)}
    jmap = {j: i for i, j in enumerate(jobs)}
    ops = []
    for o in keep:
        op = p.operations[o]
        modes = ((pins[o][0], pins[o][2]),) if o in pins else op.modes
        ops.append(Operation(jmap[op.job], modes, op.setup_family, op.name))
    sub_jobs = []
    for j in jobs:
        job = p.jobs[j]
        own = tuple(index[o] for o in job.operations if o in index)
        sub_jobs.append(Job(own, min(job.release, t), job.due, job.weight, job.name))
    precedences = tuple((index[a], index[b]) for a in keep for b in p.successors(a) if b in index)
    unavailable = list(p.unavailable)
    initial = list(run.family)
    fixed = []
    for o, (k, at, dur) in pins.items():
        unavailable[k] = _carve(unavailable[k], at, at + dur)
        fam = p.operations[o].setup_family
        if dur > 0 and fam != NO_FAMILY:
            initial[k] = fam
        fixed.append(Fixed(index[o], k, at))
    return SchedulingProblem(
        p.num_machines,
        tuple(sub_jobs),
        tuple(ops),
        precedences,
        setup_matrices=p.setup_matrices,
        machine_setup=p.machine_setup,
        initial_family=tuple(initial),
        unavailable=tuple(unavailable),
        fixed=tuple(fixed),
        machine_names=p.machine_names,
        name=p.name,
        time_scale=p.time_scale,
        weight_scale=p.weight_scale,
    )


def _previous(run: Run, keep: list[int], pins: dict[int, tuple[int, int, int]], t: int) -> Schedule:
    """The old plan as the solver's reference (new operations: first machine, now)."""
    machines, starts = [], []
    for o in keep:
        if o in pins:
            k, at, _ = pins[o]
        else:
            k, at = run.planned_machine[o], t
            if k >= 0:
                at = max(t, math.ceil(run.planned_start[o]))
            if all(m != k for m, _ in run.p.operations[o].modes):
                k = run.p.operations[o].modes[0][0]
        machines.append(k)
        starts.append(at)
    return Schedule(tuple(machines), tuple(starts))


def replan(run: Run, rolling: Rolling) -> None:
    """Plan the open jobs from the floor's state now and hand the sequences to the machines."""
    p, now = run.p, run.env.now
    t = math.ceil(now)
    jobs = [j for j in range(len(p.jobs)) if run.released[j] and math.isnan(run.complete[j])]
    if not jobs:
        return
    for k in range(p.num_machines):  # failures of idle machines are drawn lazily: catch up
        while run.next_fail[k] <= now:
            run.repair(k, run.next_fail[k])
    keep = [o for j in jobs for o in p.jobs[j].operations if math.isnan(run.end[o])]
    pins = _pins(run, keep, now, t)
    pinned_machines = {k for k, _, _ in pins.values()}
    down: dict[int, list[tuple[int, int]]] = {}
    for d, (k, a, b) in enumerate(run.downtime):
        if k in pinned_machines or not a <= now < b:
            continue
        up = math.ceil(_expected_up(run, k, d, now))
        if up > t:
            down[k] = [(t, up)]
    problem = _problem(run, jobs, keep, pins, t)
    objective = rolling.objective or ("tardiness" if problem.has_due_dates else "makespan")
    params = SolveParams(time_limit=rolling.time_limit, workers=rolling.workers, seed=run.seed)
    new, result = reschedule(
        problem, _previous(run, keep, pins, t), t, breakdowns=down, objective=objective,
        params=params,
    )  # fmt: skip
    plan = result.schedule
    if plan is None:  # pragma: no cover - reschedule always returns a checked plan
        raise TwinError(f"the scheduler returned no plan at {now:g}")
    for k, seq in enumerate(plan.sequences(new)):
        run.sequence[k] = [keep[i] for i in reversed(seq) if keep[i] not in pins]
    for i, o in enumerate(keep):
        if o not in pins:
            run.planned_start[o] = float(plan.starts[i])
            run.planned_machine[o] = plan.machines[i]
    for k in range(p.num_machines):
        run.pending[k] = -1  # a machine waiting for an old plan's operation drops it
        run.wake(k)
    run.replans.append((now, len(keep) - len(pins)))
    log.debug("replanned %d operations at %g: %s", len(keep) - len(pins), now, result.status)
