"""Attributes of a family file (core or module): enum, bool and number, checked as they are read.

Every check that needs only the attribute itself happens here, with the position of the key or
value at fault: names usable in expressions, ranges with ``min > max``, a ``step`` that does not
divide ``max - min``, defaults off the grid or not among the values, enums without values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from lotone.errors import LotoneError, did_you_mean
from lotone.model.family import (
    Attribute,
    BoolAttribute,
    EnumAttribute,
    EnumValue,
    NumberAttribute,
)
from lotone.model.lexer import KEYWORDS
from lotone.model.loader_fields import Fields, Problems, Skip, expect_map, number_of
from lotone.model.yaml_source import Entry, Located, Map, Scalar, kind_of

__all__ = ["check_name", "fmt", "grid", "load_attributes"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_TYPES = ("enum", "bool", "number")
_COMMON = ("type", "label", "description", "default")
_KEYS: Mapping[str, tuple[str, ...]] = {
    "enum": (*_COMMON, "values"),
    "bool": (*_COMMON, "price"),
    "number": (*_COMMON, "unit", "min", "max", "step"),
}
_ALL_KEYS = tuple(dict.fromkeys(k for keys in _KEYS.values() for k in keys))
_VALUE_KEYS = ("label", "price", "properties")
_WILDCARD = "*"


def fmt(number: Decimal) -> str:
    """A number as people write it: ``1E+3`` is ``1000``, ``0.10`` stays ``0.10``."""
    return format(number, "f")


def grid(attr: NumberAttribute) -> str:
    """A number attribute's grid as people read it: ``600..3000 step 10``."""
    step = f" step {fmt(attr.step)}" if attr.step != 1 else ""
    return f"{fmt(attr.min)}..{fmt(attr.max)}{step}"


def check_name(
    key: Scalar, kind: str, problems: Problems, reserved: Mapping[str, str] | None = None
) -> str:
    """The name in ``key`` if expressions can use it; otherwise record why not and skip.

    A name is a letter or ``_`` followed by letters, digits and ``_`` (ASCII), and not a keyword
    of the expression language.
    """
    name = key.text
    if not _NAME.fullmatch(name):
        raise problems.fail(
            key.span,
            f"{kind} name {name!r} is not a valid name",
            "use letters, digits and '_', starting with a letter, e.g. width_mm",
        )
    if name in KEYWORDS:
        raise problems.fail(
            key.span, f"{kind} name {name!r} is a keyword of expressions", "choose another name"
        )
    if reserved and name in reserved:
        raise problems.fail(key.span, f"{kind} name {name!r} is reserved here", reserved[name])
    return name


def load_attributes(
    node: Located | None, slot: str | None, problems: Problems, broken: set[str]
) -> tuple[Attribute, ...]:
    """The attributes under an ``attributes:`` key, in file order.

    Parameters
    ----------
    node
        The ``attributes`` mapping (``None`` when the key is absent).
    slot
        ``None`` for core attributes, the module's name for a module's attributes.
    problems
        Where errors go; an attribute with errors is left out.
    broken
        Receives the names of attributes left out, so that rules using them are not reported
        a second time as unknown names.
    """
    if node is None:
        return ()
    owner = f"module {slot!r}" if slot else ""
    where = f"'attributes' of {owner}" if owner else "'attributes'"
    try:
        mapping = expect_map(node, where, problems)
    except Skip:
        return ()
    reserved = {}
    if slot:  # `section.count` is the slot's instance count
        reserved["count"] = f"'{slot}.count' is the number of instances; choose another name"
    out: list[Attribute] = []
    for entry in mapping.entries:
        try:
            out.append(_attribute(entry, owner, problems, reserved))
        except Skip:
            broken.add(entry.key.text)
    return tuple(out)


def _attribute(
    entry: Entry, owner: str, problems: Problems, reserved: Mapping[str, str]
) -> Attribute:
    name = check_name(entry.key, "attribute", problems, reserved)
    what = f"attribute {name!r}" + (f" of {owner}" if owner else "")
    f = Fields(expect_map(entry.value, what, problems), what, problems, entry.key.span)
    type_node = f.scalar("type", "enum, bool or number")
    kind = type_node.text if type_node is not None else None
    if type_node is not None and kind not in _TYPES:
        hint = did_you_mean(type_node.text, _TYPES) or "use enum, bool or number"
        f.error(type_node.span, f"unknown type {kind_of(type_node)}", hint)
        kind = None
    f.check_keys(_KEYS[kind] if kind is not None else _ALL_KEYS, required=["type"])
    label = f.text("label") or name
    description = f.text("description") or ""
    try:
        if kind == "enum":
            return _enum(f, name, label, description)
        if kind == "bool":
            return _bool(f, name, label, description)
        if kind == "number":
            return _number(f, name, label, description)
        raise Skip()
    except (ValueError, LotoneError) as exc:  # a check of family.py that the loader missed
        raise problems.fail(entry.key.span, f"{what}: {exc}") from None


