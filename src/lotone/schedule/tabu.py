"""Tabu search on the critical path for makespan job shops and flexible job shops.

In the style of Nowicki & Smutnicki's TSAB and Zhang et al.'s TS/N7: from a start schedule
(usually the best dispatching rule), each iteration evaluates the disjunctive graph, takes one
critical path, rates every move of its neighbourhood by the Balas-Vazacopoulos estimate (N7
insertions in the critical blocks; for operations with several eligible machines, also moving
them to another machine at any acyclic position, as Mastrolilli & Gambardella), and makes the
best one that is not tabu (a tabu move is taken when it would beat the best makespan found).
Reversed operation pairs and left machines stay tabu for a random tenure. After a run of
iterations without improvement the search restarts from the best solution with a few random
moves. The kernels are compiled with numba (:mod:`._tabu_kernel`) and cached on disk; the first
call in a fresh environment compiles them (a few seconds).

Only problems the disjunctive graph models exactly are supported (:func:`supports`): no
changeovers, calendars or fixed operations, and at most one predecessor and one successor per
operation (job chains). Releases and ``earliest`` are heads. Operations of zero duration keep
a place in their machine's sequence (conservative: a schedule may slip them in anywhere). The
result is deterministic for a
seed and an iteration count; a wall-clock limit cuts the search between chunks of iterations.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np

from lotone.schedule import _tabu_graph as graph
from lotone.schedule import _tabu_kernel as kernel
from lotone.schedule._kernel_search import KernelSearch
from lotone.schedule.problem import SchedulingProblem
from lotone.schedule.schedule import Schedule

__all__ = ["TabuSearch", "TabuSettings", "supports", "tabu_search"]

_MAX_OPERATIONS = 4000  # the tabu table of operation pairs is n x n
_CHUNK = 2000


def supports(problem: SchedulingProblem) -> bool:
    """Whether the tabu search models ``problem`` exactly (see the module docstring)."""
    p = problem
    if p.has_setups or p.fixed or any(p.unavailable) or p.num_operations > _MAX_OPERATIONS:
        return False
    n = p.num_operations
    return all(len(p.predecessors(o)) <= 1 and len(p.successors(o)) <= 1 for o in range(n))


@dataclass(frozen=True, slots=True)
class TabuSettings:
    """Tenure (iterations: ``tenure`` + random ``0..span``), restart after ``stall`` iterations
    without improvement, then ``kick`` random moves, times ``1 + min(f, grow)`` after ``f``
    restarts in a row that found nothing better. ``None``: the default."""

    tenure: int | None = None
    span: int | None = None
    stall: int | None = None
    kick: int | None = None
    grow: int | None = None


class TabuSearch(KernelSearch):
    """One tabu search: owns its arrays; :meth:`run` continues it for some iterations."""

    def __init__(
        self,
        problem: SchedulingProblem,
        start: Schedule,
        seed: int = 0,
        settings: TabuSettings | None = None,
    ) -> None:
        if not supports(problem):
            raise ValueError(f"problem {problem.name}: the tabu search does not model it")
        start.check(problem)
        p = problem
        n, m = p.num_operations, p.num_machines
        self.problem = p
        self.jp = np.full(n, -1, np.int64)
        self.js = np.full(n, -1, np.int64)
        for a, b in p.precedences:
            self.jp[b], self.js[a] = a, b
        self.rel = np.array(
            [max(p.jobs[op.job].release, p.earliest) for op in p.operations], np.int64
        )
        ptr = [0]
        mm: list[int] = []
        dd: list[int] = []
        for op in p.operations:
            for k, d in op.modes:
                mm.append(k)
                dd.append(d)
            ptr.append(len(mm))
        self.mode_ptr = np.array(ptr, np.int64)
        self.mode_mach = np.array(mm, np.int64)
        self.mode_dur = np.array(dd, np.int64)
        self.mach = np.array(start.machines, np.int64)
        self.dur = np.array(
            [op.duration_on(k) for op, k in zip(p.operations, start.machines, strict=True)],
            np.int64,
        )
        cap = max(1, max((sum(1 for op in p.operations for k, _ in op.modes if k == x)
                          for x in range(m)), default=1))  # fmt: skip
        self.seq = np.zeros((m, cap), np.int64)
        self.cnt = np.zeros(m, np.int64)
        self.pos = np.zeros(n, np.int64)
        for k, ops in enumerate(start.sequences(p)):
            self.cnt[k] = len(ops)
            for t, o in enumerate(ops):
                self.seq[k, t], self.pos[o] = o, t
        self.bmach, self.bdur = self.mach.copy(), self.dur.copy()
        self.bseq, self.bcnt = self.seq.copy(), self.cnt.copy()
        self.tabu_pair = np.zeros((n, n), np.int32)
        self.tabu_mach = np.zeros((n, m), np.int32)
        s = settings or TabuSettings()
        jobs = max(1, len(p.jobs))
        tenure = s.tenure if s.tenure is not None else 10 + jobs // m
        self.par = np.zeros(kernel.PAR.SIZE, np.int64)
        self.par[kernel.PAR.TENURE] = tenure
        self.par[kernel.PAR.SPAN] = s.span if s.span is not None else max(2, (4 * tenure) // 10)
        self.par[kernel.PAR.STALL] = s.stall if s.stall is not None else 30_000
        self.par[kernel.PAR.KICK] = s.kick if s.kick is not None else 6
        self.par[kernel.PAR.MTENURE] = tenure
        self.par[kernel.PAR.GROW] = s.grow if s.grow is not None else 4
        self.st = np.zeros(kernel.ST.SIZE, np.int64)
        self._offset = 0
        self.st[kernel.ST.BEST] = start.makespan(p) + 1  # the first iteration records it
        self.rng = np.array([(seed * 0x9E3779B97F4A7C15 + 0x2545F4914F6CDD1D) % 2**64 or 1],
                            np.uint64)  # fmt: skip

    @property
    def restarts(self) -> int:
        """Restarts from the best solution so far."""
        return int(self.st[kernel.ST.RESTARTS])

    def _search(self, iterations: int, bound: int) -> int:
        return int(
            kernel.search(
                self.jp, self.js, self.rel, self.mode_ptr, self.mode_mach, self.mode_dur,
                self.mach, self.dur, self.seq, self.cnt, self.pos,
                self.bmach, self.bdur, self.bseq, self.bcnt,
                self.tabu_pair, self.tabu_mach, self.par, self.st, self.rng, iterations, bound,
            )
        )  # fmt: skip

    def _rebase(self) -> None:
        """Count iterations from 0 again: the tabu tables hold int32 iteration stamps."""
        it = int(self.st[kernel.ST.IT])
        for table in (self.tabu_pair, self.tabu_mach):
            if table.size:
                np.subtract(table, min(it, int(table.max())), out=table)
                np.maximum(table, 0, out=table)
        self._offset += it
        self.st[kernel.ST.IT] = 0

    def schedule(self) -> Schedule:
        """The best solution as a semi-active schedule (every operation as early as it can)."""
        n = self.problem.num_operations
        pos = np.zeros(n, np.int64)
        for k in range(self.bcnt.shape[0]):
            for t in range(int(self.bcnt[k])):
                pos[self.bseq[k, t]] = t
        r = np.zeros(n, np.int64)
        work = [np.zeros(n, np.int64) for _ in range(3)]
        cmax = graph.evaluate(
            self.jp, self.js, self.rel, self.bdur, self.bmach, self.bseq, self.bcnt, pos,
            r, *work,
        )  # fmt: skip
        if cmax < 0:  # pragma: no cover - the kernel only records acyclic solutions
            raise RuntimeError("internal: the tabu search's best solution has a cycle")
        return Schedule(tuple(int(k) for k in self.bmach), tuple(int(x) for x in r))


def tabu_search(
    problem: SchedulingProblem,
    start: Schedule,
    *,
    seed: int = 0,
    iterations: int | None = None,
    time_limit: float | None = None,
    bound: int = 0,
    stop: threading.Event | None = None,
    settings: TabuSettings | None = None,
) -> Schedule:
    """Improve ``start`` by tabu search; the best schedule found (never worse than ``start``).

    Stops after ``iterations`` (deterministic for a seed), after ``time_limit`` seconds of wall
    clock, when the makespan reaches ``bound`` (a lower bound), or when ``stop`` is set (checked
    between chunks of iterations); at least one of ``iterations`` and ``time_limit`` is needed.
    """
    if iterations is None and time_limit is None:
        raise ValueError("give an iteration count, a time limit, or both")
    t0 = time.perf_counter()
    ts = TabuSearch(problem, start, seed, settings)
    left = iterations if iterations is not None else 1 << 62
    while left > 0:
        if stop is not None and stop.is_set():
            break
        if time_limit is not None and time.perf_counter() - t0 >= time_limit:
            break
        chunk = min(left, _CHUNK)
        if ts.run(chunk, bound) <= bound:
            break
        left -= chunk
    found = ts.schedule()
    # an operation of zero duration takes no machine time in a schedule, but a place in the
    # search's machine sequence: the start may be better when it has some
    return found if found.makespan(problem) <= start.makespan(problem) else start
