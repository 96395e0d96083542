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
caller then keeps the CNF route. The arithmetic itself is in :mod:`lotone.configure.cp_arith`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ortools.sat.python import cp_model as cp

from lotone.configure.compile import Binding, ref_key
from lotone.configure.cp_arith import CpArith, Lit, Number, Unsupported, check, const
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


_COMPARE = {"==", "!=", "<", "<=", ">", ">="}


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


class CpLowering(CpArith):
    """A family's variables and rules in one CP-SAT model; expressions lowered on demand."""

    def __init__(self, family: Family) -> None:
        super().__init__()
        self.family = family
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
            return self.reify(op, p, q)
        if op == "==":
            return lit
        if op == "!=":
            return ~lit
        raise LotoneError(f"internal: {op} on enumerated values")

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
        return self.vars[ref_key(ref, bind)]

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
        check(min(low, top), max(low, top))
        num = Number(low + step * k, s, min(low, top), max(low, top))
        self._numbers[var.key] = num
        return num

    # --- numbers --------------------------------------------------------------------------

    def number(self, node: Node, bind: Binding = None) -> Number:
        """The exact number the numeric expression ``node`` denotes."""
        match node:
            case Literal(value=Decimal() as v):
                s = scale_of(v)
                return const(int(v.scaleb(s)), s)
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
                return self._mul(self.number(a, bind), const(int(inv.scaleb(s)), s))
            case Call(func="if", args=(c, a, b)):
                cond = self.boolean(c, bind)
                p, q = self._aligned(self.number(a, bind), self.number(b, bind))
                return self._ite(cond, p, q)
            case Call(func="abs", args=(x,)):
                n = self.number(x, bind)
                if n.const is not None:
                    return const(abs(n.const), n.scale)
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
                total = const(0, 0)
                for i, act in enumerate(self.active[s], start=1):
                    p, zero = self._aligned(self.number(body, (s, i)), const(0, 0))
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
                    better = self.reify("<", y, acc) if f == "min" else self.reify("<", acc, y)
                    acc = self._ite(self.and_([act, better]), y, acc)
                return acc
        raise LotoneError(f"internal: {node!r} is not a number")


def instance_binds(lower: CpLowering, slot: str | None) -> list[tuple[Lit, Binding]]:
    """``(active, binding)`` for a core item (``slot`` None) or for each instance of a slot."""
    if slot is None:
        return [(lower.true, None)]
    return [(a, (slot, i)) for i, a in enumerate(lower.active[slot], start=1)]
