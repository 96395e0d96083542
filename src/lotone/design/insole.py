"""The insole template: a printed base shaped to the customer's foot, left and right mirrored.

Geometry (right foot, heel at ``x = 0``, toes towards ``+x``, medial side ``+y``, floor at
``z = 0``):

* **outline** from foot length and width: a closed Catmull-Rom curve through anatomical control
  points (heel, lateral midfoot, 1st and 5th metatarsal heads, hallux), scaled so that the
  outline is exactly ``foot_length_mm`` long and ``foot_width_mm`` wide;
* **stiffness zones**: the base is thicker at the heel and midfoot than in the forefoot, with
  smooth transitions; the thicknesses grow with the stiffness (soft, medium, firm);
* **top-cover recess**: with a cover, the top is 1 mm lower inside a 3 mm rim (a sharp step),
  so the cover lies flush;
* **heel cup**: a bowl rising ``heel_cup_depth_mm`` to the outline at the back of the heel,
  over the last 16 mm to the edge, fading out by 30 % of the length;
* **support**: an arch support (a dome under the medial arch, 35 % of the arch height, 2 to
  10 mm), a pronation-control medial post (3 mm, plus the arch dome), or a metatarsal pad;
* **vent holes**: cells cut through the toe area (70-90 % of the length) on three inner rings,
  every third cell (every second for running and diabetic care), none touching another.

The solid is a height field over rings of vertices (:mod:`.heightfield`): closed and manifold
by construction, in well under a millisecond. The thinnest floor is measured on the mesh.

A left insole is the mirror image of the right one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from lotone.design.heightfield import HeightFn, Rings, rings, solid
from lotone.design.mesh import Mesh
from lotone.design.model import Design, Part
from lotone.errors import InvalidValue
from lotone.model.family import Value

__all__ = ["DENSITY_G_CM3", "InsoleSpec", "insole_design", "insole_parts"]

DENSITY_G_CM3 = {"tpu_88a": 1.12, "tpu_95a": 1.20, "pa12": 1.01}
_FOREFOOT_MM = {"soft": 3.0, "medium": 3.5, "firm": 4.0}
_RECESS_MM = 1.0

# Control points of the right foot's outline, (x / length, y / width), counter-clockwise from
# the back of the heel along the lateral side: 5th metatarsal head at 66 %, hallux tip at 100 %,
# 1st metatarsal head at 72 %, the medial arch drawn in.
_OUTLINE = np.array(
    [
        (0.000, 0.02), (0.025, -0.21), (0.10, -0.31), (0.25, -0.34), (0.45, -0.38),
        (0.66, -0.46), (0.80, -0.42), (0.91, -0.29), (0.975, -0.08), (1.000, 0.18),
        (0.975, 0.38), (0.88, 0.51), (0.72, 0.54), (0.56, 0.37), (0.38, 0.31),
        (0.18, 0.30), (0.06, 0.24),
    ]
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class InsoleSpec:
    """The design inputs of one insole, read from an insole configuration."""

    side: str
    use: str
    foot_length_mm: float
    foot_width_mm: float
    arch_height_mm: float
    heel_cup_depth_mm: float
    stiffness: str
    support: str
    base_material: str
    top_cover: str

    def __post_init__(self) -> None:
        if self.stiffness not in _FOREFOOT_MM:
            raise InvalidValue("stiffness", self.stiffness, f"one of {sorted(_FOREFOOT_MM)}")
        if self.base_material not in DENSITY_G_CM3:
            raise InvalidValue(
                "base_material", self.base_material, f"one of {sorted(DENSITY_G_CM3)}"
            )
        if not 100 <= self.foot_length_mm <= 400:
            raise InvalidValue("foot_length_mm", self.foot_length_mm, "expected 100..400 mm")
        if not 0.25 * self.foot_length_mm <= self.foot_width_mm <= 0.6 * self.foot_length_mm:
            raise InvalidValue("foot_width_mm", self.foot_width_mm, "implausible for the length")

    @classmethod
    def of(cls, configuration: Mapping[str, Value]) -> InsoleSpec:
        """The spec of a complete insole configuration."""

        def num(key: str) -> float:
            v = configuration[key]
            if not isinstance(v, Decimal | int) or isinstance(v, bool):
                raise InvalidValue(key, v, "expected a number")
            return float(v)

        return cls(
            side=str(configuration["side"]),
            use=str(configuration["use"]),
            foot_length_mm=num("foot_length_mm"),
            foot_width_mm=num("foot_width_mm"),
            arch_height_mm=num("arch_height_mm"),
            heel_cup_depth_mm=num("heel_cup_depth_mm"),
            stiffness=str(configuration["stiffness"]),
            support=str(configuration["support"]),
            base_material=str(configuration["base_material"]),
            top_cover=str(configuration["top_cover"]),
        )

    @property
    def thickness_mm(self) -> tuple[float, float, float]:
        """Base thickness in the heel, midfoot and forefoot zones."""
        t = _FOREFOOT_MM[self.stiffness]
        return t + 1.5, t + 0.75, t


def outline(length: float, width: float, samples: int = 6) -> npt.NDArray[np.float64]:
    """The right foot's outline, exactly ``length`` by ``width`` (heel at x 0, centred on y)."""
    p = _OUTLINE
    p0, p1, p2, p3 = np.roll(p, 1, 0), p, np.roll(p, -1, 0), np.roll(p, -2, 0)
    t = np.linspace(0.0, 1.0, samples, endpoint=False)[:, None, None]
    t2, t3 = t * t, t * t * t
    pts = 0.5 * (
        2 * p1
        + (-p0 + p2) * t
        + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2
        + (-p0 + 3 * p1 - 3 * p2 + p3) * t3
    )
    curve = pts.transpose(1, 0, 2).reshape(-1, 2)
    lo, hi = curve.min(axis=0), curve.max(axis=0)
    scaled = (curve - lo) / (hi - lo) * np.array([length, width])
    scaled[:, 1] -= width / 2
    return np.asarray(scaled, dtype=np.float64)


