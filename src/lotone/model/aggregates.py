"""Which module an aggregate call ranges over: ``sum(section.width_mm)`` ranges over section.

An aggregate's argument names the module it ranges over by an unnumbered reference such as
``section.width_mm``; aggregates nested inside it range on their own and are not looked into.
"""

from __future__ import annotations

from lotone.errors import ModelError
from lotone.model.ast import AggregateFunc, Binary, Call, CountRef, InList, Node, Ref, Unary
from lotone.model.operators import text_of
from lotone.model.scope import Scope

__all__ = ["AGGREGATES", "is_aggregate_call", "ranged_module"]

AGGREGATES: dict[str, AggregateFunc] = {
    "sum": "sum",
    "count": "count",
    "any": "any",
    "all": "all",
    "min": "min",
    "max": "max",
}
"""The aggregate functions by name (``min`` and ``max`` only with one argument)."""

_EXAMPLES = {
    "sum": "sum(section.width_mm)",
    "min": "min(section.width_mm)",
    "max": "max(section.width_mm)",
    "any": 'any(section.interior == "drawers")',
    "all": 'all(section.interior == "drawers")',
    "count": 'count(section) or count(section.interior == "drawers")',
}


def is_aggregate_call(node: Call) -> bool:
    """Whether ``node`` is an aggregate: sum/count/any/all, or min/max of a single argument."""
    if node.func in ("sum", "count", "any", "all"):
        return True
    return node.func in ("min", "max") and len(node.args) == 1


def _ranged(node: Node, scope: Scope) -> list[str]:
    """The modules that unnumbered names in ``node`` refer to (not inside nested aggregates)."""
    match node:
        case Ref(parts=parts, index=None):
            slot = scope.slot_named(parts[0])
            return [slot.name] if slot is not None else []
        case Call(args=args) if not is_aggregate_call(node):
            return [s for a in args for s in _ranged(a, scope)]
        case Unary(operand=x):
            return _ranged(x, scope)
        case Binary(left=left, right=right):
            return _ranged(left, scope) + _ranged(right, scope)
        case InList(operand=x, items=items):
            return _ranged(x, scope) + [s for i in items for s in _ranged(i, scope)]
    return []


def ranged_module(node: Call, scope: Scope) -> str | CountRef:
    """The module the aggregate call ``node`` ranges over, or the count ``count(section)`` is.

    Raises
    ------
    ModelError
        When the call has other than one argument, or its argument names no module or several.
    """
    func = node.func
    if len(node.args) != 1:
        raise ModelError.at(node.span, f"{func}() takes one argument", f"e.g. {_EXAMPLES[func]}")
    (arg,) = node.args
    if func == "count" and isinstance(arg, Ref) and len(arg.parts) == 1 and arg.index is None:
        slot = scope.slot_named(arg.parts[0])
        if slot is not None:
            return CountRef(slot.name, node.span)
    names = list(dict.fromkeys(_ranged(arg, scope)))
    if not names and func in ("min", "max"):
        raise ModelError.at(
            node.span,
            f"{func}() of a single value",
            f"give two or more values, e.g. {func}(width_mm, 900), or range over a module,"
            f" e.g. {_EXAMPLES[func]}",
        )
    if not names:
        raise ModelError.at(
            node.span,
            f"{func}() ranges over the instances of a module, but {text_of(arg)} names none",
            f"e.g. {_EXAMPLES[func]}",
        )
    if len(names) > 1:
        raise ModelError.at(
            node.span,
            f"an aggregate ranges over one module, but this one names {' and '.join(names)}",
            "aggregate over each module separately, e.g. sum(a.x) + sum(b.y)",
        )
    return names[0]
