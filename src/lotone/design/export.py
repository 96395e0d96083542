"""Manufacturing and preview files: STL, 3MF (with the order's UUIDs and hash), GLB, DXF, CSV.

Writers return bytes (pure); :func:`write_files` is the one function that touches the disk.

* **STL** (binary): one per printed part, written with numpy (what trimesh writes, faster).
* **3MF**: one per order, every part an object with the Production extension's ``p:UUID``
  (:func:`lotone.design.model.part_uuid`: unique per order and part, the same every time), the
  build and items with their own UUIDs, and the order hash as metadata ``lotone:order_hash``.
* **GLB**: a preview of all parts for the web page (trimesh).
* **DXF**: the nested sheets of a wardrobe (ezdxf): layer ``SHEET`` (sheet outlines), ``CUT``
  (closed panel outlines), ``DRILL_THROUGH`` / ``DRILL_BLIND`` (circles), ``LABEL`` (names).
* **CSV**: the cut list (panel, sizes, sheet, position, turned, holes).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from lotone.design.mesh import Mesh
from lotone.design.model import Design, Nesting, Panel

__all__ = [
    "FORMATS",
    "cut_list_csv",
    "dxf_bytes",
    "glb_bytes",
    "render_files",
    "stl_bytes",
    "threemf_bytes",
    "write_files",
]

_STL = np.dtype([("normal", "<f4", 3), ("v", "<f4", (3, 3)), ("attr", "<u2")])
SHEET_GAP_MM = 200.0


def stl_bytes(mesh: Mesh, name: str = "lotone") -> bytes:
    """A binary STL of ``mesh``."""
    tri = mesh.vertices[mesh.faces]
    normals = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    lengths = np.linalg.norm(normals, axis=1, keepdims=True)
    normals = np.divide(normals, lengths, out=np.zeros_like(normals), where=lengths > 0)
    data = np.zeros(len(tri), dtype=_STL)
    data["normal"] = normals
    data["v"] = tri
    header = name.encode("ascii", "replace")[:80].ljust(80, b" ")
    return header + np.uint32(len(tri)).tobytes() + data.tobytes()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="model" '
    'ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Target="/3D/3dmodel.model" Id="rel0" '
    'Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/></Relationships>'
)


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _digits(values: npt.NDArray[np.int64], width: int) -> npt.NDArray[np.uint8]:
    """Non-negative integers as zero-padded ASCII digits ``(..., width)``."""
    out = np.empty((*values.shape, width), dtype=np.uint8)
    q = values.astype(np.int32)
    for i in range(width - 1, -1, -1):
        q, r = np.divmod(q, 10)
        out[..., i] = r
    out += ord("0")
    return out


def _decimals(values: npt.NDArray[np.float64]) -> npt.NDArray[np.uint8]:
    """``(n, 3)`` numbers as fixed-width ASCII ``+ddd.ddd`` (valid 3MF numbers), vectorized."""
    milli = np.rint(np.abs(values) * 1000).astype(np.int64)
    top = int(milli.max(initial=0))
    if top >= 2**31:
        raise ValueError("a coordinate is 2 km or more: not a lotone part")
    width = max(4, len(str(top)))
    digits = _digits(milli, width)
    out = np.empty((*values.shape, width + 2), dtype=np.uint8)
    out[..., 0] = np.where(values < 0, ord("-"), ord("+"))
    out[..., 1 : width - 2] = digits[..., : width - 3]
    out[..., width - 2] = ord(".")
    out[..., width - 1 :] = digits[..., width - 3 :]
    return out


def _integers(values: npt.NDArray[np.int64]) -> npt.NDArray[np.uint8]:
    """``(n, 3)`` non-negative integers as zero-padded ASCII (as wide as the largest)."""
    return _digits(values, len(str(int(values.max(initial=0)))))


def _records(parts: tuple[str, str, str, str], fields: npt.NDArray[np.uint8]) -> str:
    """Rows of ``parts[0] a parts[1] b parts[2] c parts[3]`` from ``(n, 3, w)`` ASCII fields."""
    n, _, w = fields.shape
    chunks = [np.frombuffer(p.encode("ascii"), dtype=np.uint8) for p in parts]
    widths = [len(c) for c in chunks]
    row = np.empty((n, sum(widths) + 3 * w), dtype=np.uint8)
    at = 0
    for i, chunk in enumerate(chunks):
        row[:, at : at + len(chunk)] = chunk
        at += len(chunk)
        if i < 3:
            row[:, at : at + w] = fields[:, i]
            at += w
    return row.tobytes().decode("ascii")


def threemf_bytes(design: Design) -> bytes:
    """One 3MF package with every printed part of ``design``, placed in a row on the bed."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<model unit="millimeter" xml:lang="en-US" '
        'xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02" '
        'xmlns:p="http://schemas.microsoft.com/3dmanufacturing/production/2015/06" '
        'xmlns:lotone="https://github.com/lotone/lotone/3mf" requiredextensions="p">',
        f'<metadata name="Title">{_escape(f"{design.template} {design.order_hash}")}</metadata>',
        f'<metadata name="lotone:order_hash">{_escape(design.order_hash)}</metadata>',
        f'<metadata name="lotone:template">{_escape(design.template)}</metadata>',
        "<resources>",
    ]
    items: list[str] = []
    y = 0.0
    for i, part in enumerate(design.parts, start=1):
        v, f = part.mesh.vertices, part.mesh.faces
        lo = v.min(axis=0)
        out.append(f'<object id="{i}" type="model" name="{_escape(part.name)}" '
                   f'p:UUID="{design.uuid_of(part.name)}"><mesh><vertices>')  # fmt: skip
        out.append(_records(('<vertex x="', '" y="', '" z="', '"/>'), _decimals(v)))
        out.append("</vertices><triangles>")
        out.append(_records(('<triangle v1="', '" v2="', '" v3="', '"/>'), _integers(f)))
        out.append("</triangles></mesh></object>")
        tx, ty, tz = 0.0 - lo[0], y - lo[1], 0.0 - lo[2]
        items.append(f'<item objectid="{i}" p:UUID="{design.uuid_of(part.name + "#item")}" '
                     f'transform="1 0 0 0 1 0 0 0 1 {tx:.4f} {ty:.4f} {tz:.4f}"/>')  # fmt: skip
        y += float(v[:, 1].max() - lo[1]) + 10.0
    out.append(f'</resources><build p:UUID="{design.uuid_of("#build")}">')
    out += items
    out.append("</build></model>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("3D/3dmodel.model", "".join(out))
    return buf.getvalue()


def glb_bytes(design: Design) -> bytes:
    """A binary glTF preview of the printed parts (trimesh), in a row like the 3MF build."""
    from lotone.design import _trimesh

    meshes: list[tuple[str, Mesh]] = []
    y = 0.0
    for part in design.parts:
        v = part.mesh.vertices
        lo = v.min(axis=0)
        moved = v - lo + np.array([0.0, y, 0.0])
        meshes.append((part.name, Mesh(moved, part.mesh.faces.copy())))
        y += float(v[:, 1].max() - lo[1]) + 10.0
    return _trimesh.glb(meshes)


def dxf_bytes(panels: Sequence[Panel], nesting: Nesting) -> bytes:
    """The nested sheets as one DXF (sheets side by side, ``SHEET_GAP_MM`` apart)."""
    from lotone.design import _dxf

    return _dxf.sheets(panels, nesting, SHEET_GAP_MM)


def cut_list_csv(panels: Sequence[Panel], nesting: Nesting) -> str:
    """The cut list: one row per panel with its sheet, position and drilling."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["panel", "length_mm", "width_mm", "material", "sheet", "x_mm", "y_mm",
                "turned", "holes"])  # fmt: skip
    for pl in nesting.placements:
        p = panels[pl.panel]
        w.writerow([p.name, f"{p.width:g}", f"{p.height:g}", p.material, pl.sheet + 1,
                    f"{pl.x:g}", f"{pl.y:g}", int(pl.rotated), len(p.holes)])  # fmt: skip
    return buf.getvalue()


FORMATS = ("stl", "3mf", "glb", "dxf", "csv", "svg")


def render_files(design: Design, formats: Sequence[str] = FORMATS) -> list[tuple[str, bytes]]:
    """Every file of ``design`` in ``formats`` as ``(name, bytes)``, without touching the disk.

    Names start with the template and the first 12 hex digits of the order hash, so the files
    of many orders can share a folder.
    """
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown file formats {unknown}; known: {', '.join(FORMATS)}")
    stem = f"{design.template}-{design.order_hash.removeprefix('sha256:')[:12]}"
    files: list[tuple[str, bytes]] = []
    if "stl" in formats:
        for part in design.parts:
            files.append((f"{stem}-{part.name}.stl", stl_bytes(part.mesh, f"lotone {part.name}")))
    if design.parts and "3mf" in formats:
        files.append((f"{stem}.3mf", threemf_bytes(design)))
    if design.parts and "glb" in formats:
        files.append((f"{stem}.glb", glb_bytes(design)))
    for i, nesting in enumerate(design.nestings, start=1):
        suffix = "" if len(design.nestings) == 1 else f"-{i}"
        if "dxf" in formats:
            files.append((f"{stem}-sheets{suffix}.dxf", dxf_bytes(design.panels, nesting)))
        if "csv" in formats:
            files.append((f"{stem}-cutlist{suffix}.csv",
                          cut_list_csv(design.panels, nesting).encode("utf-8")))  # fmt: skip
    if "svg" in formats:
        from lotone.design.label import label_svg

        for label in design.labels:
            files.append((f"{stem}-{label.name}.svg", label_svg(label).encode("utf-8")))
    return files


def write_files(design: Design, out_dir: Path, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Write the files of ``design`` into ``out_dir`` (created); returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for name, data in render_files(design, formats):
        path = out_dir / name
        path.write_bytes(data)
        paths.append(path)
    return paths
