"""The optional sections of a scenario file: policy, operators, buffers, shipping, disturbances.

Each ``parse_*`` function checks one section of the YAML mapping and returns frozen specs in
hours (:mod:`lotone.twin.assemble` turns them into model parts in seconds); every refusal names
the file, the section and the fix. See ``docs/twin.md`` for the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

from lotone.schedule.schedule import Objective
from lotone.twin.errors import TwinError
from lotone.twin.resources import DURINGS, During

__all__ = [
    "Breakdown",
    "CarrierSpec",
    "CrewSpec",
    "Disturbance",
    "Outage",
    "PolicySpec",
    "Rush",
    "Staffing",
    "Surge",
    "hours",
    "mapping",
    "number",
    "parse_buffers",
    "parse_disturbances",
    "parse_policy",
    "parse_shipping",
    "parse_staffing",
]

_UNITS = {"s": 1 / 3600, "min": 1 / 60, "h": 1.0, "d": 24.0}
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def number(
    d: dict[str, object], key: str, where: str, default: float | None = None
) -> float | None:
    """``d[key]`` as a float (``default`` when absent); refuses anything but a number."""
    v = d.get(key, default)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise TwinError(f"{where}: {key} must be a number, got {v!r}")
    return float(v)


def mapping(d: dict[str, object], key: str, where: str) -> dict[str, object]:
    """``d[key]`` as a mapping (empty when absent)."""
    v = d.get(key, {})
    if not isinstance(v, dict):
        raise TwinError(f"{where}: {key} must be a mapping")
    return cast(dict[str, object], v)


def hours(value: object, where: str) -> float:
    """A duration in hours: a number of hours, or text like ``8h``, ``30min``, ``2d``, ``90s``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    m = re.fullmatch(r"\s*(\d+(?:\.\d*)?)\s*(s|min|h|d)\s*", str(value))
    if m is None:
        raise TwinError(f"{where}: {value!r} is not a duration (write 8h, 30min, 2d or hours)")
    return float(m.group(1)) * _UNITS[m.group(2)]


def _clock(value: object, where: str) -> float:
    """``"16:00"`` as hours after midnight."""
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", str(value).strip())
    if m is None or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise TwinError(f"{where}: {value!r} is not a time of day like 16:00")
    return int(m.group(1)) + int(m.group(2)) / 60


def _window(d: dict[str, object], where: str) -> tuple[float, float]:
    a = number(d, "from_hours", where)
    b = number(d, "to_hours", where)
    if a is None or b is None or not 0 <= a < b:
        raise TwinError(f"{where}: needs from_hours < to_hours (hours from the start, >= 0)")
    return a, b


def _entry(raw: object, where: str) -> dict[str, object]:
    if not isinstance(raw, dict):
        raise TwinError(f"{where}: expected a mapping")
    return cast(dict[str, object], raw)


# -- policy -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PolicySpec:
    """The policy name and, for ``reschedule``, its period and solver settings."""

    kind: str
    every_hours: float | None = None
    time_limit: float = 2.0
    objective: Objective | None = None
    workers: int = 1


def parse_policy(raw: object, where: str) -> PolicySpec:
    """``fifo`` (a name) or ``{kind: reschedule, every: 8h, time_limit: 2, objective: ...}``."""
    if not isinstance(raw, dict):
        return PolicySpec(str(raw))
    d = cast(dict[str, object], raw)
    w = f"{where}: policy"
    unknown = sorted(set(d) - {"kind", "every", "time_limit", "objective", "workers"})
    if unknown or "kind" not in d:
        raise TwinError(f"{w}: needs 'kind' (and for reschedule: every, time_limit, objective)")
    kind = str(d["kind"])
    if kind != "reschedule":
        if len(d) > 1:
            raise TwinError(f"{w}: only policy 'reschedule' takes settings")
        return PolicySpec(kind)
    if "every" not in d:
        raise TwinError(f"{w}: reschedule needs 'every' (the period, e.g. 8h)")
    objective = d.get("objective")
    if objective not in (None, "tardiness", "makespan"):
        raise TwinError(f"{w}: objective is tardiness or makespan, got {objective!r}")
    return PolicySpec(
        kind,
        every_hours=hours(d["every"], f"{w}.every"),
        time_limit=number(d, "time_limit", w, 2.0) or 0.0,
        objective=objective,
        workers=int(number(d, "workers", w, 1) or 0),
    )


# -- operators and buffers --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CrewSpec:
    """A work center's or machine's need: ``count`` of ``pool`` ``during`` which phases."""

    pool: str
    count: int = 1
    during: During = "all"


@dataclass(frozen=True, slots=True)
class Staffing:
    """Operator pools (name -> people) and needs (work center or machine id -> crew)."""

    pools: dict[str, int]
    needs: dict[str, CrewSpec]


def parse_staffing(data: dict[str, object], where: str) -> Staffing | None:
    """``operators: {pools: {setters: 2}, need: {cnc: {pool: setters, during: setup}}}``."""
    if "operators" not in data:
        return None
    ops = mapping(data, "operators", where)
    w = f"{where}: operators"
    if set(ops) - {"pools", "need"}:
        raise TwinError(f"{w}: has 'pools' and 'need' only")
    pools = {}
    for name, size in mapping(ops, "pools", w).items():
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise TwinError(f"{w}.pools.{name}: the number of operators, 1 or more")
        pools[str(name)] = size
    needs = {}
    for key, raw in mapping(ops, "need", w).items():
        e = _entry(raw, f"{w}.need.{key}")
        pool, during = str(e.get("pool", "")), str(e.get("during", "all"))
        if pool not in pools:
            raise TwinError(f"{w}.need.{key}: pool {pool!r} is not among {sorted(pools)}")
        if during not in DURINGS:
            raise TwinError(f"{w}.need.{key}: during is one of {', '.join(DURINGS)}")
        count = int(number(e, "count", f"{w}.need.{key}", 1) or 0)
        needs[str(key)] = CrewSpec(pool, count, during)
    return Staffing(pools, needs)


