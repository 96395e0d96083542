"""Tabu search on machine sequences for problems with changeovers, releases and due dates.

The makespan tabu search (:mod:`lotone.schedule.tabu`) rates moves on the disjunctive graph,
which has no place for sequence-dependent changeovers or calendars. This one times every
candidate exactly instead (:func:`._sdst_timing.evaluate`: a semi-active schedule in O(n),
changeovers from the machine's previous family, the initial family first, calendars skipped),
so it minimizes total weighted tardiness or the makespan of any problem with precedences,
setups, releases and calendars. In the style of Kuhpfahl & Bierwirth's and Mati,
Dauzère-Pérès & Lahlou's tardiness job-shop searches: each iteration draws ``focus`` tardy jobs
(with probability proportional to their weighted tardiness; for the makespan, every last
operation) and marks every operation on a longest path to their ends (a critical tree); on each
machine the critical blocks (runs of marked operations, each starting right after its machine
predecessor and the changeover) give the moves: swaps of adjacent block operations and moves of
block ends into, out of and across the block. At most ``cap`` of them, sampled uniformly, are
timed exactly (from the first operation a move can change, :func:`._sdst_timing.evaluate_from`)
and the best that is not tabu is made (aspiration: a tabu move that beats the best is
allowed); the reversed pairs stay tabu for a random tenure. After ``stall`` iterations without
a new best the search restarts from the best with a few random moves.

Operations keep the machine of the start schedule (flexible problems are resequenced, not
reassigned); operations of zero duration are in no machine's sequence (as in
:meth:`Schedule.check`), so the start's sequences never make a cycle and its semi-active
timing is never worse than the start. Not modelled, so not supported (:func:`supports`): fixed
operations. The result is deterministic for a seed and an iteration count.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np

from lotone.schedule import _sdst_kernel as kernel
from lotone.schedule._kernel_search import KernelSearch
from lotone.schedule._packed import pack
from lotone.schedule._sdst_timing import evaluate
from lotone.schedule.problem import SchedulingProblem
from lotone.schedule.schedule import Objective, Schedule

__all__ = ["SdstSearch", "SdstSettings", "sdst_search", "supports"]

_MAX_OPERATIONS = 3000  # the tabu table of operation pairs is n x n
_CHUNK = 500


def supports(problem: SchedulingProblem) -> bool:
    """Whether the search models ``problem`` (no fixed operations, at most 3,000 operations)."""
    return not problem.fixed and 0 < problem.num_operations <= _MAX_OPERATIONS


@dataclass(frozen=True, slots=True)
class SdstSettings:
    """Tenure (``tenure`` + random ``0..span`` iterations), moves timed per iteration
    (``cap``), tardy jobs whose critical trees give them (``focus``; 0: every tardy job),
    restart after ``stall`` iterations without a new best with ``kick`` random moves (times
    ``1 + min(f, grow)`` after ``f`` fruitless restarts). ``None``: the default, tuned on
    20x10 and 50x10 JIT instances at equal numbers of timed moves (cap 25 beat 12, 60 and
    150; tenure and focus mattered less)."""

    tenure: int | None = None
    span: int | None = None
    cap: int | None = None
    stall: int | None = None
    kick: int | None = None
    grow: int | None = None
    focus: int | None = None


class SdstSearch(KernelSearch):
    """One search: owns its arrays; :meth:`run` continues it for some iterations."""

    def __init__(
        self,
        problem: SchedulingProblem,
        start: Schedule,
        objective: Objective = "tardiness",
        seed: int = 0,
        settings: SdstSettings | None = None,
    ) -> None:
        if not supports(problem):
            raise ValueError(
                f"problem {problem.name}: the setup tabu search models neither fixed operations"
                f" nor more than {_MAX_OPERATIONS} operations"
            )
        start.check(problem)
        p = problem
        n, m = p.num_operations, p.num_machines
        self.problem, self.objective = p, objective
        d = pack(p)
        self.pp, self.pi, self.sp, self.si, self.jp, self.jo = d.pp, d.pi, d.sp, d.si, d.jp, d.jo
        self.odat, self.mdat, self.setup, self.jdat = d.odat, d.mdat, d.setup, d.jdat
        self.gp, self.ga, self.gb = d.gp, d.ga, d.gb
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
        for k, seq in enumerate(start.sequences(p)):
            ops = [o for o in seq if self.dur[o] > 0]  # instants take no machine time
            self.cnt[k] = len(ops)
            for t, o in enumerate(ops):
                self.seq[k, t], self.pos[o] = o, t
        self.bmach, self.bdur = self.mach.copy(), self.dur.copy()
        self.bseq, self.bcnt = self.seq.copy(), self.cnt.copy()
        self.tabu = np.zeros((n, n), np.int32)
        self.mark = np.zeros(n, np.int64)
        s = settings or SdstSettings()
        tenure = s.tenure if s.tenure is not None else 5
        self.par = np.zeros(kernel.PAR.SIZE, np.int64)
        self.par[kernel.PAR.TENURE] = tenure
        self.par[kernel.PAR.SPAN] = s.span if s.span is not None else 3
        self.par[kernel.PAR.STALL] = s.stall if s.stall is not None else 3_000
        self.par[kernel.PAR.KICK] = s.kick if s.kick is not None else 4
        self.par[kernel.PAR.GROW] = s.grow if s.grow is not None else 4
        self.par[kernel.PAR.CAP] = s.cap if s.cap is not None else 25
        self.par[kernel.PAR.OBJ] = 1 if objective == "makespan" else 0
        self.par[kernel.PAR.FOCUS] = s.focus if s.focus is not None else 8
        self.st = np.zeros(kernel.ST.SIZE, np.int64)
        self._offset = 0
        value = self._evaluate(self.mach, self.dur, self.seq, self.cnt)[0]
        self.st[kernel.ST.BEST] = value + 1  # the first iteration records it
        self.rng = np.array([(seed * 0x9E3779B97F4A7C15 + 0x2545F4914F6CDD1D) % 2**64 or 1],
                            np.uint64)  # fmt: skip

    @property
    def evaluations(self) -> int:
        """Candidate moves timed so far."""
        return int(self.st[kernel.ST.EVALS])

    def _search(self, iterations: int, bound: int) -> int:
        return int(
            kernel.search(
                self.pp, self.pi, self.sp, self.si, self.odat, self.mdat, self.setup,
                self.gp, self.ga, self.gb, self.jdat, self.jp, self.jo, self.mach, self.dur,
                self.seq, self.cnt, self.pos, self.bmach, self.bdur, self.bseq, self.bcnt,
                self.tabu, self.mark, self.par, self.st, self.rng, iterations, bound,
            )
        )  # fmt: skip

    def _rebase(self) -> None:
        """Count iterations from 0 again: the tabu table and marks hold iteration stamps."""
        it = int(self.st[kernel.ST.IT])
        np.subtract(self.tabu, min(it, int(self.tabu.max())), out=self.tabu)
        np.maximum(self.tabu, 0, out=self.tabu)
        self.mark[...] = 0
        self._offset += it
        self.st[kernel.ST.IT] = 0

    def _evaluate(
        self, mach: np.ndarray, dur: np.ndarray, seq: np.ndarray, cnt: np.ndarray
    ) -> tuple[int, np.ndarray]:
        n = self.problem.num_operations
        pos = np.zeros(n, np.int64)
        for k in range(cnt.shape[0]):
            for t in range(int(cnt[k])):
                pos[seq[k, t]] = t
        r, e, mend, mfam, topo, indeg = (np.zeros(n, np.int64) for _ in range(6))
        comp = np.zeros(self.jdat.shape[0], np.int64)
        value = evaluate(
            self.pp, self.pi, self.sp, self.si, self.odat, self.mdat, self.setup, self.gp,
            self.ga, self.gb, self.jdat, int(self.par[kernel.PAR.OBJ]), mach, dur, seq, cnt,
            pos, r, e, mend, mfam, topo, indeg, comp,
        )  # fmt: skip
        return int(value), r

    def schedule(self) -> Schedule:
        """The best solution as a semi-active schedule (every operation as early as it can)."""
        value, r = self._evaluate(self.bmach, self.bdur, self.bseq, self.bcnt)
        if value < 0:  # pragma: no cover - the kernel only records acyclic solutions
            raise RuntimeError("internal: the setup tabu search's best solution has a cycle")
        return Schedule(tuple(int(k) for k in self.bmach), tuple(int(x) for x in r))


def sdst_search(
    problem: SchedulingProblem,
    start: Schedule,
    objective: Objective = "tardiness",
    *,
    seed: int = 0,
    iterations: int | None = None,
    time_limit: float | None = None,
    stop: threading.Event | None = None,
    settings: SdstSettings | None = None,
) -> Schedule:
    """Improve ``start`` by the search; the best schedule found (never worse than ``start``).

    Stops after ``iterations`` (deterministic for a seed), after ``time_limit`` seconds of wall
    clock, at objective 0, or when ``stop`` is set (checked between chunks of iterations); at
    least one of ``iterations`` and ``time_limit`` is needed.
    """
    if iterations is None and time_limit is None:
        raise ValueError("give an iteration count, a time limit, or both")
    t0 = time.perf_counter()
    ts = SdstSearch(problem, start, objective, seed, settings)
    left = iterations if iterations is not None else 1 << 62
    while left > 0:
        if stop is not None and stop.is_set():
            break
        if time_limit is not None and time.perf_counter() - t0 >= time_limit:
            break
        chunk = min(left, _CHUNK)
        if ts.run(chunk) <= 0:
            break
        left -= chunk
    found = ts.schedule()
    better = found.objective(problem, objective) <= start.objective(problem, objective)
    return found if better else start
