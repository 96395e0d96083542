"""Building the diagram of a model: one BDD per constraint, then their conjunction.

A table's BDD is built from its rows in one pass over the rows sorted by the current level order of
the scope, splitting on one variable at a time (a trie, bottom up), so each node costs one
``ite`` on a bit above everything built so far; or-ing the rows one cube at a time would cost a
full apply per row. A clause is built from its bottom variable up the same way.

The pieces are then conjoined by a schedule: ``"linear"`` folds them from the bottom of the order
up (each piece meets an accumulator over the variables below it), ``"tree"`` conjoins neighbours
in that same order pairwise, round after round, so small local pieces meet first.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Literal

from lotone.configure.bdd._cudd import Cudd, CuddOutOfMemory, Node
from lotone.configure.bdd.encoding import LogEncoding
from lotone.errors import LotoneError
from lotone.model.finite import Clause, FiniteModel, Table

__all__ = ["Budget", "CompileBudgetExceeded", "Schedule", "build_pieces", "conjoin"]

log = logging.getLogger(__name__)

Schedule = Literal["linear", "tree"]


class CompileBudgetExceeded(LotoneError):
    """Compiling a model to a BDD went over its time or node budget; use the SAT backend."""

    def __init__(self, model: str, reason: str) -> None:
        self.model = model
        self.reason = reason
        super().__init__(
            f"model {model} did not compile to a BDD within budget ({reason}); "
            "use the SAT backend, or raise budget_s / max_nodes"
        )


class Budget:
    """Time and node limits for one compilation, checked between CUDD operations.

    A single CUDD operation is not interrupted; CUDD's own memory ceiling (set from
    ``max_nodes`` by the caller) stops one that explodes.
    """

    def __init__(
        self, model: str, *, deadline: float, total_s: float, max_nodes: int, mgr: Cudd
    ) -> None:
        self.model = model
        self.deadline = deadline
        self.total_s = total_s
        self.max_nodes = max_nodes
        self.start = time.perf_counter()
        self._mgr = mgr
        self._next_count = 0.0  # counting nodes is not free: at most every 20 ms

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def gave_up(self, error: CuddOutOfMemory) -> CompileBudgetExceeded:
        """The refusal for a CUDD operation that returned no node (time or memory)."""
        if time.perf_counter() > self.deadline:
            return CompileBudgetExceeded(self.model, f"more than {self.total_s:g} s")
        return CompileBudgetExceeded(self.model, f"CUDD memory ceiling reached ({error})")

    def check(self) -> None:
        """Raise :class:`CompileBudgetExceeded` when a limit is passed."""
        now = time.perf_counter()
        if now > self.deadline:
            raise CompileBudgetExceeded(self.model, f"more than {self.total_s:g} s")
        if now < self._next_count:
            return
        self._next_count = now + 0.02
        live = self._mgr.live_nodes()
        if live > self.max_nodes:
            raise CompileBudgetExceeded(self.model, f"{live:,} live nodes > {self.max_nodes:,}")


def _mux(mgr: Cudd, enc: LogEncoding, var: int, children: dict[int, Node], other: Node) -> Node:
    """``children[var]`` when ``var``'s value is a key, ``other`` for every other code."""
    return _mux_bits(mgr, enc.first[var], enc.width[var], children, other, 0, 0, sorted(children))


def _mux_bits(
    mgr: Cudd,
    base: int,
    w: int,
    children: dict[int, Node],
    other: Node,
    j: int,
    lo: int,
    codes: list[int],
) -> Node:
    # plain recursion, no closures: a closure cycle holding nodes lets the garbage collector
    # free the CUDD manager before its nodes
    if not codes:
        return other
    if j == w:
        return children[codes[0]]
    mid = lo + (1 << (w - 1 - j))
    low = [c for c in codes if c < mid]
    high = [c for c in codes if c >= mid]
    return mgr.ite(
        base + j,
        _mux_bits(mgr, base, w, children, other, j + 1, mid, high),
        _mux_bits(mgr, base, w, children, other, j + 1, lo, low),
    )


def table_bdd(mgr: Cudd, enc: LogEncoding, table: Table) -> Node:
    """The rows of ``table`` as a BDD (built under the manager's current order)."""
    seen: dict[int, int] = {}
    for k, v in enumerate(table.scope):
        seen.setdefault(v, k)
    rows = table.tuples
    if len(seen) < len(table.scope):  # a variable twice in the scope: rows must agree
        rows = tuple(r for r in rows if all(r[k] == r[seen[v]] for k, v in enumerate(table.scope)))
    scope = sorted(seen, key=lambda v: mgr.level(enc.first[v]) if enc.width[v] else -1)
    cols = [seen[v] for v in scope]
    keyed = sorted({tuple(r[c] for c in cols) for r in rows})
    return _rows(mgr, enc, scope, keyed, 0, len(keyed), 0) if keyed else mgr.false


