"""Pure helpers between JSON and the engine: typed choices in, the configurator's state out.

The state has the same shape as ``lotone configure --json`` (``family``, ``version``,
``status``, ``choices``, ``domains``, ``price``, ``currency``, ``price_exact``, ``conflict``);
a test pins the two together.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from lotone.api.problems import ApiProblem
from lotone.configure.answers import Analysis, Repair, Why
from lotone.configure.domains import to_json_value
from lotone.configure.engine import Engine
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


def cents(value: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """A money amount rounded to cents."""
    return value.quantize(Decimal("0.01"), rounding=rounding)


def json_values(values: Mapping[str, Value]) -> dict[str, object]:
    """A configuration as JSON-ready values."""
    return {k: to_json_value(v) for k, v in values.items()}


def price_json(state: Analysis) -> object:
    """The price once complete, else ``{"min", "max"}`` rounded outwards to cents."""
    if state.price_min is None or state.price_max is None:
        return None
    if state.status == "complete" or state.price_min == state.price_max:
        return to_json_value(cents(state.price_min))
    lo, hi = cents(state.price_min, ROUND_FLOOR), cents(state.price_max, ROUND_CEILING)
    return {"min": to_json_value(lo), "max": to_json_value(hi)}


def state_json(engine: Engine, state: Analysis) -> dict[str, object]:
    """The configurator's answer as JSON (the shape of ``lotone configure --json``)."""
    fam = engine.family
    out: dict[str, object] = {
        "family": fam.id,
        "version": fam.version,
        "status": state.status,
        "choices": json_values(state.choices),
        "domains": {k: d.to_json() for k, d in state.domains.items()},
        "price": price_json(state),
        "currency": fam.pricing.currency,
        "price_exact": state.price_exact,
    }
    if state.conflict is not None:
        out["conflict"] = {
            "choices": list(state.conflict.choices),
            "rules": [{"id": r.rule_id, "message": r.message} for r in state.conflict.rules],
        }
    return out


def why_json(why: Why) -> dict[str, object]:
    """``{target, available, choices, rules, messages}`` as the CLI prints it."""
    return {
        "target": why.target,
        "available": why.available,
        "choices": list(why.conflict.choices),
        "rules": [r.rule_id for r in why.conflict.rules],
        "messages": {r.rule_id: r.message for r in why.conflict.rules},
    }


def repair_json(repair: Repair) -> list[str]:
    """The choices to drop (``NAME=VALUE``)."""
    return list(repair.drop)


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
