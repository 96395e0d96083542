"""The wardrobe as assembled: every board of :func:`~.wardrobe.wardrobe_panels` as a box in place.

The cut sheets say how boards are cut; a customer wants to see the wardrobe standing in the
room. This places each panel (its sizes come from the panel list, so nothing is described
twice) at its place in the carcass, in mm: ``x`` along the width from the left side, ``y``
along the depth from the front (doors at ``y < 20``, the carcass behind them), ``z`` up from
the floor. Sides stand on the section borders, tops and bottoms close each section, shelves
are spread over the free height, drawers stack from the bottom, doors cover the front and the
top box sits on the carcass. Hardware (rails, hinges, handles) and the back panel are not
drawn; positions are for a preview, not an assembly instruction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import numpy as np

from lotone.design.mesh import Mesh
from lotone.design.model import Panel
from lotone.design.wardrobe import wardrobe_panels
from lotone.errors import InvalidValue
from lotone.model.family import Value

__all__ = ["Placed", "assembly_glb", "box_mesh", "wardrobe_assembly"]

BOARD_MM = 18.0
_DOOR_ZONE = 20.0  # doors (18 mm) and their gap in front of the carcass
Axis = Literal["x", "y", "z"]


@dataclass(frozen=True, slots=True)
class Placed:
    """A panel in its assembled place: its lower corner and its size along x, y, z (mm)."""

    name: str
    origin: tuple[float, float, float]
    size: tuple[float, float, float]


def box_mesh(origin: tuple[float, float, float], size: tuple[float, float, float]) -> Mesh:
    """A closed axis-aligned box (12 triangles, counter-clockwise seen from outside)."""
    x, y, z = origin
    dx, dy, dz = size
    v = np.array(
        [[x + dx * i, y + dy * j, z + dz * k] for k in (0, 1) for j in (0, 1) for i in (0, 1)],
        dtype=np.float64,
    )
    faces = np.array(
        [[0, 2, 1], [1, 2, 3], [4, 5, 6], [5, 7, 6], [0, 1, 4], [1, 5, 4],
         [2, 6, 3], [3, 6, 7], [0, 4, 2], [2, 4, 6], [1, 3, 5], [3, 7, 5]],
        dtype=np.int64,
    )  # fmt: skip
    return Mesh(v, faces)


def _place(panel: Panel, length: Axis, across: Axis, at: tuple[float, float, float]) -> Placed:
    """``panel`` with its length along ``length``, its width along ``across``, 18 mm thick."""
    size = {"x": BOARD_MM, "y": BOARD_MM, "z": BOARD_MM}
    size[length] = panel.width
    size[across] = panel.height
    return Placed(panel.name, at, (size["x"], size["y"], size["z"]))


def _number(configuration: Mapping[str, Value], key: str) -> float:
    v = configuration.get(key)
    if not isinstance(v, Decimal | int) or isinstance(v, bool):
        raise InvalidValue(key, v, "expected a number (a complete wardrobe configuration)")
    return float(v)


def wardrobe_assembly(configuration: Mapping[str, Value]) -> tuple[Placed, ...]:
    """Every board of a complete wardrobe configuration, placed where it is assembled.

    No two boards overlap. Side ``k`` stands at the ``k``-th section border and each top is
    its section's width less one board, as the template cuts them, so the carcass comes out
    one board (18 mm) wider than ``width_mm``: close enough for a preview.
    """
    panels = {p.name: p for p in wardrobe_panels(configuration)}
    height = _number(configuration, "height_mm")
    width = _number(configuration, "width_mm")
    depth = _number(configuration, "depth_mm")
    n = int(_number(configuration, "section.count"))
    widths = [_number(configuration, f"section[{i}].width_mm") for i in range(1, n + 1)]
    borders = [sum(widths[:i]) for i in range(n + 1)]  # x of each side's left face
    doors = configuration.get("door_type")
    out: list[Placed] = []

    def put(name: str, length: Axis, across: Axis, at: tuple[float, float, float]) -> None:
        out.append(_place(panels[name], length, across, at))

    def numbered(prefix: str) -> list[str]:
        found = (name for name in panels if name.startswith(prefix))
        return sorted(found, key=lambda s: int(s.rsplit(".", 1)[1]))

    for k, x in enumerate(borders, start=1):
        put(f"side-{k}", "z", "y", (x, _DOOR_ZONE, 0.0))
    for i, w in enumerate(widths, start=1):
        inner = borders[i - 1] + BOARD_MM  # the section's clear width is w - 18
        put(f"top-{i}", "x", "y", (inner, _DOOR_ZONE, height - BOARD_MM))
        put(f"bottom-{i}", "x", "y", (inner, _DOOR_ZONE, 0.0))
        drawers = numbered(f"drawer-front-{i}.")
        stack = BOARD_MM + len(drawers) * 200.0
        for k, name in enumerate(drawers, start=1):
            z = BOARD_MM + (k - 1) * 200.0
            put(name, "x", "z", (inner + 11.0, _DOOR_ZONE, z))
            put(f"drawer-back-{i}.{k}", "x", "z", (inner + 31.0, depth - 60.0, z + 20.0))
            for s, x in (("a", inner + 13.0), ("b", inner + w - 49.0)):
                put(f"drawer-side-{i}.{k}{s}", "y", "z", (x, 60.0, z + 20.0))
        shelves = numbered(f"shelf-{i}.")
        for k, name in enumerate(shelves, start=1):
            if drawers:  # the shelf closes the drawer stack
                z = stack
            elif len(shelves) == 1:  # the hat shelf above a hanging rail
                z = height - BOARD_MM - 350.0
            else:
                z = stack + k * (height - BOARD_MM - stack) / (len(shelves) + 1)
            put(name, "x", "y", (inner + 9.0, 40.0, z))
        if doors == "hinged":
            leaves = [f"door-{i}{s}" for s in ("", "a", "b") if f"door-{i}{s}" in panels]
            x = borders[i - 1] + 1.5
            for name in leaves:
                put(name, "z", "x", (x, 0.0, 20.0))
                x += panels[name].height + 3.0
    if doors == "sliding":  # two tracks: neighbouring leaves run past each other
        for i in range(1, n + 1):
            leaf = panels[f"door-{i}"].height
            x = min(max((i - 1) * width / n - 10.0, 0.0), width + BOARD_MM - leaf)
            put(f"door-{i}", "z", "x", (x, 0.0 if i % 2 else -_DOOR_ZONE, 20.0))
    if int(_number(configuration, "top_box.count")) >= 1:
        box = _number(configuration, "top_box[1].box_height_mm")
        for k, x in enumerate(borders, start=1):
            put(f"box-side-{k}", "z", "y", (x, _DOOR_ZONE, height))
        for i in range(1, n + 1):
            inner = borders[i - 1] + BOARD_MM
            put(f"box-top-{i}", "x", "y", (inner, _DOOR_ZONE, height + box - BOARD_MM))
            put(f"box-bottom-{i}", "x", "y", (inner, _DOOR_ZONE, height))
            if f"box-front-{i}" in panels:
                put(f"box-front-{i}", "x", "z", (borders[i - 1] + 1.5, 0.0, height + 1.5))
    missing = sorted(set(panels) - {p.name for p in out})
    if missing:  # pragma: no cover - every panel of the template has a place above
        raise ValueError(f"no assembled place for {', '.join(missing)}")
    return tuple(out)


def assembly_glb(placed: Sequence[Placed]) -> bytes:
    """A binary glTF of the placed boards, one node (a box) per panel, for the web preview."""
    from lotone.design import _trimesh

    return _trimesh.glb([(p.name, box_mesh(p.origin, p.size)) for p in placed])
