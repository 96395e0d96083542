"""The wardrobe template: every 18 mm board as a 2D panel with its drilling, nested on sheets.

Panel sizes follow the family's own bill of materials (``catalog/wardrobe.yaml``): ``n + 1``
side panels ``height x (depth - 20)``, a top and a bottom per section ``(w - 18) x (depth -
20)``, shelves ``(w - 36) x (depth - 60)`` (five for a shelves interior, one otherwise), door
leaves (hinged: one per section up to 600 mm wide, else two; sliding: one per section, 20 mm
overlap), drawer fronts, sides and backs, and the top box's boards. A panel's ``width`` is its
length along the grain, which runs along the sheet's long side; veneered panels (oak, walnut)
are never turned.

Drilling: shelf-pin rows (5 mm, 32 mm system) and connector holes (8 mm) in the sides, cam-lock
housings (15 mm) in tops and bottoms, hinge cups (35 mm) in hinged doors.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from lotone.design.model import Design, Hole, Panel
from lotone.design.nesting import STANDARD_SHEET_MM, nest
from lotone.errors import InvalidValue
from lotone.model.family import Value

__all__ = ["wardrobe_design", "wardrobe_panels"]

_BOARD = 18.0
_VENEERS = ("oak", "walnut")


def _num(configuration: Mapping[str, Value], key: str) -> float:
    v = configuration.get(key)
    if not isinstance(v, Decimal | int) or isinstance(v, bool):
        raise InvalidValue(key, v, "expected a number (a complete wardrobe configuration)")
    return float(v)


def _side(name: str, length: float, across: float, material: str, grain: bool) -> Panel:
    holes: list[Hole] = []
    y = 300.0
    while y <= length - 300.0:
        holes += [
            Hole(y, 37.0, 5.0, 12.0, "shelf pin"),
            Hole(y, across - 37.0, 5.0, 12.0, "shelf pin"),
        ]
        y += 32.0
    for x in (9.0, length - 9.0):
        holes += [
            Hole(x, 37.0, 8.0, 0.0, "connector"),
            Hole(x, across - 37.0, 8.0, 0.0, "connector"),
        ]
    return Panel(name, length, across, tuple(holes), material, grain)


def _top(name: str, length: float, across: float, material: str, grain: bool) -> Panel:
    holes = tuple(
        Hole(x, y, 15.0, 13.0, "cam lock")
        for x in (34.0, length - 34.0)
        for y in (37.0, across - 37.0)
    )
    return Panel(name, length, across, holes, material, grain)


def _door(
    name: str, length: float, across: float, hinges: int, material: str, grain: bool
) -> Panel:
    if hinges == 0:
        return Panel(name, length, across, (), material, grain)
    step = (length - 200.0) / (hinges - 1)
    holes = tuple(Hole(100.0 + i * step, 22.5, 35.0, 13.0, "hinge cup") for i in range(hinges))
    return Panel(name, length, across, holes, material, grain)


def wardrobe_panels(configuration: Mapping[str, Value]) -> tuple[Panel, ...]:
    """Every 18 mm board of a complete wardrobe configuration, with its drilling."""
    height = _num(configuration, "height_mm")
    depth = _num(configuration, "depth_mm")
    width = _num(configuration, "width_mm")
    finish = str(configuration["finish"])
    doors = str(configuration["door_type"])
    material = f"board_18_{finish}"
    grain = finish in _VENEERS
    n = int(_num(configuration, "section.count"))
    widths = [_num(configuration, f"section[{i}].width_mm") for i in range(1, n + 1)]
    interiors = [str(configuration[f"section[{i}].interior"]) for i in range(1, n + 1)]
    panels: list[Panel] = [
        _side(f"side-{i}", height, depth - 20, material, grain) for i in range(1, n + 2)
    ]
    hinges_per_leaf = 4 if height > 2000 else 3
    for i, (w, interior) in enumerate(zip(widths, interiors, strict=True), start=1):
        panels.append(_top(f"top-{i}", w - _BOARD, depth - 20, material, grain))
        panels.append(_top(f"bottom-{i}", w - _BOARD, depth - 20, material, grain))
        shelves = 5 if interior == "shelves" else 1
        panels += [
            Panel(f"shelf-{i}.{k}", w - 36, depth - 60, (), material, grain)
            for k in range(1, shelves + 1)
        ]
        drawers = {"drawers": 4, "mixed": 2}.get(interior, 0)
        for k in range(1, drawers + 1):
            panels.append(Panel(f"drawer-front-{i}.{k}", w - 40, 200.0, (), material, grain))
            panels.append(Panel(f"drawer-back-{i}.{k}", w - 80, 150.0, (), material, grain))
            panels += [
                Panel(f"drawer-side-{i}.{k}{s}", depth - 80, 150.0, (), material, grain)
                for s in "ab"
            ]
        if doors == "hinged":
            leaves = 2 if w > 600 else 1
            panels += [
                _door(f"door-{i}{'ab'[k] if leaves > 1 else ''}", height - 40, w / leaves - 3,
                      hinges_per_leaf, material, grain)
                for k in range(leaves)
            ]  # fmt: skip
    if doors == "sliding":
        panels += [
            _door(f"door-{i}", height - 40, width / n + 20, 0, material, grain)
            for i in range(1, n + 1)
        ]
    if int(_num(configuration, "top_box.count")) >= 1:
        box_h = _num(configuration, "top_box[1].box_height_mm")
        front = str(configuration["top_box[1].front"])
        panels += [
            _side(f"box-side-{i}", box_h, depth - 20, material, grain) for i in range(1, n + 2)
        ]
        for i, w in enumerate(widths, start=1):
            panels.append(_top(f"box-top-{i}", w - _BOARD, depth - 20, material, grain))
            panels.append(_top(f"box-bottom-{i}", w - _BOARD, depth - 20, material, grain))
            if front != "open":
                panels.append(_door(f"box-front-{i}", w - 3, box_h - 3, 2 if front == "hinged"
                                    else 0, material, grain))  # fmt: skip
    return tuple(panels)


def wardrobe_design(
    configuration: Mapping[str, Value],
    order_hash: str,
    sheet_mm: tuple[float, float] = STANDARD_SHEET_MM,
) -> Design:
    """The wardrobe's panels, nested on standard sheets (a cut list and its utilization)."""
    panels = wardrobe_panels(configuration)
    nesting = nest(panels, sheet_mm)
    return Design(
        template="wardrobe",
        family="wardrobe",
        order_hash=order_hash,
        process="cnc_router",
        panels=panels,
        nestings=(nesting,),
        requires=("board_18mm",),
        parameters={
            "panels": len(panels),
            "holes": sum(len(p.holes) for p in panels),
            "sheets": nesting.sheets,
            "utilization": round(nesting.utilization, 4),
        },
    )
