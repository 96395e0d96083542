"""Problems with changeovers, due dates or calendars: the setup tabu search and CP-SAT together.

The same arrangement as :mod:`lotone.schedule.hybrid` for pure makespan job shops, with the
setup-aware search (:mod:`lotone.schedule.sdst`) in place of the disjunctive-graph one. With two
workers or more (and a wall-clock limit) the search runs in a thread for the whole budget (its
compiled kernel releases the GIL) while the tuned CP-SAT model, seeded with the start, gets the
other workers for a quarter of it (at least 2 s): CP-SAT brings the lower bound and proofs
(tardiness 0 on loose instances), the search brings the good schedules on larger ones. When
CP-SAT ends without a proof, a second search (next seed, from the better of CP-SAT's schedule
and the start) takes its worker for the rest; the two adopt each other's best between slices.

With one worker, or in deterministic mode, they run one after the other: CP-SAT for a tenth of
the budget, then the search from the better schedule (deterministic mode: an iteration budget
that scales with the budget and the problem's size, so the result depends on the seed only).
The best schedule wins; it passes :meth:`Schedule.check` before it is returned.
"""

from __future__ import annotations

import logging
import time

from ortools.sat.python import cp_model

from lotone.errors import Infeasible
from lotone.schedule._sdst_kernel import PAR
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
from lotone.schedule.result import Result, SolveParams, Status
from lotone.schedule.schedule import Objective, Schedule
from lotone.schedule.sdst import SdstSearch

__all__ = ["solve_sequencing"]

log = logging.getLogger(__name__)

_EVALUATIONS_PER_SECOND = 40_000_000  # operations timed per second (deterministic budget)


class _Search(Sliced[SdstSearch]):
    """The setup-aware search in time slices."""

    def __init__(self, search: SdstSearch, bound: int) -> None:
        super().__init__(search, bound, chunk=20)


def _iterations(problem: SchedulingProblem, search: SdstSearch, seconds: float) -> int:
    per_iteration = problem.num_operations * (int(search.par[PAR.CAP]) + 2)
    return max(1, int(seconds * _EVALUATIONS_PER_SECOND) // per_iteration)


def solve_sequencing(
    problem: SchedulingProblem,
    objective: Objective,
    params: SolveParams,
    start: Schedule,
    t0: float,
    *,
    cpsat: bool = True,
) -> Result:
    """Minimize ``objective`` on a problem :func:`lotone.schedule.sdst.supports`.

    ``cpsat=False``: the search alone for the whole budget (method ``"tabu"``).
    """
    p = problem
    static = static_bound(p) if objective == "makespan" else 0
    search = _Search(SdstSearch(p, start, objective, params.seed), static)
    if not cpsat:
        if params.deterministic:
            search.search.run(_iterations(p, search.search, params.time_limit), static)
        else:
            search.run_for(max(0.0, params.time_limit - (time.perf_counter() - t0) - RESERVE))
        best = min((search.search.schedule(), start), key=lambda s: s.objective(p, objective))
        best.check(p)
        value = best.objective(p, objective)
        status = Status.OPTIMAL if value <= static else Status.FEASIBLE
        return Result(status, best, value, min(value, static), time.perf_counter() - t0, "tabu")
    built = build_model(p, objective, tuned=True, hint=start)
    solver, left, parallel = cpsat_beside(search, params, t0)
    second: Sliced[SdstSearch] | None = None
    if parallel:

        def second_from(code: cp_model.CpSolverStatus) -> Sliced[SdstSearch]:
            base = start
            if code == cp_model.FEASIBLE:
                cand = built.read(solver)
                if cand.objective(p, objective) < start.objective(p, objective):
                    base = cand
            return _Search(SdstSearch(p, base, objective, params.seed + 1), search.bound)

        code, second = beside_cpsat(search, solver, built.model, left, second_from)
    else:
        code = solver.solve(built.model)
    if code == cp_model.INFEASIBLE:  # pragma: no cover - the model holds the start as a hint
        raise Infeasible(f"problem {p.name or ''}: no schedule satisfies every constraint")
    has = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    candidates = [start]
    if has:
        candidates.append(built.read(solver))
        if code == cp_model.OPTIMAL:
            search.bound = max(search.bound, int(solver.objective_value))
    if not parallel and code != cp_model.OPTIMAL:
        if has and candidates[-1].objective(p, objective) < start.objective(p, objective):
            search = _Search(SdstSearch(p, candidates[-1], objective, params.seed), search.bound)
        if params.deterministic:
            seconds = params.time_limit * (1 - CP_SHARE)
            search.search.run(_iterations(p, search.search, seconds), search.bound)
        else:
            search.run_for(max(0.0, params.time_limit - (time.perf_counter() - t0) - RESERVE))
    for s in [search] if second is None else [search, second]:
        candidates.append(s.search.schedule())
        log.debug(
            "%s: search %d after %d iterations; CP-SAT %s, bound %d",
            p.name, s.search.best, s.search.iterations, solver.status_name(code), s.bound,
        )  # fmt: skip
    best = min(candidates, key=lambda s: s.objective(p, objective))
    best.check(p)
    value = best.objective(p, objective)
    bound = min(value, search.bound)
    if has:
        bound = max(bound, min(value, int(-(-solver.best_objective_bound // 1))))
    status = Status.OPTIMAL if bound == value else Status.FEASIBLE
    return Result(status, best, value, bound, time.perf_counter() - t0, "cpsat")
