"""Sparse count factors: a scope of variables and a dict from the scope's value tuple to a count.

A factor maps each assignment of its scope to a Python ``int`` (how many ways the eliminated
variables behind it can be completed); assignments missing from the dict count 0, so tables stay
sparse. :func:`join` multiplies two factors by a hash join on their shared variables and can sum
out one variable in the same pass, so the product is never stored when it would be summed anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from operator import itemgetter
from time import monotonic

from lotone.errors import LotoneError

__all__ = [
    "CountOutOfReach",
    "Factor",
    "Filter",
    "Limits",
    "join",
    "project_support",
    "restrict",
    "sum_out",
]

Row = tuple[int, ...]
Project = Callable[[Row], Row]
Filter = tuple[tuple[int, ...], AbstractSet[Row]]


class CountOutOfReach(LotoneError):
    """An exact count was abandoned: the time budget ran out or a factor grew past its limit.

    ``reason`` is ``"time"`` or ``"size"``; the message says how far the elimination got. The
    model is not wrong; it is too wide for elimination within the limits given.
    """

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Limits:
    """When to give up: a wall-clock deadline (``time.monotonic``) and a factor size cap."""

    deadline: float | None
    max_rows: int

    def check_time(self, where: str) -> None:
        """Raise :class:`CountOutOfReach` when the deadline has passed."""
        if self.deadline is not None and monotonic() > self.deadline:
            raise CountOutOfReach("time", f"count abandoned: time budget exhausted ({where})")

    def check_size(self, rows: int, where: str) -> None:
        """Raise :class:`CountOutOfReach` when a factor holds more than ``max_rows`` rows."""
        if rows > self.max_rows:
            raise CountOutOfReach(
                "size",
                f"count abandoned: a factor exceeded {self.max_rows:,} rows ({where}); "
                "raise max_factor_rows or split the model with choices",
            )


@dataclass(frozen=True, slots=True)
class Factor:
    """A sparse function from assignments of ``scope`` (variable indices) to positive counts."""

    scope: tuple[int, ...]
    rows: dict[Row, int]


def projector(positions: Sequence[int]) -> Project:
    """A function taking a row to the tuple of its entries at ``positions``."""
    if not positions:
        return lambda _row: ()
    if len(positions) == 1:
        i = positions[0]
        return lambda row: (row[i],)
    return itemgetter(*positions)


def sum_out(f: Factor, var: int) -> Factor:
    """``f`` with ``var`` summed out."""
    keep = [i for i, v in enumerate(f.scope) if v != var]
    proj = projector(keep)
    out: dict[Row, int] = {}
    get = out.get
    for row, c in f.rows.items():
        key = proj(row)
        out[key] = get(key, 0) + c
    return Factor(tuple(f.scope[i] for i in keep), out)


def restrict(f: Factor, filters: Sequence[Filter]) -> Factor:
    """``f`` without the rows that some filter rejects."""
    if not filters:
        return f
    checks = [(projector([f.scope.index(v) for v in fv]), allowed) for fv, allowed in filters]
    rows = {r: c for r, c in f.rows.items() if all(p(r) in ok for p, ok in checks)}
    return Factor(f.scope, rows)


def project_support(f: Factor, variables: Sequence[int]) -> frozenset[Row]:
    """The value tuples on ``variables`` (a subset of the scope) where ``f`` is not zero."""
    proj = projector([f.scope.index(v) for v in variables])
    return frozenset(map(proj, f.rows))


def join(
    a: Factor,
    b: Factor,
    drop: int | None,
    limits: Limits,
    filters: Sequence[Filter] = (),
) -> Factor:
    """The product of ``a`` and ``b``; with ``drop``, that variable is summed out on the way.

    ``b`` is indexed by the shared variables (with ``drop`` already summed out of its own part when
    it is not shared); ``a`` is streamed through the index. Each filter ``(variables, allowed)``
    keeps only the result rows whose values on ``variables`` are in ``allowed``: the support of a
    factor still to be multiplied in, so dropping those rows early changes no count.
    """
    shared_set = set(a.scope) & set(b.scope)
    shared = [v for v in a.scope if v in shared_set]
    b_key = projector([b.scope.index(v) for v in shared])
    b_rest_pos = [i for i, v in enumerate(b.scope) if v not in shared_set and v != drop]
    b_rest = projector(b_rest_pos)
    a_key = projector([a.scope.index(v) for v in shared])
    a_keep_pos = [i for i, v in enumerate(a.scope) if v != drop]
    a_keep = projector(a_keep_pos)
    scope = tuple(a.scope[i] for i in a_keep_pos) + tuple(b.scope[i] for i in b_rest_pos)

    index: dict[Row, dict[Row, int]] = {}
    for row, c in b.rows.items():
        bucket = index.setdefault(b_key(row), {})
        rest = b_rest(row)
        bucket[rest] = bucket.get(rest, 0) + c
    matches = {k: list(v.items()) for k, v in index.items()}

    checks = [(projector([scope.index(v) for v in fv]), allowed) for fv, allowed in filters]
    if checks:
        return _join_filtered(a, b, a_key, a_keep, matches, scope, drop is not None, checks, limits)
    out: dict[Row, int] = {}
    get = out.get
    where = f"joining factors of {len(a.rows):,} and {len(b.rows):,} rows"
    summing = drop is not None
    for n, (row, ca) in enumerate(a.rows.items()):
        found = matches.get(a_key(row))
        if not found:
            continue
        head = a_keep(row)
        if summing:
            for rest, cb in found:
                key = head + rest
                out[key] = get(key, 0) + ca * cb
        else:
            for rest, cb in found:
                out[head + rest] = ca * cb
        if n & 0x3FFF == 0:
            limits.check_time(where)
            limits.check_size(len(out), where)
    limits.check_size(len(out), where)
    return Factor(scope, out)


def _join_filtered(
    a: Factor,
    b: Factor,
    a_key: Project,
    a_keep: Project,
    matches: dict[Row, list[tuple[Row, int]]],
    scope: tuple[int, ...],
    summing: bool,
    checks: list[tuple[Project, AbstractSet[Row]]],
    limits: Limits,
) -> Factor:
    out: dict[Row, int] = {}
    get = out.get
    where = f"joining factors of {len(a.rows):,} and {len(b.rows):,} rows"
    for n, (row, ca) in enumerate(a.rows.items()):
        found = matches.get(a_key(row))
        if not found:
            continue
        head = a_keep(row)
        for rest, cb in found:
            key = head + rest
            for proj, allowed in checks:
                if proj(key) not in allowed:
                    break
            else:
                out[key] = get(key, 0) + ca * cb if summing else ca * cb
        if n & 0x3FFF == 0:
            limits.check_time(where)
            limits.check_size(len(out), where)
    limits.check_size(len(out), where)
    return Factor(scope, out)
