"""Price ranges by CP-SAT on the family's integers agree with brute force and with MaxSAT."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from random_families import all_products, families, space

from lotone.configure import Engine, NumberDomain
from lotone.configure.cp_lower import Unsupported
from lotone.configure.cp_price import CpPricer
from lotone.configure.validate import price_of
from lotone.errors import Infeasible
from lotone.model.family import Family, Value
from lotone.model.loader import load_family

ROOT = Path(__file__).resolve().parents[2]
CATALOG = sorted((ROOT / "catalog").glob("*.yaml"))

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def family_and_choices(draw: st.DrawFn) -> tuple[Family, dict[str, Value]]:
    """A random family and up to three choices, drawn from one product or mixed from two (the
    second case often conflicts)."""
    family = draw(families())
    configs = list(space(family))
    picks = [draw(st.sampled_from(configs)) for _ in range(draw(st.integers(1, 2)))]
    choices: dict[str, Value] = {}
    for pick in picks:
        for k in draw(st.lists(st.sampled_from(sorted(pick)), max_size=2, unique=True)):
            choices[k] = pick[k]
    return family, choices


@SETTINGS
@given(family_and_choices(), st.sampled_from(["cpsat", "maxsat"]))
def test_price_range_of_either_solver_is_the_brute_force_range(
    case: tuple[Family, dict[str, Value]], solver: str
) -> None:
    """Both price solvers give the exact min and max over every valid product keeping the
    choices, and both call a choice set without any product infeasible."""
    family, choices = case
    prices = [
        price_of(family, p)
        for p in all_products(family)
        if all(p.get(k) == v for k, v in choices.items())
    ]
    engine = Engine(family, budget=None, price_solver=solver)  # type: ignore[arg-type]
    if not prices:
        with pytest.raises(Infeasible):
            engine.price_range(choices)
        return
    got = engine.price_range(choices)
    assert got.exact
    assert (got.min, got.max) == (min(prices), max(prices))


@SETTINGS
@given(families())
def test_every_random_family_fits_cp_sat_integers(family: Family) -> None:
    """The generated families (every construct of the language, decimals included) need no
    fallback to MaxSAT."""
    CpPricer(family)


@pytest.mark.parametrize("path", CATALOG, ids=lambda p: p.stem)
def test_catalog_price_ranges_agree_between_cp_sat_and_maxsat(path: Path) -> None:
    """On the catalog families, at the start and after a few choices, the two solvers agree."""
    family = load_family(path)
    cp = Engine(family, budget=None)
    maxsat = Engine(family, budget=None, price_solver="maxsat")
    assert cp._cp_pricer() is not None
    choices: dict[str, Value] = {}
    for _ in range(4):
        assert cp.price_range(choices) == maxsat.price_range(choices)
        state = cp.analyze(choices, price=False)
        open_keys = [k for k, d in state.domains.items() if k not in choices]
        if not open_keys:
            break
        key = open_keys[len(choices) % len(open_keys)]
        dom = state.domains[key]
        values = dom.values() if isinstance(dom, NumberDomain) else list(dom.values)
        choices[key] = values[len(values) // 2]


def test_a_product_too_large_for_cp_sat_integers_falls_back_to_maxsat() -> None:
    """A price whose intermediate product needs more than 52 bits does not fit CP-SAT: the
    engine keeps MaxSAT and still answers exactly."""
    from lotone.model.loader import load_family_text

    family = load_family_text(
        """
family: huge
name: Huge
version: "1"
attributes:
  a: {type: number, min: 1, max: 100000000, step: 1}
  b: {type: number, min: 1, max: 100000000, step: 1}
rules:
  - {id: small, message: Small, rule: a + b <= 5}
prices:
  - amount: a * b * 0.001
"""
    )
    with pytest.raises(Unsupported):
        CpPricer(family)
    engine = Engine(family, budget=None)
    assert engine._cp_pricer() is None
    got = engine.price_range({})
    assert got.exact
    assert (got.min, got.max) == (Decimal("0.001"), Decimal("0.006"))
