"""Exact integer arithmetic and reified logic on a CP-SAT model (for :mod:`cp_lower`).

A number is an integer expression with a decimal ``scale`` (``value = expr / 10**scale``) and
proven bounds; numbers are aligned by multiplying by powers of ten, never by rounding, and any
bound beyond 52 bits raises :class:`Unsupported` so that the caller can keep the CNF route.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeAlias

from ortools.sat.python import cp_model as cp
from ortools.sat.python.cp_model_helper import LinearExpr
from ortools.sat.python.cp_model_helper import Literal as CpLiteral

from lotone.configure.variables import scale_of
from lotone.errors import LotoneError

__all__ = ["LIMIT", "CpArith", "Expr", "Lit", "Number", "Unsupported", "const"]

Lit: TypeAlias = CpLiteral  # a Boolean variable or its negation
Expr: TypeAlias = LinearExpr | int
LIMIT = 1 << 52  # every bound stays well inside CP-SAT's int64 domains


class Unsupported(LotoneError):
    """The family cannot be written exactly as CP-SAT integers (the CNF route stays)."""


@dataclass(frozen=True, slots=True)
class Number:
    """``expr / 10**scale``, with ``lo <= expr <= hi``; ``const`` when it is a constant."""

    expr: Expr
    scale: int
    lo: int
    hi: int
    const: int | None = None


def check(lo: int, hi: int) -> None:
    """Refuse bounds that CP-SAT's integers cannot hold exactly."""
    if not -LIMIT <= lo <= hi <= LIMIT:
        raise Unsupported(f"an intermediate value needs more than 52 bits ({lo}..{hi})")


def const(value: int, scale: int) -> Number:
    """The constant ``value / 10**scale``."""
    check(value, value)
    return Number(value, scale, value, value, value)


class CpArith:
    """A CP-SAT model with a true literal, reified connectives and exact number operations."""

    def __init__(self) -> None:
        self.model = cp.CpModel()
        self.true = self.model.new_bool_var("true")
        self.model.add(self.true == 1)

    def and_(self, lits: Iterable[Lit]) -> Lit:
        """A literal equivalent to the conjunction of ``lits``."""
        xs = [x for x in lits if x is not self.true]
        if not xs:
            return self.true
        if len(xs) == 1:
            return xs[0]
        b = self.model.new_bool_var("")
        self.model.add_bool_and(xs).only_enforce_if(b)
        self.model.add_bool_or([~x for x in xs] + [b])
        return b

    def or_(self, lits: Iterable[Lit]) -> Lit:
        """A literal equivalent to the disjunction of ``lits``."""
        xs = list(lits)
        if any(x is self.true for x in xs):
            return self.true
        if len(xs) == 1:
            return xs[0]
        b = self.model.new_bool_var("")
        if not xs:
            self.model.add(b == 0)
            return b
        self.model.add_bool_or(xs).only_enforce_if(b)
        for x in xs:
            self.model.add_implication(x, b)
        return b

    def reify(self, op: str, x: Number, y: Number) -> Lit:
        if x.const is not None and y.const is not None:
            holds = {
                "==": x.const == y.const, "!=": x.const != y.const, "<": x.const < y.const,
                "<=": x.const <= y.const, ">": x.const > y.const, ">=": x.const >= y.const,
            }[op]  # fmt: skip
            return self.true if holds else ~self.true
        b = self.model.new_bool_var("")
        m, d = self.model, x.expr - y.expr
        pos, neg = {
            "==": (d == 0, d != 0), "!=": (d != 0, d == 0), "<": (d < 0, d >= 0),
            "<=": (d <= 0, d > 0), ">": (d > 0, d <= 0), ">=": (d >= 0, d < 0),
        }[op]  # fmt: skip
        m.add(pos).only_enforce_if(b)
        m.add(neg).only_enforce_if(~b)
        return b

    def number_const(self, value: Decimal) -> Number:
        """A constant number."""
        s = scale_of(value)
        return const(int(value.scaleb(s)), s)

    def gated(self, cond: Lit, x: Number) -> Number:
        """``x`` where ``cond`` holds, else 0."""
        if x.const is not None:
            if x.const == 0 or cond is self.true:
                return x
            return self._linear([(x.const, cond)], x.scale)
        x, zero = self._aligned(x, const(0, 0))
        return self._ite(cond, x, zero)

    def total(self, parts: list[Number]) -> Number:
        """The exact sum of ``parts``."""
        s = max((n.scale for n in parts), default=0)
        acc = const(0, s)
        for n in parts:
            acc = self._add(acc, self._rescale(n, s))
        return acc

    def _linear(self, terms: list[tuple[int, Lit]], scale: int, one_hot: bool = False) -> Number:
        """``sum(w * lit)``; ``one_hot``: exactly one literal is true."""
        if one_hot:
            lo, hi = min(w for w, _ in terms), max(w for w, _ in terms)
        else:
            lo = sum(w for w, _ in terms if w < 0)
            hi = sum(w for w, _ in terms if w > 0)
        check(lo, hi)
        expr = sum((w * lit for w, lit in terms), start=cp.LinearExpr.constant(0))
        return Number(expr, scale, lo, hi)

    def _rescale(self, n: Number, scale: int) -> Number:
        if scale == n.scale:
            return n
        k = 10 ** (scale - n.scale)
        check(min(n.lo * k, n.hi * k), max(n.lo * k, n.hi * k))
        const = None if n.const is None else n.const * k
        return Number(n.expr * k, scale, n.lo * k, n.hi * k, const)

    def _aligned(self, x: Number, y: Number) -> tuple[Number, Number]:
        s = max(x.scale, y.scale)
        return self._rescale(x, s), self._rescale(y, s)

    def _add(self, x: Number, y: Number) -> Number:
        check(x.lo + y.lo, x.hi + y.hi)
        const = None if x.const is None or y.const is None else x.const + y.const
        return Number(x.expr + y.expr, x.scale, x.lo + y.lo, x.hi + y.hi, const)

    def _var(self, n: Number) -> cp.IntVar:
        if isinstance(n.expr, cp.IntVar):
            return n.expr
        v = self.model.new_int_var(n.lo, n.hi, "")
        self.model.add(v == n.expr)
        return v

    def _mul(self, x: Number, y: Number) -> Number:
        if y.const is None and x.const is not None:
            x, y = y, x
        s = x.scale + y.scale
        if y.const is not None:
            k = y.const
            lo, hi = sorted((x.lo * k, x.hi * k))
            check(lo, hi)
            const = None if x.const is None else x.const * k
            return Number(x.expr * k, s, lo, hi, const)
        corners = [x.lo * y.lo, x.lo * y.hi, x.hi * y.lo, x.hi * y.hi]
        lo, hi = min(corners), max(corners)
        check(lo, hi)
        p = self.model.new_int_var(lo, hi, "")
        self.model.add_multiplication_equality(p, [self._var(x), self._var(y)])
        return Number(p, s, lo, hi)

    def _ite(self, cond: Lit, x: Number, y: Number) -> Number:
        """``x`` where ``cond`` holds, else ``y`` (same scale)."""
        if cond is self.true:
            return x
        if x.const is not None and x.const == y.const:
            return x
        lo, hi = min(x.lo, y.lo), max(x.hi, y.hi)
        r = self.model.new_int_var(lo, hi, "")
        self.model.add(r == x.expr).only_enforce_if(cond)
        self.model.add(r == y.expr).only_enforce_if(~cond)
        return Number(r, x.scale, lo, hi)
