"""Generative optimization: explore a template's design variables for the Pareto front.

The bracket declares its variables (:data:`lotone.design.bracket.BOUNDS`), two objectives
(mass from the real geometry's volume, tip deflection from the beam model) and constraints
(stress and screw tension within their allowables, the tip no deeper than the root, the part
fits the printer). :func:`optimize` runs NSGA-II (pymoo, seeded: the same seed gives the same
front), keeps every evaluation, and returns the non-dominated feasible ones and the chosen
design: the lightest whose deflection stays within ``max_deflection_mm`` (span / 200 by
default), else the one nearest to the ideal point.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lotone.design.bracket import BOUNDS, BracketSpec, bracket_part
from lotone.errors import Infeasible, LotoneError

__all__ = ["Candidate", "Front", "non_dominated", "optimize"]

_VARS = tuple(BOUNDS)
_BUILD_MM = 340.0


@dataclass(frozen=True, slots=True)
class Candidate:
    """One evaluated design: its variables, objectives and whether it meets the constraints."""

    variables: dict[str, float]
    mass_g: float
    deflection_mm: float
    stress_mpa: float
    screw_tension_n: float
    feasible: bool

    def to_json(self) -> dict[str, object]:
        """The candidate as JSON."""
        return {
            "variables": {k: round(v, 3) for k, v in self.variables.items()},
            "mass_g": round(self.mass_g, 3),
            "deflection_mm": round(self.deflection_mm, 4),
            "stress_mpa": round(self.stress_mpa, 3),
            "screw_tension_n": round(self.screw_tension_n, 2),
            "feasible": self.feasible,
        }


@dataclass(frozen=True, slots=True)
class Front:
    """The result of an optimization: the Pareto front, the chosen design, the effort."""

    template: str
    front: tuple[Candidate, ...]
    chosen: Candidate
    evaluations: int
    seconds: float
    seed: int

    def to_json(self) -> dict[str, object]:
        """The front as JSON (the ``lotone design optimize --json`` contract)."""
        return {
            "template": self.template,
            "seed": self.seed,
            "evaluations": self.evaluations,
            "seconds": round(self.seconds, 3),
            "objectives": ["mass_g", "deflection_mm"],
            "chosen": self.chosen.to_json(),
            "front": [c.to_json() for c in self.front],
        }


def non_dominated(points: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """Which rows of ``points`` (objectives, all minimized) no other row dominates."""
    n = len(points)
    keep = np.ones(n, dtype=bool)
    for i in range(n):
        if not keep[i]:
            continue
        le = np.all(points <= points[i], axis=1)
        lt = np.any(points < points[i], axis=1)
        if np.any(le & lt):
            keep[i] = False
    # equal points: keep the first only
    _, first = np.unique(points[keep], axis=0, return_index=True)
    idx = np.flatnonzero(keep)
    out = np.zeros(n, dtype=bool)
    out[idx[np.sort(first)]] = True
    return out


def optimize(
    requirements: BracketSpec,
    evaluations: int = 1000,
    seed: int = 0,
    pop_size: int = 40,
    max_deflection_mm: float | None = None,
) -> Front:
    """The Pareto front (mass, deflection) of brackets meeting ``requirements``.

    Raises
    ------
    Infeasible
        When no evaluated design meets the constraints (a load too high for the screws, a
        span longer than the printer), with the reason.
    """
    if evaluations < pop_size:
        raise LotoneError(f"--evaluations must be at least the population size {pop_size}")
    from lotone.design import _pymoo

    records: list[Candidate] = []
    lower = np.array([BOUNDS[v][0] for v in _VARS])
    upper = np.array([BOUNDS[v][1] for v in _VARS])

    def evaluate(
        x: npt.NDArray[np.float64],
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        values = dict(zip(_VARS, (float(v) for v in x), strict=True))
        values["tip_depth_mm"] = min(values["tip_depth_mm"], values["root_depth_mm"])
        spec = requirements.with_variables(values)
        part, perf = bracket_part(spec)
        g = np.array([
            perf.stress_mpa / perf.allowable_mpa - 1.0,
            perf.screw_tension_n / 600.0 - 1.0,
            max(part.mesh.extents) / _BUILD_MM - 1.0,
        ])  # fmt: skip
        ok = bool(np.all(g <= 0) and part.mesh.is_watertight())
        records.append(Candidate(values, perf.mass_g, perf.deflection_mm, perf.stress_mpa,
                                 perf.screw_tension_n, ok))  # fmt: skip
        return np.array([perf.mass_g, perf.deflection_mm]), g

    start = time.perf_counter()
    _pymoo.nsga2(evaluate, lower, upper, 2, 3, evaluations, seed, pop_size)
    seconds = time.perf_counter() - start
    feasible = [c for c in records if c.feasible]
    if not feasible:
        worst = records[-1]
        raise Infeasible(
            f"no bracket meets the constraints for {requirements.load_n:g} N at"
            f" {requirements.span_mm:g} mm with {requirements.screws} screws (last tried: stress"
            f" {worst.stress_mpa:.1f} MPa, screw tension {worst.screw_tension_n:.0f} N of 600 N"
            " allowed): add screws, widen their pitch or shorten the span"
        )
    points = np.array([[c.mass_g, c.deflection_mm] for c in feasible])
    mask = non_dominated(points)
    front = sorted((c for c, m in zip(feasible, mask, strict=True) if m), key=lambda c: c.mass_g)
    limit = max_deflection_mm if max_deflection_mm is not None else requirements.span_mm / 200
    within = [c for c in front if c.deflection_mm <= limit]
    if within:
        chosen = within[0]
    else:
        p = np.array([[c.mass_g, c.deflection_mm] for c in front])
        span = np.maximum(p.max(axis=0) - p.min(axis=0), 1e-12)
        chosen = front[int(np.argmin(np.linalg.norm((p - p.min(axis=0)) / span, axis=1)))]
    return Front("bracket", tuple(front), chosen, len(records), seconds, seed)


def front_objectives(front: Sequence[Candidate]) -> npt.NDArray[np.float64]:
    """The objectives of a front as an ``(n, 2)`` array (mass, deflection)."""
    return np.array([[c.mass_g, c.deflection_mm] for c in front])
