"""The valid values of one number: shifted runs around known models, the solver for the gaps.

Numbers are searched as ranges of grid indices: the solver is asked for any value in an interval
no witness covers (two cached range literals ``k >= a`` and ``not k >= b+1``); each model found
splits the interval, and an unsatisfiable interval is a gap. With a :class:`Shifter`, every model
(those seen before and each new one) is first walked up and down the grid by shifting
(:mod:`lotone.configure.shift`), so the solver only sees what no run reached.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from lotone.configure.domains import NumberDomain
from lotone.configure.encoding import Encoding
from lotone.configure.shift import Shifter
from lotone.configure.solver import SatSolver
from lotone.configure.support import Support
from lotone.configure.variables import AttrVar
from lotone.model.family import NumberAttribute, Value

__all__ = ["NumberSearch"]

Read = Callable[[frozenset[int]], dict[str, Value]]


class NumberSearch:
    """Finds number domains under one analysis (its solver, encoding and support)."""

    def __init__(
        self,
        solver: SatSolver,
        enc: Encoding,
        support: Support,
        shifter: Shifter | None,
        read: Read,
    ) -> None:
        self.solver = solver
        self.enc = enc
        self.support = support
        self.shifter = shifter  # None: no shifting (switched off, or the customer chose it)
        self.read = read

    def domain(
        self, var: AttrVar, base: Sequence[int], choices: Mapping[str, Value]
    ) -> NumberDomain:
        """The exact valid values of ``var`` under ``base`` (the choices' assumptions)."""
        attr = var.attr
        assert isinstance(attr, NumberAttribute)
        n = attr.size
        found = set(self.support.indices(var.key))
        ordered = sorted(found)
        for i, k in enumerate(ordered):  # runs around the models seen so far
            below = ordered[i - 1] + 1 if i > 0 else 0
            above = ordered[i + 1] - 1 if i + 1 < len(ordered) else n - 1
            found.update(self._runs(var, choices, k, below, above))
        todo = _gaps(sorted(found), n)
        while todo:
            lo, hi = todo.pop()
            lits = [*base, var.active]
            if lo > 0:
                lits.append(self.enc.ge_lit(var, lo))
            if hi < n - 1:
                lits.append(-self.enc.ge_lit(var, hi + 1))
            model = self.solver.solve(lits)
            if model is None:
                continue
            self.support.absorb(model)
            k = var.index_in(model)
            run = {k, *self._runs(var, choices, k, lo, hi)}
            found |= run
            todo.extend(_gaps_within(sorted(run), lo, hi))
        ranges: list[tuple[Decimal, Decimal]] = []
        for k in sorted(found):
            if ranges and attr.at(k) == ranges[-1][1] + attr.step:
                ranges[-1] = (ranges[-1][0], attr.at(k))
            else:
                ranges.append((attr.at(k), attr.at(k)))
        return NumberDomain(tuple(ranges), attr.step, attr.unit)

    def _runs(
        self, var: AttrVar, choices: Mapping[str, Value], k: int, below: int, above: int
    ) -> list[int]:
        """Indices in ``below..above`` reached by shifting a model that has index ``k``."""
        if self.shifter is None:
            return []
        model = self.support.witness(var.key, k)
        if model is None or (below >= k and above <= k):
            return []
        attr = var.attr
        assert isinstance(attr, NumberAttribute)
        product = self.read(model)
        movable = [p for p in self.shifter.partners(product, var.key) if p not in choices]
        run = self.shifter.run
        up = run(product, var.key, attr, k + 1, above, movable) if k < above else []
        down = run(product, var.key, attr, k - 1, below, movable) if k > below else []
        return up + down


def _gaps(found: list[int], n: int) -> list[tuple[int, int]]:
    """The stretches of ``0..n-1`` not covered by the sorted indices ``found``."""
    out = []
    prev = -1
    for k in [*found, n]:
        if k - prev > 1:
            out.append((prev + 1, k - 1))
        prev = k
    return out


def _gaps_within(run: list[int], lo: int, hi: int) -> list[tuple[int, int]]:
    """The stretches of ``lo..hi`` not covered by the sorted indices ``run``."""
    return [(a + lo, b + lo) for a, b in _gaps([k - lo for k in run], hi - lo + 1)]
