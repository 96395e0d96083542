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

import dataclasses
import logging
import threading
import time

from ortools.sat.python import cp_model

from lotone.errors import Infeasible
from lotone.schedule.cpsat_model import build_model
from lotone.schedule.problem import SchedulingProblem
from lotone.schedule.result import Method, Result, SolveParams, Status
from lotone.schedule.schedule import Schedule
from lotone.schedule.tabu import TabuSearch

__all__ = ["solve_makespan"]

log = logging.getLogger(__name__)

_CP_SHARE = 0.1
_CP_PARALLEL_SHARE, _CP_PARALLEL_MIN = 0.25, 2.0  # seconds of CP-SAT next to the tabu search
_ITERATIONS_PER_SECOND = 20_000
_SLICE = 0.02  # seconds of tabu search between looks at the clock and at CP-SAT's bound
_RESERVE = 0.05  # kept back to read, compare and check the schedules


def _static_bound(problem: SchedulingProblem) -> int:
    """Job lengths with releases, and machine loads of operations with one machine."""
    p = problem
    best = 0
    for job in p.jobs:
        best = max(best, job.release + sum(p.operations[o].min_duration for o in job.operations))
    load = [0] * p.num_machines
    for op in p.operations:
        if len(op.modes) == 1:
            load[op.modes[0][0]] += op.modes[0][1]
    total = sum(op.min_duration for op in p.operations)
    return max(best, *load, -(-total // p.num_machines))


class _Tabu:
    """The tabu search driven in time slices; ``bound`` may rise while it runs."""

    def __init__(self, problem: SchedulingProblem, start: Schedule, seed: int) -> None:
        self.search = TabuSearch(problem, start, seed)
        self.bound = _static_bound(problem)
        self.chunk = 200
        self.lock = threading.Lock()  # held while a slice runs: a peer reads the best after
        self.peer: _Tabu | None = None

    def run_for(self, seconds: float, stop: threading.Event | None = None) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end and not (stop is not None and stop.is_set()):
            peer = self.peer
            if peer is not None:
                if peer.search.best <= self.bound:
                    return
                if peer.search.best < self.search.best:
                    with peer.lock:
                        self.search.adopt(peer.search)
            t = time.perf_counter()
            with self.lock:
                best = self.search.run(self.chunk, self.bound)
            if best <= self.bound:
                return
            spent = time.perf_counter() - t
            if spent < _SLICE / 2:
                self.chunk *= 2
            elif spent > 2 * _SLICE and self.chunk > 1:
                self.chunk //= 2

    def run_iterations(self, iterations: int) -> None:
        self.search.run(iterations, self.bound)


def _cpsat_solver(params: SolveParams, workers: int, limit: float) -> cp_model.CpSolver:
    from lotone.schedule.solve import configure

    solver = cp_model.CpSolver()
    configure(solver, dataclasses.replace(params, workers=workers), limit)
    return solver


def _alone(problem: SchedulingProblem, params: SolveParams, start: Schedule, t0: float) -> Result:
    tabu = _Tabu(problem, start, params.seed)
    if params.deterministic:
        tabu.run_iterations(int(params.time_limit * _ITERATIONS_PER_SECOND))
    else:
        tabu.run_for(max(0.0, params.time_limit - (time.perf_counter() - t0) - _RESERVE))
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
    left = max(0.05, params.time_limit - (time.perf_counter() - t0) - _RESERVE)
    parallel = params.workers >= 2 and not params.deterministic
    if parallel:
        cp_limit = min(left, max(_CP_PARALLEL_MIN, left * _CP_PARALLEL_SHARE))
        solver = _cpsat_solver(params, params.workers - 1, cp_limit)
    else:
        cp_limit = params.time_limit * _CP_SHARE if params.deterministic else left * _CP_SHARE
        solver = _cpsat_solver(params, params.workers, cp_limit)

    def raise_bound(value: float) -> None:
        tabu.bound = max(tabu.bound, int(-(-value // 1)))

    solver.best_bound_callback = raise_bound
    failed: list[BaseException] = []
    second: _Tabu | None = None
    if parallel:
        done = threading.Event()

        t_cp = time.perf_counter()

        def work() -> None:
            try:
                tabu.run_for(left, done)
            except BaseException as exc:  # pragma: no cover - re-raised in the caller
                failed.append(exc)
            if tabu.search.best <= tabu.bound:
                solver.stop_search()

        thread = threading.Thread(target=work, name="lotone-tabu", daemon=True)
        thread.start()
        code = solver.solve(built.model)
        rest = left - (time.perf_counter() - t_cp)
        if code != cp_model.OPTIMAL and tabu.search.best > tabu.bound and rest > _SLICE:
            # CP-SAT has had its chance to prove: a second tabu search takes its worker
            has_cp = code == cp_model.FEASIBLE
            second = _Tabu(problem, built.read(solver) if has_cp else start, params.seed + 1)
            second.bound = tabu.bound
            second.peer, tabu.peer = tabu, second
            second.run_for(rest, done)
        done.set()
        thread.join()
        if failed:  # pragma: no cover
            raise failed[0]
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
            tabu.run_iterations(int(params.time_limit * (1 - _CP_SHARE) * _ITERATIONS_PER_SECOND))
        else:
            tabu.run_for(max(0.0, params.time_limit - (time.perf_counter() - t0) - _RESERVE))
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
