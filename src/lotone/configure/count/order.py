"""Elimination orders on the primal graph: greedy min-fill or min-degree.

Ties go to the vertex with the smaller domain product of its neighbourhood (the dense size of the
factor its elimination would create), then to the lower index, so an order is deterministic.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from typing import Literal

from lotone.configure.count.factors import Limits

__all__ = ["Heuristic", "elimination_order", "width"]

Heuristic = Literal["min-fill", "min-degree"]


def _fill(adj: dict[int, set[int]], v: int) -> int:
    nbrs = list(adj[v])
    missing = 0
    for i, a in enumerate(nbrs):
        na = adj[a]
        for b in nbrs[i + 1 :]:
            if b not in na:
                missing += 1
    return missing


def elimination_order(
    scopes: Iterable[Sequence[int]],
    sizes: Sequence[int],
    heuristic: Heuristic,
    limits: Limits,
) -> list[int]:
    """An elimination order of the variables that occur in ``scopes``.

    ``sizes`` gives each variable's domain size (for tie-breaking). With ``"min-fill"``, the
    vertex whose elimination adds the fewest edges goes first; with ``"min-degree"``, the one with
    the fewest neighbours.
    """
    adj: dict[int, set[int]] = {}
    for scope in scopes:
        for v in scope:
            adj.setdefault(v, set()).update(w for w in scope if w != v)

    def key(v: int) -> tuple[int, int, int]:
        weight = 1
        for w in adj[v]:
            weight *= sizes[w]
        first = _fill(adj, v) if heuristic == "min-fill" else len(adj[v])
        return (first, weight, v)

    current = {v: key(v) for v in adj}
    heap = list(current.values())
    heapq.heapify(heap)
    order: list[int] = []
    while heap:
        k = heapq.heappop(heap)
        v = k[2]
        if current.get(v) != k:
            continue
        limits.check_time("choosing an elimination order")
        del current[v]
        order.append(v)
        nbrs = adj.pop(v)
        for a in nbrs:
            adj[a].discard(v)
            adj[a].update(w for w in nbrs if w != a)
        # Eliminating v changes the fill of its neighbours and of their neighbours.
        touched = set(nbrs)
        if heuristic == "min-fill":
            for a in nbrs:
                touched.update(adj[a])
        for a in touched:
            if len(nbrs) > 64:  # large neighbourhoods make each fill count slow
                limits.check_time("choosing an elimination order")
            k2 = key(a)
            if current[a] != k2:
                current[a] = k2
                heapq.heappush(heap, k2)
    return order


def width(scopes: Iterable[Sequence[int]], order: Sequence[int]) -> int:
    """The induced width of ``order``: the most neighbours a variable has when it is eliminated."""
    adj: dict[int, set[int]] = {}
    for scope in scopes:
        for v in scope:
            adj.setdefault(v, set()).update(w for w in scope if w != v)
    best = 0
    for v in order:
        nbrs = adj.pop(v, set())
        best = max(best, len(nbrs))
        for a in nbrs:
            adj[a].discard(v)
            adj[a].update(w for w in nbrs if w != a)
    return best
