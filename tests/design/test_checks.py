"""Checks before manufacture refuse a design with the reason."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import numpy as np
import pytest

from lotone.design import Design, DesignRefused, check, design_settings, require
from lotone.design.mesh import Mesh
from lotone.produce.factory import Machine


def _printer(size: int, caps: tuple[str, ...] = ("tpu_95a",)) -> Machine:
    return Machine("small-sls", frozenset(caps), build_volume_mm=(Decimal(size),) * 3)


def test_an_insole_larger_than_the_build_volume_is_refused_with_the_reason(pair: Design) -> None:
    """The reason names the part, its size, the machine and its build volume."""
    with pytest.raises(DesignRefused) as info:
        require(pair, [_printer(200)])
    message = str(info.value)
    assert (
        "insole-left 265.0 x 98.0 x 17.0 mm does not fit the build volume of small-sls" in message
    )
    assert "200.0 x 200.0 x 200.0" in message
    assert check(pair, [_printer(300)]).ok


def test_a_bracket_longer_than_the_printer_is_refused() -> None:
    """A 450 mm bracket fits the 600 mm axis of the sample printers, not a 300 mm cube."""
    bracket = design_settings("bracket", {"span_mm": 450})
    assert check(bracket).ok
    result = check(bracket, [_printer(300, ("pa12",))])
    assert not result.results["fits_machine"]
    assert "bracket 450.0 x" in result.reasons[0]
    assert "does not fit the build volume of small-sls" in result.reasons[0]


def test_no_machine_with_the_material_is_a_refusal(pair: Design) -> None:
    """A printer without the part's material cannot make it."""
    result = check(pair, [_printer(400, ("pa12",))])
    assert not result.ok
    assert "no printer_sls machine offers tpu_95a" in result.reasons[0]


def test_thin_walls_wrong_sizes_and_open_meshes_are_refused(pair: Design) -> None:
    """Each failed check gives its own reason."""
    part = pair.parts[0]
    open_mesh = Mesh(part.mesh.vertices.copy(), part.mesh.faces[1:].copy())
    bad = replace(part, mesh=open_mesh, min_wall_mm=0.8, nominal_mm={"x": 270.0, "y": 98.0})
    result = check(replace(pair, parts=(bad,)))
    assert result.results == {
        "watertight": False, "fits_machine": True, "min_wall": False, "dimensions": False
    }  # fmt: skip
    text = " ".join(result.reasons)
    assert "not watertight: insole-left" in text
    assert "0.80 mm wall (minimum 1.5 mm)" in text
    assert "measures 265.00 mm in x, requested 270.00 ± 0.5 mm" in text


def test_watertight_detects_a_flipped_face(pair: Design) -> None:
    """An inconsistently oriented face breaks the edge pairing."""
    faces = pair.parts[0].mesh.faces.copy()
    faces[0] = faces[0][::-1]
    assert not Mesh(pair.parts[0].mesh.vertices.copy(), faces).is_watertight()
    cube = Mesh(np.zeros((3, 3)), np.array([[0, 1, 2]]))
    assert not cube.is_watertight()


def test_an_unreadable_label_is_refused() -> None:
    """A label whose text would be smaller than 1.2 mm is refused."""
    from lotone.design.model import Label

    design = Design("serum", "serum", "sha256:x", "label_printer",
                    labels=(Label("label", 20, 10, ("x" * 60,) * 6),))  # fmt: skip
    result = check(design)
    assert not result.results["legible"]
    assert "minimum 1.2 mm" in result.reasons[0]
