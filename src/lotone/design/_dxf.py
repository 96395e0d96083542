"""The ezdxf seam: writing nested sheets and reading them back."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from lotone.design.model import Nesting, Panel

__all__ = ["DxfPart", "read_parts", "sheets"]


def sheets(panels: Sequence[Panel], nesting: Nesting, gap: float) -> bytes:
    """Every sheet of ``nesting`` side by side in one R2010 DXF, in mm."""
    from ezdxf.enums import TextEntityAlignment
    from ezdxf.filemanagement import new

    doc = new("R2010", units=4)  # 4: millimetres
    for name, color in (("SHEET", 8), ("CUT", 1), ("DRILL_THROUGH", 5), ("DRILL_BLIND", 3),
                        ("LABEL", 7)):  # fmt: skip
        doc.layers.add(name, color=color)
    msp = doc.modelspace()
    sw, sh = nesting.sheet_mm
    for s in range(nesting.sheets):
        ox = s * (sw + gap)
        msp.add_lwpolyline([(ox, 0), (ox + sw, 0), (ox + sw, sh), (ox, sh)], close=True,
                           dxfattribs={"layer": "SHEET"})  # fmt: skip
    for pl in nesting.placements:
        p = panels[pl.panel]
        ox = pl.sheet * (sw + gap) + pl.x
        oy = pl.y
        w, h = (p.height, p.width) if pl.rotated else (p.width, p.height)
        msp.add_lwpolyline([(ox, oy), (ox + w, oy), (ox + w, oy + h), (ox, oy + h)], close=True,
                           dxfattribs={"layer": "CUT"})  # fmt: skip
        for hole in p.holes:
            hx, hy = (p.height - hole.y, hole.x) if pl.rotated else (hole.x, hole.y)
            layer = "DRILL_THROUGH" if hole.depth_mm == 0 else "DRILL_BLIND"
            msp.add_circle((ox + hx, oy + hy), hole.diameter / 2, dxfattribs={"layer": layer})
        text = msp.add_text(p.name, height=min(40.0, h / 4), dxfattribs={"layer": "LABEL"})
        text.set_placement((ox + w / 2, oy + h / 2), align=TextEntityAlignment.MIDDLE_CENTER)
    stream = io.StringIO()
    doc.write(stream)
    return stream.getvalue().encode("utf-8")


@dataclass(frozen=True, slots=True)
class DxfPart:
    """A panel read back from a DXF: its label, outline corner and size, and its holes."""

    name: str
    x: float
    y: float
    width: float
    height: float
    holes: tuple[tuple[float, float, float, str], ...]


def read_parts(data: bytes) -> list[DxfPart]:
    """The panels of a DXF written by :func:`sheets` (outline, holes inside it, label)."""
    from ezdxf.entities.lwpolyline import LWPolyline
    from ezdxf.filemanagement import read

    doc = read(io.StringIO(data.decode("utf-8")))
    msp = doc.modelspace()
    circles = [(c.dxf.center.x, c.dxf.center.y, 2 * c.dxf.radius, c.dxf.layer)
               for c in msp.query("CIRCLE")]  # fmt: skip
    labels = [(t.dxf.align_point.x, t.dxf.align_point.y, t.dxf.text) for t in msp.query("TEXT")]
    out: list[DxfPart] = []
    for poly in msp.query("LWPOLYLINE[layer=='CUT']"):
        if not isinstance(poly, LWPolyline):
            continue
        pts = [(p[0], p[1]) for p in poly.get_points()]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        inside = tuple(c for c in circles if x0 < c[0] < x1 and y0 < c[1] < y1)
        name = next((t[2] for t in labels if x0 < t[0] < x1 and y0 < t[1] < y1), "")
        out.append(DxfPart(name, x0, y0, x1 - x0, y1 - y0, inside))
    return out
