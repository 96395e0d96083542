"""Problems with changeovers, due dates or calendars: the setup tabu search and CP-SAT together.

The same arrangement as :mod:`lotone.schedule.hybrid` for pure makespan job shops, with the
setup-aware search (:mod:`lotone.schedule.sdst`) in place of the disjunctive-graph one. With two
workers or more (and a wall-clock limit) the search runs in a thread for the whole budget (its
compiled kernel releases the GIL) while the tuned CP-SAT model, seeded with the start, gets the
other workers for a quarter of it (at least 2 s): CP-SAT brings the lower bound and proofs
(tardiness 0 on loose instances), the search brings the good schedules on larger ones. When
CP-SAT ends without a proof, a second search (next seed, from the better of CP-SAT's schedule
and the start) takes its worker for the rest; the two adopt each other's best between slices.

On crowded shops (at least 30 operations per machine) with weighted tardiness, a job-order search
(:mod:`lotone.schedule.job_order`) first gets a tenth of the budget: on CP-SAT's worker while
the search runs, and CP-SAT and the second search start from its schedule when it beats the
start (with one worker or in deterministic mode, before everything).

With one worker, or in deterministic mode, they run one after the other: CP-SAT for a tenth of
the budget, then the search from the better schedule (deterministic mode: an iteration budget
that scales with the budget and the problem's size, so the result depends on the seed only).
The best schedule wins; it passes :meth:`Schedule.check` before it is returned.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

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
from lotone.schedule.cpsat_model import Built, build_model
from lotone.schedule.job_order import improve_start
from lotone.schedule.problem import SchedulingProblem
from lotone.schedule.result import Result, SolveParams, Status
from lotone.schedule.schedule import Objective, Schedule
from lotone.schedule.sdst import SdstSearch

__all__ = ["solve_sequencing"]

log = logging.getLogger(__name__)

_EVALUATIONS_PER_SECOND = 40_000_000  # operations timed per second (deterministic budget)
_DECODED_PER_SECOND = 3_000_000  # operations a job order's decoding places per second (same)
_ORDER_SHARE = 0.1  # of the budget for the job-order search before the rest
_ORDER_CROWD = 30  # operations per machine from which the job-order search runs first


class _Search(Sliced[SdstSearch]):
    """The setup-aware search in time slices."""

    def __init__(self, search: SdstSearch, bound: int) -> None:
        super().__init__(search, bound, chunk=20)


def _iterations(problem: SchedulingProblem, search: SdstSearch, seconds: float) -> int:
    per_iteration = problem.num_operations * (int(search.par[PAR.CAP]) + 2)
    return max(1, int(seconds * _EVALUATIONS_PER_SECOND) // per_iteration)


def _crowded(problem: SchedulingProblem) -> bool:
    """Whether machines are long enough queues for the job-order search to pay its time: on
    the JIT job shops it lifted 50x10 (45 operations per machine) by 2-9 points and cost 20x10
    (18 per machine) up to 6, each at 15 s."""
    return problem.num_operations >= _ORDER_CROWD * max(1, problem.num_machines)


def _ordered(
    problem: SchedulingProblem,
    start: Schedule,
    params: SolveParams,
    threads: int,
    stop: Callable[[], bool] | None = None,
) -> Schedule:
    seconds = params.time_limit * _ORDER_SHARE
    if params.deterministic:
        iterations = max(1, int(seconds * _DECODED_PER_SECOND) // max(1, problem.num_operations))
        return improve_start(problem, start, "tardiness", seed=params.seed, iterations=iterations)
    return improve_start(problem, start, "tardiness", seed=params.seed, seconds=seconds,
                         threads=threads, stop=stop)  # fmt: skip


def solve_sequencing(
    problem: SchedulingProblem,
    objective: Objective,
    params: SolveParams,
    start: Schedule,
    t0: float,
    *,
    cpsat: bool = True,
    orders: bool = True,
) -> Result:
    """Minimize ``objective`` on a problem :func:`lotone.schedule.sdst.supports`.

    ``cpsat=False``: the search alone for the whole budget (method ``"tabu"``). ``orders``: on
    crowded shops (:func:`_crowded`) with weighted tardiness, search job orders
    (:mod:`lotone.schedule.job_order`) for a tenth of the budget first: in parallel on CP-SAT's
    worker while the first search runs from ``start`` (CP-SAT and the second search then start
    from the better schedule), otherwise before everything.
    """
    p = problem
    ordering = (
        orders and objective == "tardiness" and _crowded(p) and start.objective(p, objective) > 0
    )
    static = static_bound(p) if objective == "makespan" else 0
    if not cpsat:
        search = _Search(SdstSearch(p, start, objective, params.seed), static)
        if params.deterministic:
            search.search.run(_iterations(p, search.search, params.time_limit), static)
        else:
            search.run_for(max(0.0, params.time_limit - (time.perf_counter() - t0) - RESERVE))
        best = min((search.search.schedule(), start), key=lambda s: s.objective(p, objective))
        best.check(p)
        value = best.objective(p, objective)
        status = Status.OPTIMAL if value <= static else Status.FEASIBLE
        return Result(status, best, value, min(value, static), time.perf_counter() - t0, "tabu")
    sequential = params.workers < 2 or params.deterministic
    if ordering and sequential:
        start = _ordered(p, start, params, threads=1)
    base = start  # the best start: the rule's, or the job orders' (parallel: found beside)
    search = _Search(SdstSearch(p, start, objective, params.seed), static)
    solver, left, parallel = cpsat_beside(search, params, t0)
    built: Built | None = None
    second: Sliced[SdstSearch] | None = None
    if parallel:
        # the search from the rule's start runs beside; CP-SAT's workers first search job
        # orders, then CP-SAT starts from the better, then a second search takes its worker

        def model_from() -> cp_model.CpModel:
            nonlocal base, built
            if ordering:
                base = _ordered(p, start, params, 1, lambda: search.search.best <= search.bound)
            built = build_model(p, objective, tuned=True, hint=base)
            return built.model

        def second_from(code: cp_model.CpSolverStatus) -> Sliced[SdstSearch]:
            assert built is not None
            first = base
            if code == cp_model.FEASIBLE:
                cand = built.read(solver)
                if cand.objective(p, objective) < base.objective(p, objective):
                    first = cand
            return _Search(SdstSearch(p, first, objective, params.seed + 1), search.bound)

        code, second = beside_cpsat(search, solver, model_from, left, second_from)
    else:
        built = build_model(p, objective, tuned=True, hint=start)
        code = solver.solve(built.model)
    assert built is not None
    if code == cp_model.INFEASIBLE:  # pragma: no cover - the model holds the start as a hint
        raise Infeasible(f"problem {p.name or ''}: no schedule satisfies every constraint")
    has = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    candidates = [start, base]
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
