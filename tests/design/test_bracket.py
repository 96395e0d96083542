"""The bracket: geometry, beam model and the generative optimization's Pareto front."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lotone.design import BracketSpec, check, design_settings, non_dominated, optimize
from lotone.design.bracket import bracket_part
from lotone.errors import Infeasible, InvalidValue, UnknownName


def test_the_bracket_is_watertight_and_to_size() -> None:
    """Span, leg height and width are the bounding box; the screw holes go through."""
    spec = BracketSpec()
    part, perf = bracket_part(spec)
    assert part.mesh.is_watertight()
    x, y, z = part.mesh.extents
    assert (x, y, z) == pytest.approx((spec.span_mm, spec.leg_height_mm, spec.width_mm), abs=0.5)
    solid_volume = 0.5 * (spec.root_depth_mm + spec.tip_depth_mm) * (spec.span_mm - spec.leg_mm)
    assert part.volume_mm3 < (solid_volume + spec.leg_mm * spec.leg_height_mm) * spec.width_mm
    assert perf.mass_g == pytest.approx(part.volume_mm3 * 1.01 / 1000)


def test_a_deeper_arm_deflects_and_stresses_less() -> None:
    """The beam model: more depth, less deflection and stress, more mass."""
    thin = bracket_part(BracketSpec(root_depth_mm=40))[1]
    deep = bracket_part(BracketSpec(root_depth_mm=90))[1]
    assert deep.deflection_mm < thin.deflection_mm
    assert deep.stress_mpa < thin.stress_mpa
    assert deep.mass_g > thin.mass_g


def test_settings_are_checked() -> None:
    """Unknown settings get a did-you-mean; values out of range are refused."""
    with pytest.raises(UnknownName, match="span_mm"):
        BracketSpec.of({"span": 200})
    with pytest.raises(InvalidValue, match="width_mm"):
        BracketSpec.of({"width_mm": 100})
    design = design_settings("bracket", {"span_mm": 180, "screws": 3})
    assert check(design).ok


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), min_size=1, max_size=40))
def test_non_dominated_keeps_exactly_the_undominated_points(points: list[tuple[int, int]]) -> None:
    """No kept point is dominated; every dropped point is dominated or a duplicate."""
    p = np.array(points, dtype=float)
    keep = non_dominated(p)
    kept = p[keep]
    for a in kept:
        assert not np.any(np.all(kept <= a, axis=1) & np.any(kept < a, axis=1))
    for i in np.flatnonzero(~keep):
        a = p[i]
        dominated = np.any(np.all(p <= a, axis=1) & np.any(p < a, axis=1))
        assert dominated or any(np.array_equal(a, b) for b in kept)


@pytest.fixture(scope="module")
def front():  # type: ignore[no-untyped-def]
    """A small seeded optimization (200 evaluations)."""
    return optimize(BracketSpec(), evaluations=200, seed=3, pop_size=20)


def test_the_pareto_front_is_non_dominated_and_feasible(front) -> None:  # type: ignore[no-untyped-def]
    """No design of the front dominates another; all meet the constraints; the choice is on it."""
    objectives = np.array([[c.mass_g, c.deflection_mm] for c in front.front])
    for a in objectives:
        assert not np.any(np.all(objectives <= a, axis=1) & np.any(objectives < a, axis=1))
    assert all(c.feasible for c in front.front)
    assert front.chosen in front.front
    assert front.evaluations == 200


def test_the_same_seed_gives_the_same_front(front) -> None:  # type: ignore[no-untyped-def]
    """Seeded: rerunning gives the same front."""
    again = optimize(BracketSpec(), evaluations=200, seed=3, pop_size=20)
    assert [c.to_json() for c in again.front] == [c.to_json() for c in front.front]


def test_an_impossible_load_is_infeasible_with_the_reason() -> None:
    """When no design meets the constraints, the refusal says what to change."""
    with pytest.raises(Infeasible, match="screw"):
        optimize(BracketSpec(load_n=5000, screws=1), evaluations=40, seed=0, pop_size=20)
