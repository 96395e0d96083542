"""Files: STL and GLB read back with trimesh, 3MF with its UUIDs and hash, DXF through ezdxf."""

from __future__ import annotations

import csv
import io
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import numpy as np
import pytest

from lotone.design import Design, render_files, write_files
from lotone.design._dxf import read_parts
from lotone.design._trimesh import load
from lotone.design.export import cut_list_csv, dxf_bytes, glb_bytes, stl_bytes, threemf_bytes
from lotone.design.mesh import Mesh

CORE = "{http://schemas.microsoft.com/3dmanufacturing/core/2015/02}"
PROD = "{http://schemas.microsoft.com/3dmanufacturing/production/2015/06}"


def _model(data: bytes) -> ET.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {"[Content_Types].xml", "_rels/.rels", "3D/3dmodel.model"} <= set(z.namelist())
        return ET.fromstring(z.read("3D/3dmodel.model"))


def test_stl_reads_back_with_trimesh_as_the_same_closed_mesh(pair: Design) -> None:
    """The binary STL holds every triangle; trimesh finds it watertight with the same volume."""
    import trimesh

    part = pair.parts[0]
    data = stl_bytes(part.mesh)
    assert len(data) == 84 + 50 * len(part.mesh.faces)
    loaded = trimesh.load(io.BytesIO(data), file_type="stl", force="mesh")
    assert len(loaded.faces) == len(part.mesh.faces)
    assert loaded.is_watertight
    assert loaded.volume == pytest.approx(part.volume_mm3, rel=1e-4)


def test_3mf_carries_a_unique_uuid_per_part_and_the_order_hash(pair: Design) -> None:
    """Every object, item and the build have a Production-extension UUID; metadata has the hash."""
    root = _model(threemf_bytes(pair))
    assert root.get("requiredextensions") == "p"
    meta = {m.get("name"): m.text for m in root.iter(f"{CORE}metadata")}
    assert meta["lotone:order_hash"] == pair.order_hash
    objects = list(root.iter(f"{CORE}object"))
    assert [o.get("name") for o in objects] == [p.name for p in pair.parts]
    ids = [o.get(f"{PROD}UUID") for o in objects]
    assert ids == [pair.uuid_of(p.name) for p in pair.parts]
    build = root.find(f"{CORE}build")
    assert build is not None
    all_ids = ids + [build.get(f"{PROD}UUID")] + [i.get(f"{PROD}UUID") for i in build]
    assert len(set(all_ids)) == len(all_ids)
    for value in all_ids:
        uuid.UUID(str(value))
    for obj, part in zip(objects, pair.parts, strict=True):
        vertices = np.array(
            [[float(v.get(a, "nan")) for a in "xyz"] for v in obj.iter(f"{CORE}vertex")]
        )
        faces = np.array(
            [[int(t.get(a, "-1")) for a in ("v1", "v2", "v3")] for t in obj.iter(f"{CORE}triangle")]
        )
        back = Mesh(vertices, faces)
        assert back.is_watertight()
        assert back.volume == pytest.approx(part.volume_mm3, rel=1e-4)


def test_3mf_is_reproducible_and_differs_between_orders(pair: Design) -> None:
    """The same order gives the same bytes; another order gets other part UUIDs."""
    from dataclasses import replace

    assert threemf_bytes(pair) == threemf_bytes(pair)
    other = replace(pair, order_hash="sha256:" + "0" * 64)
    assert other.uuid_of("insole-left") != pair.uuid_of("insole-left")


def test_glb_preview_loads_with_every_part(pair: Design) -> None:
    """The GLB preview has one mesh per printed part with all its triangles."""
    meshes = load(glb_bytes(pair), "glb")
    assert sorted(len(f) for _, f in meshes) == sorted(len(p.mesh.faces) for p in pair.parts)


def test_dxf_round_trips_every_panel_with_its_holes(wardrobe: Design) -> None:
    """Reading the DXF back with ezdxf gives every panel: name, size, position and holes."""
    nesting = wardrobe.nestings[0]
    parts = {p.name: p for p in read_parts(dxf_bytes(wardrobe.panels, nesting))}
    assert len(parts) == len(wardrobe.panels)
    sheet_w = nesting.sheet_mm[0] + 200.0
    for pl in nesting.placements:
        panel = wardrobe.panels[pl.panel]
        got = parts[panel.name]
        w, h = (panel.height, panel.width) if pl.rotated else (panel.width, panel.height)
        assert got.width == pytest.approx(w)
        assert got.height == pytest.approx(h)
        assert got.x == pytest.approx(pl.sheet * sheet_w + pl.x)
        assert got.y == pytest.approx(pl.y)
        assert sorted(round(c[2], 6) for c in got.holes) == sorted(
            round(x.diameter, 6) for x in panel.holes
        )
        blind = sum(1 for c in got.holes if c[3] == "DRILL_BLIND")
        assert blind == sum(1 for x in panel.holes if x.depth_mm > 0)


def test_cut_list_has_a_row_per_panel(wardrobe: Design) -> None:
    """The CSV cut list names every panel once, with its sheet."""
    rows = list(csv.DictReader(io.StringIO(cut_list_csv(wardrobe.panels, wardrobe.nestings[0]))))
    assert sorted(r["panel"] for r in rows) == sorted(p.name for p in wardrobe.panels)
    assert {int(r["sheet"]) for r in rows} == set(range(1, wardrobe.nestings[0].sheets + 1))


def test_write_files_names_files_by_template_and_hash(pair: Design, tmp_path: Path) -> None:
    """Files go to the folder, named by template and hash; unknown formats are refused."""
    paths = write_files(pair, tmp_path, ("stl", "3mf"))
    stem = "insole-" + pair.order_hash.removeprefix("sha256:")[:12]
    assert sorted(p.name for p in paths) == sorted(
        [f"{stem}-insole-left.stl", f"{stem}-insole-right.stl", f"{stem}.3mf"]
    )
    assert all(p.stat().st_size > 0 for p in paths)
    with pytest.raises(ValueError, match="unknown file formats"):
        render_files(pair, ("obj",))
