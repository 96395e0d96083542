"""Scenarios in YAML: the factory and order stream (or a textbook queue), horizon, policy,
variability, breakdowns, replications, seed. See ``docs/twin.md`` for the format.

:func:`load_scenario` reads and checks a file into a frozen :class:`Scenario`;
:func:`build` turns it into a :class:`~lotone.twin.model.TwinModel` (and, under policy
``schedule``, the plan to execute) — orders come from
:func:`lotone.produce.orders.generate_orders` and :func:`lotone.produce.explode.explode`, with
Poisson releases per family when a rate is given. The orders and arrivals depend on the
scenario seed only; replications vary processing times and breakdowns.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import yaml

from lotone.model.loader import load_family
from lotone.produce.explode import explode
from lotone.produce.factory_loader import load_network
from lotone.produce.orders import generate_orders
from lotone.produce.work_order import WorkOrder
from lotone.schedule.rules import RULES, Rule, dispatch
from lotone.schedule.schedule import Schedule
from lotone.twin.engine import POLICIES, Policy
from lotone.twin.model import TwinError, TwinModel, queue_model, site_model

__all__ = ["OrderStream", "QueueSpec", "Scenario", "build", "load_scenario"]

HOUR = 3600.0
WEEK_HOURS = 168.0


@dataclass(frozen=True, slots=True)
class OrderStream:
    """``count`` generated orders of ``family``; Poisson releases at ``rate_per_hour``."""

    family: str
    count: int
    rate_per_hour: float | None = None
    due_hours: float | None = None


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
    """A checked scenario; paths are absolute."""

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

    def __post_init__(self) -> None:
        if self.policy not in POLICIES:
            raise TwinError(f"scenario {self.name}: unknown policy {self.policy!r}")
        if self.plan_rule not in RULES:
            raise TwinError(f"scenario {self.name}: unknown plan_rule {self.plan_rule!r}")
        if self.replications < 1:
            raise TwinError(f"scenario {self.name}: replications must be 1 or more")
        if (self.queue is None) == (self.factory is None):
            raise TwinError(f"scenario {self.name}: give either 'queue' or 'factory' + 'site'")
        if self.factory is not None and (self.site is None or not self.orders):
            raise TwinError(f"scenario {self.name}: a factory scenario needs 'site' and 'orders'")
        if self.policy == "schedule" and self.queue is not None:
            raise TwinError(f"scenario {self.name}: policy 'schedule' needs a factory")

    @property
    def horizon(self) -> float | None:
        """The horizon in seconds (``None``: run until every job is done)."""
        return None if self.horizon_hours is None else self.horizon_hours * HOUR


def _num(d: dict[str, object], key: str, where: str, default: float | None = None) -> float | None:
    v = d.get(key, default)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise TwinError(f"{where}: {key} must be a number, got {v!r}")
    return float(v)


def _map(d: dict[str, object], key: str, where: str) -> dict[str, object]:
    v = d.get(key, {})
    if not isinstance(v, dict):
        raise TwinError(f"{where}: {key} must be a mapping")
    return cast(dict[str, object], v)


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
    known = {
        "name", "policy", "plan_rule", "replications", "seed", "horizon_hours", "factory",
        "site", "catalog", "weeks", "orders", "queue", "variability", "breakdowns",
    }  # fmt: skip
    unknown = sorted(set(data) - known)
    if unknown:
        raise TwinError(
            f"{where}: unknown keys {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    base = path.parent

    def rel(key: str) -> Path | None:
        v = data.get(key)
        return None if v is None else (base / str(v)).resolve()

    queue = None
    if "queue" in data:
        q = _map(data, "queue", where)
        queue = QueueSpec(
            arrival_rate=_num(q, "arrival_rate", where) or 0.0,
            service_mean=int(_num(q, "service_mean", where) or 0),
            servers=int(_num(q, "servers", where, 1) or 1),
            jobs=int(_num(q, "jobs", where, 10_000) or 0),
            cv=_num(q, "cv", where, 1.0) or 0.0,
        )
    streams = []
    raw_orders = data.get("orders", [])
    if not isinstance(raw_orders, list):
        raise TwinError(f"{where}: orders must be a list of {{family, count, rate_per_hour}}")
    for i, o in enumerate(raw_orders):
        w = f"{where}: orders[{i}]"
        if not isinstance(o, dict) or "family" not in o:
            raise TwinError(f"{w}: needs 'family' and 'count'")
        streams.append(
            OrderStream(
                str(o["family"]),
                int(_num(o, "count", w, 0) or 0),
                _num(o, "rate_per_hour", w),
                _num(o, "due_hours", w),
            )
        )
    var = _map(data, "variability", where)
    cv = {str(k): float(cast(float, v)) for k, v in _map(var, "centers", where).items()}
    bds: dict[str, tuple[float, float]] = {}
    for k, v in _map(data, "breakdowns", where).items():
        if not isinstance(v, dict):
            raise TwinError(f"{where}: breakdowns.{k} needs mtbf_hours and mttr_hours")
        mtbf = _num(v, "mtbf_hours", f"{where}: breakdowns.{k}")
        mttr = _num(v, "mttr_hours", f"{where}: breakdowns.{k}", 0.0)
        if mtbf is None:
            raise TwinError(f"{where}: breakdowns.{k} needs mtbf_hours")
        bds[str(k)] = (mtbf * HOUR, (mttr or 0.0) * HOUR)
    weeks = _num(data, "weeks", where)
    horizon = _num(data, "horizon_hours", where)
    return Scenario(
        name=str(data.get("name", path.stem)),
        policy=cast(Policy, str(data.get("policy", "fifo"))),
        plan_rule=cast(Rule, str(data.get("plan_rule", "atcs"))),
        replications=int(_num(data, "replications", where, 1) or 1),
        seed=int(_num(data, "seed", where, 0) or 0),
        horizon_hours=horizon,
        factory=rel("factory"),
        site=None if data.get("site") is None else str(data["site"]),
        catalog=rel("catalog"),
        weeks=None if weeks is None else int(weeks),
        orders=tuple(streams),
        queue=queue,
        default_cv=_num(var, "default_cv", where, 0.0) or 0.0,
        cv=cv,
        breakdowns=bds,
    )


def build(scenario: Scenario) -> tuple[TwinModel, Schedule | None]:
    """The model of ``scenario`` and, under policy ``schedule``, the plan to execute."""
    sc = scenario
    if sc.queue is not None:
        q = sc.queue
        model = queue_model(
            q.arrival_rate, q.service_mean, servers=q.servers, jobs=q.jobs, cv=q.cv, seed=sc.seed
        )
        return model, None
    if sc.factory is None or sc.site is None:  # pragma: no cover - checked in __post_init__
        raise TwinError(f"scenario {sc.name}: no factory")
    paths = sorted(sc.factory.glob("*.yaml")) if sc.factory.is_dir() else [sc.factory]
    network = load_network(paths)
    try:
        site = network.site(sc.site)
    except KeyError:
        names = ", ".join(s.id for s in network.sites)
        msg = f"scenario {sc.name}: no site {sc.site!r} in {sc.factory} (sites: {names})"
        raise TwinError(msg) from None
    catalog = sc.catalog or sc.factory.parent
    rng = random.Random(f"orders:{sc.seed}")
    entries: list[tuple[float, WorkOrder, float | None]] = []
    for k, stream in enumerate(sc.orders):
        family = load_family(catalog / f"{stream.family}.yaml")
        t = 0.0
        for i, order in enumerate(generate_orders(family, stream.count, sc.seed * 100 + k)):
            if stream.rate_per_hour:
                t += rng.expovariate(stream.rate_per_hour / HOUR)
            wo = explode(order.configuration, family, order_id=f"{stream.family}-{i + 1}")
            due = None if stream.due_hours is None else t + stream.due_hours * HOUR
            entries.append((t, wo, due))
    entries.sort(key=lambda e: e[0])
    last = max((e[0] for e in entries), default=0.0)
    span = max(sc.horizon or 0.0, last)
    weeks = sc.weeks or math.ceil(span / (WEEK_HOURS * HOUR)) + 2
    model = site_model(
        [e[1] for e in entries],
        site,
        weeks=weeks,
        releases=[e[0] for e in entries],
        due={e[1].order_id or "": int(e[2]) for e in entries if e[2] is not None},
        cv=sc.cv,
        default_cv=sc.default_cv,
        breakdowns=sc.breakdowns,
    )
    plan = dispatch(model.problem, sc.plan_rule) if sc.policy == "schedule" else None
    return model, plan
