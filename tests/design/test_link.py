"""Link to production: quantities from the real geometry, the files referenced."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lotone.design import Design, link
from lotone.design.link import PrintModel, print_seconds
from lotone.model.family import Family, Value
from lotone.produce.explode import explode
from lotone.produce.orders import generate_orders


def test_insole_powder_and_print_time_come_from_the_meshes(
    families: dict[str, Family], pair: Design, pair_config: dict[str, Value]
) -> None:
    """Powder is the parts' mass; print time and envelope are the geometry's; the rest stays."""
    wo = explode(pair_config, families["insole"])
    linked = link(wo, pair, ["a.stl", "a.3mf"])
    powder = next(b for b in linked.work_order.bom if b.part == "powder_tpu_95a")
    assert float(powder.quantity) == pytest.approx(sum(p.mass_g for p in pair.parts), abs=0.1)
    step = linked.work_order.step("print")
    assert step.run_s == print_seconds(pair)
    assert [float(v) for v in step.envelope_mm] == pytest.approx(
        list(pair.parts[0].mesh.extents), abs=0.05
    )
    assert linked.work_order.step("pack") == wo.step("pack")
    assert [b for b in linked.work_order.bom if b.part != "powder_tpu_95a"] == [
        b for b in wo.bom if b.part != "powder_tpu_95a"
    ]
    assert linked.files == ("a.stl", "a.3mf")
    assert linked.to_json()["design"] == {"files": ["a.stl", "a.3mf"], "derived": linked.derived}
    doubled = link(wo, pair, model=PrintModel(powder_factor=2.0))
    grams = next(b for b in doubled.work_order.bom if b.part == "powder_tpu_95a").quantity
    assert grams == pytest.approx(2 * powder.quantity, abs=Decimal("0.2"))


def test_wardrobe_board_is_the_sheets_the_nesting_uses(families: dict[str, Family]) -> None:
    """The board line becomes whole sheets; the utilization is recorded."""
    from lotone.design import design_family

    family = families["wardrobe"]
    order = next(iter(generate_orders(family, 1, 1)))
    design = design_family(family, order.configuration)
    linked = link(explode(order.configuration, family), design)
    nesting = design.nestings[0]
    board = next(b for b in linked.work_order.bom if b.part == nesting.material)
    assert float(board.quantity) == pytest.approx(nesting.sheets * 2.8 * 2.07)
    assert linked.derived["utilization"] == round(nesting.utilization, 4)


def test_a_design_of_another_order_is_refused(
    families: dict[str, Family], pair: Design, pair_config: dict[str, Value]
) -> None:
    """The design's order hash must be the work order's."""
    other = explode({**pair_config, "foot_length_mm": Decimal(266)}, families["insole"])
    with pytest.raises(ValueError, match="the design is of order"):
        link(other, pair)
