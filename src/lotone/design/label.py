"""The serum label: a flat printed label with the customer's own formula (2D, SVG).

The label's size follows the bottle (15, 30, 50 ml); its lines name the serum, the skin type
and climate it was mixed for, every active ingredient with its percentage, the bottle size and
the order's short hash. The font size is the largest that fits every line (estimated at 0.6 em
per character) up to 3 mm; below 1.2 mm (EU cosmetics labels must stay legible) the
design is refused by the checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from lotone.design.model import Design, Label
from lotone.model.family import Value

__all__ = ["MIN_FONT_MM", "font_mm", "label_svg", "serum_design"]

MIN_FONT_MM = 1.2
_SIZES = {"ml15": (50.0, 25.0), "ml30": (60.0, 30.0), "ml50": (70.0, 35.0)}
_ACTIVES = ("niacinamide_pct", "vitamin_c_pct", "retinol_pct", "hyaluronic_acid_pct",
            "glycerin_pct", "panthenol_pct")  # fmt: skip


def _title(key: str) -> str:
    return key.removesuffix("_pct").replace("_", " ").capitalize()


def serum_lines(configuration: Mapping[str, Value], order_hash: str) -> tuple[str, ...]:
    """The lines of a serum's label."""
    lines = [
        "Personal face serum",
        f"for {configuration['skin_type']} skin, {configuration['climate']} climate",
    ]
    for key in _ACTIVES:
        value = configuration.get(key)
        if isinstance(value, Decimal) and value > 0:
            lines.append(f"{_title(key)} {value.normalize():f} %")
    size = str(configuration["bottle_size"]).removeprefix("ml")
    lines.append(f"{size} ml - order {order_hash.removeprefix('sha256:')[:10]}")
    return tuple(lines)


def font_mm(label: Label) -> float:
    """The largest font size (mm) at which every line fits, at most 3 mm."""
    margin = 2.0
    longest = max(len(line) for line in label.lines)
    by_width = (label.width - 2 * margin) / (0.6 * longest)
    by_height = (label.height - 2 * margin) / (1.25 * len(label.lines))
    return min(3.0, by_width, by_height)


def label_svg(label: Label) -> str:
    """The label as an SVG in mm (text escaped)."""
    size = font_mm(label)
    rows = []
    for i, line in enumerate(label.lines):
        text = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        y = 2.0 + size * (1 + 1.25 * i)
        rows.append(f'<text x="2" y="{y:.2f}" font-size="{size:.2f}" '
                    f'font-family="sans-serif">{text}</text>')  # fmt: skip
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label.width:g}mm" '
        f'height="{label.height:g}mm" viewBox="0 0 {label.width:g} {label.height:g}">'
        f'<rect x="0" y="0" width="{label.width:g}" height="{label.height:g}" fill="white" '
        f'stroke="black" stroke-width="0.2"/>{"".join(rows)}</svg>\n'
    )


def serum_design(configuration: Mapping[str, Value], order_hash: str) -> Design:
    """The personal label of a serum order."""
    width, height = _SIZES.get(str(configuration["bottle_size"]), _SIZES["ml30"])
    label = Label("label", width, height, serum_lines(configuration, order_hash))
    return Design(
        template="serum",
        family="serum",
        order_hash=order_hash,
        process="label_printer",
        labels=(label,),
        parameters={"font_mm": round(font_mm(label), 2), "lines": len(label.lines)},
    )
