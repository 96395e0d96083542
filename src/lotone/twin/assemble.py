"""From a :class:`~lotone.twin.scenario.Scenario` to the model to simulate (and its plan).

:func:`build` generates the orders (:func:`lotone.produce.orders.generate_orders`, exploded by
:func:`lotone.produce.explode.explode`) with Poisson releases per family (rates multiplied
during surges), adds rush orders and any :class:`NewOrder` (the delivery promise), builds the
site's :class:`~lotone.twin.model.TwinModel` and equips it: operators, buffers, carriers,
planned outages (in the machines' calendars, so plans know them) and unplanned breakdowns
(scripted failures, which only the twin knows until they happen). The orders and arrivals
depend on the scenario seed only; replications vary processing times, breakdowns and transits.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from lotone.model.family import Family
from lotone.model.loader import load_family
from lotone.produce.explode import explode
from lotone.produce.factory import Site
from lotone.produce.factory_loader import load_network
from lotone.produce.orders import generate_orders
from lotone.produce.work_order import WorkOrder
from lotone.schedule.rules import dispatch
from lotone.schedule.schedule import Schedule
from lotone.twin.model import TwinError, TwinModel, queue_model, site_model
from lotone.twin.resources import Buffer, Crew, Pool
from lotone.twin.scenario import HOUR, OrderStream, Scenario
from lotone.twin.sections import Breakdown, Outage, Rush, Surge
from lotone.twin.shipping import Carrier

__all__ = ["NewOrder", "arrivals", "build"]

WEEK_HOURS = 168.0


@dataclass(frozen=True, slots=True)
class NewOrder:
    """A work order to insert at ``at`` (seconds), due at ``due``, shipped to ``region``."""

    work_order: WorkOrder
    at: float
    due: float | None = None
    region: str | None = None


@dataclass(frozen=True, slots=True)
class _Entry:
    release: float
    work_order: WorkOrder
    due: float | None
    region: str | None
    weight: int = 1
    rush: bool = False


def arrivals(
    rng: random.Random,
    rate: float | None,
    count: int | None,
    until: float | None,
    surges: Sequence[tuple[float, float, float]] = (),
) -> list[float]:
    """Poisson arrival times at ``rate`` per time unit, times ``factor`` within each surge
    ``(factor, start, stop)``: ``count`` of them, or those before ``until``. No rate: all at 0.

    Each gap inverts one unit exponential draw through the piecewise-constant rate, so without
    surges the times equal ``rng.expovariate(rate)`` sums.
    """
    if not rate:
        return [0.0] * (count or 0)
    cuts = sorted({x for _, a, b in surges for x in (a, b)})
    out: list[float] = []
    t = 0.0
    while count is None or len(out) < count:
        e = rng.expovariate(1.0)
        while True:
            r = rate * math.prod(f for f, a, b in surges if a <= t < b)
            nxt = next((c for c in cuts if c > t), math.inf)
            if e <= r * (nxt - t):
                t += e / r
                break
            e -= r * (nxt - t)
            t = nxt
        if until is not None and count is None and t >= until:
            break
        out.append(t)
    return out


def _entries(sc: Scenario, families: dict[str, Family]) -> list[_Entry]:
    rng = random.Random(f"orders:{sc.seed}")
    entries: list[_Entry] = []
    names = [s.family for s in sc.orders]
    for k, stream in enumerate(sc.orders):
        family = families[stream.family]
        prefix = stream.family if names.count(stream.family) == 1 else f"{stream.family}{k + 1}"
        surges = [
            (d.factor, d.start * HOUR, d.stop * HOUR)
            for d in sc.disturbances
            if isinstance(d, Surge) and d.family in (None, stream.family)
        ]
        rate = stream.rate_per_hour / HOUR if stream.rate_per_hour else None
        times = arrivals(rng, rate, stream.count, sc.horizon, surges)
        entries += _orders(family, times, sc.seed * 100 + k, prefix, stream)
    for r, d in enumerate(d for d in sc.disturbances if isinstance(d, Rush)):
        t = d.at * HOUR
        for i, order in enumerate(
            generate_orders(families[d.family], d.count, sc.seed * 100 + 50 + r)
        ):
            wo = explode(order.configuration, families[d.family], order_id=f"rush{r + 1}-{i + 1}")
            entries.append(_Entry(t, wo, t + d.due_hours * HOUR, d.region, d.weight, True))
    return entries


def _orders(
    family: Family, times: list[float], seed: int, prefix: str, stream: OrderStream
) -> list[_Entry]:
    out = []
    for i, (t, order) in enumerate(
        zip(times, generate_orders(family, len(times), seed), strict=True)
    ):
        wo = explode(order.configuration, family, order_id=f"{prefix}-{i + 1}")
        due = None if stream.due_hours is None else t + stream.due_hours * HOUR
        out.append(_Entry(t, wo, due, stream.region))
    return out


def _site(sc: Scenario) -> tuple[Site, Path]:
    """The scenario's site and the catalog of its families (default: the factory's parent)."""
    if sc.factory is None or sc.site is None:  # pragma: no cover - checked by Scenario
        raise TwinError(f"scenario {sc.name}: no factory")
    paths = sorted(sc.factory.glob("*.yaml")) if sc.factory.is_dir() else [sc.factory]
    network = load_network(paths)
    try:
        return network.site(sc.site), sc.families or sc.factory.parent
    except KeyError:
        names = ", ".join(s.id for s in network.sites)
        msg = f"scenario {sc.name}: no site {sc.site!r} in {sc.factory} (sites: {names})"
        raise TwinError(msg) from None


def build(scenario: Scenario, extra: Sequence[NewOrder] = ()) -> tuple[TwinModel, Schedule | None]:
    """The model of ``scenario`` (with ``extra`` orders) and, under ``schedule``, its plan."""
    sc = scenario
    if sc.queue is not None:
        q = sc.queue
        model = queue_model(
            q.arrival_rate, q.service_mean, servers=q.servers, jobs=q.jobs, cv=q.cv, seed=sc.seed
        )
        return equip(model, sc), None
    site, catalog = _site(sc)
    wanted = {s.family for s in sc.orders}
    wanted |= {d.family for d in sc.disturbances if isinstance(d, Rush)}
    families = {f: load_family(catalog / f"{f}.yaml") for f in sorted(wanted)}
    entries = _entries(sc, families)
    entries += [_Entry(n.at, n.work_order, n.due, n.region) for n in extra]
    entries.sort(key=lambda e: e.release)
    ids = [e.work_order.order_id or "" for e in entries]
    if len(set(ids)) != len(ids):
        raise TwinError(f"scenario {sc.name}: two orders share an id; give the new order another")
    span = max(sc.horizon or 0.0, max((e.release for e in entries), default=0.0))
    weeks = sc.weeks or math.ceil(span / (WEEK_HOURS * HOUR)) + 2
    model = site_model(
        [e.work_order for e in entries],
        site,
        weeks=weeks,
        releases=[e.release for e in entries],
        due={i: int(e.due) for i, e in zip(ids, entries, strict=True) if e.due is not None},
        cv=sc.cv,
        default_cv=sc.default_cv,
        breakdowns=sc.breakdowns,
        weight={i: e.weight for i, e in zip(ids, entries, strict=True) if e.weight != 1},
    )
    rush = frozenset(j for j, e in enumerate(entries) if e.rush)
    if sc.shipping:
        regions = sorted(sc.shipping)
        for n in extra:
            if (n.region or "default") not in sc.shipping:
                raise TwinError(
                    f"scenario {sc.name}: no carrier for region {n.region or 'default'}"
                )
        carriers = tuple(_carrier(r, sc) for r in regions)
        job_carrier = tuple(regions.index(e.region or "default") for e in entries)
        model = replace(model, carriers=carriers, job_carrier=job_carrier)
    model = equip(replace(model, rush=rush), sc)
    plan = dispatch(model.problem, sc.plan_rule) if sc.policy == "schedule" else None
    return model, plan


def _carrier(region: str, sc: Scenario) -> Carrier:
    c = sc.shipping[region]
    pickup = None if c.pickup_hours is None else c.pickup_hours * HOUR
    return Carrier(region, c.transit_hours * HOUR, c.cv, pickup, c.days)


def _targets(model: TwinModel, key: str, where: str) -> list[int]:
    names = model.problem.machine_names
    found = [
        k
        for k, (n, s) in enumerate(zip(names, model.machines, strict=True))
        if key in (n, s.center)
    ]
    if not found:
        centers = sorted({s.center for s in model.machines})
        raise TwinError(
            f"{where}: no machine or work center {key!r} (work centers: {', '.join(centers)})"
        )
    return found


def equip(model: TwinModel, sc: Scenario) -> TwinModel:
    """``model`` with the scenario's operators, buffers, outages and unplanned breakdowns."""
    where = f"scenario {sc.name}"
    specs = list(model.machines)
    pools: tuple[Pool, ...] = ()
    if sc.staffing is not None:
        names = list(sc.staffing.pools)
        pools = tuple(Pool(n, sc.staffing.pools[n]) for n in names)
        # a machine's own need wins over its work center's
        for key in sorted(sc.staffing.needs, key=lambda k: k in model.problem.machine_names):
            need = sc.staffing.needs[key]
            for k in _targets(model, key, f"{where}: operators.need"):
                specs[k] = replace(
                    specs[k], crew=Crew(names.index(need.pool), need.count, need.during)
                )
    buffers = tuple(Buffer(c, cap) for c, cap in sc.buffers.items())
    for b, buf in enumerate(buffers):
        if buf.name not in {s.center for s in specs}:
            raise TwinError(f"{where}: buffers.{buf.name} names no work center")
        for k, s in enumerate(specs):
            if s.center == buf.name:
                specs[k] = replace(s, buffer=b)
    problem = model.problem
    gaps = [list(g) for g in problem.unavailable]
    failures = list(model.failures)
    for d in sc.disturbances:
        if isinstance(d, Outage):
            for k in _targets(model, d.machine, f"{where}: outage"):
                gaps[k].append((int(d.start * HOUR), math.ceil(d.stop * HOUR)))
        elif isinstance(d, Breakdown):
            for k in _targets(model, d.machine, f"{where}: breakdown"):
                failures.append((k, d.start * HOUR, d.stop * HOUR))
    if any(isinstance(d, Outage) for d in sc.disturbances):
        problem = replace(problem, unavailable=tuple(_merge(g) for g in gaps))
    return replace(
        model,
        problem=problem,
        machines=tuple(specs),
        pools=pools,
        buffers=buffers,
        failures=tuple(sorted(failures)),
    )


def _merge(gaps: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(gaps):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)
