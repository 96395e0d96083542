"""Lower checked expression trees to literals and :class:`~lotone.configure.bitvec.Num` terms.

The semantics are those of :mod:`lotone.model.evaluate` (the reference evaluator); property
tests compare the two on random families.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Literal as TLiteral

from lotone.configure.bitvec import Arith, Num
from lotone.configure.cnf import Cnf
from lotone.configure.variables import AttrVar, CountVar, Var, scale_of
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
from lotone.model.family import BoolAttribute, EnumAttribute, Family, instance_key

__all__ = ["Binding", "Lowering", "ref_key"]

Binding = tuple[str, int] | None
"""The module instance that ``AttrRef(slot=..., index=None)`` refers to."""

Kind = TLiteral["bool", "num", "enum", "str"]

_ARITH = {"+", "-", "*", "/"}
_COMPARE = {"==", "!=", "<", "<=", ">", ">="}


def ref_key(ref: AttrRef, bind: Binding) -> str:
    """The configuration key an attribute reference denotes under ``bind``."""
    if ref.slot is None:
        return ref.attribute
    if ref.index is not None:
        return instance_key(ref.slot, ref.index, ref.attribute)
    if bind is not None and bind[0] == ref.slot:
        return instance_key(ref.slot, bind[1], ref.attribute)
    raise LotoneError(f"internal: unbound module reference {ref.slot}.{ref.attribute}")


class Lowering:
    """Turns checked nodes into CNF over a family's variables."""

    def __init__(self, cnf: Cnf, arith: Arith, family: Family, variables: Mapping[str, Var]):
        self.cnf = cnf
        self.arith = arith
        self.family = family
        self.vars = variables

    # --- references -----------------------------------------------------------------------

    def attr_var(self, ref: AttrRef, bind: Binding) -> AttrVar:
        """The variable an attribute reference denotes under ``bind``."""
        key = ref_key(ref, bind)
        var = self.vars[key]
        if not isinstance(var, AttrVar):
            raise LotoneError(f"internal: {key} is not an attribute")
        return var

    def kind(self, node: Node) -> Kind:
        """The kind of value a checked node denotes."""
        match node:
            case Literal(value=v):
                if isinstance(v, bool):
                    return "bool"
                return "str" if isinstance(v, str) else "num"
            case AttrRef():
                attr = self._attr_of(node)
                if isinstance(attr, EnumAttribute):
                    return "enum"
                return "bool" if isinstance(attr, BoolAttribute) else "num"
            case PropRef() | CountRef():
                return "num"
            case Aggregate(func=f):
                return "bool" if f in ("any", "all") else "num"
            case Unary(op=op):
                return "num" if op == "-" else "bool"
            case Binary(op=op):
                return "num" if op in _ARITH else "bool"
            case InList():
                return "bool"
            case Call(func=f, args=args):
                return self.kind(args[1]) if f == "if" else "num"
        raise LotoneError(f"internal: cannot lower {node!r}")

    def _attr_of(self, ref: AttrRef) -> EnumAttribute | BoolAttribute | object:
        if ref.slot is None:
            return self.family.attribute(ref.attribute)
        return self.family.slot(ref.slot).attribute(ref.attribute)

    # --- booleans -------------------------------------------------------------------------

    def boolean(self, node: Node, bind: Binding = None) -> int:
        """A literal equivalent to the boolean expression ``node``."""
        cnf = self.cnf
        match node:
            case Literal(value=bool() as v):
                return cnf.const(v)
            case AttrRef():
                return self.attr_var(node, bind).lits[0]
            case Unary(op="not", operand=x):
                return -self.boolean(x, bind)
            case Binary(op="and", left=a, right=b):
                return cnf.and_([self.boolean(a, bind), self.boolean(b, bind)])
            case Binary(op="or", left=a, right=b):
                return cnf.or_([self.boolean(a, bind), self.boolean(b, bind)])
            case Binary(op="implies" | "requires", left=a, right=b):
                return cnf.implies(self.boolean(a, bind), self.boolean(b, bind))
            case Binary(op="excludes", left=a, right=b):
                return cnf.implies(self.boolean(a, bind), -self.boolean(b, bind))
            case Binary(op=op, left=a, right=b) if op in _COMPARE:
                return self._compare(op, a, b, bind)
            case InList(operand=x, items=items, negated=neg):
                lit = cnf.or_(self._compare("==", x, item, bind) for item in items)
                return -lit if neg else lit
            case Call(func="if", args=(c, a, b)):
                return cnf.ite(self.boolean(c, bind), self.boolean(a, bind), self.boolean(b, bind))
            case Aggregate(func="any", slot=s, body=body):
                return cnf.or_(
                    cnf.and_([act, self.boolean(body, (s, i))]) for i, act in self._inst(s)
                )
            case Aggregate(func="all", slot=s, body=body):
                return cnf.and_(
                    cnf.or_([-act, self.boolean(body, (s, i))]) for i, act in self._inst(s)
                )
        raise LotoneError(f"internal: {node!r} is not a condition")

    def _inst(self, slot: str) -> list[tuple[int, int]]:
        var = self.vars[f"{slot}.count"]
        if not isinstance(var, CountVar):
            raise LotoneError(f"internal: {slot}.count is not a count")
        return list(enumerate(var.active, start=1))

    def _compare(self, op: str, a: Node, b: Node, bind: Binding) -> int:
        ka, kb = self.kind(a), self.kind(b)
        if "enum" in (ka, kb) or "str" in (ka, kb):
            lit = self._enum_eq(a, b, bind)
        elif ka == "bool" or kb == "bool":
            lit = self.cnf.iff(self.boolean(a, bind), self.boolean(b, bind))
        else:
            x, y = self.number(a, bind), self.number(b, bind)
            ar = self.arith
            if op in ("==", "!="):
                lit = ar.eq(x, y)
            elif op == "<":
                return ar.lt(x, y)
            elif op == "<=":
                return ar.le(x, y)
            elif op == ">":
                return ar.lt(y, x)
            else:
                return ar.le(y, x)
        if op == "==":
            return lit
        if op == "!=":
            return -lit
        raise LotoneError(f"internal: {op} on enumerated values")

    def _enum_values(self, node: Node, bind: Binding) -> dict[str, int]:
        if isinstance(node, Literal) and isinstance(node.value, str):
            return {node.value: self.cnf.true}
        if isinstance(node, AttrRef):
            var = self.attr_var(node, bind)
            if isinstance(var.attr, EnumAttribute):
                return {v.name: lit for v, lit in zip(var.attr.values, var.lits, strict=True)}
        raise LotoneError(f"internal: {node!r} is not an enumerated value")

    def _enum_eq(self, a: Node, b: Node, bind: Binding) -> int:
        va, vb = self._enum_values(a, bind), self._enum_values(b, bind)
        return self.cnf.or_(self.cnf.and_([la, vb[name]]) for name, la in va.items() if name in vb)

    # --- numbers --------------------------------------------------------------------------

    def number(self, node: Node, bind: Binding = None) -> Num:
        """The exact number the numeric expression ``node`` denotes."""
        ar = self.arith
        match node:
            case Literal(value=Decimal() as v):
                s = scale_of(v)
                return ar.const(int(v.scaleb(s)), s)
            case AttrRef():
                var = self.attr_var(node, bind)
                if var.num is None:
                    raise LotoneError(f"internal: {var.key} is not a number")
                return var.num
            case CountRef(slot=s):
                cvar = self.vars[f"{s}.count"]
                if not isinstance(cvar, CountVar):
                    raise LotoneError(f"internal: {s}.count is not a count")
                return cvar.num
            case PropRef(ref=ref, prop=prop):
                return self._property(self.attr_var(ref, bind), prop)
            case Unary(op="-", operand=x):
                return ar.neg(self.number(x, bind))
            case Binary(op="+", left=a, right=b):
                return ar.add(self.number(a, bind), self.number(b, bind))
            case Binary(op="-", left=a, right=b):
                return ar.sub(self.number(a, bind), self.number(b, bind))
            case Binary(op="*", left=a, right=b):
                return ar.mul(self.number(a, bind), self.number(b, bind))
            case Binary(op="/", left=a, right=Literal(value=Decimal() as k)):
                inv = (Decimal(1) / k).normalize()
                s = scale_of(inv)
                return ar.mul_const(self.number(a, bind), int(inv.scaleb(s)), s)
            case Call(func="if", args=(c, a, b)):
                return ar.ite(self.boolean(c, bind), self.number(a, bind), self.number(b, bind))
            case Call(func="abs", args=(x,)):
                return ar.abs(self.number(x, bind))
            case Call(func="min" | "max" as f, args=args) if args:
                acc = self.number(args[0], bind)
                for x in args[1:]:
                    y = self.number(x, bind)
                    acc = ar.min(acc, y) if f == "min" else ar.max(acc, y)
                return acc
            case Aggregate(func="sum", slot=s, body=body):
                return ar.sum([ar.gate(act, self.number(body, (s, i))) for i, act in self._inst(s)])
            case Aggregate(func="count", slot=s, body=body):
                return ar.sum(
                    [
                        ar.from_bool(self.cnf.and_([act, self.boolean(body, (s, i))]))
                        for i, act in self._inst(s)
                    ]
                )
            case Aggregate(func="min" | "max" as f, slot=s, body=body):
                inst = self._inst(s)
                acc = self.number(body, (s, inst[0][0]))
                for i, act in inst[1:]:
                    y = self.number(body, (s, i))
                    better = ar.lt(y, acc) if f == "min" else ar.lt(acc, y)
                    acc = ar.ite(self.cnf.and_([act, better]), y, acc)
                return acc
        raise LotoneError(f"internal: {node!r} is not a number")

    def _property(self, var: AttrVar, prop: str) -> Num:
        attr = var.attr
        if not isinstance(attr, EnumAttribute):
            raise LotoneError(f"internal: {var.key} has no values with properties")
        vals = [v.properties[prop] for v in attr.values]
        s = scale_of(*vals)
        ints = [int(v.scaleb(s)) for v in vals]
        lo = min(ints)
        top = max(ints) - lo
        bits = tuple(
            self.cnf.or_(lit for lit, x in zip(var.lits, ints, strict=True) if ((x - lo) >> j) & 1)
            for j in range(top.bit_length())
        )
        return Num(bits, lo, s, top)
