"""Checks before manufacture: a design that fails one is refused, with the reason.

* **watertight**: every printed mesh is closed and consistently oriented (edge test,
  :meth:`~lotone.design.mesh.Mesh.is_watertight`);
* **fits**: every part (or sheet) fits a machine of the process's work-center type that has the
  capabilities the design requires, turned any way (:meth:`lotone.produce.factory.Machine.fits`);
* **min_wall**: the thinnest wall or floor is at least the process's minimum (SLS 1.5 mm); for
  the insole it is measured on the mesh (the lowest point of the top over the flat floor), for
  the bracket it is the thinnest of its declared sections;
* **dimensions**: each part's bounding box is within its tolerance of the requested sizes;
* **nesting**: every panel lies on its sheet without overlapping another (holes are checked
  to lie on their panel when the panel is made);
* **legible**: a label's text is at least 1.2 mm high.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from lotone.design.model import Design
from lotone.errors import LotoneError
from lotone.produce.factory import Machine

__all__ = ["DEFAULT_MACHINES", "MIN_WALL_MM", "Checks", "DesignRefused", "check", "require"]

MIN_WALL_MM = {"printer_sls": 1.5, "cnc_router": 0.0, "label_printer": 0.0}

# Used when no factory is given: the sample network's machines (catalog/factories).
DEFAULT_MACHINES: dict[str, tuple[Machine, ...]] = {
    "printer_sls": (
        Machine("sls-tpu", frozenset({"tpu_88a", "tpu_95a"}),
                build_volume_mm=(Decimal(340), Decimal(340), Decimal(600))),
        Machine("sls-pa12", frozenset({"pa12", "pa12_gf"}),
                build_volume_mm=(Decimal(340), Decimal(340), Decimal(600))),
    ),
    "cnc_router": (
        Machine("cnc-nesting", frozenset({"board_18mm"}),
                build_volume_mm=(Decimal(3100), Decimal(2100), Decimal(80))),
    ),
    "label_printer": (Machine("label-printer"),),
}  # fmt: skip


class DesignRefused(LotoneError):
    """A design failed a check before manufacture; ``reasons`` says which and why."""

    def __init__(self, template: str, reasons: Sequence[str]) -> None:
        self.template = template
        self.reasons = tuple(reasons)
        super().__init__(f"{template} design refused: " + "; ".join(self.reasons))


@dataclass(frozen=True, slots=True)
class Checks:
    """The outcome of every check (``results``) and the reasons of the failed ones."""

    results: dict[str, bool]
    reasons: tuple[str, ...]
    machines: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Whether every check passed."""
        return all(self.results.values())


def _fmt(sizes: Sequence[float]) -> str:
    return " x ".join(f"{s:.1f}" for s in sizes)


def check(design: Design, machines: Sequence[Machine] | None = None) -> Checks:
    """Run every check on ``design``; ``machines`` of its process (default: the sample ones)."""
    pool = tuple(machines) if machines is not None else DEFAULT_MACHINES[design.process]
    capable = [m for m in pool if set(design.requires) <= m.capabilities] if design.requires \
        else list(pool)  # fmt: skip
    reasons: list[str] = []
    results: dict[str, bool] = {}
    if design.parts:
        bad = [p.name for p in design.parts if not p.mesh.is_watertight()]
        results["watertight"] = not bad
        if bad:
            reasons.append(f"not watertight: {', '.join(bad)}")
    envelopes = [(p.name, p.mesh.extents) for p in design.parts]
    envelopes += [(f"sheet of {n.material}", (*n.sheet_mm, 18.0)) for n in design.nestings]
    fitting = [
        m.id for m in capable
        if all(m.fits(tuple(Decimal(str(round(s, 3))) for s in env)) for _, env in envelopes)
    ]  # fmt: skip
    results["fits_machine"] = bool(fitting)
    if not fitting:
        if not capable:
            reasons.append(
                f"no {design.process} machine offers {', '.join(design.requires)}"
                f" (machines: {', '.join(m.id for m in pool) or 'none'})"
            )
        else:
            too_big = [
                f"{name} {_fmt(env)} mm does not fit the build volume of {m.id}"
                f" ({_fmt([float(v) for v in m.build_volume_mm])} mm) in any orientation"
                for m in capable
                for name, env in envelopes
                if not m.fits(tuple(Decimal(str(round(s, 3))) for s in env))
            ]
            reasons.append("; ".join(too_big))
    minimum = MIN_WALL_MM[design.process]
    thin = [f"{p.name} has a {p.min_wall_mm:.2f} mm wall (minimum {minimum} mm)"
            for p in design.parts if p.min_wall_mm < minimum]  # fmt: skip
    if design.parts:
        results["min_wall"] = not thin
    reasons += thin
    off: list[str] = []
    for p in design.parts:
        ext = dict(zip("xyz", p.mesh.extents, strict=True))
        for axis, nominal in p.nominal_mm.items():
            if abs(ext[axis] - nominal) > p.tolerance_mm:
                off.append(f"{p.name} measures {ext[axis]:.2f} mm in {axis}, requested"
                           f" {nominal:.2f} ± {p.tolerance_mm} mm")  # fmt: skip
    if design.parts:
        results["dimensions"] = not off
    reasons += off
    if design.labels:
        from lotone.design.label import MIN_FONT_MM, font_mm

        small = [f"label {lb.name}: text {font_mm(lb):.2f} mm high (minimum {MIN_FONT_MM} mm)"
                 for lb in design.labels if font_mm(lb) < MIN_FONT_MM]  # fmt: skip
        results["legible"] = not small
        reasons += small
    if design.nestings:
        overlaps = _overlaps(design)
        results["nesting"] = not overlaps
        reasons += overlaps
    return Checks(results, tuple(reasons), tuple(fitting))


def _overlaps(design: Design) -> list[str]:
    out: list[str] = []
    for nesting in design.nestings:
        boxes: list[tuple[int, float, float, float, float, str]] = []
        for pl in nesting.placements:
            p = design.panels[pl.panel]
            w, h = (p.height, p.width) if pl.rotated else (p.width, p.height)
            if pl.x < 0 or pl.y < 0 or pl.x + w > nesting.sheet_mm[0] or \
                    pl.y + h > nesting.sheet_mm[1]:  # fmt: skip
                out.append(f"panel {p.name} lies off sheet {pl.sheet + 1}")
            boxes.append((pl.sheet, pl.x, pl.y, pl.x + w, pl.y + h, p.name))
        boxes.sort()
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                if b[0] != a[0]:
                    break
                if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]:
                    out.append(f"panels {a[5]} and {b[5]} overlap on sheet {a[0] + 1}")
    return out


def require(design: Design, machines: Sequence[Machine] | None = None) -> Checks:
    """:func:`check`, raising :class:`DesignRefused` with every reason when a check fails."""
    result = check(design, machines)
    if not result.ok:
        raise DesignRefused(design.template, result.reasons)
    return result
