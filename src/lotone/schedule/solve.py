"""Solve a scheduling problem: rules, tuned CP-SAT (+ LNS or tabu search), or the textbook model.

:func:`solve` returns a :class:`Result` with a status, the schedule, its objective, a lower
bound, the gap and the runtime. Every schedule it returns has passed :meth:`Schedule.check`.
The same problem, parameters and seed give the same result when the solver stops on its
deterministic limit (``deterministic=True``: the limit is CP-SAT's deterministic time and
parallel workers are interleaved); wall-clock limits are the default, as usual.
"""

from __future__ import annotations

import dataclasses
import logging
import time

from ortools.sat.python import cp_model

from lotone.errors import Infeasible
from lotone.schedule.cpsat_model import build_model
from lotone.schedule.problem import SchedulingProblem
from lotone.schedule.result import Method, Result, SolveParams, Status
from lotone.schedule.rules import best_rule
from lotone.schedule.schedule import Objective, Schedule

__all__ = ["Method", "Result", "SolveParams", "Status", "solve"]

log = logging.getLogger(__name__)

_LNS_MIN_OPS = 400


def configure(solver: cp_model.CpSolver, params: SolveParams, time_limit: float) -> None:
    """Set CP-SAT's workers, seed, log and (wall-clock or deterministic) time limit."""
    sp = solver.parameters
    sp.num_workers = params.workers
    sp.random_seed = params.seed
    sp.log_search_progress = params.log_search
    if params.deterministic:  # interleaved workers make a parallel search reproducible
        sp.max_deterministic_time = time_limit
        sp.interleave_search = params.workers > 1
    else:
        sp.max_time_in_seconds = time_limit


def _status(code: object, has_solution: bool) -> Status:
    if code == cp_model.OPTIMAL:
        return Status.OPTIMAL
    if has_solution:
        return Status.FEASIBLE
    if code == cp_model.INFEASIBLE:
        return Status.INFEASIBLE
    return Status.UNKNOWN


def _tabu_models(problem: SchedulingProblem) -> bool:
    from lotone.schedule.tabu import supports  # here: numba loads when a makespan is asked

    return supports(problem)


def _sdst_models(problem: SchedulingProblem) -> bool:
    from lotone.schedule.sdst import supports  # here: numba loads when it is needed

    return supports(problem)


def solve(
    problem: SchedulingProblem,
    objective: Objective = "makespan",
    params: SolveParams | None = None,
    method: Method = "cpsat",
    hint: Schedule | None = None,
) -> Result:
    """Schedule ``problem``, minimizing ``objective``.

    ``method`` ``"cpsat"`` (the default) depends on the problem:

    - pure makespan problems (no changeovers, calendars or fixed operations; job chains): the
      tabu search and CP-SAT together (:mod:`lotone.schedule.hybrid`), far better on Taillard
      and Brandimarte than CP-SAT alone;
    - every other problem without fixed operations, up to 3,000 operations (changeovers,
      calendars, due dates; weighted tardiness on any shop): the setup-aware tabu search and
      CP-SAT together (:mod:`lotone.schedule.sdst_hybrid`); on the JIT job shop with setups
      it left about half (20x10) and 80 % (50x10) of the best rule's weighted tardiness at
      15 s, where CP-SAT (+ LNS) left 75 % and 99.5 %;
    - the rest (fixed operations: rescheduling) and ``params.lns=True``: the tuned model
      seeded with the best rule (or ``hint`` when it is better), improved by our own
      large-neighbourhood search (:mod:`lotone.schedule.lns`) when ``params.lns`` is set, or
      by default (``lns=None``) on problems with changeovers and 400 operations or more.

    ``"tabu"`` runs only the tabu search that fits the problem (from the best rule, for the
    whole time limit), ``"textbook"`` the plain model, ``"rules"`` only the rules. Raises
    :class:`~lotone.errors.Infeasible` when the solver proves there is no schedule.
    """
    params = params or SolveParams()
    t0 = time.perf_counter()
    if method == "textbook":
        return _cpsat(problem, objective, params, t0, tuned=False, hint=None)
    seed = best_rule(problem, objective)
    start = seed.schedule
    if (
        hint is not None
        and not hint.violations(problem)
        and hint.objective(problem, objective) < seed.objective
    ):
        start = hint
    if method == "rules":
        start.check(problem)
        value = start.objective(problem, objective)
        return Result(
            Status.FEASIBLE, start, value, 0, time.perf_counter() - t0, "rules",
            seed.rule, seed.objective,
        )  # fmt: skip
    pure = objective == "makespan" and _tabu_models(problem)
    if pure and (method == "tabu" or not params.lns):
        from lotone.schedule.hybrid import solve_makespan

        if method == "tabu":
            alone = solve_makespan(problem, params, start, t0, cpsat=False)
            return dataclasses.replace(alone, rule=seed.rule, rule_objective=seed.objective)
        both = solve_makespan(problem, params, start, t0)
        return dataclasses.replace(both, rule=seed.rule, rule_objective=seed.objective)
    if not pure and _sdst_models(problem) and (method == "tabu" or not params.lns):
        from lotone.schedule.sdst_hybrid import solve_sequencing

        found = solve_sequencing(problem, objective, params, start, t0, cpsat=method != "tabu")
        return dataclasses.replace(found, rule=seed.rule, rule_objective=seed.objective)
    if method == "tabu":
        raise ValueError(
            f"problem {problem.name or ''}: the tabu searches do not model fixed operations"
            " or more than 3,000 operations; use method='cpsat'"
        )
    use_lns = params.lns
    if use_lns is None:  # measured: helps on the 50x10 JIT instances, not on Taillard
        use_lns = problem.has_setups and problem.num_operations >= _LNS_MIN_OPS
    if use_lns:
        from lotone.schedule.lns import improve

        result = improve(problem, objective, params, start, t0)
    else:
        result = _cpsat(problem, objective, params, t0, tuned=True, hint=start)
    return Result(
        result.status, result.schedule, result.objective, result.lower_bound,
        result.runtime, "cpsat", seed.rule, seed.objective,
    )  # fmt: skip


def _cpsat(
    problem: SchedulingProblem,
    objective: Objective,
    params: SolveParams,
    t0: float,
    *,
    tuned: bool,
    hint: Schedule | None,
) -> Result:
    built = build_model(problem, objective, tuned=tuned, hint=hint)
    solver = cp_model.CpSolver()
    left = params.time_limit  # deterministic time: never mixed with the wall clock
    if not params.deterministic:
        left = max(0.05, params.time_limit - (time.perf_counter() - t0))
    configure(solver, params, left)
    code = solver.solve(built.model)
    has = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    runtime = time.perf_counter() - t0
    method: Method = "cpsat" if tuned else "textbook"
    if code == cp_model.INFEASIBLE and not problem.fixed and tuned:
        raise Infeasible("internal: the tuned model refused its own hint")  # pragma: no cover
    if code == cp_model.INFEASIBLE:
        raise Infeasible(f"problem {problem.name or ''}: no schedule satisfies every constraint")
    if not has:
        if hint is not None:
            value = hint.objective(problem, objective)
            return Result(Status.FEASIBLE, hint, value, 0, runtime, method)
        return Result(Status.UNKNOWN, None, None, 0, runtime, method)
    sched = built.read(solver)
    sched.check(problem)
    value = sched.objective(problem, objective)
    bound = int(-(-solver.best_objective_bound // 1))
    return Result(_status(code, True), sched, value, min(bound, value), runtime, method)
