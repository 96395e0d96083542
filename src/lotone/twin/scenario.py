"""Scenarios in YAML: the factory and order stream (or a textbook queue), horizon, policy,
variability, breakdowns, operators, buffers, shipping, disturbances, replications, seed. See
``docs/twin.md`` for the format.

:func:`load_scenario` reads and checks a file into a frozen :class:`Scenario`;
:func:`lotone.twin.assemble.build` turns it into a :class:`~lotone.twin.model.TwinModel`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import yaml

from lotone.schedule.rules import RULES, Rule
from lotone.twin.engine import POLICIES, Policy
from lotone.twin.model import TwinError
from lotone.twin.rolling import Rolling
from lotone.twin.sections import (
    CarrierSpec,
    Disturbance,
    Rush,
    Staffing,
    Surge,
    mapping,
    number,
    parse_buffers,
    parse_disturbances,
    parse_policy,
    parse_shipping,
    parse_staffing,
)

__all__ = ["HOUR", "OrderStream", "QueueSpec", "Scenario", "load_scenario"]

HOUR = 3600.0
_KNOWN = {
    "name", "policy", "plan_rule", "replications", "seed", "horizon_hours", "factory", "site",
    "catalog", "weeks", "orders", "queue", "variability", "breakdowns", "operators", "buffers",
    "shipping", "disturbances",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class OrderStream:
    """Generated orders of ``family``: ``count`` of them, or (``None``) as many as arrive
    before the horizon; Poisson releases at ``rate_per_hour``; shipped to ``region``."""

    family: str
    count: int | None
    rate_per_hour: float | None = None
    due_hours: float | None = None
    region: str | None = None


@dataclass(frozen=True, slots=True)
class QueueSpec:
    """A textbook queue: Poisson arrivals, ``servers`` machines, mean service, CV."""

    arrival_rate: float
    service_mean: int
    servers: int = 1
    jobs: int = 10_000
    cv: float = 1.0


@dataclass(frozen=True, slots=True)
class Scenario:
    """A checked scenario; paths are absolute, durations in hours unless named otherwise."""

    name: str
    policy: Policy = "fifo"
    plan_rule: Rule = "atcs"
    replications: int = 1
    seed: int = 0
    horizon_hours: float | None = None
    factory: Path | None = None
    site: str | None = None
    catalog: Path | None = None
    weeks: int | None = None
    orders: tuple[OrderStream, ...] = ()
    queue: QueueSpec | None = None
    default_cv: float = 0.0
    cv: dict[str, float] = field(default_factory=dict)
    breakdowns: dict[str, tuple[float, float]] = field(default_factory=dict)
    rolling: Rolling | None = None
    staffing: Staffing | None = None
    buffers: dict[str, int] = field(default_factory=dict)
    shipping: dict[str, CarrierSpec] = field(default_factory=dict)
    disturbances: tuple[Disturbance, ...] = ()

    def __post_init__(self) -> None:
        where = f"scenario {self.name}"
        if self.policy not in POLICIES:
            raise TwinError(f"{where}: unknown policy {self.policy!r}")
        if self.plan_rule not in RULES:
            raise TwinError(f"{where}: unknown plan_rule {self.plan_rule!r}")
        if self.replications < 1:
            raise TwinError(f"{where}: replications must be 1 or more")
        if (self.queue is None) == (self.factory is None):
            raise TwinError(f"{where}: give either 'queue' or 'factory' + 'site'")
        if self.factory is not None and (self.site is None or not self.orders):
            raise TwinError(f"{where}: a factory scenario needs 'site' and 'orders'")
        if self.policy in ("schedule", "reschedule") and self.queue is not None:
            raise TwinError(f"{where}: policy {self.policy!r} needs a factory")
        if self.policy == "reschedule" and self.rolling is None:
            raise TwinError(f"{where}: policy reschedule needs {{kind: reschedule, every: 8h}}")
        if self.buffers and self.policy in ("schedule", "reschedule"):
            raise TwinError(f"{where}: limited buffers need a dispatching policy (fifo, ...)")
        factory_only = [d for d in self.disturbances if isinstance(d, Surge | Rush)]
        if self.queue is not None and (factory_only or self.shipping):
            raise TwinError(f"{where}: surges, rush orders and shipping need a factory scenario")
        if any(
            s.count is None and not (s.rate_per_hour and self.horizon_hours) for s in self.orders
        ):
            raise TwinError(f"{where}: an order stream without count needs a rate and a horizon")
        regions = {s.region for s in self.orders} | {
            d.region for d in self.disturbances if isinstance(d, Rush)
        }
        for r in regions:
            if self.shipping and (r or "default") not in self.shipping:
                raise TwinError(f"{where}: no carrier for region {r or 'default'} in shipping")

    @property
    def families(self) -> Path | None:
        """Where the family files are: ``catalog``, else the factory's parent directory."""
        return self.catalog or (None if self.factory is None else self.factory.parent)

    @property
    def horizon(self) -> float | None:
        """The horizon in seconds (``None``: run until every job is done)."""
        return None if self.horizon_hours is None else self.horizon_hours * HOUR


