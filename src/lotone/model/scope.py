"""Name resolution for the expression checker: what a written name means in a family.

A :class:`Scope` knows the family, the module a rule belongs to (if any) and the modules the
enclosing aggregates range over. :func:`resolve` turns a written :class:`~lotone.model.ast.Ref`
into an :class:`~lotone.model.ast.AttrRef`, :class:`~lotone.model.ast.PropRef` or
:class:`~lotone.model.ast.CountRef` together with its :class:`ExprType`, or raises a
:class:`~lotone.errors.ModelError` that says why and how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from lotone.errors import ModelError, SourceSpan, did_you_mean
from lotone.model.ast import AttrRef, CountRef, Node, PropRef, Ref
from lotone.model.family import (
    Attribute,
    BoolAttribute,
    EnumAttribute,
    Family,
    NumberAttribute,
    Slot,
)
from lotone.model.printer import format_expression

__all__ = [
    "BOOL",
    "ERROR",
    "NUMBER",
    "ExprType",
    "Scope",
    "TypeKind",
    "attribute_of",
    "resolve",
    "resolve_checked",
    "suggest",
    "type_of_attribute",
]

TypeKind = Literal["bool", "number", "enum", "string", "error"]


@dataclass(frozen=True, slots=True)
class ExprType:
    """The type of an expression.

    ``unit`` is the unit of a number (``None``: no unit, fits any); ``enum`` is the attribute
    whose values an enumerated expression takes; ``text`` is the value of a string constant.
    The ``error`` kind marks an expression already reported, so that one mistake gives one
    message.
    """

    kind: TypeKind
    unit: str | None = None
    enum: EnumAttribute | None = None
    text: str | None = None

    def describe(self) -> str:
        """A short description for messages: ``number, mm``, ``enumerated``, ..."""
        if self.kind == "number":
            return f"number, {self.unit}" if self.unit else "number"
        return {"bool": "true or false", "enum": "enumerated", "string": "text"}.get(
            self.kind, "invalid"
        )

    def noun(self) -> str:
        """What an expression of this type is, for messages: ``a number``, ``a condition``..."""
        return {
            "number": "a number",
            "bool": "a condition (true or false)",
            "enum": "an enumerated value",
            "string": "a text constant",
        }.get(self.kind, "invalid")


BOOL = ExprType("bool")
"""The type of conditions."""
NUMBER = ExprType("number")
"""The type of numbers without a unit."""
ERROR = ExprType("error")
"""The type of expressions that were already reported as wrong."""


def type_of_attribute(attr: Attribute) -> ExprType:
    """The type of a reference to ``attr``."""
    if isinstance(attr, EnumAttribute):
        return ExprType("enum", enum=attr)
    if isinstance(attr, BoolAttribute):
        return BOOL
    return ExprType("number", unit=attr.unit)


def attribute_of(ref: AttrRef, family: Family) -> Attribute:
    """The attribute a resolved reference denotes; raises ``UnknownName`` when there is none."""
    if ref.slot is None:
        return family.attribute(ref.attribute)
    return family.slot(ref.slot).attribute(ref.attribute)


def _find(attributes: Iterable[Attribute], name: str) -> Attribute | None:
    return next((a for a in attributes if a.name == name), None)


def suggest(name: str, known: Sequence[str], what: str) -> str:
    """A did-you-mean hint for ``name``, or else the list of ``what`` there are."""
    close = did_you_mean(name, known)
    if close:
        return close
    listed = ", ".join(sorted(known)[:12])
    return f"the {what} are {listed}" if known else f"there are no {what}"


def _example(slot: str, attr: Attribute) -> str:
    """An aggregate over ``slot.attr`` that makes sense for the attribute's type."""
    if isinstance(attr, NumberAttribute):
        return f"any({slot}.{attr.name} > {attr.min})"
    if isinstance(attr, EnumAttribute):
        return f'any({slot}.{attr.name} == "{attr.values[0].name}")'
    return f"any({slot}.{attr.name})"


