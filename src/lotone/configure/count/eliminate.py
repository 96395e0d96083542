"""Exact model counting by variable (bucket) elimination over sparse factors.

The count is the sum, over all full assignments, of the product of the 0/1 constraint factors.
Variables are summed out one at a time in a min-fill (or min-degree) order of the primal graph:
the factors that mention the variable are joined, smallest and best-connected first, and the
variable is summed out during the last join. Everything is a Python ``int``; no float is ever
involved, so the result is exact however large.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from time import monotonic

from lotone.configure.count.factors import (
    CountOutOfReach,
    Factor,
    Filter,
    Limits,
    Row,
    join,
    project_support,
    restrict,
    sum_out,
)
from lotone.configure.count.order import Heuristic, elimination_order
from lotone.configure.count.prepare import prepare
from lotone.model.finite import FiniteModel

__all__ = ["DEFAULT_MAX_FACTOR_ROWS", "Progress", "count_by_cases", "count_solutions"]

DEFAULT_MAX_FACTOR_ROWS = 10_000_000
"""Give up when a factor would hold more rows than this (about 1-2 GB of Python dicts)."""

FILTER_FROM = 50_000
"""Joins expected to exceed this many rows are filtered by the supports of the other factors."""

Progress = Callable[[int, int], None]
"""Called as ``progress(eliminated, total)`` after each variable is summed out."""


def _estimate(a: Factor, b: Factor, sizes: Sequence[int]) -> float:
    # A size guess for ordering joins only; never part of the count.
    shared = set(a.scope) & set(b.scope)
    denom = 1
    for v in shared:
        denom *= sizes[v]
    return len(a.rows) * len(b.rows) / denom


class _Elimination:
    """The live factors, which variables they mention, and cached supports for filtering."""

    def __init__(self, factors: Sequence[Factor], sizes: Sequence[int], limits: Limits) -> None:
        self.factors: dict[int, Factor] = dict(enumerate(factors))
        self.mentions: dict[int, set[int]] = {}
        for i, f in self.factors.items():
            for v in f.scope:
                self.mentions.setdefault(v, set()).add(i)
        self.sizes = sizes
        self.limits = limits
        self.next_id = len(self.factors)
        self._supports: dict[tuple[int, tuple[int, ...]], frozenset[Row]] = {}

    def take(self, var: int) -> list[tuple[int, Factor]]:
        """Remove and return the factors that mention ``var``."""
        ids = sorted(self.mentions.pop(var, set()))
        out = [(i, self.factors.pop(i)) for i in ids]
        for i, f in out:
            for v in f.scope:
                if v != var:
                    self.mentions[v].discard(i)
        return out

    def add(self, f: Factor) -> None:
        self.factors[self.next_id] = f
        for v in f.scope:
            self.mentions[v].add(self.next_id)
        self.next_id += 1

    def support(self, fid: int, f: Factor, variables: tuple[int, ...]) -> frozenset[Row]:
        key = (fid, variables)
        got = self._supports.get(key)
        if got is None:
            got = self._supports[key] = project_support(f, variables)
        return got

    def filters(self, scope: Iterable[int], extra: Sequence[tuple[int, Factor]]) -> list[Filter]:
        """Supports of the live factors (and ``extra``) on their variables shared with ``scope``.

        Only selective ones are kept (fewer tuples than the dense product), one per variable set
        (intersected), most selective first.
        """
        inside = set(scope)
        ids: set[int] = set()
        for v in inside:
            ids.update(self.mentions.get(v, ()))
        found: list[tuple[int, Factor]] = [(i, self.factors[i]) for i in sorted(ids)]
        found += extra
        by_vars: dict[tuple[int, ...], list[frozenset[Row]]] = {}
        for fid, g in found:
            shared = tuple(sorted(v for v in g.scope if v in inside))
            dense = 1
            for v in shared:
                dense *= self.sizes[v]
            allowed = self.support(fid, g, shared)
            if len(allowed) < dense:
                by_vars.setdefault(shared, []).append(allowed)
        out: list[tuple[float, Filter]] = []
        for variables, sets in by_vars.items():
            sets.sort(key=len)
            allowed = sets[0].intersection(*sets[1:]) if len(sets) > 1 else sets[0]
            dense = 1
            for v in variables:
                dense *= self.sizes[v]
            out.append((len(allowed) / dense, (variables, allowed)))
        out.sort(key=lambda t: t[0])
        return [f for _, f in out]

    def eliminate(self, var: int) -> Factor:
        """Join the factors that mention ``var``, sum ``var`` out, filter by the other factors."""
        bucket = self.take(var)
        if len(bucket) == 1:
            f = sum_out(bucket[0][1], var)
            return restrict(f, self.filters(f.scope, ())) if len(f.rows) > FILTER_FROM else f
        rest = sorted(bucket, key=lambda t: len(t[1].rows))
        acc = rest.pop(0)[1]
        while rest:
            i = min(range(len(rest)), key=lambda j: (_estimate(acc, rest[j][1], self.sizes), j))
            nxt = rest.pop(i)[1]
            # Stream the larger factor through an index of the smaller one.
            a, b = (acc, nxt) if len(acc.rows) >= len(nxt.rows) else (nxt, acc)
            drop = var if not rest else None
            filters: list[Filter] = []
            if _estimate(a, b, self.sizes) > FILTER_FROM:
                out_scope = set(a.scope) | set(b.scope)
                if drop is not None:
                    out_scope.discard(drop)
                filters = self.filters(out_scope, rest)
            acc = join(a, b, drop, self.limits, filters)
            if not acc.rows:
                return acc
        return acc


def count_solutions(
    model: FiniteModel,
    choices: Mapping[int, int] | None = None,
    *,
    budget_s: float | None = None,
    progress: Progress | None = None,
    heuristic: Heuristic = "min-fill",
    max_factor_rows: int = DEFAULT_MAX_FACTOR_ROWS,
) -> int:
    """The exact number of full assignments of ``model`` that satisfy every constraint.

    Parameters
    ----------
    model
        Tables and clauses over finite variables. Hidden variables are counted like the others;
        they are functions of the visible ones, so the count is the same.
    choices
        ``{variable index: value index}``: count only the assignments that agree with them.
    budget_s
        Wall-clock seconds before giving up with :class:`CountOutOfReach` (``None``: no limit).
    progress
        Called as ``progress(eliminated, total)`` after each variable is summed out.
    heuristic
        ``"min-fill"`` (default) or ``"min-degree"`` elimination order.
    max_factor_rows
        Give up with :class:`CountOutOfReach` when a factor would hold more rows than this.

    Raises
    ------
    CountOutOfReach
        The budget ran out or a factor grew too large; the model is too wide for elimination.
    UnknownName, InvalidValue
        A choice names a variable or value index that does not exist.

    Examples
    --------
    >>> from lotone.model.finite import BOOL_VALUES, Clause, FiniteModel, FiniteVar
    >>> xs = tuple(FiniteVar(n, BOOL_VALUES) for n in "abc")
    >>> m = FiniteModel("m", "m", "test", xs, clauses=(Clause("a|b", ((0, 1), (1, 1))),))
    >>> count_solutions(m), count_solutions(m, {0: 0})
    (6, 2)
    """
    deadline = None if budget_s is None else monotonic() + budget_s
    limits = Limits(deadline, max_factor_rows)
    prepared = prepare(model, choices or {}, limits)
    if prepared.zero:
        return 0
    total = 1
    for v in prepared.free:
        total *= len(prepared.domains[v])
    sizes = [len(d) for d in prepared.domains]
    state = _Elimination(prepared.factors, sizes, limits)
    order = elimination_order((f.scope for f in prepared.factors), sizes, heuristic, limits)
    for done, var in enumerate(order, start=1):
        limits.check_time(f"eliminating variable {done} of {len(order)}")
        result = state.eliminate(var)
        if not result.rows:
            return 0
        if progress is not None:
            progress(done, len(order))
        if result.scope:
            state.add(result)
        else:
            total *= result.rows[()]
    for f in state.factors.values():  # pragma: no cover - every factor is consumed by the order
        raise CountOutOfReach("size", f"internal: factor over {f.scope} left uneliminated")
    return total


def count_by_cases(
    model: FiniteModel,
    var: int,
    choices: Mapping[int, int] | None = None,
    *,
    budget_s: float | None = None,
    heuristic: Heuristic = "min-fill",
    max_factor_rows: int = DEFAULT_MAX_FACTOR_ROWS,
) -> list[int]:
    """The exact count under ``choices`` split by the value of ``var``: one count per value.

    Their sum is the count without ``var`` fixed; each case is a separate elimination on a
    model with one variable fewer (so a different order), which makes the sum an independent
    check of :func:`count_solutions`.
    """
    deadline = None if budget_s is None else monotonic() + budget_s
    base = dict(choices or {})
    fixed = base.get(var)
    out: list[int] = []
    for k in range(len(model.variables[var].values)):
        if fixed is not None and k != fixed:
            out.append(0)
            continue
        left = None if deadline is None else max(0.0, deadline - monotonic())
        out.append(
            count_solutions(
                model,
                {**base, var: k},
                budget_s=left,
                heuristic=heuristic,
                max_factor_rows=max_factor_rows,
            )
        )
    return out