def _enum(f: Fields, name: str, label: str, description: str) -> EnumAttribute:
    values: list[EnumValue] = []
    f.require("values")
    node = f.get("values")
    if isinstance(node, Map) and not node.entries:
        f.error(node.span, "an enum needs at least one value", "add 'name: Label' entries")
    elif isinstance(node, Map):
        for entry in node.entries:
            try:
                values.append(_value(entry, f))
            except Skip:
                f.failed = True
    elif node is not None:
        hint = "write 'values: {a: Label A, b: Label B}'"
        f.error(
            node.span, f"'values' must be a mapping of names to labels, got {kind_of(node)}", hint
        )
    default = f.scalar("default", "one of the values")
    names = [v.name for v in values]
    if default is not None and not f.failed and default.text not in names:
        hint = did_you_mean(default.text, names) or "values: " + ", ".join(names)
        f.error(default.span, f"default {default.text!r} is not one of its values", hint)
    f.settle()
    return EnumAttribute(
        name,
        label,
        tuple(values),
        default=None if default is None else default.text,
        description=description,
        span=f.where,
    )


def _value(entry: Entry, owner: Fields) -> EnumValue:
    name = entry.key.text
    problems = owner.problems
    if not name or name == _WILDCARD:
        raise problems.fail(
            entry.key.span,
            f"{owner.what}: {name!r} cannot be a value name",
            "'*' means 'any value' in tables",
        )
    node = entry.value
    if isinstance(node, Scalar):
        label = name if node.value is None else node.text
        return EnumValue(name, label, span=entry.key.span)
    what = f"value {name!r} of {owner.what}"
    f = Fields(expect_map(node, what, problems), what, problems, entry.key.span)
    f.check_keys(_VALUE_KEYS)
    label = f.text("label") or name
    price = f.number("price")
    properties = _properties(f)
    f.settle()
    return EnumValue(
        name,
        label,
        price=Decimal(0) if price is None else price,
        properties=properties,
        span=entry.key.span,
    )


def _properties(f: Fields) -> dict[str, Decimal]:
    node = f.get("properties")
    if node is None:
        return {}
    if not isinstance(node, Map):
        f.error(node.span, f"'properties' must be a mapping of numbers, got {kind_of(node)}")
        return {}
    out: dict[str, Decimal] = {}
    for entry in node.entries:
        try:
            prop = check_name(entry.key, "property", f.problems)
        except Skip:
            f.failed = True
            continue
        value = entry.value
        if not isinstance(value, Scalar):
            f.error(value.span, f"property {prop!r} must be a number, got {kind_of(value)}")
            continue
        number = number_of(value, f"property {prop!r}", f.error)
        if number is not None:
            out[prop] = number
    return out


def _bool(f: Fields, name: str, label: str, description: str) -> BoolAttribute:
    price = f.number("price")
    default = f.boolean("default")
    f.settle()
    return BoolAttribute(
        name,
        label,
        default=default,
        price=Decimal(0) if price is None else price,
        description=description,
        span=f.where,
    )


def _number(f: Fields, name: str, label: str, description: str) -> NumberAttribute:
    f.require("min", "max")
    low, high, step = f.number("min"), f.number("max"), f.number("step")
    step = Decimal(1) if step is None and f.get("step") is None else step
    unit = f.text("unit")
    default = f.number("default")
    f.settle()
    if low is None or high is None or step is None:  # pragma: no cover - settle() raised
        raise Skip()
    if step <= 0:
        f.error(f.span("step"), f"step {fmt(step)} must be greater than 0")
    if low > high:
        f.error(f.span("min"), f"min {fmt(low)} is greater than max {fmt(high)}")
    elif step > 0 and (high - low) % step != 0:
        top = low + (high - low) // step * step
        f.error(
            f.span("step"),
            f"step {fmt(step)} does not divide max - min = {fmt(high - low)}",
            f"make max {fmt(top)} or {fmt(top + step)}, or choose a step that divides it",
        )
    f.settle()
    if default is not None:
        _check_default(f, default, low, high, step)
    f.settle()
    integer = all(x == x.to_integral_value() for x in (low, high, step))
    return NumberAttribute(
        name,
        label,
        low,
        high,
        step=step,
        unit=unit,
        integer=integer,
        default=default,
        description=description,
        span=f.where,
    )


def _check_default(f: Fields, default: Decimal, low: Decimal, high: Decimal, step: Decimal) -> None:
    grid = f"{fmt(low)}..{fmt(high)}" + (f" step {fmt(step)}" if step != 1 else "")
    if not low <= default <= high:
        f.error(f.span("default"), f"default {fmt(default)} is outside {grid}")
    elif (default - low) % step != 0:
        below = low + (default - low) // step * step
        f.error(
            f.span("default"),
            f"default {fmt(default)} is not on the grid {grid}",
            f"the nearest values are {fmt(below)} and {fmt(below + step)}",
        )
