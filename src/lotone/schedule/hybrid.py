"""Makespan without changeovers or calendars: the tabu search and CP-SAT together.

With two workers or more (and a wall-clock limit) both run at once: the tabu search
(:mod:`lotone.schedule.tabu`) in a thread for the whole budget (its compiled kernel releases the
GIL), CP-SAT (the tuned model, seeded with the best rule) with the other workers for a quarter
of it (at least 2 s). CP-SAT brings the lower bound and proofs of optimality on small
instances; the tabu search brings the good schedules on large ones. Each stops the other:
CP-SAT's optimum ends the tabu search, and a tabu makespan equal to CP-SAT's bound ends CP-SAT.
When CP-SAT ends without a proof, a second tabu search (next seed, from CP-SAT's schedule) takes
its worker for the rest of the budget; the two adopt each other's best solution between slices
(a search restarts from the best it knows). The best schedule wins.

With one worker, or in deterministic mode, they run one after the other: CP-SAT for a tenth of
the budget (enough to prove small instances), then the tabu search from the better of its
schedule and the start for the rest (deterministic mode: ``_ITERATIONS_PER_SECOND`` iterations
per second of budget, so the result depends on the seed only).
"""

from __future__ import annotations

import logging
import time

from ortools.sat.python import cp_model

from lotone.errors import Infeasible
from lotone.schedule._slices import (
    CP_SHARE,
    RESERVE,
    Sliced,
    beside_cpsat,
    cpsat_beside,
    static_bound,
)
from lotone.schedule.cpsat_model import build_model
from lotone.schedule.problem import SchedulingProblem
from lotone.schedule.result import Method, Result, SolveParams, Status
from lotone.schedule.schedule import Schedule
from lotone.schedule.tabu import TabuSearch

__all__ = ["solve_makespan"]

log = logging.getLogger(__name__)

_ITERATIONS_PER_SECOND = 20_000


class _Tabu(Sliced[TabuSearch]):
    """The makespan tabu search in time slices, bounded by the static bound at first."""

    def __init__(self, problem: SchedulingProblem, start: Schedule, seed: int) -> None:
        super().__init__(TabuSearch(problem, start, seed), static_bound(problem), chunk=200)


def _alone(problem: SchedulingProblem, params: SolveParams, start: Schedule, t0: float) -> Result:
    tabu = _Tabu(problem, start, params.seed)
    if params.deterministic:
        tabu.run_iterations(int(params.time_limit * _ITERATIONS_PER_SECOND))
    else:
        tabu.run_for(max(0.0, params.time_limit - (time.perf_counter() - t0) - RESERVE))
    best = min((tabu.search.schedule(), start), key=lambda s: s.makespan(problem))
    best.check(problem)
    value = best.makespan(problem)
    status = Status.OPTIMAL if value <= tabu.bound else Status.FEASIBLE
    return Result(status, best, value, min(value, tabu.bound), time.perf_counter() - t0, "tabu")


def solve_makespan(
    problem: SchedulingProblem,
    params: SolveParams,
    start: Schedule,
    t0: float,
    *,
    cpsat: bool = True,
) -> Result:
    """Minimize the makespan of a problem :func:`lotone.schedule.tabu.supports`.

    ``cpsat=False``: the tabu search alone for the whole budget (method ``"tabu"``), with the
    job-length and machine-load bound as its only lower bound.
    """
    if not cpsat:
        return _alone(problem, params, start, t0)
    built = build_model(problem, "makespan", tuned=True, hint=start)
    tabu = _Tabu(problem, start, params.seed)
    solver, left, parallel = cpsat_beside(tabu, params, t0)
    second: Sliced[TabuSearch] | None = None
    if parallel:
        # CP-SAT has had its chance to prove: a second tabu search takes its worker
        code, second = beside_cpsat(
            tabu,
            solver,
            lambda: built.model,
            left,
            lambda code: _Tabu(
                problem,
                built.read(solver) if code == cp_model.FEASIBLE else start,
                params.seed + 1,
            ),
        )
    else:
        code = solver.solve(built.model)
    if code == cp_model.INFEASIBLE:  # pragma: no cover - the model holds the start as a hint
        raise Infeasible(f"problem {problem.name or ''}: no schedule satisfies every constraint")
    has = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    candidates = [start]
    if has:
        candidates.append(built.read(solver))
        if code == cp_model.OPTIMAL:
            tabu.bound = max(tabu.bound, int(solver.objective_value))
    if not parallel and code != cp_model.OPTIMAL:
        if has and candidates[-1].makespan(problem) < start.makespan(problem):
            tabu = _Tabu(problem, candidates[-1], params.seed)
            tabu.bound = max(tabu.bound, int(-(-solver.best_objective_bound // 1)))
        if params.deterministic:
            tabu.run_iterations(int(params.time_limit * (1 - CP_SHARE) * _ITERATIONS_PER_SECOND))
        else:
            tabu.run_for(max(0.0, params.time_limit - (time.perf_counter() - t0) - RESERVE))
    searches = [tabu] if second is None else [tabu, second]
    for ts in searches:
        candidates.append(ts.search.schedule())
        log.debug(
            "%s: tabu %d after %d iterations (%d restarts); CP-SAT %s, bound %d",
            problem.name, ts.search.best, ts.search.iterations, ts.search.restarts,
            solver.status_name(code), ts.bound,
        )  # fmt: skip
    best = min(candidates, key=lambda s: s.makespan(problem))
    best.check(problem)
    value = best.makespan(problem)
    bound = min(value, tabu.bound)
    if has:
        bound = max(bound, min(value, int(-(-solver.best_objective_bound // 1))))
    status = Status.OPTIMAL if bound == value else Status.FEASIBLE
    method: Method = "cpsat"
    return Result(status, best, value, bound, time.perf_counter() - t0, method)
