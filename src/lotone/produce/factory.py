"""The factory model: sites (micro-factories) with work centers, machines, calendars and stock.

One YAML file per site (``docs/factory-format.md``), read by
:func:`lotone.produce.factory_loader.load_site`. Work centers have a *type* (``cnc_router``,
``printer_sls``, ...), the same name the routing of a family uses; each holds machines with
capabilities, a speed factor, an optional build volume and a calendar, and a setup-time matrix
between setup families for sequence-dependent changeovers. Durations are whole minutes here
(changeovers) and whole seconds in work orders.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from lotone.errors import SourceSpan

__all__ = ["DAYS", "Day", "Machine", "Network", "SetupMatrix", "Shift", "Site", "WorkCenter"]

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class Shift:
    """Working time on some days: minutes from midnight, ``start < end`` (no overnight shifts)."""

    days: tuple[Day, ...]
    start_min: int
    end_min: int

    def __post_init__(self) -> None:
        if not 0 <= self.start_min < self.end_min <= 24 * 60:
            raise ValueError("a shift runs from start to a later end within one day")

    @property
    def minutes_per_week(self) -> int:
        """Working minutes this shift gives in a week."""
        return len(self.days) * (self.end_min - self.start_min)


@dataclass(frozen=True, slots=True)
class Machine:
    """A machine: capabilities it offers, relative speed, build volume (mm) and calendar."""

    id: str
    capabilities: frozenset[str] = frozenset()
    speed: Decimal = Decimal(1)
    build_volume_mm: tuple[Decimal, ...] = ()
    shifts: tuple[Shift, ...] = ()
    span: SourceSpan | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.speed <= 0:
            raise ValueError(f"machine {self.id}: speed must be positive")

    def seconds(self, nominal: int) -> int:
        """How long an operation of ``nominal`` seconds takes on this machine (rounded up)."""
        return math.ceil(Decimal(nominal) / self.speed)

    def fits(self, envelope_mm: tuple[Decimal, ...]) -> bool:
        """Whether an object of these sizes fits the build volume, turned any way."""
        if not envelope_mm or not self.build_volume_mm:
            return True
        need = sorted(envelope_mm, reverse=True)
        have = sorted(self.build_volume_mm, reverse=True)
        return len(need) <= len(have) and all(n <= h for n, h in zip(need, have, strict=False))


@dataclass(frozen=True, slots=True)
class SetupMatrix:
    """Changeover minutes between setup families: same family 0, listed pairs, else default."""

    default_min: int = 0
    changes: Mapping[tuple[str, str], int] = field(default_factory=dict)

    def minutes(self, before: str | None, after: str | None) -> int:
        """The changeover from ``before`` to ``after`` (``None``: no setup family, no change)."""
        if before is None or after is None or before == after:
            return 0
        return self.changes.get((before, after), self.default_min)


@dataclass(frozen=True, slots=True)
class WorkCenter:
    """Machines of one type at a site, with their changeover matrix."""

    id: str
    type: str
    machines: tuple[Machine, ...]
    setup: SetupMatrix = field(default_factory=SetupMatrix)
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Site:
    """A micro-factory: location, work centers, default calendar and stock of standard modules."""

    id: str
    name: str
    work_centers: tuple[WorkCenter, ...]
    city: str = ""
    country: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    shifts: tuple[Shift, ...] = ()
    stock: Mapping[str, Decimal] = field(default_factory=dict)
    source: str = ""

    def __post_init__(self) -> None:
        ids = [m.id for wc in self.work_centers for m in wc.machines]
        if len(set(ids)) != len(ids):
            raise ValueError(f"site {self.id}: a machine id is used twice")

    def centers(self, kind: str) -> list[WorkCenter]:
        """The work centers of type ``kind``."""
        return [wc for wc in self.work_centers if wc.type == kind]

    def shifts_of(self, machine: Machine) -> tuple[Shift, ...]:
        """A machine's calendar: its own shifts, else the site's."""
        return machine.shifts or self.shifts


@dataclass(frozen=True, slots=True)
class Network:
    """Several sites."""

    sites: tuple[Site, ...]

    def site(self, site_id: str) -> Site:
        """The site called ``site_id``."""
        for s in self.sites:
            if s.id == site_id:
                return s
        raise KeyError(site_id)
