"""The work order: what to issue, what to do and what to check to make one configured product.

A :class:`WorkOrder` is frozen data built by :func:`lotone.produce.explode` and checked on
construction: quantities are positive, operation ids are unique, every predecessor exists and
the precedence graph is acyclic. Durations are whole seconds; money does not appear here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from lotone.model.family import Value
from lotone.model.production import Supply

__all__ = ["BomLine", "QcItem", "Step", "WorkOrder", "json_number"]


def json_number(value: Decimal) -> int | float:
    """A number as JSON: an int when whole, else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True, slots=True)
class BomLine:
    """``quantity`` of ``part`` (in ``unit``); ``level`` 1 is issued to the order itself.

    Lines at level 2 and below are the components of their ``parent``, a part made for this
    order (supply ``order``) whose own bill of materials is exploded into the order.
    """

    part: str
    label: str
    quantity: Decimal
    unit: str
    supply: Supply
    level: int = 1
    parent: str | None = None

    def __post_init__(self) -> None:
        if self.quantity <= 0:
            raise ValueError(f"BOM line {self.part}: quantity {self.quantity} is not positive")

    def to_json(self) -> dict[str, object]:
        """The line as JSON."""
        return {
            "part": self.part,
            "label": self.label,
            "quantity": json_number(self.quantity),
            "unit": self.unit,
            "supply": self.supply,
            "level": self.level,
            "parent": self.parent,
        }


@dataclass(frozen=True, slots=True)
class Step:
    """An operation of a work order: a work-center type, durations in seconds, predecessors.

    ``id`` is the routing's operation id, with ``[i]`` for instance ``i`` of a module
    operation (``assemble_drawers[2]``).
    """

    id: str
    work_center: str
    setup_s: int
    run_s: int
    setup_family: str | None = None
    after: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    envelope_mm: tuple[Decimal, ...] = ()
    label: str = ""

    def __post_init__(self) -> None:
        if self.setup_s < 0 or self.run_s < 0:
            raise ValueError(f"operation {self.id}: durations must not be negative")

    @property
    def seconds(self) -> int:
        """Setup plus run time, in seconds."""
        return self.setup_s + self.run_s

    def to_json(self) -> dict[str, object]:
        """The operation as JSON (``minutes`` rounded to 0.01; ``seconds`` exact)."""
        return {
            "id": self.id,
            "label": self.label,
            "work_center": self.work_center,
            "minutes": round(self.seconds / 60, 2),
            "seconds": self.seconds,
            "setup_seconds": self.setup_s,
            "run_seconds": self.run_s,
            "setup_family": self.setup_family,
            "after": list(self.after),
            "requires": list(self.requires),
            "envelope_mm": [json_number(x) for x in self.envelope_mm],
        }


@dataclass(frozen=True, slots=True)
class QcItem:
    """A check of the QC plan: what to inspect, and its nominal value and tolerance if measured."""

    id: str
    label: str
    nominal: Decimal | None = None
    tolerance: Decimal | None = None
    unit: str | None = None
    method: str = ""

    def to_json(self) -> dict[str, object]:
        """The check as JSON."""
        return {
            "id": self.id,
            "check": self.label,
            "nominal": None if self.nominal is None else json_number(self.nominal),
            "tolerance": None if self.tolerance is None else json_number(self.tolerance),
            "unit": self.unit,
            "method": self.method,
        }


@dataclass(frozen=True, slots=True)
class WorkOrder:
    """Everything needed to make one configured product.

    ``hash`` identifies (family, version, configuration): the same order always gives the same
    work order and the same hash.
    """

    family: str
    version: str
    hash: str
    configuration: Mapping[str, Value]
    bom: tuple[BomLine, ...] = ()
    operations: tuple[Step, ...] = ()
    qc: tuple[QcItem, ...] = ()
    order_id: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        ids = [s.id for s in self.operations]
        if len(set(ids)) != len(ids):
            raise ValueError("a work order repeats an operation id")
        earlier: set[str] = set()
        for step in self.operations:  # topological order: predecessors come first
            missing = [a for a in step.after if a not in earlier]
            if missing:
                raise ValueError(f"operation {step.id} comes before its predecessors {missing}")
            earlier.add(step.id)

    def step(self, step_id: str) -> Step:
        """The operation called ``step_id``."""
        for s in self.operations:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    @property
    def seconds(self) -> int:
        """The total work content (setup plus run of every operation), in seconds."""
        return sum(s.seconds for s in self.operations)

    def to_json(self) -> dict[str, object]:
        """The work order as one JSON object (the ``lotone order explode --json`` contract)."""
        out: dict[str, object] = {
            "family": self.family,
            "version": self.version,
            "hash": self.hash,
        }
        if self.order_id is not None:
            out["order_id"] = self.order_id
        out["configuration"] = {
            k: json_number(v) if isinstance(v, Decimal) else v
            for k, v in self.configuration.items()
        }
        out["bom"] = [line.to_json() for line in self.bom]
        out["operations"] = [s.to_json() for s in self.operations]
        out["qc"] = [q.to_json() for q in self.qc]
        return out
