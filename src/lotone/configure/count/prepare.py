"""From a finite model and choices to a small set of 0/1 factors, before any elimination.

Steps, each exact for counting:

1. the choices shrink their variables' domains to one value;
2. generalized arc consistency on the tables and unit propagation on the clauses remove values
   and rows that belong to no solution (an empty domain means the count is 0);
3. variables that a binary table makes a function of another are substituted by it
   where that ties several variables of one table to the same root
   (see :mod:`lotone.configure.count.substitute`);
4. variables left with one value are projected out of every scope (they multiply the count by 1);
5. tables over the same scope are intersected, and a table whose scope lies inside another's is
   folded into it (a semi-join), so each group of variables has one factor;
6. clauses become explicit factors over their variables' remaining values.

Variables that end up in no factor are returned apart: each multiplies the count by its domain
size.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import product

from lotone.configure.count.factors import Factor, Limits, projector
from lotone.configure.count.substitute import substitute
from lotone.errors import InvalidValue, UnknownName
from lotone.model.finite import FiniteModel

__all__ = ["Prepared", "prepare"]

Row = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Prepared:
    """The factors left to eliminate, the free variables' domain sizes, or a known zero."""

    factors: tuple[Factor, ...]
    domains: tuple[frozenset[int], ...]
    free: tuple[int, ...]
    zero: bool


class _Empty(Exception):
    """A domain became empty: no solution."""


def _initial_domains(model: FiniteModel, choices: Mapping[int, int]) -> list[set[int]]:
    doms = [set(range(len(v.values))) for v in model.variables]
    n = len(doms)
    for v, k in choices.items():
        if not 0 <= v < n:
            raise UnknownName("variable", str(v), [str(i) for i in range(n)], model.id)
        if not 0 <= k < len(doms[v]):
            name = model.variables[v].name
            raise InvalidValue(name, k, f"expected a value index in 0..{len(doms[v]) - 1}")
        doms[v] = {k}
    return doms


def _tables(model: FiniteModel) -> list[tuple[tuple[int, ...], set[Row]]]:
    """Each table with a scope of distinct, sorted variables (a repeated variable must agree)."""
    out: list[tuple[tuple[int, ...], set[Row]]] = []
    for t in model.tables:
        scope = tuple(sorted(set(t.scope)))
        first = {v: t.scope.index(v) for v in scope}
        pick = projector([first[v] for v in scope])
        rows = {
            pick(r) for r in t.tuples if all(r[i] == r[first[v]] for i, v in enumerate(t.scope))
        }
        out.append((scope, rows))
    return out


def _clauses(model: FiniteModel) -> list[dict[int, set[int]]]:
    out: list[dict[int, set[int]]] = []
    for c in model.clauses:
        lits: dict[int, set[int]] = {}
        for v, k in c.lits:
            lits.setdefault(v, set()).add(k)
        out.append(lits)
    return out


def _propagate(
    doms: list[set[int]],
    tables: list[tuple[tuple[int, ...], set[Row]]],
    clauses: list[dict[int, set[int]]],
    sizes: Sequence[int],
    limits: Limits,
) -> tuple[list[tuple[tuple[int, ...], set[Row]]], list[dict[int, set[int]]]]:
    """Arc consistency on tables, unit propagation on clauses, to a fixpoint (raises _Empty).

    ``sizes`` are domain sizes the table rows are known to fit (no value outside them).
    """
    watch_t: dict[int, list[int]] = {}
    for i, (scope, _) in enumerate(tables):
        for v in scope:
            watch_t.setdefault(v, []).append(i)
    watch_c: dict[int, list[int]] = {}
    for i, lits in enumerate(clauses):
        for v in lits:
            watch_c.setdefault(v, []).append(i)
    live_c = [True] * len(clauses)
    # Each table's rows already fit domains of these sizes; only smaller domains need a check.
    seen = [[sizes[v] for v in scope] for scope, _ in tables]
    visited = [False] * len(tables)
    queue_t = set(range(len(tables)))
    queue_c = set(range(len(clauses)))

    def shrink(v: int, allowed: set[int]) -> None:
        if doms[v] <= allowed:
            return
        doms[v] &= allowed
        if not doms[v]:
            raise _Empty
        queue_t.update(watch_t.get(v, ()))
        queue_c.update(i for i in watch_c.get(v, ()) if live_c[i])

    while queue_t or queue_c:
        limits.check_time("propagating the constraints")
        while queue_c:
            i = queue_c.pop()
            lits = {v: ks & doms[v] for v, ks in clauses[i].items()}
            lits = {v: ks for v, ks in lits.items() if ks}
            clauses[i] = lits
            if not lits:
                raise _Empty
            if any(doms[v] <= ks for v, ks in lits.items()):
                live_c[i] = False
            elif len(lits) == 1:
                live_c[i] = False
                ((v, ks),) = lits.items()
                shrink(v, ks)
        if queue_t:
            i = queue_t.pop()
            scope, rows = tables[i]
            changed = [p for p, v in enumerate(scope) if len(doms[v]) < seen[i][p]]
            if changed or not visited[i]:
                kept = _filter_rows(rows, [(p, doms[scope[p]]) for p in changed])
                if not kept:
                    raise _Empty
                seen[i] = [len(doms[v]) for v in scope]
                if len(kept) < len(rows) or not visited[i]:
                    visited[i] = True
                    tables[i] = (scope, kept)
                    for v, column in zip(scope, zip(*kept, strict=True), strict=True):
                        shrink(v, set(column))
    return tables, [c for c, live in zip(clauses, live_c, strict=True) if live]


