"""`why` and `repair` on YAML families against brute-force enumeration (Hypothesis)."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from random_families import all_products, families, space

from lotone.configure import Engine
from lotone.configure.check import count_by_enumeration
from lotone.configure.engine import value_text
from lotone.configure.validate import validate
from lotone.model.family import Family, Value

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def asks(draw: st.DrawFn) -> tuple[Family, dict[str, Value], str, Value]:
    """A family, some choices (drawn from possibly different configurations) and a target."""
    family = draw(families())
    configs = list(space(family))
    a, b = draw(st.sampled_from(configs)), draw(st.sampled_from(configs))
    keys = draw(st.lists(st.sampled_from(sorted(a)), max_size=3, unique=True))
    choices = {k: (a if i % 2 == 0 else b).get(k, a[k]) for i, k in enumerate(keys)}
    key = draw(st.sampled_from(sorted(b)))
    return family, choices, key, b[key]


def _products_with(family: Family, choices: dict[str, Value], rules: set[str] | None = None):
    for config in space(family):
        if any(config.get(k) != v for k, v in choices.items()):
            continue
        broken = {v.rule_id for v in validate(family, config)}
        if not (broken if rules is None else broken & rules):
            yield config


def _possible(family: Family, choices: dict[str, Value], rules: set[str] | None = None) -> bool:
    return next(_products_with(family, choices, rules), None) is not None


def _parse(engine: Engine, items: tuple[str, ...], choices: dict[str, Value]) -> dict[str, Value]:
    out = {}
    for item in items:
        key = item.split("=", 1)[0]
        assert f"{key}={value_text(choices[key])}" == item
        out[key] = choices[key]
    return out


@SETTINGS
@given(asks())
def test_why_is_a_real_conflict_and_minimal(case) -> None:
    """The choices and rules named exclude the value; dropping any one of them frees it."""
    family, choices, key, value = case
    engine = Engine(family)
    rest = {k: v for k, v in choices.items() if k != key}
    why = engine.why(choices, key, value)
    if why.available:
        assert _possible(family, {**rest, key: value})
        return
    core = _parse(engine, why.conflict.choices, rest)
    rules = {r.rule_id for r in why.conflict.rules}
    assert not _possible(family, {**core, key: value}, rules)
    for k in core:
        assert _possible(family, {**{x: v for x, v in core.items() if x != k}, key: value})
    for r in rules:
        assert _possible(family, {**core, key: value}, rules - {r})


@SETTINGS
@given(asks())
def test_repair_frees_the_value_and_no_smaller_set_does(case) -> None:
    family, choices, key, value = case
    engine = Engine(family)
    rest = {k: v for k, v in choices.items() if k != key}
    repair = engine.repair(choices, key, value)
    if not repair.possible:
        assert not _possible(family, {key: value})
        return
    drop = _parse(engine, repair.drop, rest)
    kept = {k: v for k, v in rest.items() if k not in drop}
    assert _possible(family, {**kept, key: value})
    for size in range(len(drop)):
        for subset in itertools.combinations(rest, size):
            smaller = {k: v for k, v in rest.items() if k not in subset}
            assert not _possible(family, {**smaller, key: value})


@SETTINGS
@given(families())
def test_count_by_enumeration_equals_the_number_of_valid_products(family: Family) -> None:
    assert count_by_enumeration(family) == len(all_products(family))


@SETTINGS
@given(families())
def test_the_cnf_encoding_has_one_model_per_valid_configuration(family: Family) -> None:
    """Counting the encoding's models (variable elimination) gives the number of products."""
    from lotone.configure.count import count_solutions
    from lotone.configure.family_count import encoding_model

    assert count_solutions(encoding_model(family)) == len(all_products(family))
