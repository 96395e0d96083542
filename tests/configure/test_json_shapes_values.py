"""values_from_json: the inverse of json_values, shared by every reader of order JSON."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lotone.configure.json_shapes import json_values, values_from_json
from lotone.errors import LotoneError


def test_values_from_json_reads_numbers_exactly_and_round_trips() -> None:
    """Numbers become exact decimals (0.1 stays 0.1); text and booleans stay as they are."""
    raw = {"finish": "oak", "soft_close": True, "width_mm": 1200, "retinol_pct": 0.1}
    values = values_from_json(raw, "order 1")
    assert values == {
        "finish": "oak",
        "soft_close": True,
        "width_mm": Decimal("1200"),
        "retinol_pct": Decimal("0.1"),
    }
    assert json_values(values) == raw


def test_values_from_json_names_the_place_and_key_of_a_bad_value() -> None:
    """A list or null is refused with where it came from and which key."""
    with pytest.raises(LotoneError, match=r"orders.jsonl:3: value of 'width_mm' is neither"):
        values_from_json({"width_mm": [1]}, "orders.jsonl:3")