def _streams(data: dict[str, object], where: str) -> tuple[OrderStream, ...]:
    raw = data.get("orders", [])
    if not isinstance(raw, list):
        raise TwinError(f"{where}: orders must be a list of {{family, count, rate_per_hour}}")
    streams = []
    for i, o in enumerate(raw):
        w = f"{where}: orders[{i}]"
        if not isinstance(o, dict) or "family" not in o:
            raise TwinError(f"{w}: needs 'family' and 'count'")
        count = number(o, "count", w)
        streams.append(
            OrderStream(
                str(o["family"]),
                None if count is None else int(count),
                number(o, "rate_per_hour", w),
                number(o, "due_hours", w),
                None if o.get("region") is None else str(o["region"]),
            )
        )
    return tuple(streams)


def _breakdowns(data: dict[str, object], where: str) -> dict[str, tuple[float, float]]:
    bds: dict[str, tuple[float, float]] = {}
    for k, v in mapping(data, "breakdowns", where).items():
        if not isinstance(v, dict):
            raise TwinError(f"{where}: breakdowns.{k} needs mtbf_hours and mttr_hours")
        mtbf = number(v, "mtbf_hours", f"{where}: breakdowns.{k}")
        mttr = number(v, "mttr_hours", f"{where}: breakdowns.{k}", 0.0)
        if mtbf is None:
            raise TwinError(f"{where}: breakdowns.{k} needs mtbf_hours")
        bds[str(k)] = (mtbf * HOUR, (mttr or 0.0) * HOUR)
    return bds


def load_scenario(path: str | Path, overrides: dict[str, object] | None = None) -> Scenario:
    """Read and check a scenario file; ``overrides`` replace top-level keys (CLI options)."""
    path = Path(path)
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TwinError(f"cannot read scenario {path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise TwinError(f"{where}: not YAML ({exc})") from None
    if not isinstance(data, dict):
        raise TwinError(f"{where}: a scenario is a mapping")
    data.update({k: v for k, v in (overrides or {}).items() if v is not None})
    unknown = sorted(set(data) - _KNOWN)
    if unknown:
        raise TwinError(
            f"{where}: unknown keys {', '.join(unknown)}; known: {', '.join(sorted(_KNOWN))}"
        )
    base = path.parent

    def rel(key: str) -> Path | None:
        v = data.get(key)
        return None if v is None else (base / str(v)).resolve()

    queue = None
    if "queue" in data:
        q = mapping(data, "queue", where)
        queue = QueueSpec(
            arrival_rate=number(q, "arrival_rate", where) or 0.0,
            service_mean=int(number(q, "service_mean", where) or 0),
            servers=int(number(q, "servers", where, 1) or 1),
            jobs=int(number(q, "jobs", where, 10_000) or 0),
            cv=number(q, "cv", where, 1.0) or 0.0,
        )
    var = mapping(data, "variability", where)
    cv = {str(k): float(cast(float, v)) for k, v in mapping(var, "centers", where).items()}
    weeks = number(data, "weeks", where)
    policy = parse_policy(data.get("policy", "fifo"), where)
    rolling = None
    if policy.every_hours is not None:
        rolling = Rolling(
            policy.every_hours * HOUR, policy.time_limit, policy.objective, policy.workers
        )
    return Scenario(
        name=str(data.get("name", path.stem)),
        policy=cast(Policy, policy.kind),
        plan_rule=cast(Rule, str(data.get("plan_rule", "atcs"))),
        replications=int(number(data, "replications", where, 1) or 1),
        seed=int(number(data, "seed", where, 0) or 0),
        horizon_hours=number(data, "horizon_hours", where),
        factory=rel("factory"),
        site=None if data.get("site") is None else str(data["site"]),
        catalog=rel("catalog"),
        weeks=None if weeks is None else int(weeks),
        orders=_streams(data, where),
        queue=queue,
        default_cv=number(var, "default_cv", where, 0.0) or 0.0,
        cv=cv,
        breakdowns=_breakdowns(data, where),
        rolling=rolling,
        staffing=parse_staffing(data, where),
        buffers=parse_buffers(data, where),
        shipping=parse_shipping(data, where),
        disturbances=parse_disturbances(data, where),
    )
