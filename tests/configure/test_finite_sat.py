"""The SAT backend for finite models: domains, why and repair against brute force."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from random_finite import finite_models, projections, solutions

from lotone.configure.finite_sat import SatSpace
from lotone.model.finite import Clause, FiniteModel, FiniteVar


@st.composite
def model_and_choices(draw: st.DrawFn) -> tuple[FiniteModel, dict[int, int]]:
    model = draw(finite_models())
    n = len(model.variables)
    picked = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
    choices = {v: draw(st.integers(0, len(model.variables[v].values) - 1)) for v in picked}
    return model, choices


@settings(max_examples=150, deadline=None)
@given(model_and_choices())
def test_sat_domains_equal_brute_force_projections(case: tuple[FiniteModel, dict[int, int]]):
    model, choices = case
    space = SatSpace(model)
    assert space.domains(choices) == projections(model, choices)
    assert space.is_consistent(choices) == (projections(model, choices) is not None)


@settings(max_examples=150, deadline=None)
@given(model_and_choices(), st.data())
def test_why_is_a_real_and_minimal_conflict(case, data):
    """Every 'why' names choices and rules that really exclude the value, and none too many."""
    model, choices = case
    target_var = data.draw(st.integers(0, len(model.variables) - 1))
    target = (target_var, data.draw(st.integers(0, len(model.variables[target_var].values) - 1)))
    rest = {v: k for v, k in choices.items() if v != target_var}
    space = SatSpace(model)
    found = space.why(rest, target)
    with_target = {**rest, target[0]: target[1]}
    if found is None:
        assert solutions(model, with_target)
        return
    core_vars, rules = found
    core = {v: rest[v] for v in core_vars}
    assert not solutions(model, {**core, target[0]: target[1]}, rules)
    for v in core_vars:  # dropping a choice frees the value, even under every rule
        fewer = {u: k for u, k in core.items() if u != v}
        assert solutions(model, {**fewer, target[0]: target[1]})
    for r in rules:  # dropping a rule frees the value under the core choices
        others = [x for x in rules if x != r]
        assert solutions(model, {**core, target[0]: target[1]}, others)


@settings(max_examples=150, deadline=None)
@given(model_and_choices(), st.data())
def test_repair_is_the_smallest_set_of_choices_to_drop(case, data):
    model, choices = case
    target_var = data.draw(st.integers(0, len(model.variables) - 1))
    target = (target_var, data.draw(st.integers(0, len(model.variables[target_var].values) - 1)))
    rest = {v: k for v, k in choices.items() if v != target_var}
    drop = SatSpace(model).repair(rest, target)
    if drop is None:
        assert not solutions(model, {target[0]: target[1]})
        return
    kept = {v: k for v, k in rest.items() if v not in drop}
    assert solutions(model, {**kept, target[0]: target[1]})
    for size in range(len(drop)):
        for subset in itertools.combinations(rest, size):
            smaller = {v: k for v, k in rest.items() if v not in subset}
            assert not solutions(model, {**smaller, target[0]: target[1]})


def test_why_explains_conflicting_choices_without_a_target():
    model = FiniteModel(
        "m",
        "m",
        "test",
        (FiniteVar("a", ("false", "true")), FiniteVar("b", ("false", "true")),
         FiniteVar("c", ("false", "true"))),
        clauses=(Clause("a excludes b", ((0, 0), (1, 0))),),
    )  # fmt: skip
    space = SatSpace(model)
    assert space.why({0: 1, 1: 1, 2: 1}, None) == ([0, 1], ["a excludes b"])
    assert space.why({0: 1, 2: 1}, None) is None


def test_domains_of_variables_no_rule_mentions_are_complete_and_terminate() -> None:
    """The last variables, free of every rule, keep their whole domains (regression: the
    domain solver once read models only up to the last variable a rule mentions)."""
    variables = (
        FiniteVar("a", ("false", "true")),
        FiniteVar("b", ("false", "true")),
        FiniteVar("free_bool", ("false", "true")),
        FiniteVar("free_enum", ("x", "y", "z")),
    )
    model = FiniteModel(
        "free", "free", "test", variables, (), (Clause("a-or-b", ((0, 1), (1, 1))),)
    )
    space = SatSpace(model)
    domains = space.domains({0: 0})
    assert domains is not None
    assert domains[1] == frozenset({1})
    assert domains[2] == frozenset({0, 1})
    assert domains[3] == frozenset({0, 1, 2})
