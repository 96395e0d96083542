"""Nesting rectangular panels on standard sheets: MaxRects with best-short-side fit.

Panels are placed largest first; each sheet keeps its list of maximal free rectangles, a panel
goes where the shorter leftover side is smallest (turned by 90 degrees when allowed and
better), and the free rectangles are split and pruned. ``spacing`` (the router's tool path)
is kept between panels and ``trim`` along the sheet's edges. Deterministic: the same panels
always give the same layout.
"""

from __future__ import annotations

from collections.abc import Sequence

from lotone.design.model import Nesting, Panel, Placement
from lotone.errors import LotoneError

__all__ = ["STANDARD_SHEET_MM", "nest"]

STANDARD_SHEET_MM = (2800.0, 2070.0)  # a standard chipboard sheet

_Rect = tuple[float, float, float, float]  # x, y, w, h


def _split(free: list[_Rect], used: _Rect) -> list[_Rect]:
    ux, uy, uw, uh = used
    out: list[_Rect] = []
    for fx, fy, fw, fh in free:
        if ux >= fx + fw or ux + uw <= fx or uy >= fy + fh or uy + uh <= fy:
            out.append((fx, fy, fw, fh))
            continue
        if ux > fx:
            out.append((fx, fy, ux - fx, fh))
        if ux + uw < fx + fw:
            out.append((ux + uw, fy, fx + fw - ux - uw, fh))
        if uy > fy:
            out.append((fx, fy, fw, uy - fy))
        if uy + uh < fy + fh:
            out.append((fx, uy + uh, fw, fy + fh - uy - uh))
    return [
        a
        for i, a in enumerate(out)
        if not any(
            j != i
            and a[0] >= b[0]
            and a[1] >= b[1]
            and a[0] + a[2] <= b[0] + b[2]
            and a[1] + a[3] <= b[1] + b[3]
            and (a != b or j < i)
            for j, b in enumerate(out)
        )
    ]


def nest(
    panels: Sequence[Panel],
    sheet_mm: tuple[float, float] = STANDARD_SHEET_MM,
    spacing: float = 10.0,
    trim: float = 10.0,
) -> Nesting:
    """Place ``panels`` on as few sheets as the heuristic finds; utilization is part area / sheets.

    Raises
    ------
    LotoneError
        When a panel does not fit on an empty sheet (with its trim), naming the panel.
    """
    usable_w, usable_h = sheet_mm[0] - 2 * trim + spacing, sheet_mm[1] - 2 * trim + spacing
    order = sorted(range(len(panels)), key=lambda i: (-panels[i].area, panels[i].name, i))
    sheets: list[list[_Rect]] = []
    placements: list[Placement] = []
    for i in order:
        p = panels[i]
        sizes = [(p.width + spacing, p.height + spacing, False)]
        if not p.grain:
            sizes.append((p.height + spacing, p.width + spacing, True))
        if not any(w <= usable_w and h <= usable_h for w, h, _ in sizes):
            raise LotoneError(
                f"panel {p.name} ({p.width:g} x {p.height:g} mm) does not fit a"
                f" {sheet_mm[0]:g} x {sheet_mm[1]:g} mm sheet with {trim:g} mm trim"
            )
        best: tuple[float, float, int, _Rect, bool] | None = None
        for s, free in enumerate(sheets):
            for fx, fy, fw, fh in free:
                for w, h, turned in sizes:
                    if w <= fw and h <= fh:
                        score = (min(fw - w, fh - h), max(fw - w, fh - h))
                        if best is None or (score[0], score[1], s) < best[:3]:
                            best = (score[0], score[1], s, (fx, fy, w, h), turned)
        if best is None:
            sheets.append([(0.0, 0.0, usable_w, usable_h)])
            s = len(sheets) - 1
            w, h, turned = next((w, h, t) for w, h, t in sizes if w <= usable_w and h <= usable_h)
            best = (0.0, 0.0, s, (0.0, 0.0, w, h), turned)
        _, _, s, rect, turned = best
        sheets[s] = _split(sheets[s], rect)
        placements.append(Placement(i, s, rect[0] + trim, rect[1] + trim, turned))
    area = sum(p.area for p in panels)
    n = len(sheets)
    util = area / (n * sheet_mm[0] * sheet_mm[1]) if n else 0.0
    placements.sort(key=lambda pl: pl.panel)
    material = panels[0].material if panels else ""
    return Nesting(sheet_mm, n, tuple(placements), util, spacing, material)
