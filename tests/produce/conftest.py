"""Catalog families and generated orders shared by the produce tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from lotone.model.family import Family
from lotone.model.loader import load_family
from lotone.produce.customers import Foot, read_feet

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog"
FAMILIES = ["insole", "wardrobe", "pc", "serum"]
FEET = ROOT / "src" / "lotone" / "produce" / "data" / "ansur2_feet.csv"


@pytest.fixture(scope="session")
def families() -> dict[str, Family]:
    """The four catalog families, loaded once."""
    return {name: load_family(CATALOG / f"{name}.yaml") for name in FAMILIES}


@pytest.fixture(scope="session")
def feet() -> list[Foot]:
    """The ANSUR II foot sample shipped with lotone."""
    return read_feet(FEET)
