"""Static variable orders from the constraint graph (pure functions, no BDD inside).

A BDD stays small when variables that share constraints sit close together. Each heuristic here
returns a permutation of the model's variables, top of the diagram first:

* :func:`min_fill_order` — the reverse of a greedy min-fill elimination order (the order a
  tree decomposition of width ``w`` gives; Renault big has min-fill width 12).
* :func:`min_degree_order` — the same with the cheaper min-degree rule, for large CNF models.
* :func:`cuthill_mckee_order` — reverse Cuthill–McKee: breadth first from a peripheral variable,
  which keeps the bandwidth of the graph small.
* :func:`force_order` — FORCE (Aloul, Markov, Sakallah 2003): every variable moves to the mean
  "centre of gravity" of the constraints it is in, repeated; keeps the best total span.

:func:`span` scores an order (sum over constraints of the distance between their outermost
variables, weighted by bits); lower is usually better, but only a compilation tells for sure.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Sequence

from lotone.model.finite import FiniteModel

__all__ = [
    "ORDERS",
    "cuthill_mckee_order",
    "force_order",
    "min_degree_order",
    "min_fill_order",
    "scopes",
    "source_order",
    "span",
]


def scopes(model: FiniteModel) -> list[tuple[int, ...]]:
    """The variables of every constraint (tables then clauses), each sorted and deduplicated."""
    out = [tuple(sorted(set(t.scope))) for t in model.tables]
    out += [tuple(sorted({v for v, _ in c.lits})) for c in model.clauses]
    return [s for s in out if s]


def _graph(n: int, edges: Sequence[tuple[int, ...]]) -> list[set[int]]:
    adj: list[set[int]] = [set() for _ in range(n)]
    for s in edges:
        for v in s:
            adj[v].update(s)
    for v in range(n):
        adj[v].discard(v)
    return adj


def source_order(model: FiniteModel) -> list[int]:
    """The variables in the order the file lists them."""
    return list(range(len(model.variables)))


def _eliminate(model: FiniteModel, fill: bool) -> list[int]:
    n = len(model.variables)
    adj = _graph(n, scopes(model))

    def score(v: int) -> int:
        if not fill:
            return len(adj[v])
        nb = list(adj[v])
        missing = 0
        for i, a in enumerate(nb):
            row = adj[a]
            for b in nb[i + 1 :]:
                if b not in row:
                    missing += 1
        return missing

    heap = [(score(v), len(adj[v]), v) for v in range(n)]
    heapq.heapify(heap)
    current = {v: (s, d) for s, d, v in heap}
    done = [False] * n
    order: list[int] = []
    while heap:
        s, d, v = heapq.heappop(heap)
        if done[v] or current[v] != (s, d):
            continue
        done[v] = True
        order.append(v)
        nb = adj[v]
        for a in nb:
            adj[a].discard(v)
            adj[a].update(nb)
            adj[a].discard(a)
        touched = set(nb)
        if fill:  # a fill-in changes the score of the neighbours' neighbours too
            for a in nb:
                touched.update(adj[a])
        for a in touched:
            if not done[a]:
                key = (score(a), len(adj[a]))
                if key != current[a]:
                    current[a] = key
                    heapq.heappush(heap, (*key, a))
        adj[v] = set()
    order.reverse()
    return order


def min_fill_order(model: FiniteModel) -> list[int]:
    """Reverse greedy min-fill elimination order (ties: fewer neighbours, lower index)."""
    return _eliminate(model, fill=True)


def min_degree_order(model: FiniteModel) -> list[int]:
    """Reverse greedy min-degree elimination order."""
    return _eliminate(model, fill=False)


def cuthill_mckee_order(model: FiniteModel) -> list[int]:
    """Reverse Cuthill–McKee order, component by component."""
    n = len(model.variables)
    adj = _graph(n, scopes(model))
    seen = [False] * n
    order: list[int] = []
    for start in sorted(range(n), key=lambda v: len(adj[v])):
        if seen[start]:
            continue
        # a pseudo-peripheral start: the far end of a breadth-first search, twice
        for _ in range(2):
            far = _bfs(adj, start)
            start = far[-1]
        for v in _bfs(adj, start):
            seen[v] = True
            order.append(v)
    order.reverse()
    return order


def _bfs(adj: list[set[int]], start: int) -> list[int]:
    seen = {start}
    out = [start]
    queue = deque([start])
    while queue:
        v = queue.popleft()
        for a in sorted(adj[v] - seen, key=lambda x: len(adj[x])):
            seen.add(a)
            out.append(a)
            queue.append(a)
    return out


def span(model: FiniteModel, order: Sequence[int]) -> int:
    """Sum over constraints of the bit distance between their first and last variable."""
    pos = [0] * len(order)
    at = 0
    for v in order:
        pos[v] = at
        at += max(1, (len(model.variables[v].values) - 1).bit_length())
    total = 0
    for s in scopes(model):
        ps = [pos[v] for v in s]
        total += max(ps) - min(ps)
    return total


def force_order(
    model: FiniteModel, start: Sequence[int] | None = None, *, rounds: int = 50
) -> list[int]:
    """FORCE from ``start`` (default: min-degree order); the order of least :func:`span` seen.

    Large models get fewer rounds (about two million scope entries visited in all).
    """
    n = len(model.variables)
    edges = [s for s in scopes(model) if len(s) > 1]
    rounds = max(3, min(rounds, 2_000_000 // max(1, sum(map(len, edges)))))
    order = list(start) if start is not None else min_degree_order(model)
    best, best_span = list(order), span(model, order)
    pos = [0.0] * n
    for _ in range(rounds):
        for k, v in enumerate(order):
            pos[v] = float(k)
        total = [0.0] * n
        count = [0] * n
        for s in edges:
            cog = sum(pos[v] for v in s) / len(s)
            for v in s:
                total[v] += cog
                count[v] += 1
        new = sorted(range(n), key=lambda v: (total[v] / count[v] if count[v] else pos[v], pos[v]))
        if new == order:
            break
        order = new
        s_new = span(model, order)
        if s_new < best_span:
            best, best_span = list(order), s_new
    return best


ORDERS: dict[str, Callable[[FiniteModel], list[int]]] = {
    "source": source_order,
    "min_fill": min_fill_order,
    "min_degree": min_degree_order,
    "cuthill_mckee": cuthill_mckee_order,
    "force": force_order,
}
"""The static orders by name, as :class:`BddSpace` and the benchmark try them."""