_DISTANCES = (0.0, 3.0, 3.0, 6.0, 9.0, 12.0, 16.0, 20.0, 25.0, 31.0, 38.0, 46.0)
_FRACTIONS = (0.0, 0.1, 0.1, 0.16, 0.22, 0.28, 0.36, 0.44, 0.53, 0.62, 0.71, 0.8)
_STEP = 2  # ring 2 repeats ring 1 (3 mm in): the rim's inner wall, the cover recess
_VENT_RINGS = (5, 7, 9)


def _smooth(t: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    s = np.clip(t, 0.0, 1.0)
    return s * s * (3 - 2 * s)


def _dome(
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    center: tuple[float, float],
    radii: tuple[float, float],
    rise: float,
) -> npt.NDArray[np.float64]:
    q = 1.0 - ((x - center[0]) / radii[0]) ** 2 - ((y - center[1]) / radii[1]) ** 2
    return rise * np.sqrt(np.clip(q, 0.0, 1.0))


def _heights(spec: InsoleSpec) -> HeightFn:
    length, width = spec.foot_length_mm, spec.foot_width_mm
    t_heel, t_mid, t_fore = spec.thickness_mm
    recess = _RECESS_MM if spec.top_cover != "none" else 0.0
    depth = spec.heel_cup_depth_mm
    arch = spec.support in ("arch_support", "pronation_control")
    rise = min(10.0, max(2.0, 0.35 * spec.arch_height_mm))

    def h(
        x: npt.NDArray[np.float64],
        y: npt.NDArray[np.float64],
        d: npt.NDArray[np.float64],
        j: npt.NDArray[np.int64],
    ) -> npt.NDArray[np.float64]:
        u = x / length
        z = t_heel + (t_mid - t_heel) * _smooth((u - 0.20) / 0.10)
        z = z + (t_fore - t_mid) * _smooth((u - 0.50) / 0.10)
        # the heel cup: a bowl rising to the outline at the back, fading out by 30 %
        z = z + depth * _smooth((0.30 - u) / 0.18) * np.clip(1 - d / 16.0, 0, 1) ** 2
        inner = _smooth((d - 4.0) / 8.0)  # supports stay off the rim
        if arch:
            z = z + inner * _dome(x, y, (0.41 * length, 0.12 * width),
                                  (0.15 * length, 0.20 * width), rise)  # fmt: skip
        if spec.support == "pronation_control":
            z = z + 3.0 * inner * _smooth((0.26 - u) / 0.06) * _smooth(y / (0.15 * width) + 0.5)
        if spec.support == "metatarsal_pad":
            z = z + inner * _dome(x, y, (0.62 * length, 0.04 * width),
                                  (0.06 * length, 0.14 * width), 4.0)  # fmt: skip
        return np.where(j >= _STEP, z - recess, z)

    return h


def _vents(spec: InsoleSpec, r: Rings) -> npt.NDArray[np.bool_]:
    """Cells cut through in the toe area: isolated, on every other ring, off the rim."""
    n_rings, n = r.distance.shape
    every = 2 if spec.use in ("running", "diabetic_care") else 3
    cx = 0.5 * (r.xy[:-1, :, 0] + np.roll(r.xy[1:, :, 0], -1, axis=1))
    u = cx / spec.foot_length_mm
    holes = np.zeros((n_rings - 1, n), dtype=bool)
    for j in _VENT_RINGS:
        ks = np.arange(0, n - 1, every)
        holes[j, ks] = (u[j, ks] > 0.70) & (u[j, ks] < 0.90)
    return holes


def _right(spec: InsoleSpec) -> tuple[Mesh, float, int]:
    length, width = spec.foot_length_mm, spec.foot_width_mm
    step = _STEP if spec.top_cover != "none" else -1
    distances = _DISTANCES if step > 0 else _DISTANCES[:_STEP] + _DISTANCES[_STEP + 1 :]
    fractions = _FRACTIONS if step > 0 else _FRACTIONS[:_STEP] + _FRACTIONS[_STEP + 1 :]
    r = rings(outline(length, width), (0.45 * length, 0.0), distances, fractions, step)
    holes = _vents(spec, r)
    mesh, floor = solid(r, _heights(spec), holes)
    return mesh, floor, int(holes.sum())


def insole_parts(spec: InsoleSpec) -> tuple[Part, ...]:
    """The printed insoles of a spec: one, or a left and right pair (left mirrors right)."""
    right, floor, _ = _right(spec)
    density = DENSITY_G_CM3[spec.base_material]
    nominal = {"x": spec.foot_length_mm, "y": spec.foot_width_mm}

    def part(name: str, mesh: Mesh) -> Part:
        return Part(name, mesh, spec.base_material, density, floor, nominal, 0.5)

    out: list[Part] = []
    if spec.side in ("pair", "left"):
        out.append(part("insole-left", right.mirrored_y()))
    if spec.side in ("pair", "right"):
        out.append(part("insole-right", right))
    return tuple(out)


def insole_design(configuration: Mapping[str, Value], order_hash: str) -> Design:
    """The design of an insole order (see the module docstring for the geometry)."""
    spec = InsoleSpec.of(configuration)
    t_heel, t_mid, t_fore = spec.thickness_mm
    parts = insole_parts(spec)
    return Design(
        template="insole",
        family="insole",
        order_hash=order_hash,
        process="printer_sls",
        parts=parts,
        requires=(spec.base_material,),
        parameters={
            "thickness_heel_mm": t_heel,
            "thickness_midfoot_mm": t_mid,
            "thickness_forefoot_mm": t_fore,
            "heel_cup_depth_mm": spec.heel_cup_depth_mm,
            "support": spec.support,
            "min_wall_mm": round(min(p.min_wall_mm for p in parts), 3),
        },
    )
