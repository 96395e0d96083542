"""What the two hybrids (:mod:`~lotone.schedule.hybrid`, :mod:`~lotone.schedule.sdst_hybrid`)
share: a local search driven in time slices next to CP-SAT, CP-SAT's solver, a static bound.

The search runs ``chunk`` iterations at a time, so it can look at the clock, at CP-SAT's lower
bound (``bound``, which may rise while it runs) and at a peer search between slices: it stops
when its best reaches the bound or the peer's does, and adopts the peer's best when that is
better (it then restarts from it). ``chunk`` adapts so that a slice takes about ``SLICE``.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from typing import Generic, Protocol, Self, TypeVar

from ortools.sat.python import cp_model

from lotone.schedule.problem import SchedulingProblem
from lotone.schedule.result import SolveParams

__all__ = [
    "CP_SHARE",
    "RESERVE",
    "SLICE",
    "Search",
    "Sliced",
    "beside_cpsat",
    "cpsat_beside",
    "cpsat_solver",
    "static_bound",
]

SLICE = 0.02  # seconds of search between looks at the clock, the bound and the peer
CP_SHARE = 0.1  # of the budget for CP-SAT before the search (one worker, or deterministic)
_CP_PARALLEL_SHARE, _CP_PARALLEL_MIN = 0.25, 2.0  # CP-SAT next to the search (its workers)
RESERVE = 0.05  # seconds kept back to read, compare and check the schedules


class Search(Protocol):
    """What :class:`Sliced` needs of a search (the makespan tabu, the setup-aware one)."""

    @property
    def best(self) -> int: ...

    def run(self, iterations: int, bound: int) -> int: ...

    def adopt(self, other: Self) -> bool: ...


S = TypeVar("S", bound=Search)


class Sliced(Generic[S]):
    """``search`` driven in time slices; ``bound`` may rise while it runs."""

    def __init__(self, search: S, bound: int, chunk: int) -> None:
        self.search = search
        self.bound = bound
        self.chunk = chunk
        self.lock = threading.Lock()  # held while a slice runs: a peer reads the best after
        self.peer: Sliced[S] | None = None

    def run_for(self, seconds: float, stop: threading.Event | None = None) -> None:
        """Search for ``seconds`` (or until ``stop`` is set, or the bound is reached)."""
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
            if spent < SLICE / 2:
                self.chunk *= 2
            elif spent > 2 * SLICE and self.chunk > 1:
                self.chunk //= 2

    def run_iterations(self, iterations: int) -> None:
        """A fixed number of iterations (deterministic mode)."""
        self.search.run(iterations, self.bound)


def static_bound(problem: SchedulingProblem) -> int:
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


def cpsat_solver(params: SolveParams, workers: int, limit: float) -> cp_model.CpSolver:
    """A CP-SAT solver set up by the parameters, with ``workers`` workers and a time limit."""
    from lotone.schedule.solve import configure

    solver = cp_model.CpSolver()
    configure(solver, dataclasses.replace(params, workers=workers), limit)
    return solver


def beside_cpsat(
    first: Sliced[S],
    solver: cp_model.CpSolver,
    model_from: Callable[[], cp_model.CpModel],
    seconds: float,
    second_from: Callable[[cp_model.CpSolverStatus], Sliced[S]],
) -> tuple[cp_model.CpSolverStatus, Sliced[S] | None]:
    """``first`` in a thread for ``seconds`` while ``solver`` solves the model ``model_from()``
    gives (its workers; what ``model_from`` does first, e.g. find a better hint, runs beside
    ``first`` too).

    A search that reaches its bound stops CP-SAT. When CP-SAT ends without a proof and time is
    left, ``second_from(status)`` gives a second search that takes CP-SAT's worker for the rest,
    peered with the first (they adopt each other's best). CP-SAT's status and the second search.
    """
    failed: list[BaseException] = []
    done = threading.Event()
    t = time.perf_counter()

    def work() -> None:
        try:
            first.run_for(seconds, done)
        except BaseException as exc:  # pragma: no cover - re-raised in the caller
            failed.append(exc)
        if first.search.best <= first.bound:
            solver.stop_search()

    thread = threading.Thread(target=work, name="lotone-search", daemon=True)
    thread.start()
    model = model_from()
    # a search that reached its bound while the model was made has nothing left for CP-SAT
    code = cp_model.UNKNOWN if first.search.best <= first.bound else solver.solve(model)
    rest = seconds - (time.perf_counter() - t)
    second: Sliced[S] | None = None
    if code != cp_model.OPTIMAL and first.search.best > first.bound and rest > SLICE:
        second = second_from(code)
        second.bound = max(second.bound, first.bound)
        second.peer, first.peer = first, second
        second.run_for(rest, done)
    done.set()
    thread.join()
    if failed:  # pragma: no cover
        raise failed[0]
    return code, second


def cpsat_beside(
    first: Sliced[S], params: SolveParams, t0: float
) -> tuple[cp_model.CpSolver, float, bool]:
    """CP-SAT's solver for a hybrid run, the seconds left and whether it runs in parallel.

    In parallel (two workers or more, wall clock) CP-SAT gets the workers but one for a quarter
    of what is left (at least 2 s); otherwise every worker for :data:`CP_SHARE` of the budget.
    Every bound CP-SAT proves raises ``first.bound``.
    """
    left = max(0.05, params.time_limit - (time.perf_counter() - t0) - RESERVE)
    parallel = params.workers >= 2 and not params.deterministic
    if parallel:
        limit = min(left, max(_CP_PARALLEL_MIN, left * _CP_PARALLEL_SHARE))
        solver = cpsat_solver(params, params.workers - 1, limit)
    else:
        limit = params.time_limit * CP_SHARE if params.deterministic else left * CP_SHARE
        solver = cpsat_solver(params, params.workers, limit)

    def raise_bound(value: float) -> None:
        first.bound = max(first.bound, int(-(-value // 1)))

    solver.best_bound_callback = raise_bound
    return solver, left, parallel
