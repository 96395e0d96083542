"""Insole geometry invariants over valid configurations (Hypothesis)."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lotone.configure.validate import validate
from lotone.design import Design, check, design_family
from lotone.design._kernel import Solid
from lotone.model.family import Family, Value

MATERIAL_STIFFNESS = [("tpu_88a", "soft"), ("tpu_88a", "medium"), ("tpu_95a", "medium"),
                      ("tpu_95a", "firm"), ("pa12", "firm")]  # fmt: skip


@st.composite
def insole_configurations(draw: st.DrawFn) -> dict[str, Value]:
    """Configurations on the insole's grids; the rules are checked by the test (assume)."""
    length = draw(st.integers(200, 320))
    width = draw(st.integers(max(70, math.ceil(length * 0.32)), min(130, length * 23 // 50)))
    material, stiffness = draw(st.sampled_from(MATERIAL_STIFFNESS))
    use = draw(st.sampled_from(["everyday", "running", "work", "diabetic_care"]))
    return {
        "side": draw(st.sampled_from(["pair", "left", "right"])),
        "use": use,
        "foot_length_mm": Decimal(length),
        "foot_width_mm": Decimal(width),
        "arch_height_mm": Decimal(draw(st.integers(5, 35))),
        "heel_cup_depth_mm": Decimal(draw(st.integers(8, 20))),
        "stiffness": stiffness,
        "support": draw(st.sampled_from(
            ["neutral", "arch_support", "pronation_control", "metatarsal_pad"])),
        "base_material": material,
        "top_cover": draw(st.sampled_from(["none", "microfibre", "neoprene", "leather"])),
        "antimicrobial": use == "diabetic_care" or draw(st.booleans()),
    }  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(config=insole_configurations())
def test_every_valid_insole_is_watertight_to_size_and_passes_the_checks(
    families: dict[str, Family], config: dict[str, Value]
) -> None:
    """Watertight, bounding box within 0.5 mm of the requested length and width, checks pass."""
    family = families["insole"]
    assume(not validate(family, config))
    design = design_family(family, config)
    assert len(design.parts) == (2 if config["side"] == "pair" else 1)
    for part in design.parts:
        x, y, _ = part.mesh.extents
        assert part.mesh.is_watertight()
        assert abs(x - float(config["foot_length_mm"])) <= 0.5  # type: ignore[arg-type]
        assert abs(y - float(config["foot_width_mm"])) <= 0.5  # type: ignore[arg-type]
        assert part.volume_mm3 > 0
    result = check(design)
    assert result.ok, result.reasons


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(config=insole_configurations())
def test_the_left_insole_is_the_mirror_of_the_right(
    families: dict[str, Family], config: dict[str, Value]
) -> None:
    """Mirroring the left insole in y = 0 gives exactly the right one (points and volume)."""
    family = families["insole"]
    config["side"] = "pair"
    assume(not validate(family, config))
    left, right = design_family(family, config).parts
    mirrored = left.mesh.vertices * np.array([1.0, -1.0, 1.0])
    assert np.allclose(np.sort(mirrored, axis=0), np.sort(right.mesh.vertices, axis=0))
    assert left.volume_mm3 == pytest.approx(right.volume_mm3, rel=1e-12)
    assert left.mesh.is_watertight()
    assert right.mesh.is_watertight()


def test_manifold3d_accepts_the_insole_as_a_manifold(pair: Design) -> None:
    """An independent check: manifold3d builds a manifold of the same volume from the mesh."""
    for part in pair.parts:
        solid = Solid.from_arrays(part.mesh.vertices, part.mesh.faces)
        assert solid.status_ok
        assert solid.volume == pytest.approx(part.volume_mm3, rel=1e-5)


def test_options_change_the_geometry(
    families: dict[str, Family], pair_config: dict[str, Value]
) -> None:
    """A cover recess removes material; an arch support and a deeper heel cup add some."""
    family = families["insole"]

    def volume(**changes: Value) -> float:
        return design_family(family, {**pair_config, **changes}).volume_mm3

    base = volume()
    assert volume(top_cover="none") > base
    assert volume(support="neutral") < base
    assert volume(heel_cup_depth_mm=Decimal(16)) > base


def test_invalid_configurations_are_refused_with_the_rule(
    families: dict[str, Family], pair_config: dict[str, Value]
) -> None:
    """No design for a configuration that breaks a rule: the refusal names the rule."""
    from lotone.errors import Refused

    with pytest.raises(Refused, match="material-stiffness"):
        design_family(families["insole"], {**pair_config, "base_material": "pa12"})


def test_the_same_order_gives_the_same_design(
    families: dict[str, Family], pair: Design, pair_config: dict[str, Value]
) -> None:
    """Designs are pure: the same configuration gives the same mesh and hash."""
    again = design_family(families["insole"], pair_config)
    assert again.order_hash == pair.order_hash
    assert np.array_equal(again.parts[0].mesh.vertices, pair.parts[0].mesh.vertices)
