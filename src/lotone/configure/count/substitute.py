"""Substitute functionally determined variables by the variable that determines them.

After arc consistency, a binary table over ``(x, y)`` in which every value of ``x`` has exactly one
partner is the function ``y = g(x)``, total on the domain of ``x``. Each solution then has one value
of ``y`` per value of ``x``, so ``y`` can leave the model: every other constraint on ``y`` is
rewritten on ``x`` (a row keeps the ``x`` values that ``g`` sends to its ``y`` value), and the
defining table is dropped. The count is unchanged. A table is rewritten only where it holds two
variables with the same root; see :func:`substitute`.

Product-line models are full of such links (Renault big: 170 variables are functions of the
324-valued version variable); without the substitution an elimination would join the tables on
those variables first and only then discover that most combinations disagree on the version.
"""

from __future__ import annotations

from itertools import product

from lotone.configure.count.factors import Limits

__all__ = ["substitute"]

Row = tuple[int, ...]
Tables = list[tuple[tuple[int, ...], set[Row]]]
Clauses = list[dict[int, set[int]]]


def _resolve(
    v: int, parent: dict[int, tuple[int, dict[int, int]]], doms: list[set[int]]
) -> tuple[int, dict[int, int]]:
    """The root of ``v`` and the map from the root's values to the values of ``v``."""
    chain: list[dict[int, int]] = []
    r = v
    while r in parent:
        r, m = parent[r]
        chain.append(m)
    out: dict[int, int] = {}
    for a in doms[r]:
        x = a
        for m in reversed(chain):
            x = m[x]
        out[a] = x
    return r, out


def _definitions(
    doms: list[set[int]], tables: Tables
) -> tuple[Tables, dict[int, tuple[int, dict[int, int]]]]:
    """Pick the binary tables that define one variable from another; return the others."""
    parent: dict[int, tuple[int, dict[int, int]]] = {}
    kept: Tables = []
    for scope, rows in tables:
        if len(scope) == 2 and scope[0] != scope[1]:
            x, y = scope
            rx, fx = _resolve(x, parent, doms)
            ry, fy = _resolve(y, parent, doms)
            if rx != ry:
                if ry == y and len({r[0] for r in rows}) == len(rows):
                    g = {r[0]: r[1] for r in rows}
                    parent[y] = (rx, {a: g[fx[a]] for a in doms[rx]})
                    continue
                if rx == x and len({r[1] for r in rows}) == len(rows):
                    g = {r[1]: r[0] for r in rows}
                    parent[x] = (ry, {a: g[fy[a]] for a in doms[ry]})
                    continue
        kept.append((scope, rows))
    return kept, parent


def substitute(
    doms: list[set[int]], tables: Tables, clauses: Clauses, limits: Limits
) -> tuple[Tables, Clauses, set[int]]:
    """Rewrite ``tables`` and ``clauses`` on root variables; return the variables that left.

    In each constraint, the variables that share a root (two functions of the version, say) are
    replaced by that root (a row becomes the root values that agree with all of them: fewer rows
    when they pin the root down, more when they do not); a lone determined variable stays as it
    is. A determined variable still mentioned somewhere keeps its definition,
    as a table over its root; one mentioned nowhere leaves the model (it adds no solutions).
    ``doms`` must be arc consistent with ``tables`` (every value of every variable has a row).
    """
    kept, parent = _definitions(doms, tables)
    if not parent:
        return tables, clauses, set()
    resolved = {v: _resolve(v, parent, doms) for v in parent}
    inverse: dict[int, dict[int, set[int]]] = {}
    for v, (_, f) in resolved.items():
        inv: dict[int, set[int]] = {}
        for a, x in f.items():
            inv.setdefault(x, set()).add(a)
        inverse[v] = inv

    def root(v: int) -> int:
        return resolved[v][0] if v in resolved else v

    new_tables: Tables = []
    for scope, rows in kept:
        roots = [root(v) for v in scope]
        shared = {r for r in roots if roots.count(r) > 1}
        if not shared:
            new_tables.append((scope, rows))
            continue
        limits.check_time("substituting determined variables")
        names = [r if r in shared else v for v, r in zip(scope, roots, strict=True)]
        new_scope = tuple(sorted(set(names)))
        where = {n: [i for i, ni in enumerate(names) if ni == n] for n in new_scope}
        new_rows: set[Row] = set()
        for row in rows:
            options: list[set[int]] = []
            for n in new_scope:
                allowed: set[int] | None = None
                for i in where[n]:
                    v = scope[i]
                    s = inverse[v].get(row[i], set()) if v != n else {row[i]}
                    allowed = s if allowed is None else allowed & s
                    if not allowed:
                        break
                if not allowed:
                    break
                options.append(allowed)
            else:
                new_rows.update(product(*options))
        limits.check_size(len(new_rows), "substituting determined variables")
        new_tables.append((new_scope, new_rows))

    new_clauses: Clauses = []
    for lits in clauses:
        roots = [root(v) for v in lits]
        out: dict[int, set[int]] = {}
        for v, ks in lits.items():
            r = root(v)
            if r == v or roots.count(r) == 1:
                out.setdefault(v, set()).update(ks)
            else:
                out.setdefault(r, set()).update(*(inverse[v].get(k, set()) for k in ks))
        new_clauses.append(out)

    mentioned = {v for scope, _ in new_tables for v in scope}
    mentioned.update(v for lits in new_clauses for v in lits)
    for v, (r, f) in resolved.items():
        if v in mentioned:
            new_tables.append(
                (tuple(sorted((r, v))), {(a, x) if r < v else (x, a) for a, x in f.items()})
            )
    return new_tables, new_clauses, set(parent) - mentioned
