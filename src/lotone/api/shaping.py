"""Pure helpers between JSON and the engine: typed choices in, the configurator's state out.

The state has the same shape as ``lotone configure --json`` (``family``, ``version``,
``status``, ``choices``, ``domains``, ``price``, ``currency``, ``price_exact``, ``conflict``);
a test pins the two together.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from lotone.api.problems import ApiProblem
from lotone.configure.engine import Engine
from lotone.configure.json_shapes import (
    cents,
    json_values,
    price_json,
    repair_json,
    state_json,
    why_json,
)
from lotone.configure.session import parse_value
from lotone.errors import InvalidValue, UnknownName
from lotone.model.family import Value

__all__ = [
    "JsonScalar",
    "cents",
    "json_values",
    "parse_choices",
    "parse_one",
    "price_json",
    "repair_json",
    "state_json",
    "typed_values",
    "why_json",
]

JsonScalar = str | int | float | bool


def parse_one(engine: Engine, key: str, raw: JsonScalar, where: str) -> Value:
    """One JSON value as the typed value of ``key``; 422 naming ``where.key`` otherwise."""
    field = f"{where}.{key}"
    if isinstance(raw, bool):
        text = "true" if raw else "false"
    elif isinstance(raw, float):
        text = repr(raw)
    else:
        text = str(raw)
    try:
        value = parse_value(engine, key, text)
        engine.enc.value_lit(key, value)  # unknown names and values off the grid fail here
    except UnknownName as exc:
        raise ApiProblem(
            422, "unknown-name", f"Unknown {exc.kind}", str(exc), errors=[(field, str(exc))]
        ) from None
    except InvalidValue as exc:
        raise ApiProblem(
            422, "invalid-value", "Invalid value", str(exc), errors=[(field, exc.reason)]
        ) from None
    return value


def parse_choices(
    engine: Engine, raw: Mapping[str, JsonScalar], where: str = "body.choices"
) -> dict[str, Value]:
    """JSON choices as typed values, each checked against the family."""
    return {key: parse_one(engine, key, value, where) for key, value in raw.items()}


def typed_values(raw: Mapping[str, object]) -> dict[str, Value]:
    """Stored JSON values back to typed ones (numbers are exact decimals)."""
    out: dict[str, Value] = {}
    for key, value in raw.items():
        if isinstance(value, bool | str):
            out[key] = value
        elif isinstance(value, int | float):
            try:
                out[key] = Decimal(str(value))
            except InvalidOperation:  # pragma: no cover - json numbers are finite
                raise ValueError(f"{key}: {value!r} is not a number") from None
        else:
            raise ValueError(f"{key}: unexpected stored value {value!r}")
    return out
