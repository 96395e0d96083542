"""The reference evaluator: the value of a checked expression in a complete configuration.

This is the meaning of the expression language that every other consumer (the SAT lowering,
pricing, validation) must agree with, so it is written to be obviously right rather than fast:

* numbers are exact :class:`~decimal.Decimal`; arithmetic runs with 100 significant digits and
  refuses to round, so a result is exact or an error, never silently rounded;
* ``a requires b`` is ``a implies b``; ``a excludes b`` is ``a implies not b``;
* an aggregate ranges over instances ``1..SLOT.count``; ``sum`` and ``count`` of no instances are
  0, ``any`` of none is false, ``all`` of none is true;
* ``AttrRef(slot=S, index=None)`` is the instance of ``S`` an enclosing aggregate ranges over, or
  else the ``instance`` a module rule is evaluated for.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Context, Decimal, DivisionByZero, Inexact, InvalidOperation, localcontext

from lotone.errors import InvalidValue, LotoneError
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
    Ref,
    Unary,
)
from lotone.model.family import EnumAttribute, Family, Value, count_key, instance_key
from lotone.model.printer import format_expression
from lotone.model.scope import attribute_of

__all__ = ["evaluate", "holds"]

_EXACT = Context(prec=100, traps=[Inexact, InvalidOperation, DivisionByZero])


def _equal(a: Value, b: Value) -> bool:
    # Python holds True == Decimal(1); values of different kinds are never equal here.
    return type(a) is type(b) and a == b


class _Evaluator:
    """Evaluates checked nodes over one configuration."""

    def __init__(self, values: Mapping[str, Value], family: Family, instance: int | None) -> None:
        self.values = values
        self.family = family
        self.instance = instance

    def get(self, key: str) -> Value:
        if key not in self.values:
            raise InvalidValue(key, None, "missing: the configuration does not set it")
        return self.values[key]

    def key(self, ref: AttrRef, bound: Mapping[str, int]) -> str:
        """The configuration key ``ref`` denotes, given the instances aggregates range over."""
        if ref.slot is None:
            return ref.attribute
        index = ref.index if ref.index is not None else bound.get(ref.slot, self.instance)
        if index is None:
            raise LotoneError(
                f"{ref.slot}.{ref.attribute} needs an instance: evaluate module rules with"
                " instance=N"
            )
        return instance_key(ref.slot, index, ref.attribute)

    def count(self, slot: str) -> int:
        value = self.get(count_key(slot))
        if isinstance(value, bool) or not isinstance(value, Decimal) or value != int(value):
            raise InvalidValue(count_key(slot), value, "expected a whole number")
        return int(value)

    def number(self, node: Node, bound: Mapping[str, int]) -> Decimal:
        value = self.value(node, bound)
        if isinstance(value, bool) or not isinstance(value, Decimal):
            raise InvalidValue(format_expression(node), value, "expected a number")
        return value

    def boolean(self, node: Node, bound: Mapping[str, int]) -> bool:
        value = self.value(node, bound)
        if not isinstance(value, bool):
            raise InvalidValue(format_expression(node), value, "expected true or false")
        return value

    def value(self, node: Node, bound: Mapping[str, int]) -> Value:
        """The value of ``node``; ``bound`` maps slots to the instance an aggregate is at."""
        match node:
            case Literal(value=v):
                return v
            case AttrRef():
                return self.get(self.key(node, bound))
            case PropRef(ref=ref, prop=prop):
                return self.property(ref, prop, bound)
            case CountRef(slot=slot):
                return Decimal(self.count(slot))
            case Unary(op="not", operand=x):
                return not self.boolean(x, bound)
            case Unary(operand=x):
                return -self.number(x, bound)
            case Binary():
                return self.binary(node, bound)
            case InList(operand=x, items=items, negated=negated):
                value = self.value(x, bound)
                found = any(_equal(value, self.value(i, bound)) for i in items)
                return found != negated
            case Call():
                return self.call(node, bound)
            case Aggregate():
                return self.aggregate(node, bound)
            case Ref():
                raise LotoneError(f"{format_expression(node)} is not checked: check it first")

    def property(self, ref: AttrRef, prop: str, bound: Mapping[str, int]) -> Decimal:
        key = self.key(ref, bound)
        name = self.get(key)
        attr = attribute_of(ref, self.family)
        if not isinstance(attr, EnumAttribute) or not isinstance(name, str):
            raise InvalidValue(key, name, "expected the name of one of its values")
        chosen = attr.value(name)
        if prop not in chosen.properties:
            raise InvalidValue(key, name, f"this value has no property {prop!r}")
        return chosen.properties[prop]

    def binary(self, node: Binary, bound: Mapping[str, int]) -> Value:
        op, left, right = node.op, node.left, node.right
        if op == "and":
            return self.boolean(left, bound) and self.boolean(right, bound)
        if op == "or":
            return self.boolean(left, bound) or self.boolean(right, bound)
        if op in ("implies", "requires"):
            return not self.boolean(left, bound) or self.boolean(right, bound)
        if op == "excludes":
            return not self.boolean(left, bound) or not self.boolean(right, bound)
        if op in ("==", "!="):
            same = _equal(self.value(left, bound), self.value(right, bound))
            return same if op == "==" else not same
        a, b = self.number(left, bound), self.number(right, bound)
        match op:
            case "+":
                return a + b
            case "-":
                return a - b
            case "*":
                return a * b
            case "/":
                return a / b
            case "<":
                return a < b
            case "<=":
                return a <= b
            case ">":
                return a > b
            case ">=":
                return a >= b
        raise LotoneError(f"unknown operator {op!r}")

    def call(self, node: Call, bound: Mapping[str, int]) -> Value:
        func, args = node.func, node.args
        if func == "if" and len(args) == 3:
            chosen = args[1] if self.boolean(args[0], bound) else args[2]
            return self.value(chosen, bound)
        if func == "abs" and len(args) == 1:
            return abs(self.number(args[0], bound))
        if func in ("min", "max") and args:
            numbers = [self.number(a, bound) for a in args]
            return min(numbers) if func == "min" else max(numbers)
        raise LotoneError(f"cannot evaluate {format_expression(node)}: check it first")

    def aggregate(self, node: Aggregate, bound: Mapping[str, int]) -> Value:
        func, slot, body = node.func, node.slot, node.body
        instances = [{**bound, slot: i} for i in range(1, self.count(slot) + 1)]
        if func in ("any", "all", "count"):
            flags = [self.boolean(body, inner) for inner in instances]
            if func == "count":
                return Decimal(sum(flags))
            return any(flags) if func == "any" else all(flags)
        numbers = [self.number(body, inner) for inner in instances]
        if func == "sum":
            return sum(numbers, Decimal(0))
        if not numbers:
            raise InvalidValue(count_key(slot), Decimal(0), f"{func}() needs at least one {slot}")
        return min(numbers) if func == "min" else max(numbers)


def evaluate(
    node: Node, values: Mapping[str, Value], family: Family, *, instance: int | None = None
) -> Value:
    """The value of a checked expression in a complete configuration.

    Parameters
    ----------
    node
        A tree from :func:`~lotone.model.checker.check_expression`.
    values
        The configuration: keys such as ``width_mm``, ``section[2].width_mm`` and
        ``section.count`` mapped to exact numbers, value names and booleans.
    family
        The family the expression was checked against (for the values' properties).
    instance
        For an expression of a module rule or price: the instance (1-based) it is evaluated for.

    Returns
    -------
    Value
        A :class:`~decimal.Decimal`, a value name or a boolean.

    Raises
    ------
    InvalidValue
        When a key the expression needs is missing or holds a value of the wrong type.
    LotoneError
        When the tree is not checked, or a result would need more than 100 digits.

    Examples
    --------
    >>> from lotone.model.family import Family, NumberAttribute
    >>> from lotone.model.checker import check_expression
    >>> from lotone.model.parser import parse_expression
    >>> width = NumberAttribute("width_mm", "Width", Decimal(600), Decimal(3000))
    >>> family = Family("f", "F", "1", (width,))
    >>> tree = check_expression(parse_expression("width_mm / 4 + 0.5"), family, expect="number")
    >>> evaluate(tree, {"width_mm": Decimal(1802)}, family)
    Decimal('451.0')
    """
    try:
        with localcontext(_EXACT):
            return _Evaluator(values, family, instance).value(node, {})
    except (Inexact, InvalidOperation, DivisionByZero) as error:
        raise LotoneError(
            f"cannot compute {format_expression(node)} exactly: {type(error).__name__}"
        ) from error


def holds(
    node: Node, values: Mapping[str, Value], family: Family, *, instance: int | None = None
) -> bool:
    """Whether the checked condition ``node`` is true in a complete configuration.

    Raises
    ------
    InvalidValue
        When a key is missing or the expression is not a condition.
    """
    value = evaluate(node, values, family, instance=instance)
    if not isinstance(value, bool):
        raise InvalidValue(format_expression(node), value, "a condition must be true or false")
    return value