@dataclass(frozen=True, slots=True)
class Scope:
    """Where an expression stands: its family, its module (if any), the enclosing aggregates.

    ``ranging`` lists the modules the enclosing aggregates range over, innermost last.
    """

    family: Family
    module: Slot | None = None
    ranging: tuple[str, ...] = ()

    def inside(self, slot: str) -> Scope:
        """The scope of the body of an aggregate over ``slot``."""
        return Scope(self.family, self.module, (*self.ranging, slot))

    def slot_named(self, name: str) -> Slot | None:
        """The module slot a bare ``name`` denotes here, unless an attribute shadows it."""
        if self.module is not None and _find(self.module.attributes, name) is not None:
            return None
        if _find(self.family.attributes, name) is not None:
            return None
        return next((s for s in self.family.slots if s.name == name), None)

    def visible(self) -> list[str]:
        """Every name a bare word can denote here."""
        own = [a.name for a in self.module.attributes] if self.module else []
        return own + [a.name for a in self.family.attributes] + [s.name for s in self.family.slots]

    def check_unbound(self, slot: str, attribute: str, span: SourceSpan | None) -> None:
        """Refuse ``slot.attribute`` (no instance number) unless an aggregate ranges over it."""
        if self.ranging and self.ranging[-1] == slot:
            return
        written = f"{slot}.{attribute}"
        if self.ranging:
            raise ModelError.at(
                span,
                f"{written} cannot be used inside an aggregate over {self.ranging[-1]}",
                "an aggregate ranges over one module; aggregate over each module separately",
            )
        if self.module is not None and self.module.name == slot:
            raise ModelError.at(
                span,
                f"{written} names the {attribute} of every {slot}, not of this one",
                f"write {attribute} for this {slot}'s own value",
            )
        mod = self.family.slot(slot)
        one = f", or one instance such as {slot}[1].{attribute}" if mod.min_count >= 1 else ""
        raise ModelError.at(
            span,
            f"{written} names the {attribute} of every {slot}, not one value",
            f"use an aggregate such as {_example(slot, mod.attribute(attribute))}{one}",
        )


def _member(slot: Slot, name: str, span: SourceSpan | None) -> Attribute:
    attr = _find(slot.attributes, name)
    if attr is None:
        known = [a.name for a in slot.attributes] + ["count"]
        raise ModelError.at(
            span,
            f"module {slot.name} has no attribute {name!r}",
            suggest(name, known, f"attributes of {slot.name}"),
        )
    return attr


def _indexed(ref: Ref, index: int, scope: Scope) -> tuple[AttrRef, Attribute]:
    head, span = ref.parts[0], ref.span
    slot = scope.slot_named(head)
    if slot is None:
        names = [s.name for s in scope.family.slots]
        raise ModelError.at(
            span,
            f"only modules have numbered instances, and {head!r} is not a module",
            suggest(head, names, "modules"),
        )
    if len(ref.parts) == 1:
        first = slot.attributes[0].name if slot.attributes else "width_mm"
        raise ModelError.at(
            span,
            f"{head}[{index}] is a module instance, not a value",
            f"name one of its attributes, e.g. {head}[{index}].{first}",
        )
    attr = _member(slot, ref.parts[1], span)
    if index < 1:
        raise ModelError.at(span, "instance numbers start at 1", f"write e.g. {head}[1]")
    if index > slot.min_count:
        raise ModelError.at(
            span,
            f"{head}[{index}] may not exist: a product can have as few as {slot.min_count}"
            f" {head} instances",
            f"use an aggregate such as {_example(head, attr)}, or make the slot's minimum count"
            f" at least {index}",
        )
    return AttrRef(attr.name, head, index, span), attr


