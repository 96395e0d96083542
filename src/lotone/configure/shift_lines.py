"""A rule along a line of shifted products: at which steps it holds, found at once.

A witness shift (:mod:`lotone.configure.shift`) walks one number along its grid, step by step,
possibly with a partner number moving the other way, and checks the rules that read the moved
numbers at each step. Along such a walk everything but the moved numbers is fixed, and each
moved number is linear in the step count ``t``: ``x(t) = x0 + t * d`` and ``y(t) = y0 - t * d``.
So a rule is a function of one integer ``t``, and for the rules people write (comparisons of
sums and scaled numbers, joined by ``and``, ``or``, ``requires``, ``in`` lists) the set of steps
where it holds is a union of intervals, found here exactly with rational bounds.

:func:`steps_holding` gives that set, or raises :class:`Opaque` when a rule leaves the linear
fragment (a product of two moved numbers, ``abs`` of one, a table cell that moves, an error the
evaluator would raise): the caller then checks that rule step by step with its compiled
closures, so the answer is always the reference evaluator's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from lotone.model.ast import (
    Aggregate,
    AttrRef,
    Binary,
    Call,
    CountRef,
    InList,
    Literal,
    Node,
    PropRef,
    Unary,
)
from lotone.model.family import (
    ConstraintRule,
    EnumAttribute,
    Family,
    Rule,
    TableRule,
    Value,
    count_key,
    instance_key,
)
from lotone.model.scope import attribute_of

__all__ = ["Lin", "Opaque", "Steps", "Truth", "Walk", "first_gap", "first_true"]

Steps = tuple[tuple[int, int], ...]
"""Sorted disjoint inclusive intervals of steps within ``1..n``."""


class Opaque(Exception):
    """The rule leaves the linear fragment here: check it step by step instead."""


@dataclass(frozen=True, slots=True)
class Lin:
    """The number ``a * t + b`` at step ``t`` (``a`` is never zero: that is a constant)."""

    a: Decimal
    b: Decimal


Num = Decimal | Lin
Truth = bool | Steps  # a constant, or the steps (a proper, non-empty subset of 1..n) it holds
Sym = Value | Lin | Steps  # what an expression is along the walk


def _lin(a: Decimal, b: Decimal) -> Num:
    return b if a == 0 else Lin(a, b)


class Walk:
    """One walk: the fixed product, the moving keys and the number of steps ``n``."""

    def __init__(
        self, family: Family, product: Mapping[str, Value], moving: Mapping[str, Lin], n: int
    ) -> None:
        self.family = family
        self.product = product
        self.moving = moving
        self.n = n

    # --- step sets ------------------------------------------------------------------------

    def _norm(self, steps: list[tuple[int, int]]) -> Truth:
        out: list[tuple[int, int]] = []
        for lo, hi in sorted(steps):
            lo, hi = max(lo, 1), min(hi, self.n)
            if lo > hi:
                continue
            if out and lo <= out[-1][1] + 1:
                out[-1] = (out[-1][0], max(out[-1][1], hi))
            else:
                out.append((lo, hi))
        if not out:
            return False
        if out == [(1, self.n)]:
            return True
        return tuple(out)

    def _all(self, t: Truth) -> Steps:
        if t is True:
            return ((1, self.n),)
        if t is False:
            return ()
        return t

    def neg(self, t: Truth) -> Truth:
        if isinstance(t, bool):
            return not t
        gaps: list[tuple[int, int]] = []
        prev = 0
        for lo, hi in t:
            gaps.append((prev + 1, lo - 1))
            prev = hi
        gaps.append((prev + 1, self.n))
        return self._norm(gaps)

    def both(self, x: Truth, y: Truth) -> Truth:
        if x is False or y is False:
            return False
        if x is True:
            return y
        if y is True:
            return x
        out = []
        for a, b in self._all(x):
            for c, d in self._all(y):
                out.append((max(a, c), min(b, d)))
        return self._norm(out)

    def either(self, x: Truth, y: Truth) -> Truth:
        if x is True or y is True:
            return True
        return self._norm([*self._all(x), *self._all(y)])

    def solve(self, d: Num, op: str) -> Truth:
        """The steps where ``d op 0``."""
        if isinstance(d, Decimal):
            return _compare(d, op)
        r = Fraction(-d.b) / Fraction(d.a)
        if op in ("==", "!="):
            hit: Truth = self._norm([(int(r), int(r))]) if r.denominator == 1 else False
            return hit if op == "==" else self.neg(hit)
        if d.a < 0:  # a t + b < 0  <=>  t > r
            op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
        big = self.n + 1
        if op == "<":
            return self._norm([(1, min(big, math.ceil(r) - 1))])
        if op == "<=":
            return self._norm([(1, min(big, math.floor(r)))])
        if op == ">":
            return self._norm([(max(0, math.floor(r) + 1), self.n)])
        return self._norm([(max(0, math.ceil(r)), self.n)])

    # --- rules ----------------------------------------------------------------------------

    def rule(self, rule: Rule, bound: Mapping[str, int]) -> Truth:
        """The steps at which ``rule`` holds (call inside ``localcontext(EXACT)``); raises
        :class:`Opaque` outside the linear fragment."""
        try:
            if isinstance(rule, ConstraintRule):
                return self.truth(rule.expr, bound)
            assert isinstance(rule, TableRule)
            when = True if rule.when is None else self.truth(rule.when, bound)
            if when is False:
                return True
            cells = [self.value(c, bound) for c in rule.columns]
            if any(isinstance(c, Lin | tuple) for c in cells):
                raise Opaque("a table cell that moves")
            fits = any(
                all(want is None or want == got for want, got in zip(row, cells, strict=True))
                for row in rule.rows
            )
            return self.either(self.neg(when), fits)
        except Opaque:
            raise
        except Exception as e:  # an error the evaluator would raise at some step
            raise Opaque(str(e)) from e

    def within(self, x: Lin, lo: Decimal, hi: Decimal) -> Truth:
        """The steps at which ``lo <= x <= hi``."""
        return self.both(self.solve(_sub(x, lo), ">="), self.solve(_sub(x, hi), "<="))

    # --- values ---------------------------------------------------------------------------

    def key(self, ref: AttrRef, bound: Mapping[str, int]) -> str:
        if ref.slot is None:
            return ref.attribute
        if ref.index is not None:
            return instance_key(ref.slot, ref.index, ref.attribute)
        return instance_key(ref.slot, bound[ref.slot], ref.attribute)

    def value(self, node: Node, bound: Mapping[str, int]) -> Sym:
        match node:
            case Literal(value=v):
                return v
            case AttrRef():
                key = self.key(node, bound)
                moved = self.moving.get(key)
                return moved if moved is not None else self.product[key]
            case PropRef(ref=ref, prop=prop):
                attr = attribute_of(ref, self.family)
                if not isinstance(attr, EnumAttribute):
                    raise Opaque(prop)
                name = self.product[self.key(ref, bound)]
                found = next(v.properties.get(prop) for v in attr.values if v.name == name)
                if found is None:
                    raise Opaque(f"no property {prop}")
                return found
            case CountRef(slot=slot):
                return self.product[count_key(slot)]
            case Unary(op="not", operand=x):
                return self.neg(self.truth(x, bound))
            case Unary(operand=x):
                num = self.number(x, bound)
                return Lin(-num.a, -num.b) if isinstance(num, Lin) else -num
            case Binary():
                return self.binary(node, bound)
            case InList(operand=x, items=items, negated=negated):
                return self.in_list(self.value(x, bound), items, negated)
            case Call():
                return self.call(node, bound)
            case Aggregate():
                return self.aggregate(node, bound)
        raise Opaque(type(node).__name__)

    def number(self, node: Node, bound: Mapping[str, int]) -> Num:
        v = self.value(node, bound)
        if isinstance(v, Lin | Decimal):
            return v
        raise Opaque("not a number")

    def truth(self, node: Node, bound: Mapping[str, int]) -> Truth:
        v = self.value(node, bound)
        if isinstance(v, bool | tuple):
            return v
        raise Opaque("not a truth value")

    def binary(self, node: Binary, bound: Mapping[str, int]) -> Sym:
        op = node.op
        if op in ("and", "or", "implies", "requires", "excludes"):
            a = self.truth(node.left, bound)
            if op != "or" and a is False:  # the closures do not evaluate the right side
                return op != "and"
            if op == "or" and a is True:
                return True
            b = self.truth(node.right, bound)
            if op == "and":
                return self.both(a, b)
            if op == "or":
                return self.either(a, b)
            if op == "excludes":
                b = self.neg(b)
            return self.either(self.neg(a), b)
        if op in ("==", "!="):
            return self.equal(self.value(node.left, bound), self.value(node.right, bound), op)
        x, y = self.number(node.left, bound), self.number(node.right, bound)
        if op in ("<", "<=", ">", ">="):
            return self.solve(_sub(x, y), op)
        if op == "+":
            return _add(x, y)
        if op == "-":
            return _sub(x, y)
        if op == "*":
            if isinstance(x, Lin) and isinstance(y, Lin):
                raise Opaque("product of moving numbers")
            if isinstance(x, Lin):
                assert isinstance(y, Decimal)
                return _lin(x.a * y, x.b * y)
            if isinstance(y, Lin):
                return _lin(y.a * x, y.b * x)
            return x * y
        if op == "/":
            if isinstance(y, Lin) or y == 0:
                raise Opaque("division by a moving number or zero")
            return _lin(x.a / y, x.b / y) if isinstance(x, Lin) else x / y
        raise Opaque(op)

    def equal(self, x: Sym, y: Sym, op: str) -> Truth:
        if isinstance(x, Lin) or isinstance(y, Lin):
            if isinstance(x, Lin | Decimal) and isinstance(y, Lin | Decimal):
                same: Truth = self.solve(_sub(x, y), "==")
            else:
                same = False
        elif isinstance(x, tuple) or isinstance(y, tuple):  # truths: equal where both agree
            if isinstance(x, bool | tuple) and isinstance(y, bool | tuple):
                same = self.either(self.both(x, y), self.both(self.neg(x), self.neg(y)))
            else:
                same = False
        else:
            same = type(x) is type(y) and x == y
        return same if op == "==" else self.neg(same)

    def in_list(self, x: Sym, items: tuple[Node, ...], negated: bool) -> Truth:
        consts = [i.value for i in items if isinstance(i, Literal)]
        if len(consts) != len(items):
            raise Opaque("'in' list of non-constants")
        if isinstance(x, tuple):
            raise Opaque("'in' list of a truth that moves")
        if isinstance(x, Lin):
            hit: Truth = False
            for c in consts:
                if type(c) is Decimal:
                    hit = self.either(hit, self.solve(_sub(x, c), "=="))
        else:
            hit = any(type(x) is type(c) and x == c for c in consts)
        return self.neg(hit) if negated else hit

    def call(self, node: Call, bound: Mapping[str, int]) -> Sym:
        if node.func == "if" and len(node.args) == 3:
            c = self.truth(node.args[0], bound)
            if isinstance(c, bool):
                return self.value(node.args[1] if c else node.args[2], bound)
            x = self.truth(node.args[1], bound)
            y = self.truth(node.args[2], bound)
            return self.either(self.both(c, x), self.both(self.neg(c), y))
        nums = []
        for arg in node.args:
            num = self.number(arg, bound)
            if isinstance(num, Lin):
                raise Opaque(f"{node.func}() of a moving number")
            nums.append(num)
        if node.func == "abs" and len(nums) == 1:
            return abs(nums[0])
        if node.func in ("min", "max") and nums:
            return min(nums) if node.func == "min" else max(nums)
        raise Opaque(node.func)

    def aggregate(self, node: Aggregate, bound: Mapping[str, int]) -> Sym:
        inner = dict(bound)
        items: list[Sym] = []
        for i in range(1, int(self.product[count_key(node.slot)]) + 1):
            inner[node.slot] = i
            items.append(self.value(node.body, inner))
        func = node.func
        if func in ("any", "all"):
            acc: Truth = func == "all"
            for item in items:
                if not isinstance(item, bool | tuple):
                    raise Opaque("not a truth value")
                acc = self.both(acc, item) if func == "all" else self.either(acc, item)
            return acc
        if func == "sum":
            total: Num = Decimal(0)
            for item in items:
                if not isinstance(item, Lin | Decimal):
                    raise Opaque("not a number")
                total = _add(total, item)
            return total
        if func == "count":
            if not all(isinstance(x, bool) for x in items):
                raise Opaque("count() over truths that move")
            return Decimal(sum(1 for x in items if x))
        nums = [x for x in items if isinstance(x, Decimal)]
        if not items or len(nums) != len(items):
            raise Opaque(f"{func}() over nothing or over moving values")
        return min(nums) if func == "min" else max(nums)


def _add(x: Num, y: Num) -> Num:
    if isinstance(x, Lin) and isinstance(y, Lin):
        return _lin(x.a + y.a, x.b + y.b)
    if isinstance(x, Lin):
        return Lin(x.a, x.b + y)  # type: ignore[operator]
    if isinstance(y, Lin):
        return Lin(y.a, y.b + x)
    return x + y


def _sub(x: Num, y: Num) -> Num:
    return _add(x, Lin(-y.a, -y.b) if isinstance(y, Lin) else -y)


def _compare(d: Decimal, op: str) -> bool:
    return {
        "<": d < 0, "<=": d <= 0, ">": d > 0, ">=": d >= 0, "==": d == 0, "!=": d != 0,
    }[op]  # fmt: skip


def first_gap(held: Truth, n: int) -> int:
    """How many steps ``1, 2, ...`` (at most ``n``) hold before the first that does not."""
    if held is True:
        return n
    if held is False or held[0][0] != 1:
        return 0
    return min(n, held[0][1])


def first_true(held: Truth) -> int | None:
    """The first step that holds (None: none does)."""
    if held is False:
        return None
    return 1 if held is True else held[0][0]
