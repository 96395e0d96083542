"""Structural checks of the sample catalog that need nothing but PyYAML.

The loader's own tests check the families fully (types, expressions, satisfiability); these only
make sure each file parses and has the shape ``docs/family-format.md`` describes.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

CATALOG = Path(__file__).resolve().parents[2] / "catalog"
FAMILIES = ["insole", "wardrobe", "pc", "serum"]
KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MAX_GRID = 600


def _load(family: str) -> dict[str, Any]:
    data = yaml.safe_load((CATALOG / f"{family}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _all_rules(data: dict[str, Any]) -> list[dict[str, Any]]:
    rules = list(data.get("rules") or [])
    for module in (data.get("modules") or {}).values():
        rules += list(module.get("rules") or [])
    return rules


def _attribute_sets(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = [(name, spec) for name, spec in data["attributes"].items()]
    for slot, module in (data.get("modules") or {}).items():
        out += [(f"{slot}.{name}", spec) for name, spec in module["attributes"].items()]
    return out


@pytest.mark.parametrize("family", FAMILIES)
def test_parses_with_expected_id(family: str) -> None:
    data = _load(family)
    assert data["family"] == family
    assert data["name"]
    assert isinstance(data["version"], str)
    assert data["currency"] == "EUR"
    assert data["attributes"]


@pytest.mark.parametrize("family", FAMILIES)
def test_rules_have_unique_kebab_ids_and_messages(family: str) -> None:
    import re

    rules = _all_rules(_load(family))
    assert rules
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)), f"duplicate rule ids in {family}"
    for r in rules:
        assert re.match(KEBAB, r["id"]), r["id"]
        assert isinstance(r.get("message"), str), r["id"]
        assert r["message"].strip(), r["id"]
        assert ("rule" in r) != ("table" in r), f"{r['id']}: exactly one of rule/table"
        if "table" in r:
            table = r["table"]
            assert table["rows"], r["id"]
            for row in table["rows"]:
                assert len(row) == len(table["columns"]), f"{r['id']}: row {row}"


@pytest.mark.parametrize("family", FAMILIES)
def test_attributes_have_labels_and_defaults_in_domain(family: str) -> None:
    for name, spec in _attribute_sets(_load(family)):
        assert spec.get("label"), name
        kind = spec["type"]
        assert kind in ("enum", "bool", "number"), name
        default = spec.get("default")
        if kind == "enum":
            values = spec["values"]
            assert values, name
            for value, vspec in values.items():
                label = vspec if isinstance(vspec, str) else vspec.get("label")
                assert label, f"{name}={value} has no label"
            assert default is None or default in values, name
        elif kind == "number":
            lo, hi = Decimal(str(spec["min"])), Decimal(str(spec["max"]))
            step = Decimal(str(spec.get("step", 1)))
            assert lo <= hi, name
            assert (hi - lo) % step == 0, name
            assert (hi - lo) / step + 1 <= MAX_GRID, f"{name}: grid too large for the engine"
            if default is not None:
                d = Decimal(str(default))
                assert lo <= d <= hi, name
                assert (d - lo) % step == 0, name
        else:
            assert default is None or isinstance(default, bool), name


@pytest.mark.parametrize("family", FAMILIES)
def test_modules_have_sane_counts(family: str) -> None:
    for slot, module in (_load(family).get("modules") or {}).items():
        assert module.get("label"), slot
        count = module["count"]
        assert 0 <= count["min"] <= count["max"], slot
        if "default" in count:
            assert count["min"] <= count["default"] <= count["max"], slot
