"""``--set NAME=VALUE`` options read against a family, without compiling an engine."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from lotone.errors import InvalidValue, LotoneError
from lotone.model.family import BoolAttribute, EnumAttribute, Family, Value

__all__ = ["family_choices", "pairs"]

_TRUE, _FALSE = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}


def pairs(items: list[str]) -> list[tuple[str, str]]:
    """``NAME=VALUE`` strings as ``(name, text)`` pairs (a clear error for anything else)."""
    out = []
    for item in items:
        key, sep, text = (part.strip() for part in item.partition("="))
        if not sep or not key:
            raise LotoneError(f"--set {item!r}: expected NAME=VALUE, e.g. --set width_mm=1800")
        out.append((key, text))
    return out


def _attribute(family: Family, key: str) -> EnumAttribute | BoolAttribute | None:
    """The attribute a key names (None for numbers and counts); unknown keys raise."""
    name = key
    if "." in key:
        head, _, name = key.partition(".")
        slot = family.slot(head.split("[", 1)[0])
        if name == "count":
            return None
        attr = slot.attribute(name)
    else:
        attr = family.attribute(name)
    return attr if isinstance(attr, EnumAttribute | BoolAttribute) else None


def family_choices(family: Family, items: list[str]) -> dict[str, Value]:
    """Typed choices: enum names as text, ``true``/``false``, exact decimal numbers."""
    out: dict[str, Value] = {}
    for key, text in pairs(items):
        attr = _attribute(family, key)
        if isinstance(attr, EnumAttribute):
            out[key] = text
        elif isinstance(attr, BoolAttribute):
            if text.lower() not in _TRUE | _FALSE:
                raise InvalidValue(key, text, "expected true or false")
            out[key] = text.lower() in _TRUE
        else:
            try:
                out[key] = Decimal(text)
            except InvalidOperation:
                raise InvalidValue(key, text, "expected a number") from None
    return out
