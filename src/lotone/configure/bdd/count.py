"""Exact model counting over a CUDD diagram, in Python integers.

``dd.cudd``'s ``count`` returns a C double, which is exact only up to 2**53; Renault big has about
2.5e22 solutions, so the count here walks the diagram itself: one memoized pass over the regular
nodes, handling complement edges (``#(not u) = 2**free - #u``) and levels that an edge skips (each
skipped bit doubles the count). The diagram already excludes invalid codes (see
:mod:`~lotone.configure.bdd.encoding`), so models over the bits are exactly the solutions.
"""

from __future__ import annotations

from lotone.configure.bdd._cudd import Cudd, Node

__all__ = ["count_models"]


def count_models(mgr: Cudd, f: Node) -> int:
    """The number of assignments to all of the manager's bits that satisfy ``f``."""
    n = mgr.nbits
    level = [0] * n
    for k, bit in enumerate(mgr.order()):
        level[bit] = k
    memo: dict[int, tuple[int, int]] = {}  # regular node -> (level, models below that level)

    def lvl_count(edge: Node) -> tuple[int, int]:
        """(level, models over the bits from that level down) of an edge already counted."""
        if mgr.is_constant(edge):
            return n, 0 if mgr.is_false(edge) else 1
        lv, c = memo[mgr.key(edge)]
        if mgr.negated(edge):
            c = (1 << (n - lv)) - c
        return lv, c

    # iterative post-order: diagrams can be deeper than Python's recursion limit
    stack: list[tuple[Node, bool]] = [(f, False)]
    while stack:
        u, expanded = stack.pop()
        if mgr.is_constant(u):
            continue
        k = mgr.key(u)
        if k in memo and not expanded:
            continue
        index, low, high = mgr.split(u)
        if not expanded:
            stack.append((u, True))
            stack.append((low, False))
            stack.append((high, False))
            continue
        lv = level[index]
        l_lv, l_c = lvl_count(low)
        h_lv, h_c = lvl_count(high)
        memo[k] = (lv, (l_c << (l_lv - lv - 1)) + (h_c << (h_lv - lv - 1)))
    top, c = lvl_count(f)
    return c << top
