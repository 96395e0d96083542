"""A price budget that runs out gives a proven envelope, never 'no valid product'."""

from __future__ import annotations

from pathlib import Path

import pytest

from lotone.configure import Engine
from lotone.model.loader import load_family

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("budget", [1e-5, 1e-4, 1e-3, 5e-3])
def test_an_exhausted_budget_is_an_envelope_not_a_conflict(budget: float) -> None:
    """The interrupt lands at any point of RC2 (before, during or after its first call): the
    answer is always a range that contains the exact one."""
    engine = Engine(load_family(ROOT / "catalog" / "wardrobe.yaml"), budget=60)
    exact = engine.price_range({})
    assert exact.exact
    engine.budget = budget
    for _ in range(25):
        got = engine.price_range({})
        assert got.min <= exact.min
        assert got.max >= exact.max
        if got.exact:
            assert (got.min, got.max) == (exact.min, exact.max)
