"""Exact model counting by variable elimination (lotone.configure.count)."""

from __future__ import annotations

import doctest
import math
from itertools import product

import pytest
from count_models import BIG, MEDIUM, MEGANE, load_benchmark
from hypothesis import given, settings
from hypothesis import strategies as st

import lotone.configure.count.eliminate as eliminate_module
import lotone.configure.count.prepare as prepare_module
from lotone.configure.count import CountOutOfReach, count_by_cases, count_solutions
from lotone.errors import InvalidValue, UnknownName
from lotone.model.finite import Clause, FiniteModel, FiniteVar, Table

BIG_EXACT = 24_566_537_954_855_761_920_000
BIG_PUBLISHED = 24_566_537_954_855_758_069_760


def brute_force(model: FiniteModel, choices: dict[int, int] | None = None) -> int:
    """The number of full assignments that satisfy every constraint, by enumeration."""
    ranges = [range(len(v.values)) for v in model.variables]
    for v, k in (choices or {}).items():
        ranges[v] = range(k, k + 1)
    return sum(1 for a in product(*ranges) if model.holds(a))


@st.composite
def small_models(draw: st.DrawFn) -> FiniteModel:
    """Up to 6 variables of 1..3 values; random, functional, repeated-variable tables; clauses."""
    n = draw(st.integers(1, 6))
    sizes = [draw(st.integers(1, 3)) for _ in range(n)]
    variables = tuple(
        FiniteVar(f"x{i}", tuple(f"v{k}" for k in range(s))) for i, s in enumerate(sizes)
    )
    var = st.integers(0, n - 1)
    tables: list[Table] = []
    for t in range(draw(st.integers(0, 5))):
        scope = tuple(draw(st.lists(var, min_size=1, max_size=3)))
        rows_all = list(product(*(range(sizes[v]) for v in scope)))
        if len(scope) == 2 and draw(st.booleans()):
            # A function scope[0] -> scope[1] (maybe partial): the case substitution handles.
            x, y = scope
            keys = draw(st.lists(st.integers(0, sizes[x] - 1), unique=True, min_size=1))
            rows: list[tuple[int, ...]] = [(a, draw(st.integers(0, sizes[y] - 1))) for a in keys]
        else:
            rows = draw(st.lists(st.sampled_from(rows_all), unique=True, max_size=len(rows_all)))
        tables.append(Table(f"t{t}", scope, tuple(rows)))
    lit = var.flatmap(lambda v: st.tuples(st.just(v), st.integers(0, sizes[v] - 1)))
    clauses = [
        Clause(f"c{i}", tuple(draw(st.lists(lit, min_size=0, max_size=3))))
        for i in range(draw(st.integers(0, 4)))
    ]
    return FiniteModel("rand", "rand", "test", variables, tuple(tables), tuple(clauses))


@st.composite
def models_with_choices(draw: st.DrawFn) -> tuple[FiniteModel, dict[int, int]]:
    model = draw(small_models())
    chosen = draw(st.lists(st.integers(0, len(model.variables) - 1), unique=True, max_size=3))
    return model, {v: draw(st.integers(0, len(model.variables[v].values) - 1)) for v in chosen}


@settings(max_examples=300, deadline=None)
@given(small_models(), st.sampled_from(["min-fill", "min-degree"]))
def test_count_equals_brute_force(model: FiniteModel, heuristic: str) -> None:
    """On small random models the count is the number of satisfying full assignments."""
    assert count_solutions(model, heuristic=heuristic) == brute_force(model)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(models_with_choices())
def test_count_under_choices_equals_brute_force(case: tuple[FiniteModel, dict[int, int]]) -> None:
    """With choices, only the assignments that agree with them are counted."""
    model, choices = case
    assert count_solutions(model, choices) == brute_force(model, choices)


@settings(max_examples=100, deadline=None)
@given(small_models(), st.data())
def test_cases_sum_to_the_count(model: FiniteModel, data: st.DataObject) -> None:
    """Splitting on one variable gives one exact count per value; they add up to the count."""
    var = data.draw(st.integers(0, len(model.variables) - 1))
    cases = count_by_cases(model, var)
    assert len(cases) == len(model.variables[var].values)
    assert cases == [brute_force(model, {var: k}) for k in range(len(cases))]


