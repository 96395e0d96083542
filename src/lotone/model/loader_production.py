"""The ``parts``, ``bom``, ``routing`` and ``qc`` sections of a family file, read and checked.

They are read after the rules (the family's attributes and modules are known), with the same
:class:`~lotone.model.loader_rules.Scope` as rules and prices, so formulas are parsed and checked
by the expression language and errors point at ``FILE:LINE:COL``. Checks that span sections
(unknown part ids, unknown or cyclic ``after`` references, formulas that can go negative) are in
:mod:`lotone.model.production_checks`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from typing import TypeVar

from lotone.errors import ModelError, SourceSpan
from lotone.model.ast import AttrRef, Node, Ref
from lotone.model.family import EnumAttribute, Family
from lotone.model.loader_fields import Fields, Problems, Skip, expect_map, expect_seq
from lotone.model.loader_rules import Scope
from lotone.model.production import (
    SUPPLIES,
    BomEntry,
    Component,
    Operation,
    Part,
    QcCheck,
    Supply,
    Template,
)
from lotone.model.scope import Scope as NameScope
from lotone.model.scope import resolve
from lotone.model.yaml_source import Entry, Located, Map, Scalar, Seq, kind_of

__all__ = ["load_bom", "load_parts", "load_qc", "load_routing", "template"]

T = TypeVar("T")

_PART_KEYS = ("label", "unit", "supply", "bom")
_COMPONENT_KEYS = ("part", "quantity")
_BOM_KEYS = ("part", "quantity", "when", "label")
_OP_KEYS = (
    "id", "label", "work_center", "when", "setup", "run", "setup_family", "after", "requires",
    "envelope_mm",
)  # fmt: skip
_QC_KEYS = ("id", "check", "nominal", "tolerance", "unit", "method", "when")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_ID_TEXT = re.compile(r"[A-Za-z0-9_.\-]*")
_STEP_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")


def _items(node: Located | None, what: str, scope: Scope, read: Callable[[Located], T]) -> list[T]:
    if node is None:
        return []
    try:
        items = expect_seq(node, f"'{what}'{scope.suffix}", scope.problems)
    except Skip:
        return []
    out: list[T] = []
    for item in items.items:
        with contextlib.suppress(Skip):
            out.append(read(item))
    return out


def template(
    node: Scalar,
    report: Callable[[SourceSpan | None, str, str | None], None],
    lookup: Callable[[str, SourceSpan], AttrRef],
) -> Template | None:
    """A text with ``{attribute}`` placeholders; ``lookup`` resolves each to an enum reference."""
    text, base = node.text, node.text_span
    pieces: list[str | AttrRef] = []
    pos, ok = 0, True
    for match in _PLACEHOLDER.finditer(text):
        pieces.append(text[pos : match.start()])
        span = base.shifted(match.start(1)) if "\n" not in text else base
        try:
            pieces.append(lookup(match.group(1).strip(), span))
        except ModelError as exc:
            for d in exc.diagnostics:
                report(d.span, d.message, d.hint)
            ok = False
        pos = match.end()
    pieces.append(text[pos:])
    literal = [p for p in pieces if isinstance(p, str)]
    if any("{" in p or "}" in p or not _ID_TEXT.fullmatch(p) for p in literal):
        report(
            node.span,
            f"{text!r} is not a valid id",
            "use letters, digits, '_', '-' and '.', and {attribute} placeholders",
        )
        ok = False
    if not text:
        report(node.span, "an id cannot be empty", None)
        ok = False
    return Template(text, tuple(p for p in pieces if p != ""), node.span) if ok else None


def _enum_ref(ref: Node, attr: object, name: str, span: SourceSpan) -> AttrRef:
    if not isinstance(ref, AttrRef) or not isinstance(attr, EnumAttribute):
        raise ModelError.at(
            span,
            f"placeholder {{{name}}} must name an enumerated attribute",
            "a placeholder is replaced by the name of the value chosen, e.g. {finish}",
        )
    return ref


def _line_lookup(scope: Scope) -> Callable[[str, SourceSpan], AttrRef]:
    """Placeholders of a BOM line or operation: resolved like names in its expressions."""
    family = scope.family
    module = family.slot(scope.slot) if scope.slot else None

    def lookup(name: str, span: SourceSpan) -> AttrRef:
        node, t = resolve(Ref(tuple(name.split(".")), None, span), NameScope(family, module))
        return _enum_ref(node, t.enum if t.kind == "enum" else None, name, span)

    return lookup


def _part_lookup(family: Family) -> Callable[[str, SourceSpan], AttrRef]:
    """Placeholders of a part declaration: a core attribute or ``module.attribute``."""

    def lookup(name: str, span: SourceSpan) -> AttrRef:
        slot, _, attr_name = name.rpartition(".")
        try:
            owner = family.slot(slot) if slot else None
            attr = owner.attribute(attr_name) if owner else family.attribute(attr_name)
        except Exception as exc:  # UnknownName: reported with its did-you-mean
            raise ModelError.at(span, str(exc)) from None
        return _enum_ref(AttrRef(attr_name, slot or None, None, span), attr, name, span)

    return lookup


def _text_template(f: Fields, key: str, scope: Scope) -> Template | None:
    node = f.scalar(key, "a text")
    if node is None:
        return None
    out = template(node, f.error, _line_lookup(scope))
    if out is None:
        f.failed = True
    return out


# --- parts ------------------------------------------------------------------------------------


def load_parts(node: Located | None, family: Family, problems: Problems) -> list[Part]:
    """The ``parts:`` mapping; a key with placeholders declares one part per value."""
    if node is None:
        return []
    try:
        mapping = expect_map(node, "'parts'", problems)
    except Skip:
        return []
    out: list[Part] = []
    for entry in mapping.entries:
        with contextlib.suppress(Skip):
            out.extend(_part(entry.key, entry.value, family, problems))
    return out


def _part(key: Scalar, value: Located, family: Family, problems: Problems) -> list[Part]:
    what = f"part {key.text!r}"
    tpl = template(key, problems.error, _part_lookup(family))
    if isinstance(value, Scalar) and isinstance(value.value, str):
        label, unit, supply = value.text, "pcs", "buy"
        bom: tuple[Component, ...] = ()
    else:
        f = Fields(expect_map(value, what, problems), what, problems, key.span)
        f.check_keys(_PART_KEYS)
        label, unit = f.text("label") or key.text, f.text("unit") or "pcs"
        supply = f.text("supply") or "buy"
        if supply not in SUPPLIES:
            f.error(f.span("supply"), f"supply {supply!r} is not known", "use buy, stock or order")
        bom = tuple(_components(f, problems))
        f.settle()
    if tpl is None:
        raise Skip()
    return [
        Part(part_id, label_of, unit, _supply(supply), bom, key.span)
        for part_id, label_of in _expand(tpl, label, family)
    ]


def _supply(text: str) -> Supply:
    return next(s for s in SUPPLIES if s == text)


def _expand(tpl: Template, label: str, family: Family) -> list[tuple[str, str]]:
    """Each id a part template declares, with its label (placeholders get the value's label)."""
    out: list[tuple[str, str]] = [("", label)]
    for piece in tpl.pieces:
        if isinstance(piece, str):
            out = [(i + piece, lab) for i, lab in out]
            continue
        owner = family.slot(piece.slot) if piece.slot else None
        attr = owner.attribute(piece.attribute) if owner else family.attribute(piece.attribute)
        if not isinstance(attr, EnumAttribute):  # pragma: no cover - the lookup refused it
            continue
        written = "{" + (f"{piece.slot}." if piece.slot else "") + piece.attribute + "}"
        out = [(i + v.name, lab.replace(written, v.label)) for i, lab in out for v in attr.values]
    return out


def _components(f: Fields, problems: Problems) -> list[Component]:
    node = f.get("bom")
    if node is None:
        return []
    if not isinstance(node, Seq):
        f.error(node.span, f"'bom' must be a list of {{part, quantity}}, got {kind_of(node)}")
        return []
    out: list[Component] = []
    for item in node.items:
        if not isinstance(item, Map):
            f.error(
                item.span, f"a component must be a mapping {{part, quantity}}, got {kind_of(item)}"
            )
            continue
        c = Fields(item, f.what, problems, item.span)
        c.check_keys(_COMPONENT_KEYS, required=_COMPONENT_KEYS)
        part, quantity = c.text("part"), c.number("quantity")
        if quantity is not None and quantity <= 0:
            c.error(c.span("quantity"), f"a component quantity must be positive, got {quantity}")
        if c.failed or part is None or quantity is None:
            f.failed = True
            continue
        out.append(Component(part, quantity, c.span("part")))
    return out


# --- bom, routing, qc -------------------------------------------------------------------------


def load_bom(node: Located | None, scope: Scope) -> list[BomEntry]:
    """A ``bom:`` list (core, or of ``scope.slot``); lines with errors are left out."""

    def read(item: Located) -> BomEntry:
        mapping = expect_map(item, f"a BOM line{scope.suffix}", scope.problems)
        f = Fields(mapping, f"BOM line{scope.suffix}", scope.problems, mapping.span)
        f.check_keys(_BOM_KEYS, required=("part", "quantity"))
        part = _text_template(f, "part", scope)
        quantity = _formula(f, "quantity", scope, "a quantity")
        when = scope.expression(f, "when", "bool", "a condition")
        label = f.text("label") or ""
        f.settle()
        if part is None or quantity is None:  # pragma: no cover - settle() raised
            raise Skip()
        return BomEntry(part, quantity, when, label, scope.slot, mapping.span)

    return _items(node, "bom", scope, read)


def _formula(f: Fields, key: str, scope: Scope, subject: str) -> Node | None:
    """A numeric formula (a plain number such as ``quantity: 2`` is one too)."""
    return scope.expression(f, key, "number", subject)


def _step_id(f: Fields, what: str) -> str | None:
    text = f.text("id")
    if text is not None and not _STEP_ID.fullmatch(text):
        f.error(f.span("id"), f"{what} id {text!r} is not valid", "use a-z, 0-9, '_' and '-'")
    return text


def load_routing(node: Located | None, scope: Scope) -> list[tuple[Operation, Map]]:
    """A ``routing:`` list, each operation with its mapping (for the ``after`` positions)."""

    def read(item: Located) -> tuple[Operation, Map]:
        mapping = expect_map(item, f"an operation{scope.suffix}", scope.problems)
        id_node = mapping.get("id")
        name = id_node.text if isinstance(id_node, Scalar) else "?"
        f = Fields(mapping, f"operation {name!r}{scope.suffix}", scope.problems, mapping.span)
        f.check_keys(_OP_KEYS, required=("id", "work_center", "run"))
        op_id = _step_id(f, "operation")
        center = f.text("work_center")
        if center is not None and not _STEP_ID.fullmatch(center):
            f.error(f.span("work_center"), f"work center type {center!r} is not valid",
                    "use a-z, 0-9, '_' and '-', e.g. cnc_router")  # fmt: skip
        run = _formula(f, "run", scope, "a run time")
        setup = _formula(f, "setup", scope, "a setup time")
        when = scope.expression(f, "when", "bool", "a condition")
        family = _text_template(f, "setup_family", scope)
        after = _names(f, "after")
        requires = _templates(f, "requires", scope)
        envelope = _envelope(f, scope)
        f.settle()
        if op_id is None or center is None or run is None:  # pragma: no cover
            raise Skip()
        op = Operation(op_id, center, run, setup, when, family, after, requires, envelope,
                       f.text("label") or "", scope.slot, mapping.span)  # fmt: skip
        return op, mapping

    return _items(node, "routing", scope, read)


def _list(f: Fields, key: str) -> list[Scalar]:
    node = f.get(key)
    if node is None:
        return []
    if isinstance(node, Scalar) and node.value is not None:
        return [node]
    if not isinstance(node, Seq) or not all(isinstance(i, Scalar) for i in node.items):
        f.error(node.span, f"{key!r} must be a list of names, got {kind_of(node)}")
        return []
    return [i for i in node.items if isinstance(i, Scalar)]


def _names(f: Fields, key: str) -> tuple[str, ...]:
    return tuple(n.text for n in _list(f, key))


def _templates(f: Fields, key: str, scope: Scope) -> tuple[Template, ...]:
    out = []
    for n in _list(f, key):
        tpl = template(n, f.error, _line_lookup(scope))
        if tpl is None:
            f.failed = True
        else:
            out.append(tpl)
    return tuple(out)


def _envelope(f: Fields, scope: Scope) -> tuple[Node, ...]:
    node = f.get("envelope_mm")
    if node is None:
        return ()
    if not isinstance(node, Seq) or not 1 <= len(node.items) <= 3:
        f.error(node.span, "'envelope_mm' must be a list of 1 to 3 sizes in mm, e.g. [l, w, h]")
        return ()
    out = []
    for item in node.items:
        holder = Map((Entry(Scalar("size", "size", item.span, item.span), item),), item.span)
        tmp = Fields(holder, f.what, f.problems, item.span)
        size = _formula(tmp, "size", scope, "a size")
        if size is None:
            f.failed = True
        else:
            out.append(size)
    return tuple(out)


def load_qc(node: Located | None, scope: Scope) -> list[QcCheck]:
    """A ``qc:`` list (core, or of ``scope.slot``)."""

    def read(item: Located) -> QcCheck:
        mapping = expect_map(item, f"a QC check{scope.suffix}", scope.problems)
        id_node = mapping.get("id")
        name = id_node.text if isinstance(id_node, Scalar) else "?"
        f = Fields(mapping, f"QC check {name!r}{scope.suffix}", scope.problems, mapping.span)
        f.check_keys(_QC_KEYS, required=("id", "check"))
        qc_id, label = _step_id(f, "QC check"), f.text("check")
        nominal = _formula(f, "nominal", scope, "a nominal value")
        tolerance = _formula(f, "tolerance", scope, "a tolerance")
        if tolerance is not None and nominal is None:
            f.error(f.span("tolerance"), "a tolerance needs a 'nominal' value to apply to")
        when = scope.expression(f, "when", "bool", "a condition")
        unit, method = f.text("unit"), f.text("method") or ""
        f.settle()
        if qc_id is None or label is None:  # pragma: no cover - settle() raised
            raise Skip()
        return QcCheck(qc_id, label, nominal, tolerance, unit, method, when, scope.slot,
                       mapping.span)  # fmt: skip

    return _items(node, "qc", scope, read)
