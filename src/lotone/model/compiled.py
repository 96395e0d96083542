"""Checked expressions and rules turned into Python closures, for hot loops.

The reference meaning of an expression is :func:`lotone.model.evaluate.evaluate`; this module is
a faster *implementation* of the same meaning (no new syntax, no ``eval``): each node of a
checked tree becomes a closure once per family, and configuration keys are computed ahead. It
skips the evaluator's run-time type checks, so it must only see complete, well-typed
configurations: explosion checks them first (thousands of orders a second), and the engine's
shifted witnesses are products read from solver models. Tests compare it with the evaluator on
every formula of the catalog and on random families. Arithmetic runs in :data:`EXACT`: a result
is exact or an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Context, Decimal, DivisionByZero, Inexact, InvalidOperation
from typing import cast

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
    ConstraintRule,
    EnumAttribute,
    Family,
    Rule,
    Value,
    count_key,
    instance_key,
)
from lotone.model.scope import attribute_of

__all__ = ["EXACT", "Bound", "Compiled", "CompiledRule", "compile_expression", "compile_rule"]

EXACT = Context(prec=100, traps=[Inexact, InvalidOperation, DivisionByZero])
"""The arithmetic of the reference evaluator: 100 digits, and rounding is an error."""

Bound = dict[str, int]
"""The instance each module is at: the module line's own instance, and enclosing aggregates'."""
Compiled = Callable[[Mapping[str, Value], Bound], Value]
"""A compiled expression: its value in a configuration, with the instances bound."""


def _n(x: Value) -> Decimal:
    """``x`` as a number: the checker typed it so, and explosion checked the values first."""
    return cast(Decimal, x)


def _equal(a: Value, b: Value) -> bool:
    return type(a) is type(b) and a == b


def compile_expression(node: Node, family: Family) -> Compiled:
    """A closure computing the checked ``node`` as :func:`~lotone.model.evaluate.evaluate` does.

    Call it inside ``decimal.localcontext(EXACT)``.
    """
    return _Compiler(family).build(node)


class _Compiler:
    def __init__(self, family: Family) -> None:
        self.family = family

    def keyer(self, ref: AttrRef) -> Callable[[Bound], str]:
        if ref.slot is None:
            key = ref.attribute
            return lambda bound: key
        if ref.index is not None:
            fixed = instance_key(ref.slot, ref.index, ref.attribute)
            return lambda bound: fixed
        slot = ref.slot
        top = self.family.slot(slot).max_count
        keys = [instance_key(slot, i, ref.attribute) for i in range(top + 1)]
        return lambda bound: keys[bound[slot]]

    def build(self, node: Node) -> Compiled:
        match node:
            case Literal(value=v):
                return lambda values, bound: v
            case AttrRef():
                key_of = self.keyer(node)
                return lambda values, bound: values[key_of(bound)]
            case PropRef(ref=ref, prop=prop):
                attr = attribute_of(ref, self.family)
                if not isinstance(attr, EnumAttribute):
                    raise LotoneError(f"internal: {attr.name} has no properties")
                table = {v.name: v.properties.get(prop) for v in attr.values}
                key_of = self.keyer(ref)
                return lambda values, bound: table[values[key_of(bound)]]  # type: ignore[index,return-value]
            case CountRef(slot=slot):
                key = count_key(slot)
                return lambda values, bound: values[key]
            case Unary(op="not", operand=x):
                f = self.build(x)
                return lambda values, bound: not f(values, bound)
            case Unary(operand=x):
                f = self.build(x)
                return lambda values, bound: -_n(f(values, bound))
            case Binary():
                return self.binary(node)
            case InList(operand=x, items=items, negated=negated):
                f = self.build(x)
                consts = [i.value for i in items if isinstance(i, Literal)]
                if len(consts) != len(items):
                    raise LotoneError("internal: 'in' lists hold constants only")
                return lambda values, bound: (
                    any(_equal(f(values, bound), c) for c in consts) != negated
                )
            case Call():
                return self.call(node)
            case Aggregate():
                return self.aggregate(node)
        raise LotoneError(f"internal: cannot compile {type(node).__name__}; check it first")

    def binary(self, node: Binary) -> Compiled:
        a, b = self.build(node.left), self.build(node.right)
        ops: dict[str, Compiled] = {
            "and": lambda v, k: bool(a(v, k)) and bool(b(v, k)),
            "or": lambda v, k: bool(a(v, k)) or bool(b(v, k)),
            "implies": lambda v, k: not a(v, k) or bool(b(v, k)),
            "requires": lambda v, k: not a(v, k) or bool(b(v, k)),
            "excludes": lambda v, k: not a(v, k) or not b(v, k),
            "==": lambda v, k: _equal(a(v, k), b(v, k)),
            "!=": lambda v, k: not _equal(a(v, k), b(v, k)),
            "+": lambda v, k: _n(a(v, k)) + _n(b(v, k)),
            "-": lambda v, k: _n(a(v, k)) - _n(b(v, k)),
            "*": lambda v, k: _n(a(v, k)) * _n(b(v, k)),
            "/": lambda v, k: _n(a(v, k)) / _n(b(v, k)),
            "<": lambda v, k: _n(a(v, k)) < _n(b(v, k)),
            "<=": lambda v, k: _n(a(v, k)) <= _n(b(v, k)),
            ">": lambda v, k: _n(a(v, k)) > _n(b(v, k)),
            ">=": lambda v, k: _n(a(v, k)) >= _n(b(v, k)),
        }
        return ops[node.op]

    def call(self, node: Call) -> Compiled:
        args = [self.build(a) for a in node.args]
        if node.func == "if" and len(args) == 3:
            c, x, y = args
            return lambda v, k: x(v, k) if c(v, k) else y(v, k)
        if node.func == "abs" and len(args) == 1:
            (x,) = args
            return lambda v, k: abs(_n(x(v, k)))
        if node.func in ("min", "max") and args:
            pick = min if node.func == "min" else max
            return lambda v, k: pick(_n(f(v, k)) for f in args)
        raise LotoneError(f"internal: cannot compile the call {node.func}()")

    def aggregate(self, node: Aggregate) -> Compiled:
        body, slot, func = self.build(node.body), node.slot, node.func
        key = count_key(slot)

        def each(values: Mapping[str, Value], bound: Bound) -> list[Value]:
            inner = dict(bound)
            out = []
            for i in range(1, int(_n(values[key])) + 1):
                inner[slot] = i
                out.append(body(values, inner))
            return out

        if func == "count":
            return lambda v, k: Decimal(sum(1 for x in each(v, k) if x))
        if func == "any":
            return lambda v, k: any(each(v, k))
        if func == "all":
            return lambda v, k: all(each(v, k))
        if func == "sum":
            return lambda v, k: sum((_n(x) for x in each(v, k)), Decimal(0))
        pick = min if func == "min" else max
        return lambda v, k: pick(_n(x) for x in each(v, k))


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule as closures: :meth:`holds` says what the reference validator says of it (the
    validator also gives the messages)."""

    slot: str | None
    when: Compiled | None
    expr: Compiled | None  # a constraint rule
    columns: tuple[Compiled, ...] = ()  # a table rule
    rows: tuple[tuple[Value | None, ...], ...] = ()

    def holds(self, values: Mapping[str, Value], bound: Bound) -> bool:
        """Whether the rule holds (``bound``: ``{slot: instance}`` for a module rule)."""
        if self.expr is not None:
            return bool(self.expr(values, bound))
        if self.when is not None and not self.when(values, bound):
            return True
        cells = [c(values, bound) for c in self.columns]
        return any(
            all(want is None or want == got for want, got in zip(row, cells, strict=True))
            for row in self.rows
        )


def compile_rule(rule: Rule, family: Family) -> CompiledRule:
    """``rule`` compiled once for every instance (call inside ``localcontext(EXACT)``)."""
    if isinstance(rule, ConstraintRule):
        return CompiledRule(rule.slot, None, compile_expression(rule.expr, family))
    return CompiledRule(
        rule.slot,
        None if rule.when is None else compile_expression(rule.when, family),
        None,
        tuple(compile_expression(c, family) for c in rule.columns),
        rule.rows,
    )
