"""Valid domains of every variable by existential quantification, split as a tree.

The valid domain of ``v`` under some choices is the projection ``exists(other bits) f_c`` of the
restricted diagram ``f_c`` onto ``v``'s bits. Quantifying once per variable would walk the whole
diagram once per variable; instead the variables, sorted by level, are split in halves: each half
gets the projection of its parent onto its own bits, recursively, so every step of the tree works
on a smaller diagram (projections onto a contiguous band of levels stay small in practice).

Projections are memoized by node: when a choice leaves the projection onto a band unchanged (the
usual case away from the chosen variable), the whole subtree is reused as it was. A variable
whose domain is already a single value stays so under more choices, so a band in which every
variable is decided is not visited at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lotone.configure.bdd._cudd import Cudd, Node
from lotone.configure.bdd.encoding import LogEncoding

__all__ = ["Band", "DomainTree", "Split"]

_MEMO_LIMIT = 50_000


@dataclass(frozen=True, slots=True)
class Split:
    """The two halves of a band, with the cubes to quantify to reach each."""

    left: Band
    right: Band
    to_left: Node  # the cube of the right half's bits
    to_right: Node  # the cube of the left half's bits


@dataclass(frozen=True, slots=True)
class Band:
    """A node of the split: variables ``vars`` (consecutive by level), halved unless single."""

    vars: tuple[int, ...]
    split: Split | None = None


class DomainTree:
    """Projections of a diagram onto each variable, reusing what earlier calls computed."""

    def __init__(self, mgr: Cudd, enc: LogEncoding) -> None:
        self._mgr = mgr
        self._enc = enc
        level = {b: k for k, b in enumerate(mgr.order())}
        ranked = sorted(
            (v for v in range(len(enc.sizes)) if enc.width[v]),
            key=lambda v: min(level[b] for b in enc.bits(v)),
        )
        self.root = self._band(ranked) if ranked else None
        self._memo: dict[tuple[int, int], tuple[Node, tuple[frozenset[int] | None, ...]]] = {}

    def _band(self, vars_: Sequence[int]) -> Band:
        if len(vars_) == 1:
            return Band(tuple(vars_))
        mid = len(vars_) // 2
        left, right = self._band(vars_[:mid]), self._band(vars_[mid:])
        return Band(tuple(vars_), Split(left, right, self._bits(right.vars), self._bits(left.vars)))

    def _bits(self, vars_: Sequence[int]) -> Node:
        return self._mgr.bits_cube(b for v in vars_ for b in self._enc.bits(v))

    def project(
        self, f: Node, decided: Sequence[frozenset[int] | None]
    ) -> list[frozenset[int] | None]:
        """Valid values per variable of a consistent ``f`` over the tree's variables.

        ``decided[v]`` is a domain already known (a chosen or forced value); those variables
        and bands made only of them are skipped. Unlisted (``None``) entries of the result
        belong to variables with no bits.
        """
        out: list[frozenset[int] | None] = list(decided)
        if len(self._memo) > _MEMO_LIMIT:
            self._memo.clear()
        if self.root is not None and _open(self.root, decided):
            self._visit(self.root, f, decided, out)
        return out

    def _visit(
        self,
        band: Band,
        g: Node,
        decided: Sequence[frozenset[int] | None],
        out: list[frozenset[int] | None],
    ) -> None:
        """Fill ``out`` for the open variables of ``band``, given the projection ``g`` on it."""
        key = (id(band), self._mgr.ident(g))
        hit = self._memo.get(key)
        if hit is not None and all(
            d is not None for v, d in zip(band.vars, hit[1], strict=True) if decided[v] is None
        ):
            for v, dom in zip(band.vars, hit[1], strict=True):
                if decided[v] is None:
                    out[v] = dom
            return
        split = band.split
        if split is None:
            v = band.vars[0]
            out[v] = self._values(v, g)
        else:
            mgr = self._mgr
            if _open(split.left, decided):
                self._visit(split.left, mgr.exist(g, split.to_left), decided, out)
            if _open(split.right, decided):
                self._visit(split.right, mgr.exist(g, split.to_right), decided, out)
        # decided variables were not computed here: their entry stays unknown (None) for reuse
        found = tuple(out[v] if decided[v] is None else None for v in band.vars)
        self._memo[key] = (g, found)

    def _values(self, var: int, g: Node) -> frozenset[int]:
        """The codes of ``var`` that ``g`` (a function of ``var``'s bits only) accepts."""
        enc, mgr = self._enc, self._mgr
        first, w, size = enc.first[var], enc.width[var], enc.sizes[var]
        found: set[int] = set()
        stack: list[tuple[Node, bool, int, int]] = [(g, False, 0, 0)]  # edge, parity, set, ones
        while stack:
            u, flip, fixed, ones = stack.pop()
            if mgr.is_constant(u):
                if mgr.is_true(u) == flip:
                    continue  # this path ends in false
                free = [j for j in range(w) if not fixed >> j & 1]
                for m in range(1 << len(free)):
                    code = ones
                    for t, j in enumerate(free):
                        if m >> t & 1:
                            code |= 1 << j
                    value = _value(code, w)
                    if value < size:
                        found.add(value)
                continue
            index, low, high = mgr.split(u)
            j = index - first
            parity = flip != mgr.negated(u)
            stack.append((low, parity, fixed | 1 << j, ones))
            stack.append((high, parity, fixed | 1 << j, ones | 1 << j))
        return frozenset(found)


def _open(band: Band, decided: Sequence[frozenset[int] | None]) -> bool:
    """Whether some variable of ``band`` still needs its domain computed."""
    return any(decided[v] is None for v in band.vars)


def _value(code: int, w: int) -> int:
    """Bit ``j`` of ``code`` is the ``j``-th most significant bit of the value."""
    return sum(1 << (w - 1 - j) for j in range(w) if code >> j & 1)