def _rows(
    mgr: Cudd,
    enc: LogEncoding,
    scope: list[int],
    keyed: list[tuple[int, ...]],
    lo: int,
    hi: int,
    depth: int,
) -> Node:
    """The rows ``keyed[lo:hi]`` (sorted, equal up to ``depth``) from column ``depth`` on."""
    if depth == len(scope):
        return mgr.true
    var = scope[depth]
    children: dict[int, Node] = {}
    i = lo
    while i < hi:
        k = keyed[i][depth]
        j = i
        while j < hi and keyed[j][depth] == k:
            j += 1
        children[k] = _rows(mgr, enc, scope, keyed, i, j, depth + 1)
        i = j
    if enc.width[var] == 0:
        return children[0]
    return _mux(mgr, enc, var, children, mgr.false)


def clause_bdd(mgr: Cudd, enc: LogEncoding, clause: Clause) -> Node:
    """``var == value`` for some literal of ``clause``, built from the bottom variable up."""
    wanted: dict[int, set[int]] = {}
    for v, k in clause.lits:
        wanted.setdefault(v, set()).add(k)
    f = mgr.false
    for v in sorted(wanted, key=lambda v: -mgr.level(enc.first[v]) if enc.width[v] else 1):
        if enc.width[v] == 0:
            return mgr.true  # the only value is always taken
        f = _mux(mgr, enc, v, dict.fromkeys(wanted[v], mgr.true), f)
    return f


def _top(mgr: Cudd, enc: LogEncoding, vars_: Sequence[int]) -> int:
    levels = [mgr.level(enc.first[v]) for v in vars_ if enc.width[v]]
    return min(levels) if levels else mgr.nbits


def build_pieces(
    mgr: Cudd, enc: LogEncoding, model: FiniteModel, budget: Budget
) -> list[tuple[int, Node]]:
    """Every constraint and every invalid-code exclusion as ``(top level, BDD)``."""
    try:
        return _pieces(mgr, enc, model, budget)
    except CuddOutOfMemory as e:
        raise budget.gave_up(e) from None


def _pieces(
    mgr: Cudd, enc: LogEncoding, model: FiniteModel, budget: Budget
) -> list[tuple[int, Node]]:
    pieces: list[tuple[int, Node]] = []
    for t in model.tables:
        pieces.append((_top(mgr, enc, t.scope), table_bdd(mgr, enc, t)))
        budget.check()
    for i, c in enumerate(model.clauses):
        pieces.append((_top(mgr, enc, [v for v, _ in c.lits]), clause_bdd(mgr, enc, c)))
        if i % 1024 == 0:
            budget.check()
    for v in range(len(enc.sizes)):
        f = enc.valid(mgr, v)
        if not mgr.is_true(f):
            pieces.append((_top(mgr, enc, [v]), f))
    return pieces


def conjoin(
    mgr: Cudd,
    pieces: list[tuple[int, Node]],
    schedule: Schedule,
    budget: Budget,
    progress: Callable[[int, int], None] | None = None,
) -> Node:
    """The conjunction of ``pieces`` in the given schedule, within ``budget``."""
    todo = [f for _, f in sorted(pieces, key=lambda p: -p[0])]  # bottom of the order first
    total = max(1, len(todo) - 1)
    done = 0
    try:
        if schedule == "linear":
            acc = mgr.true
            for f in todo:
                acc = mgr.conj(acc, f)
                done += 1
                if progress is not None:
                    progress(done, total)
                if mgr.is_false(acc):
                    return acc
                budget.check()
            return acc
        while len(todo) > 1:
            nxt: list[Node] = []
            for i in range(0, len(todo) - 1, 2):
                g = mgr.conj(todo[i], todo[i + 1])
                if mgr.is_false(g):
                    return g
                nxt.append(g)
                done += 1
                if progress is not None:
                    progress(done, total)
                budget.check()
            if len(todo) % 2:
                nxt.append(todo[-1])
            todo = nxt
        return todo[0] if todo else mgr.true
    except CuddOutOfMemory as e:
        raise budget.gave_up(e) from None
