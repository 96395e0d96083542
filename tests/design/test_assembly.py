"""The assembled wardrobe: every board once, at its own size, in the wardrobe's envelope, apart."""

from __future__ import annotations

import itertools
import struct

import pytest

from lotone.design import design_family
from lotone.design._trimesh import load
from lotone.design.assembly import Placed, box_mesh, wardrobe_assembly
from lotone.design.preview import preview_glb
from lotone.errors import Refused, UnknownName
from lotone.model.family import Family
from lotone.produce.orders import generate_orders


def _overlap(a: Placed, b: Placed) -> float:
    """The volume two boxes share (mm3)."""
    out = 1.0
    for k in range(3):
        lo = max(a.origin[k], b.origin[k])
        hi = min(a.origin[k] + a.size[k], b.origin[k] + b.size[k])
        out *= max(0.0, hi - lo)
    return out


def test_every_board_is_placed_once_at_its_size_in_the_envelope_and_apart(
    families: dict[str, Family],
) -> None:
    """Forty generated wardrobes (all door types, interiors, top boxes): each panel of the cut
    list is one box of its own sizes and 18 mm thick; boxes fill the wardrobe's height and
    width (plus one board) and depth (from the doors, or the second sliding track, or the
    carcass of an open wardrobe), and no two overlap."""
    family = families["wardrobe"]
    seen_doors = set()
    for order in generate_orders(family, 40, 3):
        config = order.configuration
        design = design_family(family, config)
        placed = wardrobe_assembly(config)
        assert sorted(p.name for p in placed) == sorted(p.name for p in design.panels)
        by_name = {p.name: p for p in design.panels}
        for box in placed:
            panel = by_name[box.name]
            assert sorted(box.size) == pytest.approx(sorted((panel.width, panel.height, 18.0)))
        lo = [min(b.origin[k] for b in placed) for k in range(3)]
        hi = [max(b.origin[k] + b.size[k] for b in placed) for k in range(3)]
        box_h = float(config["top_box[1].box_height_mm"]) if config["top_box.count"] else 0.0
        front = {"sliding": -20.0, "hinged": 0.0, "none": 20.0}[str(config["door_type"])]
        assert lo == pytest.approx([0.0, front, 0.0])
        assert hi[0] == pytest.approx(float(config["width_mm"]) + 18.0)
        assert hi[1] == pytest.approx(float(config["depth_mm"]))
        assert hi[2] == pytest.approx(float(config["height_mm"]) + box_h)
        for a, b in itertools.combinations(placed, 2):
            assert _overlap(a, b) < 1e-6, (config, a, b)
        seen_doors.add(config["door_type"])
    assert seen_doors == {"hinged", "sliding", "none"}


def test_a_box_mesh_is_closed_and_has_the_box_volume() -> None:
    """12 outward triangles: watertight, positive volume equal to the box's."""
    mesh = box_mesh((10.0, 20.0, 30.0), (600.0, 18.0, 2000.0))
    assert mesh.is_watertight()
    assert mesh.volume == pytest.approx(600 * 18 * 2000)
    assert mesh.bounds == ((10.0, 20.0, 30.0), (610.0, 38.0, 2030.0))


def test_the_preview_glb_of_a_wardrobe_holds_its_boards(families: dict[str, Family]) -> None:
    """The wardrobe's GLB preview: one mesh per board, named like the cut list."""
    family = families["wardrobe"]
    config = next(iter(generate_orders(family, 1, 5))).configuration
    data = preview_glb(family, config)
    magic, version, length = struct.unpack_from("<4sII", data)
    assert (magic, version, length) == (b"glTF", 2, len(data))
    meshes = load(data, "glb")
    assert len(meshes) == len(wardrobe_assembly(config))
    assert b"side-1" in data


def test_previews_refuse_broken_rules_and_families_without_one(
    families: dict[str, Family],
) -> None:
    """A wardrobe breaking a rule is refused with the rule; the serum has no 3D preview."""
    family = families["wardrobe"]
    config = dict(next(iter(generate_orders(family, 1, 5))).configuration)
    config["door_type"] = "none"
    config["handle"] = "steel_bar"
    with pytest.raises(Refused, match="open-no-handles"):
        preview_glb(family, config)
    with pytest.raises(UnknownName, match="3D preview"):
        preview_glb(families["serum"], {})
