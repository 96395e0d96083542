"""A search over the order of the jobs: one priority per job, decoded by the rules' generator.

On heavily loaded shops with setups and due dates (nearly every job late, the objective close
to a weighted sum of completions), the good schedules share a shape that moves on machine
sequences reach slowly: the jobs go through the shop in one order of priority. Here a solution
is that order; :func:`._order_kernel.decode` turns it into an active schedule exactly as
:func:`lotone.schedule.rules.dispatch` does with rule ``"given"`` (an operation's priority is
its job's rank), and :func:`._order_kernel.search` moves one job at a time within a window and
keeps the moves that are no worse, restarting from the best with a few random swaps when it
stalls. The first order is the best of: weighted shortest job first (weight over the job's
work), earliest due date, and the order in which ``start``'s jobs end. The best schedule seeds
the setup tabu search (:mod:`lotone.schedule.sdst`), which then improves machine sequences
one move at a time. Deterministic for a seed and an iteration count; no fixed operations.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from lotone.schedule import _order_kernel as kernel
from lotone.schedule._packed import pack
from lotone.schedule.problem import SchedulingProblem
from lotone.schedule.schedule import Objective, Schedule

__all__ = ["JobOrderSearch", "first_orders", "improve_start"]

_WINDOW, _STALL, _KICK = 8, 2_000, 3
_CHUNK = 50  # iterations between looks at the clock


def first_orders(problem: SchedulingProblem, start: Schedule | None = None) -> list[list[int]]:
    """Job orders to start from: weighted shortest job first, earliest due date, and (with
    ``start``) the order in which its jobs end; ties by job index."""
    p = problem
    jobs = range(len(p.jobs))
    work = [sum(p.operations[o].min_duration for o in j.operations) for j in p.jobs]
    out = [
        sorted(jobs, key=lambda j: (-p.jobs[j].weight / max(1, work[j]), j)),
        sorted(jobs, key=lambda j: (p.jobs[j].due if p.jobs[j].due is not None else 1 << 62, j)),
    ]
    if start is not None:
        done = start.completions(p)
        out.append(sorted(jobs, key=lambda j: (done[j], j)))
    return out


class JobOrderSearch:
    """One search over job orders; :meth:`run` continues it for some iterations."""

    def __init__(
        self,
        problem: SchedulingProblem,
        objective: Objective = "tardiness",
        seed: int = 0,
        start: Schedule | None = None,
    ) -> None:
        if problem.fixed:
            raise ValueError(
                f"problem {problem.name}: the job-order search does not model fixed operations"
            )
        p = problem
        self.problem, self.objective = p, objective
        self._d = pack(p)
        n = p.num_operations
        self._obj = 1 if objective == "makespan" else 0
        self._mach = np.zeros(n, np.int64)
        self._start = np.zeros(n, np.int64)
        self._work = np.zeros(7 * n + 2 * p.num_machines + max(1, len(p.jobs)), np.int64)
        self._rank = np.zeros(max(1, len(p.jobs)), np.int64)
        self.par = np.array([_WINDOW, _STALL, _KICK], np.int64)
        self.st = np.zeros(kernel.ORD.SIZE, np.int64)
        best: tuple[int, list[int]] | None = None
        for order in first_orders(p, start):
            value = self._decode(np.array(order, np.int64))
            if best is None or value < best[0]:
                best = (value, order)
        assert best is not None
        self.order = np.array(best[1] or [0], np.int64)[: len(p.jobs)]
        self.border = self.order.copy()
        self.st[kernel.ORD.BEST] = self.st[kernel.ORD.CUR] = best[0]
        self.rng = np.array([(seed * 0x9E3779B97F4A7C15 + 0x5851F42D4C957F2D) % 2**64 or 1],
                            np.uint64)  # fmt: skip

    @property
    def best(self) -> int:
        """The best objective value found so far."""
        return int(self.st[kernel.ORD.BEST])

    @property
    def iterations(self) -> int:
        """Iterations made so far."""
        return int(self.st[kernel.ORD.IT])

    @property
    def evaluations(self) -> int:
        """Orders decoded so far (after the first ones)."""
        return int(self.st[kernel.ORD.EVALS])

    def _decode(self, order: np.ndarray) -> int:
        d = self._d
        for i, j in enumerate(order):
            self._rank[j] = i
        return int(
            kernel.decode(
                d.pp, d.sp, d.si, d.odat, d.mdat, d.setup, d.gp, d.ga, d.gb, d.jdat, d.mp,
                d.mm, d.md, self._obj, self._rank, self._mach, self._start, self._work,
            )
        )  # fmt: skip

    def run(self, iterations: int, bound: int = 0) -> int:
        """Continue for ``iterations`` (or until the best is at most ``bound``); the best."""
        d = self._d
        return int(
            kernel.search(
                d.pp, d.sp, d.si, d.odat, d.mdat, d.setup, d.gp, d.ga, d.gb, d.jdat, d.mp,
                d.mm, d.md, self._obj, self.order, self.border, self._rank, self._mach,
                self._start, self._work, self.par, self.st, self.rng, iterations, bound,
            )
        )  # fmt: skip

    def schedule(self) -> Schedule:
        """The best order's schedule."""
        self._decode(self.border)
        return Schedule(tuple(int(k) for k in self._mach), tuple(int(s) for s in self._start))


def improve_start(
    problem: SchedulingProblem,
    start: Schedule,
    objective: Objective,
    *,
    seed: int = 0,
    seconds: float | None = None,
    iterations: int | None = None,
    threads: int = 1,
    stop: Callable[[], bool] | None = None,
) -> Schedule:
    """The better of ``start`` and the best of ``threads`` job-order searches (seeds ``seed``,
    ``seed + 1``, ...) run side by side for ``seconds`` of wall clock, or ``iterations`` each
    (deterministic); they stop early at objective 0, and (timed runs) when ``stop()`` is true."""
    if (seconds is None) == (iterations is None):
        raise ValueError("give either seconds or iterations")
    searches = [JobOrderSearch(problem, objective, seed + i, start) for i in range(threads)]

    def work(s: JobOrderSearch) -> None:
        if iterations is not None:
            s.run(iterations)
            return
        end = time.perf_counter() + (seconds or 0.0)
        while time.perf_counter() < end and not (stop is not None and stop()):
            if s.run(_CHUNK) <= 0:
                break

    if threads == 1:
        work(searches[0])
    else:  # the kernels release the GIL
        with ThreadPoolExecutor(threads, thread_name_prefix="lotone-order") as pool:
            list(pool.map(work, searches))
    found = min(searches, key=lambda s: s.best).schedule()  # the first of equals
    better = found.objective(problem, objective) < start.objective(problem, objective)
    return found if better else start
