"""The compiled BDD backend against brute force on random small models, and on real ones."""

from __future__ import annotations

import itertools

import pytest
from finite_files import BIG, MEDIUM, MEGANE, load
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotone.configure.bdd import ORDERS, BddSpace, CompileBudgetExceeded
from lotone.errors import InvalidValue
from lotone.model.finite import Clause, FiniteModel, FiniteVar, Table

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def models(draw: st.DrawFn) -> FiniteModel:
    """1..5 variables of 1..6 values (so codes with invalid patterns), tables and clauses."""
    n = draw(st.integers(1, 5))
    sizes = [draw(st.integers(1, 6)) for _ in range(n)]
    variables = tuple(
        FiniteVar(f"x{i}", tuple(f"a{k}" for k in range(s))) for i, s in enumerate(sizes)
    )
    tables = []
    for t in range(draw(st.integers(0, 3))):
        scope = tuple(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3)))
        rows = list(itertools.product(*(range(sizes[v]) for v in scope)))
        kept = draw(st.lists(st.sampled_from(rows), max_size=len(rows), unique=True))
        tables.append(Table(f"t{t}", scope, tuple(kept)))
    clauses = []
    for c in range(draw(st.integers(0, 3))):
        lits = draw(
            st.lists(
                st.integers(0, n - 1).flatmap(
                    lambda v: st.tuples(st.just(v), st.integers(0, sizes[v] - 1))
                ),
                min_size=1,
                max_size=3,
            )
        )
        clauses.append(Clause(f"c{c}", tuple(lits)))
    return FiniteModel("random", "random", "test", variables, tuple(tables), tuple(clauses))


@st.composite
def models_and_choices(draw: st.DrawFn) -> tuple[FiniteModel, dict[int, int], str | None]:
    model = draw(models())
    chosen = draw(st.lists(st.integers(0, len(model.variables) - 1), unique=True, max_size=3))
    choices = {v: draw(st.integers(0, len(model.variables[v].values) - 1)) for v in chosen}
    order = draw(st.sampled_from([None, *ORDERS]))
    return model, choices, order


def solutions(model: FiniteModel, choices: dict[int, int]) -> list[tuple[int, ...]]:
    every = itertools.product(*(range(len(v.values)) for v in model.variables))
    return [a for a in every if model.holds(a) and all(a[v] == k for v, k in choices.items())]


@SETTINGS
@given(models_and_choices())
def test_domains_and_count_equal_brute_force(case: tuple[FiniteModel, dict[int, int], str | None]):
    """Valid domains are the projections of the solutions; counts are exact; conflicts give None."""
    model, choices, order = case
    schedule = "tree" if len(choices) % 2 else "linear"
    space = BddSpace(model, order=order, sift=order is None, schedule=schedule)
    sols = solutions(model, choices)
    assert space.count(choices) == len(sols)
    assert space.count() == len(solutions(model, {}))
    assert space.is_consistent(choices) == bool(sols)
    expected = (
        [frozenset(s[v] for s in sols) for v in range(len(model.variables))] if sols else None
    )
    assert space.domains(choices) == expected


@SETTINGS
@given(models_and_choices(), st.data())
def test_domains_stay_right_step_by_step(
    case: tuple[FiniteModel, dict[int, int], str | None], data: st.DataObject
):
    """A session that adds, changes and drops choices gets fresh answers at every step."""
    model, _, order = case
    space = BddSpace(model, order=order)
    choices: dict[int, int] = {}
    for _ in range(4):
        v = data.draw(st.integers(0, len(model.variables) - 1))
        if v in choices and data.draw(st.booleans()):
            del choices[v]
        else:
            choices[v] = data.draw(st.integers(0, len(model.variables[v].values) - 1))
        sols = solutions(model, choices)
        expected = (
            [frozenset(s[u] for s in sols) for u in range(len(model.variables))] if sols else None
        )
        assert space.domains(choices) == expected


def test_a_choice_outside_the_model_is_refused():
    """An unknown variable or value index is an InvalidValue, not a silent False."""
    model = FiniteModel("m", "m", "test", (FiniteVar("a", ("x", "y", "z")),))
    space = BddSpace(model)
    with pytest.raises(InvalidValue):
        space.is_consistent({0: 3})
    with pytest.raises(InvalidValue):
        space.domains({1: 0})


def test_a_given_order_must_be_a_permutation():
    """A wrong ``order`` is refused with the reason."""
    model = FiniteModel("m", "m", "test", (FiniteVar("a", ("x", "y")), FiniteVar("b", ("x",))))
    with pytest.raises(ValueError, match="every variable"):
        BddSpace(model, order=[0, 0])


def test_over_budget_compilation_gives_up_cleanly():
    """A node budget too small raises CompileBudgetExceeded with the reason."""
    model = load(MEDIUM)
    with pytest.raises(CompileBudgetExceeded, match="live nodes"):
        BddSpace(model, max_nodes=200, sift=False)


def test_renault_medium_counts_exactly():
    """Renault medium has 278,744 configurations (CFN-learn README)."""
    space = BddSpace(load(MEDIUM))
    assert space.count() == 278_744
    assert space.domains({}) is not None


@pytest.mark.slow
def test_megane_counts_exactly():
    """The 111-table Megane copy has 7,445,949,334,016 configurations (README)."""
    assert BddSpace(load(MEGANE)).count() == 7_445_949_334_016


@pytest.mark.slow
def test_renault_big_count_is_the_exact_integer():
    """Renault big: the exact count, which a 64-bit float would round."""
    count = BddSpace(load(BIG), budget_s=120).count()
    assert count == 24_566_537_954_855_761_920_000


def test_public_surface_is_pinned():
    """The package re-exports exactly its public names."""
    import lotone.configure.bdd as bdd

    assert bdd.__all__ == ["ORDERS", "BddSpace", "CompileBudgetExceeded"]
    assert all(hasattr(bdd, name) for name in bdd.__all__)
