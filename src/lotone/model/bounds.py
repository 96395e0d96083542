"""Interval bounds of numeric formulas over a family's attribute ranges (sound, not exact).

:func:`bounds` gives an interval ``[lo, hi]`` that holds the value of a checked numeric
expression for *every* configuration whose attributes lie on their grids, whatever the rules say.
It is used at load time to refuse production formulas (quantities, durations) that could go
negative: when ``lo >= 0`` no configuration can make the formula negative; when ``lo < 0`` some
combination of attribute values might, although the rules may exclude it (a false alarm the
message explains, with the interval). Division is by non-zero constants only (the checker refuses
anything else), so a formula can never divide by zero.
"""

from __future__ import annotations

from decimal import Decimal

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
    Ref,
    Unary,
)
from lotone.model.family import EnumAttribute, Family, NumberAttribute
from lotone.model.scope import attribute_of

__all__ = ["Interval", "bounds"]

Interval = tuple[Decimal, Decimal]
"""A closed interval ``(lo, hi)``."""


def _hull(*xs: Interval) -> Interval:
    return min(x[0] for x in xs), max(x[1] for x in xs)


def _mul(a: Interval, b: Interval) -> Interval:
    products = [x * y for x in a for y in b]
    return min(products), max(products)


def bounds(node: Node, family: Family) -> Interval:
    """An interval holding the value of the checked numeric ``node`` in every configuration.

    Parameters
    ----------
    node
        A checked numeric expression (from :func:`~lotone.model.checker.check_expression`).
    family
        The family it was checked against.

    Returns
    -------
    Interval
        ``(lo, hi)``, sound over the attributes' grids (rules are not taken into account).

    Examples
    --------
    >>> from lotone.model.checker import check_expression
    >>> from lotone.model.parser import parse_expression
    >>> width = NumberAttribute("w", "W", Decimal(600), Decimal(3000))
    >>> family = Family("f", "F", "1", (width,))
    >>> bounds(check_expression(parse_expression("w - 700"), family, expect="number"), family)
    (Decimal('-100'), Decimal('2300'))
    """
    match node:
        case Literal(value=Decimal() as v):
            return v, v
        case AttrRef():
            attr = attribute_of(node, family)
            if isinstance(attr, NumberAttribute):
                return attr.min, attr.max
        case PropRef(ref=ref, prop=prop):
            attr = attribute_of(ref, family)
            if isinstance(attr, EnumAttribute):
                values = [v.properties[prop] for v in attr.values if prop in v.properties]
                return min(values), max(values)
        case CountRef(slot=slot):
            s = family.slot(slot)
            return Decimal(s.min_count), Decimal(s.max_count)
        case Unary(op="-", operand=x):
            lo, hi = bounds(x, family)
            return -hi, -lo
        case Binary(op="+", left=a, right=b):
            (al, ah), (bl, bh) = bounds(a, family), bounds(b, family)
            return al + bl, ah + bh
        case Binary(op="-", left=a, right=b):
            (al, ah), (bl, bh) = bounds(a, family), bounds(b, family)
            return al - bh, ah - bl
        case Binary(op="*", left=a, right=b):
            return _mul(bounds(a, family), bounds(b, family))
        case Binary(op="/", left=a, right=Literal(value=Decimal() as k)) if k != 0:
            return _mul(bounds(a, family), (1 / k, 1 / k))
        case Call(func="if", args=(_, a, b)):
            return _hull(bounds(a, family), bounds(b, family))
        case Call(func="abs", args=(x,)):
            lo, hi = bounds(x, family)
            if lo >= 0:
                return lo, hi
            if hi <= 0:
                return -hi, -lo
            return Decimal(0), max(-lo, hi)
        case Call(func="min" | "max" as func, args=args) if args:
            each = [bounds(a, family) for a in args]
            pick = min if func == "min" else max
            return pick(x[0] for x in each), pick(x[1] for x in each)
        case Aggregate(func="count", slot=slot):
            return Decimal(0), Decimal(family.slot(slot).max_count)
        case Aggregate(func="sum", slot=slot, body=body):
            s = family.slot(slot)
            lo, hi = bounds(body, family)
            ends = [lo * s.min_count, lo * s.max_count, hi * s.min_count, hi * s.max_count]
            return min(ends), max(ends)
        case Aggregate(func="min" | "max", body=body):
            return bounds(body, family)
        case Ref() | InList():
            pass
    raise LotoneError(f"internal: no numeric bounds for {type(node).__name__}")