@settings(max_examples=50, deadline=None)
@given(small_models())
def test_join_filters_do_not_change_the_count(model: FiniteModel) -> None:
    """Filtering every join by the other factors' supports (not only large ones) is exact."""
    old = eliminate_module.FILTER_FROM
    eliminate_module.FILTER_FROM = -1
    try:
        assert count_solutions(model) == brute_force(model)
    finally:
        eliminate_module.FILTER_FROM = old


def test_unconstrained_variables_multiply_by_their_domain_sizes() -> None:
    """Without constraints every combination counts, with no float anywhere."""
    variables = tuple(FiniteVar(f"x{i}", tuple(str(k) for k in range(300))) for i in range(12))
    model = FiniteModel("free", "free", "test", variables)
    assert count_solutions(model) == 300**12
    assert count_solutions(model, {3: 7}) == 300**11


def test_bad_choices_are_refused_with_a_reason() -> None:
    """A choice of an unknown variable or value index is an error, not a zero count."""
    model = FiniteModel("m", "m", "test", (FiniteVar("a", ("x", "y")),))
    with pytest.raises(UnknownName):
        count_solutions(model, {5: 0})
    with pytest.raises(InvalidValue, match=r"0\.\.1"):
        count_solutions(model, {0: 2})


def test_doctests_run() -> None:
    """The examples in the docstrings are right."""
    assert doctest.testmod(eliminate_module).failed == 0


@pytest.fixture(scope="session")
def medium() -> FiniteModel:
    if not MEDIUM.exists():
        pytest.skip("Renault medium is not in ../shared/benchmarks")
    return load_benchmark(MEDIUM)


@pytest.fixture(scope="session")
def megane() -> FiniteModel:
    if not MEGANE.exists():
        pytest.skip("the Megane tables are not in ../shared/benchmarks")
    return load_benchmark(MEGANE)


def test_renault_medium_has_278744_configurations(medium: FiniteModel) -> None:
    """The published count of Renault medium, reproduced exactly, and split by version."""
    assert count_solutions(medium) == 278_744
    assert sum(count_by_cases(medium, 0)) == 278_744
    assert count_solutions(medium, heuristic="min-degree") == 278_744


def test_megane_with_111_tables_has_7445949334016(megane: FiniteModel) -> None:
    """The 111-table Megane copy: the figure toulbar2 and a BDD agree on (README)."""
    assert count_solutions(megane) == 7_445_949_334_016


def test_giving_up_says_why(medium: FiniteModel) -> None:
    """Out of time or over the factor size limit raises CountOutOfReach with its reason."""
    with pytest.raises(CountOutOfReach, match="time budget") as timed_out:
        count_solutions(medium, budget_s=0.0)
    assert timed_out.value.reason == "time"
    with pytest.raises(CountOutOfReach, match="max_factor_rows") as too_big:
        count_solutions(medium, max_factor_rows=10)
    assert too_big.value.reason == "size"


def test_progress_reports_each_elimination(medium: FiniteModel) -> None:
    """progress(done, total) is called once per eliminated variable, ending at total."""
    seen: list[tuple[int, int]] = []
    count_solutions(medium, progress=lambda done, total: seen.append((done, total)))
    assert seen
    assert [d for d, _ in seen] == list(range(1, len(seen) + 1))
    assert seen[-1][0] == seen[-1][1]


@pytest.mark.slow
def test_renault_big_exact_count_and_the_float_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    """Renault big: the exact count, three ways; the published figure is a float approximation.

    The second way splits on the 324-valued version ``v0`` (each case fixes the 170 variables
    that are functions of it, so no substitution happens); the third turns the substitution off
    and filters every join instead, a different set of factors and a different order.
    """
    if not BIG.exists():
        pytest.skip("Renault big is not in ../shared/benchmarks")
    big = load_benchmark(BIG)
    assert count_solutions(big) == BIG_EXACT
    assert sum(count_by_cases(big, 0)) == BIG_EXACT
    monkeypatch.setattr(prepare_module, "substitute", lambda d, t, c, _limits: (t, c, set()))
    monkeypatch.setattr(eliminate_module, "FILTER_FROM", -1)
    assert count_solutions(big) == BIG_EXACT
    # The published figure is a double, one ulp (2**22) below the double nearest the count.
    assert float(BIG_PUBLISHED) == BIG_PUBLISHED
    assert float(BIG_EXACT) != BIG_EXACT
    assert math.nextafter(float(BIG_EXACT), 0.0) == BIG_PUBLISHED
