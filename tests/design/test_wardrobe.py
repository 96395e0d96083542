"""Wardrobe panels and nesting: no overlaps, on the sheet, grain kept, utilization honest."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lotone.design import Design, Panel, check, design_family, nest
from lotone.errors import LotoneError
from lotone.model.family import Family
from lotone.produce.orders import generate_orders


def _boxes(panels: list[Panel], nesting_placements: tuple) -> list[tuple]:  # type: ignore[type-arg]
    out = []
    for pl in nesting_placements:
        p = panels[pl.panel]
        w, h = (p.height, p.width) if pl.rotated else (p.width, p.height)
        out.append((pl.sheet, pl.x, pl.y, pl.x + w, pl.y + h))
    return out


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(
        st.tuples(st.integers(50, 2700), st.integers(50, 2000), st.booleans()),
        min_size=1,
        max_size=25,
    )
)
def test_nesting_places_every_panel_on_a_sheet_without_overlap(
    sizes: list[tuple[int, int, bool]],
) -> None:
    """Every panel is placed once, inside its sheet's trim, apart from every other panel."""
    panels = [Panel(f"p{i}", w, h, grain=g) for i, (w, h, g) in enumerate(sizes)]
    result = nest(panels, (2800.0, 2070.0), spacing=10.0, trim=10.0)
    assert sorted(pl.panel for pl in result.placements) == list(range(len(panels)))
    boxes = _boxes(panels, result.placements)
    for s, x0, y0, x1, y1 in boxes:
        assert 0 <= s < result.sheets
        assert x0 >= 10
        assert y0 >= 10
        assert x1 <= 2790 + 1e-9
        assert y1 <= 2060 + 1e-9
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a[0] == b[0]:
                apart = a[3] + 10 <= b[1] + 1e-9 or b[3] + 10 <= a[1] + 1e-9 or \
                    a[4] + 10 <= b[2] + 1e-9 or b[4] + 10 <= a[2] + 1e-9  # fmt: skip
                assert apart, (a, b)
    for pl in result.placements:
        assert not (panels[pl.panel].grain and pl.rotated)
    area = sum(p.area for p in panels)
    assert result.utilization == pytest.approx(area / (result.sheets * 2800 * 2070))


def test_a_panel_larger_than_the_sheet_is_refused_by_name() -> None:
    """A panel that cannot fit an empty sheet is named in the refusal."""
    with pytest.raises(LotoneError, match="panel huge"):
        nest([Panel("huge", 3000, 2500)])


def test_wardrobe_panels_follow_the_configuration(wardrobe: Design) -> None:
    """n + 1 sides, a top and bottom per section, doors; every check passes."""
    names = [p.name for p in wardrobe.panels]
    n = sum(1 for x in names if x.startswith("top-"))
    assert sum(1 for x in names if x.startswith("side-")) == n + 1
    assert sum(1 for x in names if x.startswith("bottom-")) == n
    assert check(wardrobe).ok
    assert 0.3 < wardrobe.nestings[0].utilization <= 1.0


def test_generated_wardrobes_nest_and_pass_the_checks(families: dict[str, Family]) -> None:
    """Fifty generated orders: all designed, nested on sheets and checked."""
    family = families["wardrobe"]
    for order in generate_orders(family, 50, 7):
        design = design_family(family, order.configuration)
        assert check(design).ok
        veneer = order.configuration["finish"] in ("oak", "walnut")
        assert all(p.grain == veneer for p in design.panels)
