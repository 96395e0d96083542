"""What a design template produces: parts (3D meshes), panels (2D parts), their nesting, labels.

A :class:`Design` is frozen data: the geometry of one order, the requested dimensions it must
meet, and what the checks before manufacture (:mod:`.checks`) and the link to production
(:mod:`.link`) need to know about it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from lotone.design.mesh import Mesh

__all__ = [
    "Design",
    "Hole",
    "Label",
    "Nesting",
    "Panel",
    "Part",
    "Placement",
    "part_uuid",
]

# A fixed namespace: the part UUID of an order is uuid5(namespace, order hash + part name), so
# the same order always gets the same UUIDs and two orders never share one.
_NAMESPACE = uuid.UUID("6f1d3c2e-4b8a-5e0f-9a7d-1c2b3a4d5e6f")


def part_uuid(order_hash: str, part: str) -> str:
    """The 3MF Production-extension UUID of ``part`` of the order with ``order_hash``.

    >>> part_uuid("sha256:ab", "insole-left") == part_uuid("sha256:ab", "insole-left")
    True
    >>> part_uuid("sha256:ab", "insole-left") != part_uuid("sha256:ac", "insole-left")
    True
    """
    return str(uuid.uuid5(_NAMESPACE, f"{order_hash}/{part}"))


@dataclass(frozen=True, slots=True, eq=False)
class Part:
    """A printed part: its mesh and what it must measure.

    ``nominal_mm`` maps an axis (``x``, ``y``, ``z``) to the requested bounding-box size and
    ``tolerance_mm`` to how far the mesh may be from it. ``min_wall_mm`` is the thinnest wall or
    floor the template builds (from its own dimensions, see :mod:`.checks`).
    """

    name: str
    mesh: Mesh
    material: str
    density_g_cm3: float
    min_wall_mm: float
    nominal_mm: Mapping[str, float] = field(default_factory=dict)
    tolerance_mm: float = 0.5

    @property
    def volume_mm3(self) -> float:
        """The part's volume."""
        return self.mesh.volume

    @property
    def mass_g(self) -> float:
        """Mass from the volume and the material's density."""
        return self.mesh.volume * self.density_g_cm3 / 1000.0


@dataclass(frozen=True, slots=True)
class Hole:
    """A drilled hole in a panel: centre (mm from the panel's lower-left corner), diameter, depth.

    ``depth_mm`` 0 means through.
    """

    x: float
    y: float
    diameter: float
    depth_mm: float = 0.0
    purpose: str = ""


@dataclass(frozen=True, slots=True)
class Panel:
    """A rectangular board part with its drilling, cut from sheet material.

    ``grain`` means the part may not be turned on the sheet (veneers keep their grain vertical).
    """

    name: str
    width: float
    height: float
    holes: tuple[Hole, ...] = ()
    material: str = ""
    grain: bool = False

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"panel {self.name}: sizes must be positive")
        for h in self.holes:
            r = h.diameter / 2
            if not (r <= h.x <= self.width - r and r <= h.y <= self.height - r):
                raise ValueError(f"panel {self.name}: hole at ({h.x}, {h.y}) is off the panel")

    @property
    def area(self) -> float:
        """Area in mm2."""
        return self.width * self.height


@dataclass(frozen=True, slots=True)
class Placement:
    """Where panel ``panel`` (index into the design's panels) lies: sheet, corner, turned."""

    panel: int
    sheet: int
    x: float
    y: float
    rotated: bool


@dataclass(frozen=True, slots=True)
class Nesting:
    """Panels placed on standard sheets of ``sheet_mm`` (width, height)."""

    sheet_mm: tuple[float, float]
    sheets: int
    placements: tuple[Placement, ...]
    utilization: float
    spacing_mm: float
    material: str = ""

    @property
    def sheet_area_m2(self) -> float:
        """Area of all sheets used, in m2 (the material to issue)."""
        return self.sheets * self.sheet_mm[0] * self.sheet_mm[1] / 1e6


@dataclass(frozen=True, slots=True)
class Label:
    """A flat printed label: size and lines of personalized text."""

    name: str
    width: float
    height: float
    lines: tuple[str, ...]


Process = Literal["printer_sls", "cnc_router", "label_printer"]


@dataclass(frozen=True, slots=True, eq=False)
class Design:
    """The geometry of one order, made by a template.

    ``order_hash`` is the configuration hash of the work order (``sha256:...``);
    ``parameters`` are the derived design values (for people and the 3MF metadata).
    """

    template: str
    family: str | None
    order_hash: str
    process: Process
    parts: tuple[Part, ...] = ()
    panels: tuple[Panel, ...] = ()
    nestings: tuple[Nesting, ...] = ()
    labels: tuple[Label, ...] = ()
    requires: tuple[str, ...] = ()
    parameters: Mapping[str, float | str] = field(default_factory=dict)

    def uuid_of(self, part: str) -> str:
        """The UUID of a part of this order (deterministic, unique per order and part)."""
        return part_uuid(self.order_hash, part)

    @property
    def volume_mm3(self) -> float:
        """The total volume of the printed parts."""
        return sum(p.volume_mm3 for p in self.parts)
