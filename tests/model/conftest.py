"""Tiny product families shared by the expression-language tests."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lotone.model.family import (
    BoolAttribute,
    EnumAttribute,
    EnumValue,
    Family,
    NumberAttribute,
    Slot,
)


def number(
    name: str, lo: int, hi: int, step: str = "1", unit: str | None = None
) -> NumberAttribute:
    """A number attribute on the grid ``lo..hi`` in steps of ``step``."""
    return NumberAttribute(name, name, Decimal(lo), Decimal(hi), Decimal(step), unit=unit)


def enum(name: str, *values: str | EnumValue) -> EnumAttribute:
    """An enumerated attribute with the given values (names or full values)."""
    vals = tuple(v if isinstance(v, EnumValue) else EnumValue(v, v) for v in values)
    return EnumAttribute(name, name, vals)


def with_props(name: str, **props: str) -> EnumValue:
    """An enumerated value with numeric properties."""
    return EnumValue(name, name, properties={k: Decimal(v) for k, v in props.items()})


def make_wardrobe() -> Family:
    """A wardrobe: a core with units, enums with properties, and two module slots."""
    core = (
        number("width_mm", 600, 3000, "10", unit="mm"),
        number("height_mm", 1800, 2600, "100", unit="mm"),
        number("weight_g", 0, 100000, "100", unit="g"),
        number("shelves", 0, 10),
        enum(
            "finish",
            with_props("white", density_kg_m3="600", factor="1"),
            with_props("oak", density_kg_m3="680", factor="1.5"),
            with_props("walnut", density_kg_m3="640", factor="2"),
        ),
        enum("handle", "brass", "black", "steel"),
        enum("lamp", with_props("led", watts="10"), with_props("halogen", watts="50"), "none"),
        BoolAttribute("soft_close", "Soft-close hinges"),
    )
    section = Slot(
        "section",
        "Section",
        min_count=2,
        max_count=6,
        attributes=(
            number("width_mm", 300, 1000, "10", unit="mm"),
            enum("interior", "shelves", "rail", "drawers"),
            BoolAttribute("lit", "Lit"),
        ),
    )
    drawer = Slot(
        "drawer",
        "Drawer",
        min_count=0,
        max_count=4,
        attributes=(
            number("depth_mm", 300, 600, "10", unit="mm"),
            enum("front", with_props("plain", cost="5"), with_props("glass", cost="20")),
        ),
    )
    return Family("wardrobe", "Wardrobe", "1.0", core, (section, drawer))


@pytest.fixture(scope="session")
def wardrobe() -> Family:
    """The wardrobe family (see :func:`make_wardrobe`)."""
    return make_wardrobe()


@pytest.fixture(scope="session")
def arithmetic() -> Family:
    """A family with three unitless decimal attributes ``x``, ``y``, ``z``."""
    attrs = tuple(
        NumberAttribute(n, n, Decimal(-1000), Decimal(1000), Decimal("0.01"), integer=False)
        for n in ("x", "y", "z")
    )
    return Family("arithmetic", "Arithmetic", "1", attrs)
