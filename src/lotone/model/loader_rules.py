"""Rules, tables and price terms of a family file, parsed and checked against the family.

Expressions are parsed with :func:`~lotone.model.parser.parse_expression` at the position of the
text inside the YAML scalar and checked with :func:`~lotone.model.checker.check_expression`
(module rules and terms with ``slot`` set), so their errors point at the exact column. An
expression that names an attribute which already failed to load is left out silently: that
attribute has its own error, and "unknown name" on top of it would only add noise.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal, TypeVar

from lotone.errors import LotoneError, ModelError, SourceSpan, did_you_mean
from lotone.model.ast import AttrRef, Node, Ref
from lotone.model.checker import check_column, check_expression
from lotone.model.family import (
    Attribute,
    BoolAttribute,
    ConstraintRule,
    EnumAttribute,
    Family,
    PriceTerm,
    Rule,
    TableRule,
    Value,
)
from lotone.model.loader_attributes import fmt, grid
from lotone.model.loader_fields import Fields, Problems, Skip, expect_map, expect_seq, number_of
from lotone.model.parser import parse_expression
from lotone.model.yaml_source import Located, Map, Scalar, Seq, kind_of

T = TypeVar("T")

__all__ = ["Scope", "load_prices", "load_rules"]

_RULE_KEYS = ("id", "message", "rule", "table")
_TABLE_KEYS = ("columns", "rows", "when")
_PRICE_KEYS = ("label", "when", "amount")
_WILDCARD = "*"


@dataclass(frozen=True, slots=True)
class Scope:
    """Where rules and terms are read: the family to check against and the module, if any.

    ``ids`` maps every rule id seen so far (in the whole file) to its position; ``broken`` holds
    the names of attributes and modules that failed to load.
    """

    family: Family
    problems: Problems
    ids: dict[str, SourceSpan]
    broken: frozenset[str]
    slot: str | None = None

    @property
    def suffix(self) -> str:
        """`` of module 'x'`` inside a module, else ``""``."""
        return f" of module {self.slot!r}" if self.slot else ""

    def parse(self, node: Scalar, f: Fields) -> Node | None:
        """The unchecked tree of the expression in ``node``; ``None`` (and ``f`` failed) if bad."""
        try:
            tree = parse_expression(node.text, node.text_span)
        except ModelError as exc:
            self.problems.absorb(exc)
            f.failed = True
            return None
        if self.broken and any(name in self.broken for name in _names(tree)):
            f.failed = True  # the broken attribute or module has its own error already
            return None
        return tree

    def expression(
        self,
        f: Fields,
        key: str,
        expect: Literal["bool", "number"],
        subject: str | None = None,
    ) -> Node | None:
        """The checked expression under ``key`` of ``f``, if present and valid.

        ``subject`` names the expression in a type error (``"a quantity"``).
        """
        node = f.get(key)
        if node is None:
            return None
        if not isinstance(node, Scalar) or node.value is None or not node.text.strip():
            kind = "a condition" if expect == "bool" else "a formula"
            f.error(node.span, f"{key!r} must be {kind} (an expression), got {kind_of(node)}")
            return None
        tree = self.parse(node, f)
        if tree is None:
            return None
        try:
            return check_expression(
                tree, self.family, slot=self.slot, expect=expect, subject=subject
            )
        except ModelError as exc:
            self.problems.absorb(exc)
            f.failed = True
            return None


def _names(node: object) -> Iterator[str]:
    """Every name part (and ``slot.attribute`` pair) of every Ref in an unchecked tree."""
    if isinstance(node, Ref):
        yield from node.parts
        if len(node.parts) >= 2:
            yield f"{node.parts[0]}.{node.parts[1]}"
        return
    if not dataclasses.is_dataclass(node):
        return
    for fld in dataclasses.fields(node):
        value = getattr(node, fld.name)
        for child in value if isinstance(value, tuple) else (value,):
            yield from _names(child)


def _load_list(
    node: Located | None, what: str, scope: Scope, read: Callable[[Located, int, Scope], T]
) -> tuple[T, ...]:
    """Read each item of a list with ``read``; items with errors are recorded and left out."""
    if node is None:
        return ()
    try:
        items = expect_seq(node, f"'{what}'{scope.suffix}", scope.problems)
    except Skip:
        return ()
    out: list[T] = []
    for index, item in enumerate(items.items, start=1):
        with contextlib.suppress(Skip):  # its errors are recorded; read the other items
            out.append(read(item, index, scope))
    return tuple(out)


def load_rules(node: Located | None, scope: Scope) -> tuple[Rule, ...]:
    """The rules of a ``rules:`` list (core, or of ``scope.slot``); bad rules are left out."""
    return _load_list(node, "rules", scope, _rule)


def _rule(node: Located, index: int, scope: Scope) -> Rule:
    problems = scope.problems
    mapping = expect_map(node, f"rule #{index}{scope.suffix}", problems)
    id_node = mapping.get("id")
    if isinstance(id_node, Scalar) and id_node.value is not None:
        what = f"rule {id_node.text!r}"
    else:
        what = f"rule #{index}{scope.suffix}"
    f = Fields(mapping, what, problems, mapping.span)
    f.check_keys(_RULE_KEYS, required=("id", "message"))
    rule_id, message = f.text("id"), f.text("message")
    if rule_id is not None:
        first = scope.ids.get(rule_id)
        if first is not None:
            f.failed = True
            problems.error(
                f.span("id"),
                f"duplicate rule id {rule_id!r} (first at {_at(first)})",
                "rule ids must be unique in the file",
            )
        else:
            scope.ids[rule_id] = f.span("id")
    has_rule, has_table = f.get("rule") is not None, f.get("table") is not None
    if not has_rule and not has_table:
        f.error(f.where, "needs either 'rule' or 'table'", "add 'rule: <condition>' or a 'table:'")
    elif has_rule and has_table:
        f.error(f.key_span("table"), "has both 'rule' and 'table'", "split it into two rules")
    expr = scope.expression(f, "rule", "bool") if has_rule else None
    table = _table(f, scope) if has_table else None
    f.settle()
    if rule_id is None or message is None:  # pragma: no cover - settle() raised
        raise Skip()
    if table is not None:
        columns, rows, when = table
        return TableRule(rule_id, message, columns, rows, when, scope.slot, mapping.span)
    if expr is None:  # pragma: no cover - settle() raised
        raise Skip()
    return ConstraintRule(rule_id, message, expr, scope.slot, mapping.span)


def _at(span: SourceSpan) -> str:
    return f"{span.line}:{span.column}"


_Table = tuple[tuple[Node, ...], tuple[tuple[Value | None, ...], ...], Node | None]


def _table(rule: Fields, scope: Scope) -> _Table | None:
    node = rule.get("table")
    if not isinstance(node, Map):
        rule.error(rule.span("table"), "'table' must be a mapping with 'columns' and 'rows'")
        return None
    f = Fields(node, rule.what, rule.problems, rule.key_span("table"))
    f.check_keys(_TABLE_KEYS, required=("columns", "rows"))
    columns = _columns(f, scope)
    rows = _rows(f, columns)
    when = scope.expression(f, "when", "bool")
    if f.failed:
        rule.failed = True
        return None
    return tuple(ref for ref, _, _ in columns if ref is not None), rows, when


_Column = tuple[AttrRef | None, Attribute | None, str]  # resolved ref, its attribute, the text


def _columns(f: Fields, scope: Scope) -> list[_Column]:
    node = f.get("columns")
    if node is None:
        return []
    if not isinstance(node, Seq):
        f.error(node.span, f"'columns' must be a list of attribute names, got {kind_of(node)}")
        return []
    out: list[_Column] = []
    for item in node.items:
        column = _column(item, f, scope)
        if column[0] is not None and column[0] in [ref for ref, _, _ in out]:
            f.error(item.span, f"column {column[2]!r} appears twice", "merge the two columns")
        out.append(column)
    if not out:
        f.error(node.span, "'columns' is empty", "list the attributes the rows give values for")
    return out


def _column(item: Located, f: Fields, scope: Scope) -> _Column:
    if not isinstance(item, Scalar) or not isinstance(item.value, str):
        f.error(item.span, f"a column must be an attribute name, got {kind_of(item)}")
        return None, None, ""
    tree = scope.parse(item, f)
    if tree is None:
        return None, None, item.text
    try:
        ref = check_column(tree, scope.family, slot=scope.slot)
        slot = scope.family.slot(ref.slot) if ref.slot is not None else None
        attr = (
            slot.attribute(ref.attribute)
            if slot is not None
            else scope.family.attribute(ref.attribute)
        )
    except ModelError as exc:
        scope.problems.absorb(exc)
        f.failed = True
        return None, None, item.text
    except LotoneError as exc:  # pragma: no cover - check_column resolves the name
        f.error(item.span, str(exc))
        return None, None, item.text
    return ref, attr, item.text


def _rows(f: Fields, columns: list[_Column]) -> tuple[tuple[Value | None, ...], ...]:
    node = f.get("rows")
    if node is None:
        return ()
    if not isinstance(node, Seq):
        f.error(node.span, f"'rows' must be a list of rows, got {kind_of(node)}")
        return ()
    if not node.items:
        f.error(node.span, "the table has no rows", "list the allowed combinations, one per row")
    out: list[tuple[Value | None, ...]] = []
    for number, row in enumerate(node.items, start=1):
        if not isinstance(row, Seq):
            f.error(row.span, f"row {number} must be a list of cells, got {kind_of(row)}")
            continue
        if columns and len(row.items) != len(columns):
            f.error(
                row.span,
                f"row {number} has {_cells(len(row.items))}, the table has {len(columns)} columns",
            )
            continue
        out.append(
            tuple(_cell(cell, col, f) for cell, col in zip(row.items, columns, strict=False))
        )
    return tuple(out)


def _cells(n: int) -> str:
    return f"{n} cell" if n == 1 else f"{n} cells"


def _cell(cell: Located, column: _Column, f: Fields) -> Value | None:
    """A cell as a value of its column's attribute; ``"*"`` is ``None`` (any value)."""
    _, attr, text = column
    if not isinstance(cell, Scalar) or cell.value is None:
        f.error(cell.span, f"a cell must be a value, got {kind_of(cell)}", 'use "*" for any value')
        return None
    if cell.text == _WILDCARD:
        return None
    if attr is None:
        return None  # the column has its own error
    if isinstance(attr, EnumAttribute):
        names = [v.name for v in attr.values]
        if cell.text not in names:
            hint = did_you_mean(cell.text, names) or "values: " + ", ".join(names)
            f.error(cell.span, f"{cell.text!r} is not a value of {text!r}", hint)
        return cell.text
    if isinstance(attr, BoolAttribute):
        if not isinstance(cell.value, bool):
            f.error(cell.span, f"a cell of {text!r} must be true or false, got {kind_of(cell)}")
        return cell.value
    number = number_of(cell, f"a cell of {text!r}", f.error)
    if number is not None and not attr.allows(number):
        f.error(cell.span, f"{fmt(number)} is not a value of {text!r}", f"allowed: {grid(attr)}")
    return number


def load_prices(node: Located | None, scope: Scope) -> tuple[PriceTerm, ...]:
    """The terms of a ``prices:`` list (core, or of ``scope.slot``); bad terms are left out."""
    return _load_list(node, "prices", scope, _price)


def _price(node: Located, index: int, scope: Scope) -> PriceTerm:
    mapping = expect_map(node, f"price term #{index}{scope.suffix}", scope.problems)
    label_node = mapping.get("label")
    label = (
        label_node.text if isinstance(label_node, Scalar) and label_node.value is not None else ""
    )
    what = (f"price term {label!r}" if label else f"price term #{index}") + scope.suffix
    f = Fields(mapping, what, scope.problems, mapping.span)
    f.check_keys(_PRICE_KEYS, required=("amount",))
    f.text("label")
    amount = scope.expression(f, "amount", "number")
    when = scope.expression(f, "when", "bool")
    f.settle()
    if amount is None:  # pragma: no cover - settle() raised
        raise Skip()
    return PriceTerm(amount, when, label, scope.slot, mapping.span)
