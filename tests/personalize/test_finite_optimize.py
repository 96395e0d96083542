"""The weighted completion of finite models agrees with brute force on random small models."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from personalize_models import small_models

from lotone.configure.finite_optimize import WeightedSpace
from lotone.errors import Infeasible
from lotone.model.finite import FiniteModel


def _solutions(model: FiniteModel) -> list[tuple[int, ...]]:
    sizes = [len(v.values) for v in model.variables]
    return [a for a in itertools.product(*map(range, sizes)) if model.holds(a)]


@settings(max_examples=60, deadline=None)
@given(model=small_models(max_vars=5), data=st.data())
def test_best_and_marginals_match_brute_force(model: FiniteModel, data: st.DataObject) -> None:
    """The best total, its assignment and every max-marginal equal those found by enumeration."""
    sols = _solutions(model)
    try:
        space = WeightedSpace(model, budget_s=10)
    except Infeasible:
        assert not sols
        return
    scores = [
        np.array(data.draw(st.lists(st.integers(-5, 5), min_size=len(v.values),
                                    max_size=len(v.values))), dtype=float)
        for v in model.variables
    ]  # fmt: skip
    best = space.best(scores, marginals=True)

    def total(a: tuple[int, ...]) -> float:
        return float(sum(scores[v][k] for v, k in enumerate(a)))

    assert best.score == max(total(a) for a in sols)
    assert best.assignment in sols
    assert total(best.assignment) == best.score
    for v, var in enumerate(model.variables):
        for k in range(len(var.values)):
            with_k = [total(a) for a in sols if a[v] == k]
            expected = max(with_k) if with_k else -np.inf
            assert best.marginals[v][k] == expected, (v, k)


def test_choices_are_held_and_conflicts_refused() -> None:
    """A chosen value is kept; choices no configuration extends raise Infeasible."""
    from lotone.model.finite import FiniteVar, Table

    model = FiniteModel(
        "m", "m", "test",
        (FiniteVar("a", ("x", "y")), FiniteVar("b", ("p", "q", "r"))),
        (Table("t", (0, 1), ((0, 0), (1, 1), (1, 2))),),
    )  # fmt: skip
    space = WeightedSpace(model)
    scores = [np.zeros(2), np.array([5.0, 0.0, 1.0])]
    assert space.best(scores).assignment == (0, 0)
    assert space.best(scores, {0: 1}).assignment == (1, 2)
    with pytest.raises(Infeasible):
        space.best(scores, {0: 0, 1: 2})
