"""The engine against brute-force enumeration on random small families (Hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from random_families import all_products, families, space

from lotone.configure import Engine, NumberDomain, ValueDomain
from lotone.configure.validate import price_of
from lotone.model.family import Family, Value

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _projection(products: list[dict[str, Value]]) -> dict[str, set[Value]]:
    out: dict[str, set[Value]] = {}
    for p in products:
        for k, v in p.items():
            out.setdefault(k, set()).add(v)
    return out


def _domain_set(dom: ValueDomain | NumberDomain) -> set[Value]:
    if isinstance(dom, NumberDomain):
        return set(dom.values())
    return set(dom.values)


def _keeps(product: dict[str, Value], choices: dict[str, Value]) -> bool:
    return all(product.get(k) == v for k, v in choices.items())


@st.composite
def family_and_choices(draw: st.DrawFn) -> tuple[Family, dict[str, Value]]:
    family = draw(families())
    configs = list(space(family))
    pick = draw(st.sampled_from(configs))
    keys = draw(st.lists(st.sampled_from(sorted(pick)), max_size=3, unique=True))
    return family, {k: pick[k] for k in keys}


@SETTINGS
@given(family_and_choices())
def test_valid_domains_equal_the_projection_of_all_products(
    case: tuple[Family, dict[str, Value]],
) -> None:
    """Every value offered extends to a valid product and every value withheld does not."""
    family, choices = case
    products = [p for p in all_products(family) if _keeps(p, choices)]
    engine = Engine(family)
    state = engine.analyze(choices)
    if not products:
        assert state.status == "conflict"
        assert state.conflict is not None
        return
    assert state.status in ("complete", "incomplete")
    expected = _projection(products)
    got = {k: _domain_set(d) for k, d in state.domains.items()}
    assert got == expected
    assert (state.status == "complete") == all(len(v) == 1 for v in expected.values())


@SETTINGS
@given(family_and_choices(), st.sampled_from(["defaults", "min_price"]))
def test_completion_is_always_valid_and_keeps_the_choices(
    case: tuple[Family, dict[str, Value]], objective: str
) -> None:
    """complete() returns a valid product with every choice kept; min_price finds the cheapest."""
    family, choices = case
    products = [p for p in all_products(family) if _keeps(p, choices)]
    engine = Engine(family)
    if not products:
        assert not engine.is_consistent(choices)
        return
    done = engine.complete(choices, objective)  # type: ignore[arg-type]
    assert engine.validate(done) == []
    assert _keeps(done, choices)
    assert done in products
    prices = [price_of(family, p) for p in products]
    lo, hi, exact = engine.price_range(choices)
    assert exact
    assert (lo, hi) == (min(prices), max(prices))
    if objective == "min_price":
        assert price_of(family, done) == min(prices)


@SETTINGS
@given(families(), st.data())
def test_validate_agrees_with_the_solver(family: Family, data: st.DataObject) -> None:
    """A full configuration is valid for the evaluator exactly when the SAT encoding accepts it."""
    engine = Engine(family)
    config = data.draw(st.sampled_from(list(space(family))))
    assert (engine.validate(config) == []) == engine.is_consistent(config)


@SETTINGS
@given(family_and_choices())
def test_a_conflict_is_explained_by_a_minimal_set(case: tuple[Family, dict[str, Value]]) -> None:
    """The explanation of a conflict is itself a conflict, and dropping any member resolves it."""
    family, choices = case
    engine = Engine(family)
    if engine.is_consistent(choices):
        return
    conflict = engine.explain(choices)
    chosen = {c.split("=", 1)[0] for c in conflict.choices}
    sub = {k: v for k, v in choices.items() if k in chosen}
    rule_ids = {r.rule_id for r in conflict.rules}
    assert conflict.choices or conflict.rules
    assert not _consistent_with(engine, sub, rule_ids)
    for k in chosen:
        assert _consistent_with(engine, {x: v for x, v in sub.items() if x != k}, rule_ids)
    for r in rule_ids:
        assert _consistent_with(engine, sub, rule_ids - {r})


def _consistent_with(engine: Engine, choices: dict[str, Value], rule_ids: set[str]) -> bool:
    lits = [s.lit for s in engine.enc.selectors if s.rule.id in rule_ids]
    lits += [engine.enc.value_lit(k, v) for k, v in choices.items()]
    return engine.solver.solve(lits) is not None
