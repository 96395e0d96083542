"""The delivery promise for one new order under the current load.

:func:`promise` inserts the order at ``now`` into the loaded scenario (its orders, arrivals,
policy, disturbances), simulates ``replications`` replications until every job is done (the
scenario's horizon only bounds its arrivals) and takes the quantiles of the new order's time
from ``now`` to delivery (completion when nothing is shipped): promise the customer
``now + p90``, and be right nine times in ten under what the model knows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from lotone.configure.json_shapes import values_from_json
from lotone.errors import LotoneError
from lotone.model.loader import load_family
from lotone.produce.explode import explode
from lotone.produce.work_order import WorkOrder
from lotone.twin.assemble import NewOrder, build
from lotone.twin.executor import Executor
from lotone.twin.kpis import HOUR, quantile
from lotone.twin.model import TwinError
from lotone.twin.replicate import replicate
from lotone.twin.scenario import Scenario

__all__ = ["Promise", "order_from_json", "promise"]


@dataclass(frozen=True, slots=True)
class Promise:
    """Quantiles of one new order's time to delivery, counted from ``at`` (seconds)."""

    order: str
    at: float
    p50: float
    p90: float
    replications: int

    def to_json(self) -> dict[str, object]:
        """``{order, at_hours, p50, p90, replications, unit: "h"}`` (times from ``at``)."""
        return {
            "order": self.order,
            "at_hours": round(self.at / HOUR, 4),
            "p50": round(self.p50 / HOUR, 4),
            "p90": round(self.p90 / HOUR, 4),
            "replications": self.replications,
            "unit": "h",
        }


def order_from_json(
    data: Mapping[str, object], catalog: Path, where: str = "order"
) -> tuple[WorkOrder, str | None]:
    """The work order and shipping region of one order as ``lotone orders generate`` writes
    it (``order_id``, ``family``, ``configuration``; optional ``region``)."""
    config = data.get("configuration")
    if "family" not in data or not isinstance(config, dict):
        raise TwinError(f"{where}: an order needs 'family' and a 'configuration' object")
    family = load_family(catalog / f"{data['family']}.yaml")
    try:
        values = values_from_json(config, where)
    except LotoneError as e:
        raise TwinError(str(e)) from None
    order_id = str(data.get("order_id") or "new-order")
    region = data.get("region")
    return explode(values, family, order_id=order_id), None if region is None else str(region)


def promise(
    scenario: Scenario,
    work_order: WorkOrder,
    *,
    at_hours: float = 0.0,
    region: str | None = None,
    replications: int | None = None,
    seed: int | None = None,
    executor: Executor | None = None,
) -> Promise:
    """The delivery promise of ``work_order`` placed at ``at_hours`` into ``scenario``.

    ``replications`` and ``seed`` default to the scenario's. The order keeps its id, prefixed
    ``new:`` so it cannot clash with the scenario's own orders.
    """
    if scenario.queue is not None:
        raise TwinError(f"scenario {scenario.name}: a delivery promise needs a factory scenario")
    if at_hours < 0:
        raise TwinError(f"the order's time must not be negative, got {at_hours} h")
    at = at_hours * HOUR
    order_id = f"new:{work_order.order_id or 'order'}"
    new = NewOrder(replace(work_order, order_id=order_id), at, None, region)
    model, plan = build(scenario, [new])
    job = next(j for j, x in enumerate(model.problem.jobs) if x.name == order_id)
    n = replications or scenario.replications
    traces = replicate(
        model, scenario.policy, replications=n, seed=scenario.seed if seed is None else seed,
        schedule=plan, rolling=scenario.rolling, executor=executor,
    )  # fmt: skip
    times = [t.delivered[job] - at for t in traces]
    if any(math.isnan(x) for x in times):  # pragma: no cover - runs go until every job is done
        raise TwinError(f"order {order_id} was not delivered in every replication")
    return Promise(order_id, at, quantile(times, 0.5), quantile(times, 0.9), n)