def resolve(ref: Ref, scope: Scope) -> tuple[Node, ExprType]:
    """Resolve a written name in ``scope``.

    Parameters
    ----------
    ref
        The name as parsed.
    scope
        The family, module and enclosing aggregates the name is written in.

    Returns
    -------
    tuple[Node, ExprType]
        The resolved node and its type.

    Raises
    ------
    ModelError
        For unknown names (with a did-you-mean), instance numbers above the slot's minimum count,
        module attributes outside an aggregate, and missing properties.
    """
    head, span = ref.parts[0], ref.span
    rest = ref.parts[1:]
    if ref.index is not None:
        base, attr = _indexed(ref, ref.index, scope)
        return _with_property(base, attr, ref.parts[2:], ref)
    own = _find(scope.module.attributes, head) if scope.module else None
    core = _find(scope.family.attributes, head)
    slot = scope.slot_named(head)
    if scope.module is not None and own is not None:
        if scope.ranging:
            mod = scope.module.name
            raise ModelError.at(
                span,
                f"{head} is this {mod}'s own attribute and cannot be used inside an aggregate",
                f"to range over every {mod}, write {mod}.{head}; to use this {mod}'s value,"
                " move it out of the aggregate",
            )
        return _with_property(AttrRef(head, scope.module.name, None, span), own, rest, ref)
    if core is not None:
        return _with_property(AttrRef(head, None, None, span), core, rest, ref)
    if slot is not None:
        if not rest:
            raise ModelError.at(
                span,
                f"{head} is a module, not a value",
                f"use {head}.count, or an aggregate over one of its attributes",
            )
        if rest == ("count",) and _find(slot.attributes, "count") is None:
            return CountRef(head, span), NUMBER
        attr = _member(slot, rest[0], span)
        scope.check_unbound(head, attr.name, span)
        return _with_property(AttrRef(attr.name, head, None, span), attr, rest[1:], ref)
    raise ModelError.at(
        span, f"unknown name {head!r}", suggest(head, scope.visible(), "names here")
    )


def _with_property(
    base: AttrRef, attr: Attribute, rest: tuple[str, ...], ref: Ref
) -> tuple[Node, ExprType]:
    if not rest:
        return base, type_of_attribute(attr)
    if len(rest) > 1:
        raise ModelError.at(
            ref.span,
            f"{format_expression(ref)!r} has too many parts",
            "write attribute, attribute.property, module.attribute or module[2].attribute",
        )
    prop = rest[0]
    if not isinstance(attr, EnumAttribute):
        raise ModelError.at(
            ref.span,
            f"{attr.name} is {type_of_attribute(attr).noun()} and has no property {prop!r}",
            "only the values of enumerated attributes have properties",
        )
    lacking = [v.name for v in attr.values if prop not in v.properties]
    if len(lacking) == len(attr.values):
        known = sorted({p for v in attr.values for p in v.properties})
        raise ModelError.at(
            ref.span,
            f"no value of {attr.name} has a property {prop!r}",
            suggest(prop, known, f"properties of the values of {attr.name}"),
        )
    if lacking:
        names = ", ".join(repr(v) for v in lacking)
        raise ModelError.at(
            ref.span,
            f"{'value' if len(lacking) == 1 else 'values'} {names} of {attr.name} "
            f"{'has' if len(lacking) == 1 else 'have'} no property {prop!r}",
            f"give every value of {attr.name} a {prop} property",
        )
    return PropRef(base, prop, ref.span), NUMBER


def _written(node: AttrRef | PropRef | CountRef, scope: Scope) -> Ref:
    """How a resolved reference is written in ``scope``."""
    match node:
        case CountRef(slot=s):
            return Ref((s, "count"), None, node.span)
        case PropRef(ref=r, prop=p):
            base = _written(r, scope)
            return Ref((*base.parts, p), base.index, node.span)
        case AttrRef(attribute=a, slot=None):
            return Ref((a,), None, node.span)
        case AttrRef(attribute=a, slot=str() as s, index=None):
            own = scope.module is not None and scope.module.name == s and not scope.ranging
            return Ref((a,) if own else (s, a), None, node.span)
        case AttrRef(attribute=a, slot=str() as s, index=i):
            return Ref((s, a), i, node.span)
    raise TypeError(f"not a resolved reference: {node!r}")


def resolve_checked(node: AttrRef | PropRef | CountRef, scope: Scope) -> tuple[Node, ExprType]:
    """Check an already resolved reference again in ``scope``; returns it with its type.

    Raises
    ------
    ModelError
        When the reference does not exist, or cannot be used where it stands.
    """
    resolved, kind = resolve(_written(node, scope), scope)
    if resolved != node:
        raise ModelError.at(
            node.span,
            f"{format_expression(node)} cannot be used here",
            "a name of the module a rule belongs to hides a core attribute of the same name",
        )
    return resolved, kind
