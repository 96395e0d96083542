"""Link to production: a work order whose quantities come from the order's real geometry.

:func:`link` is pure: given the work order of an order (:func:`lotone.produce.explode.explode`)
and its design, it returns a :class:`LinkedWorkOrder` whose work order has

* for printed parts, the powder of the part's material (``powder_{material}``, grams) from the
  mesh volumes and the material's density, times ``PrintModel.powder_factor`` (refresh losses);
  the print operation's run time from the geometry (:class:`PrintModel`) and its envelope from
  the largest part's bounding box;
* for nested panels, the board (``board_18_{finish}``, m2) as the whole sheets the nesting uses,
  so the nesting utilization feeds the material need;

and the references to the generated files. Lines and operations the design does not concern
are left as the family's formulas made them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from lotone.design.model import Design
from lotone.produce.work_order import BomLine, Step, WorkOrder

__all__ = ["LinkedWorkOrder", "PrintModel", "link", "print_seconds"]


@dataclass(frozen=True, slots=True)
class PrintModel:
    """A powder-bed print-time model (assumed constants, not calibrated on a machine).

    A part's share of a nested build: ``height / layer_mm`` layers of ``layer_s`` seconds each
    (recoat and scan of a full bed) times its footprint's share of the bed area, plus
    ``scan_s_per_cm3`` seconds per cm3 of volume for the contours and hatching.
    """

    layer_mm: float = 0.1
    layer_s: float = 12.0
    bed_mm2: float = 340.0 * 340.0
    scan_s_per_cm3: float = 10.0
    powder_factor: float = 1.0

    def __post_init__(self) -> None:
        if min(self.layer_mm, self.layer_s, self.bed_mm2, self.powder_factor) <= 0:
            raise ValueError("print model constants must be positive")


def print_seconds(design: Design, model: PrintModel = PrintModel()) -> int:
    """Seconds of printing for the parts of ``design`` under ``model`` (rounded up)."""
    total = 0.0
    for part in design.parts:
        x, y, z = part.mesh.extents
        layers = z / model.layer_mm
        total += layers * model.layer_s * min(1.0, x * y / model.bed_mm2)
        total += part.volume_mm3 / 1000.0 * model.scan_s_per_cm3
    return math.ceil(total)


@dataclass(frozen=True, slots=True)
class LinkedWorkOrder:
    """A work order with geometry-derived quantities, its files and what was derived."""

    work_order: WorkOrder
    files: tuple[str, ...] = ()
    derived: Mapping[str, float | int | str] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """The work order's JSON with ``design``: the files and the derived quantities."""
        out = self.work_order.to_json()
        out["design"] = {"files": list(self.files), "derived": dict(self.derived)}
        return out


def _q(value: float, places: str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places))


def link(
    work_order: WorkOrder,
    design: Design,
    files: Sequence[str | Path] = (),
    model: PrintModel = PrintModel(),
) -> LinkedWorkOrder:
    """``work_order`` with the quantities ``design``'s geometry gives (see the module)."""
    if work_order.hash != design.order_hash:
        raise ValueError(
            f"the design is of order {design.order_hash}, the work order of {work_order.hash}"
        )
    derived: dict[str, float | int | str] = {}
    material: dict[str, Decimal] = {}
    for part in design.parts:
        key = f"powder_{part.material}"
        grams = part.mass_g * model.powder_factor
        material[key] = material.get(key, Decimal(0)) + _q(grams, "0.1")
    if design.parts:
        derived["volume_mm3"] = round(design.volume_mm3, 1)
        derived["mass_g"] = round(sum(p.mass_g for p in design.parts), 1)
    for nesting in design.nestings:
        material[nesting.material] = material.get(nesting.material, Decimal(0)) + _q(
            nesting.sheet_area_m2, "0.0001"
        )
        derived["sheets"] = nesting.sheets
        derived["utilization"] = round(nesting.utilization, 4)
    bom: list[BomLine] = []
    for line in work_order.bom:
        if line.level == 1 and line.part in material:
            derived[f"{line.part}_formula"] = float(line.quantity)
            bom.append(replace(line, quantity=material[line.part]))
        else:
            bom.append(line)
    steps: list[Step] = []
    for step in work_order.operations:
        if step.work_center == "printer_sls" and design.parts:
            seconds = print_seconds(design, model)
            derived["print_run_s_formula"] = step.run_s
            derived["print_run_s"] = seconds
            largest = max(design.parts, key=lambda p: p.volume_mm3).mesh.extents
            envelope = tuple(_q(v, "0.1") for v in largest)
            steps.append(replace(step, run_s=seconds, envelope_mm=envelope))
        else:
            steps.append(step)
    linked = replace(work_order, bom=tuple(bom), operations=tuple(steps))
    return LinkedWorkOrder(linked, tuple(str(f) for f in files), derived)
