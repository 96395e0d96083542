"""Which sites can make a work order, and the day's material requirements.

A site can make a work order when, for every operation, one of its work centers of the
operation's type has a machine with every capability the operation requires and a build volume
the operation's envelope fits. :func:`roll_up` sums what many work orders draw from stock and
purchasing (the day's demand for each standard module and material); :func:`shortfalls`
compares standard-module demand with a site's stock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from lotone.model.production import Supply
from lotone.produce.factory import Machine, Network, Site
from lotone.produce.work_order import Step, WorkOrder

__all__ = ["Fit", "Requirement", "eligible_sites", "fit", "roll_up", "shortfalls"]


@dataclass(frozen=True, slots=True)
class Fit:
    """Whether a site can make a work order; ``reasons`` say why not, one per operation."""

    site: str
    ok: bool
    reasons: tuple[str, ...] = ()


def _machines_for(step: Step, site: Site) -> list[Machine]:
    return [
        m
        for wc in site.centers(step.work_center)
        for m in wc.machines
        if set(step.requires) <= m.capabilities and m.fits(step.envelope_mm)
    ]


def fit(work_order: WorkOrder, site: Site) -> Fit:
    """Whether ``site`` has an able machine for every operation of ``work_order``."""
    reasons: list[str] = []
    for step in work_order.operations:
        if _machines_for(step, site):
            continue
        if not site.centers(step.work_center):
            reasons.append(f"{step.id}: no {step.work_center} work center")
        else:
            needs = [*step.requires] + (
                ["envelope " + "x".join(str(x) for x in step.envelope_mm)]
                if step.envelope_mm
                else []
            )
            reasons.append(f"{step.id}: no {step.work_center} machine with {', '.join(needs)}")
    return Fit(site.id, not reasons, tuple(reasons))


def eligible_sites(work_order: WorkOrder, network: Network) -> list[str]:
    """The ids of the sites that can make ``work_order``, in network order."""
    return [s.id for s in network.sites if fit(work_order, s).ok]


@dataclass(frozen=True, slots=True)
class Requirement:
    """The total quantity of one part drawn by many work orders."""

    part: str
    label: str
    unit: str
    supply: Supply
    quantity: Decimal


def roll_up(
    work_orders: Iterable[WorkOrder], supplies: Iterable[Supply] = ("buy", "stock")
) -> dict[str, Requirement]:
    """Total quantity per part over ``work_orders``, for the lines of the given supplies.

    By default the parts issued from stock (standard modules) and purchased materials, which is
    what the orders draw; parts made for the order (``order``) are made, not drawn, and their
    components are already lines of their own. Parts come in order of first appearance.
    """
    wanted = set(supplies)
    out: dict[str, Requirement] = {}
    for wo in work_orders:
        for line in wo.bom:
            if line.supply not in wanted:
                continue
            old = out.get(line.part)
            total = line.quantity + (old.quantity if old else Decimal(0))
            out[line.part] = Requirement(line.part, line.label, line.unit, line.supply, total)
    return out


def shortfalls(requirements: Mapping[str, Requirement], site: Site) -> dict[str, Decimal]:
    """Standard modules whose demand exceeds the site's stock: part -> missing quantity."""
    out: dict[str, Decimal] = {}
    for part, req in requirements.items():
        if req.supply != "stock":
            continue
        missing = req.quantity - site.stock.get(part, Decimal(0))
        if missing > 0:
            out[part] = missing
    return out
