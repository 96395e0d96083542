"""Compiled rules (`lotone.model.compiled`) agree with the reference evaluator."""

from __future__ import annotations

from decimal import localcontext

import pytest
from hypothesis import HealthCheck, given, settings
from random_families import families, space

from lotone.configure import Engine
from lotone.configure.validate import rule_holds
from lotone.errors import LotoneError
from lotone.model.compiled import EXACT, compile_rule
from lotone.model.family import EnumAttribute, Family, NumberAttribute, count_key
from lotone.model.loader import load_family

REFUSED = (LotoneError, ArithmeticError, ValueError, KeyError, TypeError)


def _instances(family: Family, slot: str | None, product: dict[str, object]) -> list[int | None]:
    if slot is None:
        return [None]
    return list(range(1, int(product[count_key(slot)]) + 1))  # type: ignore[call-overload]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(families())
def test_compiled_rules_hold_exactly_where_the_reference_says(family: Family) -> None:
    """For every rule, instance and well-typed product: same truth, or both refuse."""
    checks = {}
    for product in list(space(family))[:400]:
        for rule in family.all_rules():
            for inst in _instances(family, rule.slot, product):
                if rule.id not in checks:
                    checks[rule.id] = compile_rule(rule, family)
                bound = {} if rule.slot is None or inst is None else {rule.slot: inst}
                try:
                    want: bool | None = rule_holds(family, rule, product, inst)
                except REFUSED:
                    want = None
                try:
                    with localcontext(EXACT):
                        got: bool | None = checks[rule.id].holds(product, bound)
                except REFUSED:
                    got = None
                assert got == want, (rule.id, inst, product)


@pytest.mark.parametrize("name", ["insole", "wardrobe", "serum", "pc"])
def test_compiled_rules_agree_on_the_catalog_families(name: str) -> None:
    """Every rule of a catalog family on its default product and on that product with each
    number moved to its bounds and each enumeration to each value (valid or not)."""
    family = load_family(f"catalog/{name}.yaml")
    base = Engine(family).complete({})
    products = [base]
    for key in base:
        attr = _attribute(family, key)
        if isinstance(attr, NumberAttribute):
            products += [{**base, key: attr.min}, {**base, key: attr.max}]
        elif isinstance(attr, EnumAttribute):
            products += [{**base, key: v.name} for v in attr.values]
    for product in products:
        for rule in family.all_rules():
            for inst in _instances(family, rule.slot, product):
                bound = {} if rule.slot is None or inst is None else {rule.slot: inst}
                with localcontext(EXACT):
                    got = compile_rule(rule, family).holds(product, bound)
                assert got == rule_holds(family, rule, product, inst), (rule.id, inst)


def _attribute(family: Family, key: str) -> object:
    if "[" in key:
        slot, rest = key.split("[", 1)
        return family.slot(slot).attribute(rest.split(".", 1)[1])
    if key.endswith(".count"):
        return None
    return family.attribute(key)
