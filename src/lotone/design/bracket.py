"""The shelf-bracket template: load, span and screw pattern in; a printed bracket out.

The bracket is an arm (a tapered cantilever from ``h_root`` at the wall to ``h_tip`` at the tip)
on a wall leg of thickness ``t`` that carries the screws below the arm. It is built lying on its
side, as it is printed: the side profile in the xy plane (x along the arm, y up, the arm's top at
``y = 0``), extruded by the width ``b`` along z; screw holes are cylinders cut through the leg
and a shelf-fixing hole through the arm near its tip (manifold3d booleans).

The analytic model (:func:`performance`) treats the arm as a cantilever with the load at the
tip: stress ``6 P (L - x) / (b h(x)^2)``, tip deflection by the unit-load integral
``P / E * integral (L - x)^2 / I(x) dx`` on 64 points, and screw tension from the moment about
the leg's lower edge, shared by the screws in proportion to their lever arms. Mass comes from
the volume of the real geometry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import numpy as np

from lotone.design._kernel import Region, Solid
from lotone.design.mesh import Mesh
from lotone.design.model import Design, Part
from lotone.errors import InvalidValue, UnknownName
from lotone.model.family import Value

__all__ = ["BOUNDS", "MATERIALS", "BracketSpec", "Performance", "bracket_design", "performance"]

# name: (density g/cm3, Young's modulus MPa, allowable stress MPa incl. a safety factor of 2)
MATERIALS: Mapping[str, tuple[float, float, float]] = {
    "pa12": (1.01, 1700.0, 24.0),
    "pa12_gf": (1.22, 3200.0, 30.0),
}
# design variables and their ranges (mm)
BOUNDS: Mapping[str, tuple[float, float]] = {
    "width_mm": (12.0, 40.0),
    "root_depth_mm": (20.0, 120.0),
    "tip_depth_mm": (6.0, 40.0),
    "leg_mm": (4.0, 12.0),
}
_SCREW_ALLOWED_N = 600.0  # pull-out of one 5 mm screw in a plugged wall, with margin
_MARGIN_MM = 12.0
_TEXT = ("material",)


@dataclass(frozen=True, slots=True)
class BracketSpec:
    """Requirements (load, span, screws, material) and design variables of one bracket."""

    load_n: float = 150.0
    span_mm: float = 200.0
    screws: int = 2
    screw_d_mm: float = 5.0
    screw_pitch_mm: float = 40.0
    material: str = "pa12"
    width_mm: float = 24.0
    root_depth_mm: float = 60.0
    tip_depth_mm: float = 16.0
    leg_mm: float = 6.0

    def __post_init__(self) -> None:
        if self.material not in MATERIALS:
            raise InvalidValue("material", self.material, f"one of {sorted(MATERIALS)}")
        if self.load_n <= 0 or not 40 <= self.span_mm <= 500:
            raise InvalidValue("span_mm", self.span_mm, "load > 0 and span 40..500 mm")
        if not 1 <= self.screws <= 6 or self.screw_d_mm <= 0:
            raise InvalidValue("screws", self.screws, "1 to 6 screws of positive diameter")
        if self.screw_pitch_mm < 2 * self.screw_d_mm:
            raise InvalidValue("screw_pitch_mm", self.screw_pitch_mm, "at least 2 diameters")
        for name, (lo, hi) in BOUNDS.items():
            v = getattr(self, name)
            if not lo <= v <= hi:
                raise InvalidValue(name, v, f"expected {lo:g}..{hi:g} mm")
        if self.tip_depth_mm > self.root_depth_mm:
            raise InvalidValue("tip_depth_mm", self.tip_depth_mm, "must not exceed root_depth_mm")
        if self.leg_mm + 8 > self.span_mm:
            raise InvalidValue("span_mm", self.span_mm, "too short for the leg")

    @classmethod
    def of(cls, values: Mapping[str, Value | float]) -> BracketSpec:
        """A spec from ``NAME=VALUE`` settings (numbers, ``screws`` whole, ``material`` text)."""
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(values) - known)
        if unknown:
            raise UnknownName("bracket parameter", unknown[0], sorted(known))
        numbers = {k: float(Decimal(str(v))) for k, v in values.items() if k not in _TEXT}
        spec = cls()
        if "material" in values:
            spec = replace(spec, material=str(values["material"]))
        if "screws" in numbers:
            count = numbers.pop("screws")
            if count != int(count):
                raise InvalidValue("screws", count, "a whole number")
            spec = replace(spec, screws=int(count))
        return spec.with_variables(numbers)

    def with_variables(self, x: Mapping[str, float]) -> BracketSpec:
        """The same spec with other numbers (design variables, load, span, screw sizes)."""
        changes: dict[str, Any] = {k: float(v) for k, v in x.items()}
        return replace(self, **changes)

    @property
    def leg_height_mm(self) -> float:
        """Height of the wall leg: the arm's root plus the screw pattern below it."""
        return self.root_depth_mm + _MARGIN_MM + (self.screws - 1) * self.screw_pitch_mm + 10.0

    def screw_levels(self) -> list[float]:
        """The screws' heights (y, negative: below the arm's top)."""
        first = -(self.root_depth_mm + _MARGIN_MM)
        return [first - i * self.screw_pitch_mm for i in range(self.screws)]


