"""The bom, routing, qc and parts sections: refused at load with FILE:LINE:COL when wrong."""

from __future__ import annotations

import pytest

from lotone.errors import ModelError
from lotone.model.loader import load_family_text

HEAD = """family: shelf
name: Shelf
version: "1"
attributes:
  width_mm: {type: number, unit: mm, min: 400, max: 1200, step: 100}
  finish: {type: enum, values: {white: White, oak: Oak}}
modules:
  board:
    count: {min: 1, max: 4}
    attributes:
      depth_mm: {type: number, unit: mm, min: 200, max: 400, step: 50}
parts:
  "panel_{finish}": {label: "Panel {finish}", unit: m2}
  bracket: {label: Bracket, supply: stock, bom: [{part: screw, quantity: 2}]}
  screw: Screw
"""


def _errors(tail: str) -> list[str]:
    with pytest.raises(ModelError) as info:
        load_family_text(HEAD + tail, "shelf.yaml")
    return [str(d) for d in info.value.diagnostics]


def test_a_valid_production_section_loads_with_placeholders_expanded() -> None:
    """Part templates declare one part per value; module lines keep their slot."""
    family = load_family_text(
        HEAD
        + "bom:\n  - {part: 'panel_{finish}', quantity: width_mm * 0.001}\n"
        + "routing:\n  - {id: cut, work_center: cnc_router, run: 3}\n"
        + "  - {id: pack, work_center: packing, run: 1, after: [cut]}\n"
        + "qc:\n  - {id: w, check: Width, nominal: width_mm, tolerance: 1, unit: mm}\n",
        "shelf.yaml",
    )
    prod = family.production
    assert [p.id for p in prod.parts] == ["panel_white", "panel_oak", "bracket", "screw"]
    assert prod.part("panel_oak") is not None
    assert prod.part("panel_oak").label == "Panel Oak"  # type: ignore[union-attr]
    assert [op.after for op in prod.routing] == [(), ("cut",)]


def test_unknown_part_is_refused_at_its_position_with_a_hint() -> None:
    """A BOM line naming an undeclared part is an error at FILE:LINE:COL, with did-you-mean."""
    errors = _errors("bom:\n  - {part: brackett, quantity: 2}\n")
    assert errors == [
        "shelf.yaml:17:12: error: unknown part 'brackett' (hint: did you mean 'bracket'?)"
    ]


def test_a_placeholder_expansion_that_is_not_declared_is_refused() -> None:
    """Every value a placeholder can take must give a declared part."""
    errors = _errors("bom:\n  - {part: 'edge_{finish}', quantity: 1}\n")
    assert "unknown part 'edge_white' (from 'edge_{finish}')" in errors[0]
    assert errors[0].startswith("shelf.yaml:17:12:")


def test_a_quantity_that_can_go_negative_is_refused_with_its_range() -> None:
    """Interval bounds over the attribute ranges refuse a formula that can be negative."""
    errors = _errors("bom:\n  - {part: screw, quantity: width_mm - 500}\n")
    assert errors[0].startswith("shelf.yaml:17:29: error: this quantity can be negative")
    assert "-100..700" in errors[0]


def test_a_module_run_time_that_can_go_negative_is_refused() -> None:
    """Module formulas are bounded with the module's own attribute ranges."""
    text = HEAD.replace(
        "      depth_mm: {type: number, unit: mm, min: 200, max: 400, step: 50}\n",
        "      depth_mm: {type: number, unit: mm, min: 200, max: 400, step: 50}\n"
        "    routing:\n      - {id: drill, work_center: cnc_router, run: 5 - depth_mm * 0.02}\n",
    )
    with pytest.raises(ModelError) as info:
        load_family_text(text, "shelf.yaml")
    assert "this run time can be negative" in str(info.value)
    assert "shelf.yaml:13:" in str(info.value)


def test_division_by_zero_is_refused_by_the_checker() -> None:
    """Formulas divide only by non-zero constants, so no configuration can divide by zero."""
    errors = _errors("bom:\n  - {part: screw, quantity: width_mm / 0}\n")
    assert "division by zero" in errors[0]
    errors = _errors("bom:\n  - {part: screw, quantity: 100 / width_mm}\n")
    assert "divides only by a constant" in errors[0]


def test_a_condition_must_be_a_condition_and_a_quantity_a_number() -> None:
    """Type errors name what the expression is for."""
    errors = _errors('bom:\n  - {part: screw, quantity: finish == "oak"}\n')
    assert "a quantity must be a number" in errors[0]


def test_unknown_and_cyclic_precedence_is_refused() -> None:
    """`after` must name operations, and the routing must be a DAG."""
    errors = _errors(
        "routing:\n  - {id: a, work_center: x, run: 1, after: [c]}\n"
        "  - {id: b, work_center: x, run: 1, after: [a]}\n"
        "  - {id: c, work_center: x, run: 1, after: [b, d]}\n"
    )
    assert any("unknown operation 'd'" in e for e in errors)
    assert any("the routing has a cycle: a after c after b after a" in e for e in errors)


def test_unknown_component_and_unknown_keys_are_reported_together() -> None:
    """All errors come at once, in file order."""
    errors = _errors(
        "  rivet: {label: Rivet, bom: [{part: nail, quantity: 1}]}\n"
        "bom:\n  - {part: screw, quantity: 1, qty: 2}\n"
    )
    assert len(errors) == 2
    assert "unknown component 'nail'" in errors[0]
    assert "unknown key 'qty'" in errors[1]
