"""A family as a CP-SAT model over integers: numbers stay numbers, not bits.

The CNF encoding (:mod:`lotone.configure.encoding`) writes every number as the bits of its grid
index, which suits the domain questions (one SAT call per value); optimising a price over sums
and products of numbers in bits is slow, however (the wardrobe's widths add up to its width and
its carcass price is width x height). This module lowers the same family to CP-SAT's native
integer constraints, with the same semantics (those of :mod:`lotone.model.evaluate`, as the CNF):

* an enumerated attribute is one Boolean per value, exactly one true; a boolean is one Boolean;
  a number is its grid index ``k`` (``min + k * step``); a slot's count is ``active[i]`` per
  instance, each implying the one before;
* an attribute of an instance that does not exist is pinned to its canonical value (the first
  value, false, the minimum), as in :mod:`lotone.configure.variables`;
* numbers are exact: an expression is an integer expression with a decimal ``scale``
  (``value = expr / 10**scale``), aligned by multiplying, never by rounding.

Constructs whose integers would not fit CP-SAT's 64-bit domains raise :class:`Unsupported`; the
caller then keeps the CNF route.
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
    Attribute,
    BoolAttribute,
    EnumAttribute,
    Family,
    NumberAttribute,
    count_key,
    instance_key,
)

__all__ = ["CpLowering", "CpVar", "Lit", "Number", "Unsupported"]

Lit: TypeAlias = CpLiteral  # a Boolean variable or its negation
Expr: TypeAlias = LinearExpr | int
Binding = tuple[str, int] | None
LIMIT = 1 << 52  # every bound stays well inside CP-SAT's int64 domains

_COMPARE = {"==", "!=", "<", "<=", ">", ">="}


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


@dataclass(frozen=True, slots=True)
class CpVar:
    """One configuration key in the model.

    ``lits``: a Boolean per enumerated value, or the one Boolean of a boolean attribute;
    ``index``: a number's grid index; ``active``: whether the key exists (the count's instance).
    """

    key: str
    attr: Attribute | None
    active: Lit
    lits: tuple[Lit, ...] = ()
    index: cp.IntVar | None = None


def _check(lo: int, hi: int) -> None:
    if not -LIMIT <= lo <= hi <= LIMIT:
        raise Unsupported(f"an intermediate value needs more than 52 bits ({lo}..{hi})")


def _const(value: int, scale: int) -> Number:
    _check(value, value)
    return Number(value, scale, value, value, value)


class CpLowering:
    """A family's variables and rules in one CP-SAT model; expressions lowered on demand."""

    def __init__(self, family: Family) -> None:
        self.family = family
        self.model = cp.CpModel()
        self.true = self.model.new_bool_var("true")
        self.model.add(self.true == 1)
        self.vars: dict[str, CpVar] = {}
        self.active: dict[str, list[Lit]] = {}
        self._numbers: dict[str, Number] = {}
        self._allocate()

    # --- variables ------------------------------------------------------------------------

    def _allocate(self) -> None:
        for attr in self.family.attributes:
            self._attribute(attr, attr.name, self.true)
        for slot in self.family.slots:
            acts: list[Lit] = []
            for i in range(1, slot.max_count + 1):
                a: Lit = self.true
                if i > slot.min_count:
                    a = self.model.new_bool_var(f"{slot.name}{i}")
                    if acts:
                        self.model.add_implication(a, acts[-1])
                acts.append(a)
            self.active[slot.name] = acts
            ck = count_key(slot.name)
            self.vars[ck] = CpVar(ck, None, self.true, tuple(acts))
            for i, act in enumerate(acts, start=1):
                for attr in slot.attributes:
                    self._attribute(attr, instance_key(slot.name, i, attr.name), act)

    def _attribute(self, attr: Attribute, key: str, active: Lit) -> None:
        m = self.model
        if isinstance(attr, EnumAttribute):
            lits = tuple(m.new_bool_var(f"{key}={v.name}") for v in attr.values)
            m.add_exactly_one(lits)
            if active is not self.true:
                m.add_implication(~active, lits[0])
            self.vars[key] = CpVar(key, attr, active, lits)
        elif isinstance(attr, BoolAttribute):
            b = m.new_bool_var(key)
            if active is not self.true:
                m.add_implication(~active, ~b)
            self.vars[key] = CpVar(key, attr, active, (b,))
        else:
            k = m.new_int_var(0, attr.size - 1, key)
            if active is not self.true:
                m.add(k == 0).only_enforce_if(~active)
            self.vars[key] = CpVar(key, attr, active, (), k)

    # --- booleans -------------------------------------------------------------------------

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

    def boolean(self, node: Node, bind: Binding = None) -> Lit:
        """A literal equivalent to the boolean expression ``node``."""
        match node:
            case Literal(value=bool() as v):
                return self.true if v else ~self.true
            case AttrRef():
                var = self.attr_var(node, bind)
                if not isinstance(var.attr, BoolAttribute):
                    raise LotoneError(f"internal: {var.key} is not a boolean")
                return var.lits[0]
            case Unary(op="not", operand=x):
                return ~self.boolean(x, bind)
            case Binary(op="and", left=a, right=b):
                return self.and_([self.boolean(a, bind), self.boolean(b, bind)])
            case Binary(op="or", left=a, right=b):
                return self.or_([self.boolean(a, bind), self.boolean(b, bind)])
            case Binary(op="implies" | "requires", left=a, right=b):
                return self.or_([~self.boolean(a, bind), self.boolean(b, bind)])
            case Binary(op="excludes", left=a, right=b):
                return self.or_([~self.boolean(a, bind), ~self.boolean(b, bind)])
            case Binary(op=op, left=a, right=b) if op in _COMPARE:
                return self._compare(op, a, b, bind)
            case InList(operand=x, items=items, negated=neg):
                lit = self.or_(self._compare("==", x, item, bind) for item in items)
                return ~lit if neg else lit
            case Call(func="if", args=(c, a, b)):
                cond = self.boolean(c, bind)
                return self.or_(
                    [self.and_([cond, self.boolean(a, bind)]),
                     self.and_([~cond, self.boolean(b, bind)])]
                )  # fmt: skip
            case Aggregate(func="any", slot=s, body=body):
                return self.or_(
                    self.and_([act, self.boolean(body, (s, i))])
                    for i, act in enumerate(self.active[s], start=1)
                )
            case Aggregate(func="all", slot=s, body=body):
                return self.and_(
                    self.or_([~act, self.boolean(body, (s, i))])
                    for i, act in enumerate(self.active[s], start=1)
                )
        raise LotoneError(f"internal: {node!r} is not a condition")

    def _kind(self, node: Node, bind: Binding) -> str:
        match node:
            case Literal(value=v):
                return "bool" if isinstance(v, bool) else "str" if isinstance(v, str) else "num"
            case AttrRef():
                attr = self.attr_var(node, bind).attr
                if isinstance(attr, EnumAttribute):
                    return "enum"
                return "bool" if isinstance(attr, BoolAttribute) else "num"
            case Aggregate(func=f):
                return "bool" if f in ("any", "all") else "num"
            case Unary(op=op):
                return "num" if op == "-" else "bool"
            case Binary(op=op):
                return "num" if op in ("+", "-", "*", "/") else "bool"
            case InList():
                return "bool"
            case Call(func=f, args=args):
                return self._kind(args[1], bind) if f == "if" else "num"
        return "num"

    def _compare(self, op: str, a: Node, b: Node, bind: Binding) -> Lit:
        ka, kb = self._kind(a, bind), self._kind(b, bind)
        if "enum" in (ka, kb) or "str" in (ka, kb):
            va, vb = self._enum_values(a, bind), self._enum_values(b, bind)
            lit = self.or_(self.and_([la, vb[n]]) for n, la in va.items() if n in vb)
        elif "bool" in (ka, kb):
            x, y = self.boolean(a, bind), self.boolean(b, bind)
            lit = self.or_([self.and_([x, y]), self.and_([~x, ~y])])
        else:
            p, q = self._aligned(self.number(a, bind), self.number(b, bind))
            return self._reify(op, p, q)
        if op == "==":
            return lit
        if op == "!=":
            return ~lit
        raise LotoneError(f"internal: {op} on enumerated values")

    def _reify(self, op: str, x: Number, y: Number) -> Lit:
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

    def _enum_values(self, node: Node, bind: Binding) -> dict[str, Lit]:
        if isinstance(node, Literal) and isinstance(node.value, str):
            return {node.value: self.true}
        if isinstance(node, AttrRef):
            var = self.attr_var(node, bind)
            if isinstance(var.attr, EnumAttribute):
                return {v.name: lit for v, lit in zip(var.attr.values, var.lits, strict=True)}
        raise LotoneError(f"internal: {node!r} is not an enumerated value")

    # --- references -----------------------------------------------------------------------

    def attr_var(self, ref: AttrRef, bind: Binding) -> CpVar:
        """The variable an attribute reference denotes under ``bind``."""
        if ref.slot is None:
            key = ref.attribute
        elif ref.index is not None:
            key = instance_key(ref.slot, ref.index, ref.attribute)
        elif bind is not None and bind[0] == ref.slot:
            key = instance_key(ref.slot, bind[1], ref.attribute)
        else:
            raise LotoneError(f"internal: unbound module reference {ref.slot}.{ref.attribute}")
        return self.vars[key]

    def value_of(self, var: CpVar) -> Number:
        """A number attribute's value (``min + k * step`` at the grid's scale)."""
        found = self._numbers.get(var.key)
        if found is not None:
            return found
        attr, k = var.attr, var.index
        if not isinstance(attr, NumberAttribute) or k is None:
            raise LotoneError(f"internal: {var.key} is not a number")
        s = scale_of(attr.min, attr.step)
        low, step = int(attr.min.scaleb(s)), int(attr.step.scaleb(s))
        top = low + step * (attr.size - 1)
        _check(min(low, top), max(low, top))
        num = Number(low + step * k, s, min(low, top), max(low, top))
        self._numbers[var.key] = num
        return num

    # --- numbers --------------------------------------------------------------------------

    def number(self, node: Node, bind: Binding = None) -> Number:
        """The exact number the numeric expression ``node`` denotes."""
        match node:
            case Literal(value=Decimal() as v):
                s = scale_of(v)
                return _const(int(v.scaleb(s)), s)
            case AttrRef():
                return self.value_of(self.attr_var(node, bind))
            case CountRef(slot=s):
                acts = self.active[s]
                return self._linear([(1, a) for a in acts], 0)
            case PropRef(ref=ref, prop=prop):
                var = self.attr_var(ref, bind)
                if not isinstance(var.attr, EnumAttribute):
                    raise LotoneError(f"internal: {var.key} has no values with properties")
                vals = [v.properties[prop] for v in var.attr.values]
                s = scale_of(*vals)
                terms = [(int(v.scaleb(s)), lit) for v, lit in zip(vals, var.lits, strict=True)]
                return self._linear(terms, s, one_hot=True)
            case Unary(op="-", operand=x):
                n = self.number(x, bind)
                return Number(-n.expr, n.scale, -n.hi, -n.lo, None if n.const is None else -n.const)
            case Binary(op="+" | "-" as op, left=a, right=b):
                p, q = self._aligned(self.number(a, bind), self.number(b, bind))
                if op == "-":
                    q = Number(
                        -q.expr, q.scale, -q.hi, -q.lo, None if q.const is None else -q.const
                    )
                return self._add(p, q)
            case Binary(op="*", left=a, right=b):
                return self._mul(self.number(a, bind), self.number(b, bind))
            case Binary(op="/", left=a, right=Literal(value=Decimal() as k)):
                inv = (Decimal(1) / k).normalize()
                s = scale_of(inv)
                return self._mul(self.number(a, bind), _const(int(inv.scaleb(s)), s))
            case Call(func="if", args=(c, a, b)):
                cond = self.boolean(c, bind)
                p, q = self._aligned(self.number(a, bind), self.number(b, bind))
                return self._ite(cond, p, q)
            case Call(func="abs", args=(x,)):
                n = self.number(x, bind)
                if n.const is not None:
                    return _const(abs(n.const), n.scale)
                top = max(abs(n.lo), abs(n.hi))
                r = self.model.new_int_var(0 if n.lo <= 0 <= n.hi else min(abs(n.lo), abs(n.hi)),
                                           top, "")  # fmt: skip
                self.model.add_abs_equality(r, n.expr)
                return Number(r, n.scale, 0, top)
            case Call(func="min" | "max" as f, args=args) if args:
                nums = [self.number(x, bind) for x in args]
                s = max(n.scale for n in nums)
                nums = [self._rescale(n, s) for n in nums]
                lo, hi = min(n.lo for n in nums), max(n.hi for n in nums)
                if f == "min":
                    hi = min(n.hi for n in nums)
                else:
                    lo = max(n.lo for n in nums)
                r = self.model.new_int_var(lo, hi, "")
                if f == "min":
                    self.model.add_min_equality(r, [n.expr for n in nums])
                else:
                    self.model.add_max_equality(r, [n.expr for n in nums])
                return Number(r, s, lo, hi)
            case Aggregate(func="sum", slot=s, body=body):
                total = _const(0, 0)
                for i, act in enumerate(self.active[s], start=1):
                    p, zero = self._aligned(self.number(body, (s, i)), _const(0, 0))
                    total = self._add(*self._aligned(total, self._ite(act, p, zero)))
                return total
            case Aggregate(func="count", slot=s, body=body):
                lits = [
                    self.and_([act, self.boolean(body, (s, i))])
                    for i, act in enumerate(self.active[s], start=1)
                ]
                return self._linear([(1, lit) for lit in lits], 0)
            case Aggregate(func="min" | "max" as f, slot=s, body=body):
                acts = self.active[s]
                acc = self.number(body, (s, 1))
                for i, act in enumerate(acts[1:], start=2):
                    y, acc = self._aligned(self.number(body, (s, i)), acc)
                    better = self._reify("<", y, acc) if f == "min" else self._reify("<", acc, y)
                    acc = self._ite(self.and_([act, better]), y, acc)
                return acc
        raise LotoneError(f"internal: {node!r} is not a number")

    def number_const(self, value: Decimal) -> Number:
        """A constant number."""
        s = scale_of(value)
        return _const(int(value.scaleb(s)), s)

    def gated(self, cond: Lit, x: Number) -> Number:
        """``x`` where ``cond`` holds, else 0."""
        if x.const is not None:
            if x.const == 0 or cond is self.true:
                return x
            return self._linear([(x.const, cond)], x.scale)
        x, zero = self._aligned(x, _const(0, 0))
        return self._ite(cond, x, zero)

    def total(self, parts: list[Number]) -> Number:
        """The exact sum of ``parts``."""
        s = max((n.scale for n in parts), default=0)
        acc = _const(0, s)
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
        _check(lo, hi)
        expr = sum((w * lit for w, lit in terms), start=cp.LinearExpr.constant(0))
        return Number(expr, scale, lo, hi)

    def _rescale(self, n: Number, scale: int) -> Number:
        if scale == n.scale:
            return n
        k = 10 ** (scale - n.scale)
        _check(min(n.lo * k, n.hi * k), max(n.lo * k, n.hi * k))
        const = None if n.const is None else n.const * k
        return Number(n.expr * k, scale, n.lo * k, n.hi * k, const)

    def _aligned(self, x: Number, y: Number) -> tuple[Number, Number]:
        s = max(x.scale, y.scale)
        return self._rescale(x, s), self._rescale(y, s)

    def _add(self, x: Number, y: Number) -> Number:
        _check(x.lo + y.lo, x.hi + y.hi)
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
            _check(lo, hi)
            const = None if x.const is None else x.const * k
            return Number(x.expr * k, s, lo, hi, const)
        corners = [x.lo * y.lo, x.lo * y.hi, x.hi * y.lo, x.hi * y.hi]
        lo, hi = min(corners), max(corners)
        _check(lo, hi)
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


def instance_binds(lower: CpLowering, slot: str | None) -> list[tuple[Lit, Binding]]:
    """``(active, binding)`` for a core item (``slot`` None) or for each instance of a slot."""
    if slot is None:
        return [(lower.true, None)]
    return [(a, (slot, i)) for i, a in enumerate(lower.active[slot], start=1)]
