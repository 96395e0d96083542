"""Explosion: golden work orders, refusals, and the invariants every work order keeps."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lotone.errors import Refused
from lotone.model.compiled import compile_expression
from lotone.model.evaluate import evaluate
from lotone.model.family import Family, Value
from lotone.produce.customers import SAMPLERS, Foot
from lotone.produce.explode import configuration_hash, explode
from lotone.produce.orders import generate_orders

FAMILIES = ["insole", "wardrobe", "pc", "serum"]

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_SEEDS = {"insole": 3, "wardrobe": 5, "pc": 2, "serum": 4}


def _orders(family: Family, feet: list[Foot], n: int, seed: int) -> list[dict[str, Value]]:
    return [o.configuration for o in generate_orders(family, n, seed, feet)]


@pytest.mark.parametrize("name", FAMILIES)
def test_golden_work_orders_are_reproduced_exactly(
    name: str, families: dict[str, Family], feet: list[Foot]
) -> None:
    """Three generated orders per family explode to the stored golden work orders.

    Regenerate with ``python tests/produce/make_golden.py`` after a deliberate change.
    """
    family = families[name]
    expected = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    got = [explode(c, family).to_json() for c in _orders(family, feet, 3, GOLDEN_SEEDS[name])]
    assert got == expected


@pytest.mark.parametrize("name", FAMILIES)
def test_generated_orders_explode_with_positive_quantities_and_a_dag(
    name: str, families: dict[str, Family], feet: list[Foot]
) -> None:
    """Every valid order explodes; quantities are positive; predecessors come first."""
    family = families[name]
    for config in _orders(family, feet, 150, 11):
        wo = explode(config, family)
        assert wo.bom
        assert wo.operations
        assert wo.qc
        assert all(line.quantity > 0 for line in wo.bom)
        seen: set[str] = set()
        for step in wo.operations:
            assert set(step.after) <= seen  # topological: acyclic by construction
            assert step.seconds >= 0
            seen.add(step.id)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), name=st.sampled_from(FAMILIES), data=st.data())
def test_hash_is_stable_and_changes_with_any_attribute(
    seed: int, name: str, data: st.DataObject, families: dict[str, Family], feet: list[Foot]
) -> None:
    """The same configuration always hashes the same; changing any one value changes it."""
    family = families[name]
    config = _orders(family, feet, 1, seed)[0]
    other = _orders(family, feet, 1, seed + 1)[0]
    assert explode(config, family).hash == explode(dict(config), family).hash
    key = data.draw(st.sampled_from(sorted(config)))
    changed = dict(config)
    value = config[key]
    if isinstance(value, bool):
        changed[key] = not value
    elif isinstance(value, Decimal):
        changed[key] = value + 1
    else:
        changed[key] = value + "_x"
    assert configuration_hash(family, changed) != configuration_hash(family, config)
    if other != config:
        assert configuration_hash(family, other) != configuration_hash(family, config)


def test_hash_treats_equal_numbers_alike(families: dict[str, Family], feet: list[Foot]) -> None:
    """``265`` and ``265.0`` are the same value and give the same hash."""
    family = families["insole"]
    config = _orders(family, feet, 1, 1)[0]
    same = {k: Decimal(f"{v}.0") if isinstance(v, Decimal) else v for k, v in config.items()}
    assert configuration_hash(family, same) == configuration_hash(family, config)


@pytest.mark.parametrize(
    ("name", "key", "value", "rule"),
    [("insole", "top_cover", "leather", "diabetic-cover"),
     ("wardrobe", "width_mm", Decimal(2990), "sections-fill-width"),
     ("pc", "psu", "atx_550", "psu-power"),
     ("serum", "base_pct", Decimal(65), "formula-adds-up")],
)  # fmt: skip
def test_invalid_configurations_are_refused_with_the_rule_id(
    name: str, key: str, value: Value, rule: str, families: dict[str, Family]
) -> None:
    """An invalid configuration never becomes a work order; the refusal names the rule."""
    family = families[name]
    base = {
        "insole": {"use": "diabetic_care"},
        "pc": {"gpu": "rtx5090", "case": "atx_midi", "cpu": "ryzen9_9950x",
               "motherboard": "x870e", "cooler": "aio_360"},
    }.get(name, {})  # fmt: skip
    from lotone.configure.engine import Engine

    config = Engine(family).complete(base)
    config[key] = value
    with pytest.raises(Refused) as info:
        explode(config, family)
    assert rule in [v.rule_id for v in info.value.violations]


def test_absent_operations_pass_their_predecessors_on(families: dict[str, Family]) -> None:
    """Without doors and LED, final QC waits for the carcass (through the absent steps)."""
    from lotone.configure.engine import Engine

    family = families["wardrobe"]
    config = Engine(family).complete({"door_type": "none", "led_lighting": False})
    wo = explode(config, family)
    ids = [s.id for s in wo.operations]
    assert "hang_doors" not in ids
    assert "cut_doors" not in ids
    assert wo.step("final_qc").after == ("assemble_carcass",)


@pytest.mark.parametrize("name", FAMILIES)
def test_compiled_formulas_agree_with_the_reference_evaluator(
    name: str, families: dict[str, Family], feet: list[Foot]
) -> None:
    """Every production formula gives the evaluator's value on generated configurations."""
    family = families[name]
    prod = family.production
    nodes = [(b.quantity, b.slot) for b in prod.bom] + [(b.when, b.slot) for b in prod.bom]
    nodes += [(op.run, op.slot) for op in prod.routing] + [
        (op.when, op.slot) for op in prod.routing
    ]
    nodes += [(q.nominal, q.slot) for q in prod.qc] + [(q.tolerance, q.slot) for q in prod.qc]
    checked = [(n, s, compile_expression(n, family)) for n, s in nodes if n is not None]
    rng = random.Random(5)
    for _ in range(40):
        config = SAMPLERS[name](rng, feet)
        for node, slot, fast in checked:
            insts = [None] if slot is None else range(1, int(config[f"{slot}.count"]) + 1)
            for inst in insts:
                bound = {} if slot is None else {slot: inst}
                assert fast(config, bound) == evaluate(node, config, family, instance=inst)
