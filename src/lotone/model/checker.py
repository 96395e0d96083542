"""The checker of lotone's expression language: resolves names and checks types against a family.

:func:`check_expression` takes a tree from :func:`~lotone.model.parser.parse_expression` and
returns a new one in which every name is an :class:`~lotone.model.ast.AttrRef`,
:class:`~lotone.model.ast.PropRef` or :class:`~lotone.model.ast.CountRef` and every aggregate an
:class:`~lotone.model.ast.Aggregate`. It reports every independent mistake it finds at once, each
with its position, what is wrong and a hint; a mistake inside an operand is reported once, not
again by every operator around it. Checking a checked tree again gives the same tree.

Types: conditions, numbers with a unit (a constant or a number without unit fits any unit),
enumerated values of one attribute, and text constants (values of enumerated attributes).
"""

from __future__ import annotations

from typing import Literal as TLiteral
from typing import NoReturn, cast

from lotone.errors import Diagnostic, ModelError, SourceSpan, UnknownName
from lotone.model.aggregates import AGGREGATES, is_aggregate_call, ranged_module
from lotone.model.ast import (
    Aggregate,
    AggregateFunc,
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
from lotone.model.family import Family
from lotone.model.operators import (
    bool_hint,
    check_comparison,
    check_divisor,
    check_value,
    common_unit,
    fold_negation,
    need_bool,
    need_number,
    number_hint,
    number_type,
    start_of,
    text_of,
)
from lotone.model.scope import (
    BOOL,
    ERROR,
    NUMBER,
    ExprType,
    Scope,
    resolve,
    resolve_checked,
    suggest,
)

__all__ = ["ExprType", "check_column", "check_expression", "type_of"]

Typed = tuple[Node, ExprType]

_FUNCTIONS = ("abs", "all", "any", "count", "if", "max", "min", "sum")
_LOGIC = frozenset({"and", "or", "implies", "requires", "excludes"})


class _Checker:
    """Checks one expression, collecting every diagnostic."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def report(self, error: ModelError) -> None:
        self.diagnostics.extend(error.diagnostics)

    def fail_if_any(self) -> None:
        if self.diagnostics:
            ordered = sorted(
                self.diagnostics,
                key=lambda d: (d.span is None, (d.span.line, d.span.column) if d.span else (0, 0)),
            )
            raise ModelError(ordered)

    def check(self, node: Node, scope: Scope) -> Typed:
        """The checked ``node`` and its type; an error is recorded and typed ``ERROR``."""
        try:
            return self.check_strict(node, scope)
        except ModelError as error:
            self.report(error)
            return node, ERROR

    def check_strict(self, node: Node, scope: Scope) -> Typed:
        match node:
            case Literal(value=bool()):
                return node, BOOL
            case Literal(value=str() as text):
                return node, ExprType("string", text=text)
            case Literal():
                return node, NUMBER
            case Ref():
                return resolve(node, scope)
            case AttrRef() | PropRef() | CountRef():
                return resolve_checked(node, scope)
            case Unary():
                return self.unary(node, scope)
            case Binary():
                return self.binary(node, scope)
            case InList():
                return self.in_list(node, scope)
            case Call():
                return self.call(node, scope)
            case Aggregate():
                self.nesting(node.func, node.slot, node.span, scope)
                return self.aggregate(node.func, node.slot, node.body, node.span, scope)

    def unary(self, node: Unary, scope: Scope) -> Typed:
        x, t = self.check(node.operand, scope)
        out = Unary(node.op, x, node.span)
        if t is ERROR:
            return out, ERROR
        if node.op == "not":
            need_bool(node.operand, t, "'not'")
            return out, BOOL
        need_number(node.operand, t, "'-'")
        return out, t

    def binary(self, node: Binary, scope: Scope) -> Typed:
        (left, tl), (right, tr) = self.check(node.left, scope), self.check(node.right, scope)
        op, span = node.op, node.span
        out = Binary(op, left, right, span)
        if ERROR in (tl, tr):
            return out, ERROR
        a, b = text_of(node.left), text_of(node.right)
        if op in _LOGIC:
            need_bool(node.left, tl, f"'{op}'")
            need_bool(node.right, tr, f"'{op}'")
            return out, BOOL
        if op in ("+", "-", "*", "/"):
            need_number(node.left, tl, f"'{op}'")
        if op in ("+", "-", "*"):
            need_number(node.right, tr, f"'{op}'")
        if op == "+":
            return out, number_type(
                common_unit(tl, tr, span, f"cannot add {a} ({tl.unit}) and {b} ({tr.unit})")
            )
        if op == "-":
            message = f"cannot subtract {b} ({tr.unit}) from {a} ({tl.unit})"
            return out, number_type(common_unit(tl, tr, span, message))
        if op == "*":
            # A unit times a constant keeps the unit; two units make a unit we do not track.
            return out, number_type(None if tl.unit and tr.unit else tl.unit or tr.unit)
        if op == "/":
            return Binary(op, left, check_divisor(node, right), span), tl
        check_comparison(node, tl, tr)
        return out, BOOL

    def in_list(self, node: InList, scope: Scope) -> Typed:
        x, tx = self.check(node.operand, scope)
        ok = tx is not ERROR
        if tx.kind == "string":
            self.report(
                ModelError.at(
                    start_of(node.operand),
                    f"{text_of(node.operand)} is a constant; 'in' tests an attribute or a number",
                    f"e.g. finish in ({text_of(node.operand)}, ...)",
                )
            )
            ok = False
        items: list[Node] = []
        for raw in node.items:
            item, ti = self.check(raw, scope)
            item = fold_negation(item)
            items.append(item)
            if ti is ERROR:
                ok = False
                continue
            try:
                self.item(node, tx, raw, item, ti)
            except ModelError as error:
                self.report(error)
                ok = False
        return InList(x, tuple(items), node.negated, node.span), BOOL if ok else ERROR

    def item(self, node: InList, tx: ExprType, raw: Node, item: Node, ti: ExprType) -> None:
        if not isinstance(item, Literal):
            raise ModelError.at(
                start_of(raw),
                f"the items of an 'in' list must be constants, but {text_of(raw)} is not",
                'write constants, e.g. ("oak", "walnut") or (600, 900)',
            )
        if tx.kind in ("string", "error"):
            return
        if tx.kind == "enum" and ti.kind == "string":
            check_value(tx, item)
        elif tx.kind != ti.kind:
            raise ModelError.at(
                item.span,
                f"cannot compare {text_of(node.operand)} ({tx.describe()}) with {text_of(raw)}"
                f" ({ti.describe()})",
            )

    def call(self, node: Call, scope: Scope) -> Typed:
        func = node.func
        if is_aggregate_call(node):
            return self.aggregate_call(node, scope)
        if func not in _FUNCTIONS:
            raise ModelError.at(
                node.span, f"unknown function {func!r}", suggest(func, _FUNCTIONS, "functions")
            )
        arity = {"if": 3, "abs": 1}.get(func)
        if arity is not None and len(node.args) != arity:
            usage = "if(condition, value if true, value if false)" if func == "if" else "abs(x)"
            raise ModelError.at(
                node.span,
                f"{func}() takes {arity} argument{'s' if arity > 1 else ''}, not {len(node.args)}",
                f"write {usage}",
            )
        if not node.args:
            raise ModelError.at(node.span, f"{func}() needs values, e.g. {func}(width_mm, 900)")
        typed = [self.check(a, scope) for a in node.args]
        out = Call(func, tuple(n for n, _ in typed), node.span)
        types = [t for _, t in typed]
        if ERROR in types:
            return out, ERROR
        if func == "if":
            need_bool(node.args[0], types[0], "if()")
            (a, ta), (b, tb) = zip(node.args[1:], types[1:], strict=True)
            if ta.kind == tb.kind == "bool":
                return out, BOOL
            if ta.kind == tb.kind == "number":
                message = f"the values of if() have different units: {text_of(a)} ({ta.unit})"
                return out, number_type(
                    common_unit(ta, tb, node.span, f"{message} and {text_of(b)} ({tb.unit})")
                )
            raise ModelError.at(
                node.span,
                "if() chooses between two numbers or two conditions, but got"
                f" {text_of(a)} ({ta.describe()}) and {text_of(b)} ({tb.describe()})",
            )
        for raw, t in zip(node.args, types, strict=True):
            need_number(raw, t, f"{func}()")
        unit = types[0]
        for raw, t in zip(node.args[1:], types[1:], strict=True):
            message = f"cannot take the {func} of {text_of(node.args[0])} ({unit.unit}) and"
            unit = number_type(
                common_unit(unit, t, node.span, f"{message} {text_of(raw)} ({t.unit})")
            )
        return out, unit

    def aggregate_call(self, node: Call, scope: Scope) -> Typed:
        ranged = ranged_module(node, scope)
        if isinstance(ranged, CountRef):
            return ranged, NUMBER
        self.nesting(node.func, ranged, node.span, scope)
        return self.aggregate(AGGREGATES[node.func], ranged, node.args[0], node.span, scope)

    def nesting(self, func: str, slot: str, span: SourceSpan | None, scope: Scope) -> None:
        if slot in scope.ranging:
            raise ModelError.at(
                span,
                f"{func}() over {slot} is nested inside another aggregate over {slot}",
                "aggregates over the same module cannot be nested; combine them into one",
            )

    def aggregate(
        self, func: AggregateFunc, slot: str, raw: Node, span: SourceSpan | None, scope: Scope
    ) -> Typed:
        try:
            min_count = scope.family.slot(slot).min_count
        except UnknownName as error:
            raise ModelError.at(span, str(error)) from None
        body, t = self.check(raw, scope.inside(slot))
        out = Aggregate(func, slot, body, span)
        if t is ERROR:
            return out, ERROR
        if func in ("sum", "min", "max"):
            need_number(raw, t, f"{func}()")
            if func != "sum" and min_count < 1:
                raise ModelError.at(
                    span,
                    f"{func}({text_of(raw)}) has no value when there is no {slot}",
                    "make the slot's minimum count at least 1",
                )
            return out, t
        need_bool(raw, t, f"{func}()")
        return out, NUMBER if func == "count" else BOOL


def _scope(family: Family, slot: str | None) -> Scope:
    if slot is None:
        return Scope(family)
    try:
        return Scope(family, family.slot(slot))
    except UnknownName as error:
        raise ModelError.at(None, str(error)) from None


def _expectation(
    node: Node, t: ExprType, expect: TLiteral["bool", "number"], subject: str | None
) -> NoReturn:
    text = text_of(node)
    if expect == "bool":
        what = subject or "a rule"
        message = f"{what} must be a condition (true or false), but this is {t.noun()}"
        raise ModelError.at(start_of(node), message, bool_hint(text, t))
    message = f"{subject or 'a price amount'} must be a number, but this is {t.noun()}"
    hint = "use if(condition, amount, 0)" if t.kind == "bool" else number_hint(text, t)
    raise ModelError.at(start_of(node), message, hint)


def check_expression(
    node: Node,
    family: Family,
    *,
    slot: str | None = None,
    expect: TLiteral["bool", "number"] = "bool",
    subject: str | None = None,
) -> Node:
    """Resolve every name of ``node`` in ``family`` and check its types.

    Parameters
    ----------
    node
        A tree from :func:`~lotone.model.parser.parse_expression` (a checked tree is accepted
        too and comes back unchanged).
    family
        The family the expression belongs to.
    slot
        The module slot whose rules or prices hold the expression; bare names are then the
        module's own attributes first, then core attributes. ``None`` for family-level
        expressions.
    expect
        ``"bool"`` for rules and conditions, ``"number"`` for price amounts.
    subject
        What the expression is, for the message when it has the wrong type (``"a quantity"``);
        by default ``"a rule"`` or ``"a price amount"``.

    Returns
    -------
    Node
        A new, checked tree.

    Raises
    ------
    ModelError
        With one diagnostic per mistake found (unknown names, type errors, misused aggregates,
        inexact division ...), in source order, each with a hint.
    """
    checker = _Checker()
    out, t = checker.check(node, _scope(family, slot))
    if t is not ERROR and t.kind != expect:
        try:
            _expectation(node, t, expect, subject)
        except ModelError as error:
            checker.report(error)
    checker.fail_if_any()
    return out


def type_of(node: Node, family: Family, *, slot: str | None = None) -> ExprType:
    """The type of an expression (checked or not) in ``family``, checking it on the way.

    Raises
    ------
    ModelError
        As :func:`check_expression` does.
    """
    checker = _Checker()
    _, t = checker.check(node, _scope(family, slot))
    checker.fail_if_any()
    return t


def check_column(node: Node, family: Family, *, slot: str | None = None) -> AttrRef:
    """Resolve a table column, which must name an attribute (``finish``, ``section[1].interior``).

    Raises
    ------
    ModelError
        When the name is unknown, or denotes something other than an attribute.
    """
    checker = _Checker()
    out, t = checker.check(node, _scope(family, slot))
    if t is not ERROR and not isinstance(out, AttrRef):
        what = {PropRef: "a property of a value", CountRef: "a module count"}.get(
            type(out), "an expression"
        )
        checker.report(
            ModelError.at(
                start_of(node),
                f"a table column must name an attribute, but {text_of(node)} is {what}",
                "write an attribute name, e.g. finish or section[1].interior",
            )
        )
    checker.fail_if_any()
    # Anything but an AttrRef was reported above, so fail_if_any has raised.
    return cast(AttrRef, out)
