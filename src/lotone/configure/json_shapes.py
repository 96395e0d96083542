"""Engine answers as JSON: the one shape of ``lotone configure --json`` and the HTTP API.

``state_json`` gives ``family``, ``version``, ``status``, ``choices``, ``domains``, ``price``,
``currency``, ``price_exact`` and, on a conflict, ``conflict``; ``why_json``/``repair_json``
the ``why`` and ``repair`` members added by ``--why``. Pure functions, shared by the CLI and
the service so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from lotone.configure.answers import Analysis, Conflict, Repair, Why
from lotone.configure.domains import to_json_value
from lotone.configure.engine import Engine
from lotone.errors import LotoneError
from lotone.model.family import Value

__all__ = [
    "cents",
    "conflict_json",
    "json_values",
    "price_json",
    "repair_json",
    "state_json",
    "why_json",
]


def cents(value: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """A money amount rounded to cents."""
    return value.quantize(Decimal("0.01"), rounding=rounding)


def json_values(values: Mapping[str, Value]) -> dict[str, object]:
    """A configuration as JSON-ready values."""
    return {k: to_json_value(v) for k, v in values.items()}


def values_from_json(raw: Mapping[str, object], where: str) -> dict[str, Value]:
    """A configuration read from JSON (the inverse of :func:`json_values`): text and booleans
    as they are, numbers as exact decimals; anything else is refused naming ``where``."""
    out: dict[str, Value] = {}
    for k, v in raw.items():
        if isinstance(v, bool | str):
            out[str(k)] = v
        elif isinstance(v, int | float | Decimal):
            out[str(k)] = Decimal(str(v))
        else:
            raise LotoneError(f"{where}: value of {k!r} is neither a number, text nor boolean")
    return out


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
        out["conflict"] = conflict_json(state.conflict)
    return out


def conflict_json(conflict: Conflict) -> dict[str, object]:
    """``{choices: ["key=value"], rules: [{id, message}]}``."""
    return {
        "choices": list(conflict.choices),
        "rules": [{"id": r.rule_id, "message": r.message} for r in conflict.rules],
    }


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
