"""The type rules of the operators of lotone's expression language, used by the checker.

Each function checks one rule and raises a :class:`~lotone.errors.ModelError` whose message names
the operands as written and whose hint says how to fix the expression.
"""

from __future__ import annotations

from decimal import Decimal, Inexact, localcontext

from lotone.errors import ModelError, SourceSpan
from lotone.model.ast import Binary, InList, Literal, Node, Unary
from lotone.model.printer import format_expression
from lotone.model.scope import ExprType, suggest

__all__ = [
    "bool_hint",
    "check_comparison",
    "check_divisor",
    "check_value",
    "common_unit",
    "fold_negation",
    "need_bool",
    "need_number",
    "number_hint",
    "number_type",
    "start_of",
    "text_of",
]

_ORDER = frozenset({"<", "<=", ">", ">="})
_INVERSE_HINT = "multiply by the inverse, e.g. x * 0.25"


def text_of(node: Node) -> str:
    """``node`` as written, shortened to 40 characters for messages."""
    text = format_expression(node)
    return text if len(text) <= 40 else text[:37] + "..."


def start_of(node: Node) -> SourceSpan | None:
    """Where the text of ``node`` starts (operators carry the span of the operator)."""
    match node:
        case Binary(left=left):
            return start_of(left)
        case InList(operand=operand):
            return start_of(operand)
    return node.span


def fold_negation(node: Node) -> Node:
    """``-`` applied to a numeric constant, as one (negative) constant."""
    if isinstance(node, Unary) and node.op == "-" and isinstance(node.operand, Literal):
        value = node.operand.value
        if isinstance(value, Decimal):
            return Literal(-value, node.span)
    return node


def bool_hint(text: str, t: ExprType) -> str | None:
    """How to turn ``text`` (of type ``t``) into a condition, if there is a usual way."""
    if t.kind == "number":
        return f"compare it, e.g. {text} > 0"
    if t.kind == "enum" and t.enum is not None:
        return f'compare it with one of its values, e.g. {text} == "{t.enum.values[0].name}"'
    if t.kind == "string":
        return f"compare an enumerated attribute with it, e.g. attribute == {text}"
    return None


def number_hint(text: str, t: ExprType) -> str | None:
    """How to turn ``text`` (of type ``t``) into a number, if there is a usual way."""
    if t.kind == "bool":
        return "turn a condition into a number with if(condition, 1, 0)"
    if t.kind == "enum" and t.enum is not None:
        props = sorted({p for v in t.enum.values for p in v.properties})
        if props:
            return f"use a numeric property of its values, e.g. {text}.{props[0]}"
        return f"give the values of {text} a numeric property and use it, e.g. {text}.factor"
    return None


def need_bool(raw: Node, t: ExprType, what: str) -> None:
    """Refuse ``raw`` (of type ``t``) as an operand of ``what`` unless it is a condition."""
    if t.kind != "bool":
        text = text_of(raw)
        raise ModelError.at(
            start_of(raw), f"{what} needs a condition, but {text} is {t.noun()}", bool_hint(text, t)
        )


def need_number(raw: Node, t: ExprType, what: str) -> None:
    """Refuse ``raw`` (of type ``t``) as an operand of ``what`` unless it is a number."""
    if t.kind != "number":
        text = text_of(raw)
        raise ModelError.at(
            start_of(raw), f"{what} needs a number, but {text} is {t.noun()}", number_hint(text, t)
        )


def common_unit(a: ExprType, b: ExprType, span: SourceSpan | None, message: str) -> str | None:
    """The common unit of two numbers; ``message`` explains a mismatch."""
    if a.unit is not None and b.unit is not None and a.unit != b.unit:
        raise ModelError.at(span, message, "only numbers in the same unit (or constants) mix")
    return a.unit if a.unit is not None else b.unit


def number_type(unit: str | None) -> ExprType:
    """The type of numbers in ``unit``."""
    return ExprType("number", unit=unit)


def check_divisor(node: Binary, right: Node) -> Literal:
    """The checked divisor of ``node``: a non-zero constant with an exact inverse."""
    k = fold_negation(right)
    if not (isinstance(k, Literal) and isinstance(k.value, Decimal)):
        raise ModelError.at(
            node.span, f"'/' divides only by a constant, and {text_of(right)} is not one",
            _INVERSE_HINT,
        )  # fmt: skip
    if k.value == 0:
        raise ModelError.at(node.span, "division by zero")
    with localcontext() as ctx:
        ctx.traps[Inexact] = True
        try:
            Decimal(1) / k.value
        except Inexact:
            raise ModelError.at(
                node.span, f"dividing by {text_of(right)} is not exact", _INVERSE_HINT
            ) from None
    return k


def check_comparison(node: Binary, tl: ExprType, tr: ExprType) -> None:
    """Check the operands of a comparison; raises on a mismatch."""
    a, b = text_of(node.left), text_of(node.right)
    mismatch = f"cannot compare {a} ({tl.describe()}) with {b} ({tr.describe()})"
    kinds = {tl.kind, tr.kind}
    if kinds == {"number"}:
        common_unit(tl, tr, node.span, mismatch)
    elif node.op in _ORDER:
        if "number" in kinds:
            raise ModelError.at(node.span, mismatch)
        odd, t = (a, tl) if tl.kind != "number" else (b, tr)
        hint = (
            "conditions compare only with == and !="
            if t.kind == "bool"
            else "enumerated values compare only with ==, != and in"
        )
        raise ModelError.at(
            node.span, f"'{node.op}' compares numbers, but {odd} is {t.noun()}", hint
        )
    elif kinds in ({"bool"}, {"enum"}):
        return
    elif kinds == {"enum", "string"}:
        enum, literal = (tl, node.right) if tl.kind == "enum" else (tr, node.left)
        check_value(enum, literal)
    elif kinds == {"string"}:
        raise ModelError.at(
            node.span,
            f"cannot compare two constants, {a} and {b}",
            f"compare an enumerated attribute with a value, e.g. attribute == {a}",
        )
    else:
        raise ModelError.at(node.span, mismatch)


def check_value(enum: ExprType, literal: Node) -> None:
    """Check that the text constant ``literal`` is a value of the enumerated type ``enum``."""
    attr = enum.enum
    if attr is None or not isinstance(literal, Literal) or not isinstance(literal.value, str):
        return
    names = [v.name for v in attr.values]
    if literal.value not in names:
        raise ModelError.at(
            literal.span,
            f"{literal.value!r} is not a value of {attr.name}",
            suggest(literal.value, names, f"values of {attr.name}"),
        )