def parse_buffers(data: dict[str, object], where: str) -> dict[str, int]:
    """``buffers: {edge: 2}``: waiting places before a work center."""
    out = {}
    for key, cap in mapping(data, "buffers", where).items():
        if isinstance(cap, bool) or not isinstance(cap, int) or cap < 0:
            raise TwinError(f"{where}: buffers.{key} is a number of places, 0 or more")
        out[str(key)] = cap
    return out


# -- shipping ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CarrierSpec:
    """Transit mean (hours) and CV, optional pickup (hours after midnight) on some weekdays."""

    transit_hours: float
    cv: float = 0.0
    pickup_hours: float | None = None
    days: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)


def _carrier(raw: object, where: str) -> CarrierSpec:
    e = _entry(raw, where)
    unknown = sorted(set(e) - {"transit_hours", "cv", "pickup", "days"})
    if unknown:
        raise TwinError(f"{where}: unknown keys {', '.join(unknown)}")
    transit = number(e, "transit_hours", where)
    if transit is None:
        raise TwinError(f"{where}: needs transit_hours")
    days = e.get("days", list(_DAYS))
    if not isinstance(days, list) or any(d not in _DAYS for d in days):
        raise TwinError(f"{where}: days is a list of {', '.join(_DAYS)}")
    pickup = None if e.get("pickup") is None else _clock(e["pickup"], f"{where}.pickup")
    return CarrierSpec(
        transit, number(e, "cv", where, 0.0) or 0.0, pickup, tuple(_DAYS.index(d) for d in days)
    )


def parse_shipping(data: dict[str, object], where: str) -> dict[str, CarrierSpec]:
    """``shipping: {default: {...}, regions: {FR: {...}}}``: region (or ``default``) -> carrier."""
    if "shipping" not in data:
        return {}
    sh = mapping(data, "shipping", where)
    w = f"{where}: shipping"
    if set(sh) - {"default", "regions"}:
        raise TwinError(f"{w}: has 'default' and 'regions' only")
    out = {str(r): _carrier(c, f"{w}.regions.{r}") for r, c in mapping(sh, "regions", w).items()}
    if "default" in sh:
        out["default"] = _carrier(sh["default"], f"{w}.default")
    return out


# -- disturbances -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Surge:
    """Arrival rates times ``factor`` from ``start`` to ``stop`` hours (one family or all)."""

    factor: float
    start: float
    stop: float
    family: str | None = None


@dataclass(frozen=True, slots=True)
class Outage:
    """A planned outage of a machine (or every machine of a work center): in its calendar."""

    machine: str
    start: float
    stop: float


@dataclass(frozen=True, slots=True)
class Breakdown:
    """An unplanned breakdown: known to the planners only when it happens."""

    machine: str
    start: float
    stop: float


@dataclass(frozen=True, slots=True)
class Rush:
    """``count`` rush orders of ``family`` at ``at`` hours, due ``due_hours`` later."""

    family: str
    count: int
    at: float
    due_hours: float
    weight: int = 10
    region: str | None = None


Disturbance = Surge | Outage | Breakdown | Rush


def _disturbance(e: dict[str, object], w: str) -> Disturbance:
    kind = e.get("kind")
    if kind == "surge":
        a, b = _window(e, w)
        factor = number(e, "factor", w)
        if factor is None or factor <= 0:
            raise TwinError(f"{w}: a surge needs a positive factor")
        fam = e.get("family")
        return Surge(factor, a, b, None if fam is None else str(fam))
    if kind in ("outage", "breakdown"):
        if "machine" not in e:
            raise TwinError(f"{w}: needs 'machine' (a machine or work center id)")
        a, b = _window(e, w)
        return (Outage if kind == "outage" else Breakdown)(str(e["machine"]), a, b)
    if kind == "rush":
        at, due = number(e, "at_hours", w), number(e, "due_hours", w)
        count = int(number(e, "count", w, 1) or 0)
        if "family" not in e or at is None or due is None or at < 0 or due <= 0 or count < 1:
            raise TwinError(f"{w}: a rush needs family, count >= 1, at_hours >= 0, due_hours > 0")
        region = e.get("region")
        weight = int(number(e, "weight", w, 10) or 0)
        return Rush(
            str(e["family"]), count, at, due, weight, None if region is None else str(region)
        )
    raise TwinError(f"{w}: kind is one of surge, outage, breakdown, rush; got {kind!r}")


def parse_disturbances(data: dict[str, object], where: str) -> tuple[Disturbance, ...]:
    """``disturbances: [{kind: surge|outage|breakdown|rush, ...}]``."""
    raw = data.get("disturbances", [])
    if not isinstance(raw, list):
        raise TwinError(f"{where}: disturbances must be a list of {{kind, ...}}")
    return tuple(
        _disturbance(_entry(r, f"{where}: disturbances[{i}]"), f"{where}: disturbances[{i}]")
        for i, r in enumerate(raw)
    )
