"""Generated orders of every family with a template produce designs that pass every check."""

from __future__ import annotations

import pytest

from lotone.design import check, design_family, render_files
from lotone.model.family import Family
from lotone.produce.customers import Foot
from lotone.produce.orders import generate_orders


def _all_pass(family: Family, count: int, seed: int, feet: list[Foot]) -> None:
    failed = []
    for order in generate_orders(family, count, seed, feet):
        design = design_family(family, order.configuration)
        result = check(design)
        if not result.ok:
            failed.append((order.order_id, result.reasons))
        assert render_files(design, ("3mf", "svg")) or not design.parts
    assert not failed, failed[:5]


@pytest.mark.parametrize("name", ["insole", "wardrobe", "serum"])
def test_a_hundred_generated_orders_pass(
    families: dict[str, Family], feet: list[Foot], name: str
) -> None:
    """100 orders per family (ANSUR II feet for the insole) design and pass the checks."""
    _all_pass(families[name], 100, 11, feet if name == "insole" else [])


@pytest.mark.slow
@pytest.mark.parametrize("name", ["insole", "wardrobe", "serum"])
def test_a_thousand_generated_orders_pass(
    families: dict[str, Family], feet: list[Foot], name: str
) -> None:
    """1,000 orders per family design and pass every check (the benchmark's target)."""
    _all_pass(families[name], 1000, 2026, feet if name == "insole" else [])
