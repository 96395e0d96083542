"""Rescheduling: new orders arrive or a machine breaks; keep the past, repair the rest.

:func:`reschedule` takes the problem, the plan being executed and the moment ``now``. Every
operation that started before ``frozen_until`` (``>= now``) stays where it is, unless a new
breakdown interrupts it; everything else starts at ``now`` or later. The new plan minimizes the
objective first, then the number of operations moved to another machine than in the old plan.
The old plan, repaired by the dispatcher in its own order, seeds the solver.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import replace

from lotone.schedule.cpsat_model import build_model
from lotone.schedule.problem import Fixed, ProblemError, SchedulingProblem
from lotone.schedule.result import Result, SolveParams, Status
from lotone.schedule.rules import best_rule, dispatch
from lotone.schedule.schedule import Objective, Schedule

__all__ = ["frozen_problem", "reschedule"]

_AFTER_SOLVE_S = 0.15  # seconds kept back for reading and checking the repaired plan


def _merge(
    gaps: Sequence[tuple[int, int]], extra: Sequence[tuple[int, int]]
) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for a, b in sorted([*gaps, *extra]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)


def frozen_problem(
    problem: SchedulingProblem,
    previous: Schedule,
    now: int,
    frozen_until: int | None = None,
    breakdowns: Mapping[int, Sequence[tuple[int, int]]] | None = None,
) -> SchedulingProblem:
    """The problem left at ``now``: the frozen part fixed, breakdowns added to calendars."""
    frozen_until = now if frozen_until is None else frozen_until
    if frozen_until < now or now < 0:
        raise ProblemError(f"frozen_until ({frozen_until}) must not come before now ({now})")
    if len(previous.starts) != problem.num_operations:
        raise ProblemError("the previous plan is for another problem")
    breakdowns = breakdowns or {}
    for m, gaps in breakdowns.items():
        if not 0 <= m < problem.num_machines or any(a >= b for a, b in gaps):
            raise ProblemError(f"breakdown on machine {m}: a machine index and (start, end) pairs")
    unavailable = tuple(
        _merge(problem.unavailable[m], breakdowns.get(m, ())) for m in range(problem.num_machines)
    )
    ends = previous.ends(problem)
    kept: dict[int, Fixed] = {f.operation: f for f in problem.fixed}
    for o in problem.topological_order():
        if o in kept:
            continue
        m, s = previous.machines[o], previous.starts[o]
        hit = any(s < b and a < ends[o] for a, b in breakdowns.get(m, ()))
        if s < frozen_until and not hit and all(q in kept for q in problem.predecessors(o)):
            kept[o] = Fixed(o, m, s)
    return replace(problem, unavailable=unavailable, fixed=tuple(kept.values()), earliest=now)


def reschedule(
    problem: SchedulingProblem,
    previous: Schedule,
    now: int,
    *,
    frozen_until: int | None = None,
    breakdowns: Mapping[int, Sequence[tuple[int, int]]] | None = None,
    objective: Objective = "tardiness",
    params: SolveParams | None = None,
) -> tuple[SchedulingProblem, Result]:
    """Repair ``previous`` at ``now``; the new problem (with its fixed part) and the result."""
    params = params or SolveParams()
    t0 = time.perf_counter()
    new = frozen_problem(problem, previous, now, frozen_until, breakdowns)
    repaired = dispatch(new, "given", [float(s) for s in previous.starts])
    rules = best_rule(new, objective)
    start = repaired
    if rules.objective < repaired.objective(new, objective):
        start = rules.schedule
    start.check(new)
    from ortools.sat.python import cp_model

    built = build_model(new, objective, hint=start, previous=previous)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = params.workers
    solver.parameters.random_seed = params.seed
    # the time limit is the whole call's: building went before, reading and checking the
    # answer come after (~30 ms on 2,000 operations), and CP-SAT stops a little late
    solver.parameters.max_time_in_seconds = max(
        0.05, params.time_limit - (time.perf_counter() - t0) - _AFTER_SOLVE_S
    )
    code = solver.solve(built.model)
    best = start
    status = Status.FEASIBLE
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        cand = built.read(solver)
        if not cand.violations(new):
            best = cand
            status = Status.OPTIMAL if code == cp_model.OPTIMAL else Status.FEASIBLE
    best.check(new)
    value = best.objective(new, objective)
    bound = 0
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        bound = min(value, int(solver.best_objective_bound) // (new.num_operations + 1))
    return new, Result(status, best, value, bound, time.perf_counter() - t0, "cpsat", "given")