@dataclass(frozen=True, slots=True)
class Performance:
    """What the analytic model says about a bracket."""

    mass_g: float
    deflection_mm: float
    stress_mpa: float
    screw_tension_n: float
    allowable_mpa: float

    @property
    def feasible(self) -> bool:
        """Stress and screw tension within their allowables."""
        return self.stress_mpa <= self.allowable_mpa and self.screw_tension_n <= _SCREW_ALLOWED_N


def profile(spec: BracketSpec) -> Region:
    """The side profile (x along the arm, y up; the arm's top at y = 0)."""
    t, span = spec.leg_mm, spec.span_mm
    pts = np.array(
        [
            (0.0, 0.0), (span, 0.0), (span, -spec.tip_depth_mm),
            (t, -spec.root_depth_mm), (t, -spec.leg_height_mm), (0.0, -spec.leg_height_mm),
        ]
    )  # fmt: skip
    return Region.polygon(pts)


def solid(spec: BracketSpec) -> Solid:
    """The bracket's solid, in its print orientation."""
    body = profile(spec).extrude(spec.width_mm)
    r = spec.screw_d_mm / 2
    holes = [
        Solid.cylinder(r, spec.leg_mm + 2, 16, axis="x").translate(-1.0, y, spec.width_mm / 2)
        for y in spec.screw_levels()
    ]
    shelf_x = spec.span_mm - max(10.0, 2 * r + 4)
    holes.append(
        Solid.cylinder(2.0, spec.root_depth_mm + 2, 12, axis="y").translate(
            shelf_x, -spec.root_depth_mm - 1, spec.width_mm / 2
        )
    )
    return body.minus(holes)


def performance(spec: BracketSpec, volume_mm3: float) -> Performance:
    """The analytic beam model of a bracket whose real volume is ``volume_mm3``."""
    density, e_mpa, allowable = MATERIALS[spec.material]
    length = spec.span_mm - spec.leg_mm
    x = np.linspace(0.0, length, 64)
    h = spec.root_depth_mm + (spec.tip_depth_mm - spec.root_depth_mm) * x / length
    inertia = spec.width_mm * h**3 / 12.0
    moment = spec.load_n * (length - x)
    stress = float(np.max(moment * (h / 2) / inertia))
    deflection = float(np.trapezoid(spec.load_n * (length - x) ** 2 / (e_mpa * inertia), x))
    # screws pull against the leg's lower edge
    bottom = -spec.leg_height_mm
    arms = np.array([y - bottom for y in spec.screw_levels()])
    tension = float(spec.load_n * spec.span_mm * arms.max() / np.sum(arms**2))
    return Performance(volume_mm3 * density / 1000.0, deflection, stress, tension, allowable)


def bracket_part(spec: BracketSpec) -> tuple[Part, Performance]:
    """The printed bracket and its performance."""
    vertices, faces = solid(spec).arrays()
    mesh = Mesh(vertices, faces)
    density = MATERIALS[spec.material][0]
    wall = min(spec.leg_mm, spec.tip_depth_mm, spec.width_mm / 2 - spec.screw_d_mm / 2)
    nominal = {"x": spec.span_mm, "y": spec.leg_height_mm, "z": spec.width_mm}
    part = Part("bracket", mesh, spec.material, density, wall, nominal, 0.5)
    return part, performance(spec, mesh.volume)


def bracket_design(values: Mapping[str, Value | float], order_hash: str) -> Design:
    """The design of a bracket from its settings (see :class:`BracketSpec`)."""
    spec = BracketSpec.of(values)
    part, perf = bracket_part(spec)
    return Design(
        template="bracket",
        family=None,
        order_hash=order_hash,
        process="printer_sls",
        parts=(part,),
        requires=(spec.material,),
        parameters={
            "width_mm": spec.width_mm,
            "root_depth_mm": spec.root_depth_mm,
            "tip_depth_mm": spec.tip_depth_mm,
            "leg_mm": spec.leg_mm,
            "mass_g": round(perf.mass_g, 3),
            "deflection_mm": round(perf.deflection_mm, 4),
            "stress_mpa": round(perf.stress_mpa, 3),
            "screw_tension_n": round(perf.screw_tension_n, 2),
        },
    )
