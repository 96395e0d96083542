"""Catalog families, feet and small named designs shared by the design tests."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from lotone.design import Design, design_family
from lotone.model.family import Family, Value
from lotone.model.loader import load_family
from lotone.produce.customers import Foot, read_feet
from lotone.produce.orders import generate_orders

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog"
FEET = ROOT / "src" / "lotone" / "produce" / "data" / "ansur2_feet.csv"

D = Decimal

PAIR: dict[str, Value] = {
    "side": "pair", "use": "running", "foot_length_mm": D(265), "foot_width_mm": D(98),
    "arch_height_mm": D(15), "heel_cup_depth_mm": D(12), "stiffness": "medium",
    "support": "arch_support", "base_material": "tpu_95a", "top_cover": "microfibre",
    "antimicrobial": False,
}  # fmt: skip


@pytest.fixture(scope="session")
def families() -> dict[str, Family]:
    """The catalog families with a design template, loaded once."""
    return {name: load_family(CATALOG / f"{name}.yaml") for name in ("insole", "wardrobe", "serum")}


@pytest.fixture(scope="session")
def feet() -> list[Foot]:
    """The ANSUR II foot sample shipped with lotone."""
    return read_feet(FEET)


@pytest.fixture
def pair_config() -> dict[str, Value]:
    """The configuration of :func:`pair` (a fresh copy)."""
    return dict(PAIR)


@pytest.fixture(scope="session")
def pair(families: dict[str, Family]) -> Design:
    """A pair of running insoles, 265 x 98 mm, with arch support and a cover."""
    return design_family(families["insole"], PAIR)


@pytest.fixture(scope="session")
def wardrobe(families: dict[str, Family]) -> Design:
    """A generated wardrobe order (four sections, sliding oak doors) with its nesting."""
    order = next(iter(generate_orders(families["wardrobe"], 1, 1)))
    return design_family(families["wardrobe"], order.configuration)