def _filter_rows(rows: set[Row], checks: list[tuple[int, set[int]]]) -> set[Row]:
    """The rows whose value at each checked position lies in its domain."""
    for p, dom in checks:
        rows = {r for r in rows if r[p] in dom}
    return rows


def _project_fixed(
    doms: list[set[int]], tables: list[tuple[tuple[int, ...], set[Row]]]
) -> dict[tuple[int, ...], set[Row]]:
    """Drop one-valued variables from the scopes and intersect tables over the same scope."""
    merged: dict[tuple[int, ...], set[Row]] = {}
    for scope, rows in tables:
        keep = [i for i, v in enumerate(scope) if len(doms[v]) > 1]
        if not keep:
            continue
        if len(keep) == len(scope):
            s, r = scope, rows
        else:
            proj = projector(keep)
            s = tuple(scope[i] for i in keep)
            r = {proj(row) for row in rows}
        merged[s] = merged[s] & r if s in merged else r
    return merged


def _fold_subsumed(merged: dict[tuple[int, ...], set[Row]]) -> dict[tuple[int, ...], set[Row]]:
    """Fold each table whose scope lies inside a larger one's into that one (smallest first)."""
    scopes = sorted(merged, key=len)
    out = dict(merged)
    for s in scopes:
        s_set = set(s)
        hosts = [h for h in out if h != s and len(h) > len(s) and s_set <= set(h)]
        if not hosts:
            continue
        host = min(hosts, key=lambda h: len(out[h]))
        proj = projector([host.index(v) for v in s])
        small = out.pop(s)
        out[host] = {r for r in out[host] if proj(r) in small}
        if not out[host]:
            raise _Empty
    return out


def _clause_factor(
    lits: dict[int, set[int]], doms: list[set[int]], limits: Limits, where: str
) -> Factor:
    scope = tuple(sorted(lits))
    size = 1
    for v in scope:
        size *= len(doms[v])
    limits.check_size(size, where)
    rows: dict[Row, int] = {}
    tests = [lits[v] for v in scope]
    for n, row in enumerate(product(*(sorted(doms[v]) for v in scope))):
        if any(x in ks for x, ks in zip(row, tests, strict=True)):
            rows[row] = 1
        if n & 0xFFFF == 0:
            limits.check_time(where)
    return Factor(scope, rows)


def prepare(model: FiniteModel, choices: Mapping[int, int], limits: Limits) -> Prepared:
    """Propagate, simplify and turn the model into factors (see the module docstring)."""
    doms = _initial_domains(model, choices)
    try:
        full = [len(v.values) for v in model.variables]
        tables, clauses = _propagate(doms, _tables(model), _clauses(model), full, limits)
        # No second propagation: it would prune little and cost a second pass over every row.
        tables, clauses, determined = substitute(doms, tables, clauses, limits)
        merged = _fold_subsumed(_project_fixed(doms, tables))
    except _Empty:
        return Prepared((), tuple(frozenset(d) for d in doms), (), True)
    factors = [Factor(s, dict.fromkeys(rows, 1)) for s, rows in merged.items()]
    for n, lits in enumerate(clauses):
        factors.append(_clause_factor(lits, doms, limits, f"clause {n + 1} of the model"))
    used = {v for f in factors for v in f.scope}
    free = tuple(v for v in range(len(doms)) if v not in used and v not in determined)
    return Prepared(tuple(factors), tuple(frozenset(d) for d in doms), free, False)
