"""The finite-model engine: both backends give the same answers; counts agree across methods."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from random_finite import finite_models, projections, solutions

from lotone.configure.count import count_solutions
from lotone.configure.finite_engine import FiniteEngine
from lotone.model.finite import FiniteModel

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def model_and_choices(draw: st.DrawFn) -> tuple[FiniteModel, dict[int, int]]:
    model = draw(finite_models())
    n = len(model.variables)
    picked = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
    return model, {v: draw(st.integers(0, len(model.variables[v].values) - 1)) for v in picked}


@SETTINGS
@given(model_and_choices())
def test_bdd_and_sat_backends_give_the_brute_force_domains(case) -> None:
    model, choices = case
    expected = projections(model, choices)
    for backend in ("sat", "bdd"):
        engine = FiniteEngine(model, backend)  # type: ignore[arg-type]
        assert engine.backend == backend
        assert engine.domain_indices(choices) == expected


@SETTINGS
@given(model_and_choices())
def test_counts_by_bdd_and_by_elimination_equal_brute_force(case) -> None:
    model, choices = case
    named = model.named(choices)
    expected = len(solutions(model, choices))
    assert FiniteEngine(model, "bdd").count(named).value == expected
    assert FiniteEngine(model, "sat").count(named).value == expected
    assert count_solutions(model, choices) == expected


@SETTINGS
@given(model_and_choices())
def test_sat_domains_reuse_earlier_steps_without_changing_answers(case) -> None:
    """Adding choices one at a time (the engine narrows from the last step) stays exact."""
    model, choices = case
    engine = FiniteEngine(model, "sat")
    so_far: dict[int, int] = {}
    for v, k in choices.items():
        so_far[v] = k
        assert engine.domain_indices(dict(so_far)) == projections(model, so_far)


@SETTINGS
@given(model_and_choices())
def test_analyze_offers_only_values_that_lead_to_a_valid_completion(case) -> None:
    """Every value offered extends to a complete valid configuration (no dead ends)."""
    model, choices = case
    engine = FiniteEngine(model)
    named = model.named(choices)
    state = engine.analyze(named)
    if state.status == "conflict":
        assert projections(model, choices) is None
        return
    for name, dom in state.domains.items():
        for value in dom.values:
            full = engine.complete({**named, name: str(value)})
            assert not engine.validate(full)


@SETTINGS
@given(model_and_choices(), st.data())
def test_why_and_repair_on_the_bdd_backend_are_minimal(case, data) -> None:
    """With the BDD answering choice consistency, why stays a minimal conflict and repair the
    smallest set of choices to drop (checked by brute force)."""
    import itertools

    model, choices = case
    v = data.draw(st.integers(0, len(model.variables) - 1))
    k = data.draw(st.integers(0, len(model.variables[v].values) - 1))
    rest = {u: x for u, x in choices.items() if u != v}
    engine = FiniteEngine(model, "bdd")
    named = model.named(rest)
    name, label = model.variables[v].name, model.variables[v].values[k]
    why = engine.why(named, name, label)
    if why.available:
        assert solutions(model, {**rest, v: k})
    else:
        core = model.choices(dict(c.split("=", 1) for c in why.conflict.choices))
        rules = [r.rule_id for r in why.conflict.rules]
        assert not solutions(model, {**core, v: k}, rules)
        for u in core:
            assert solutions(model, {**{w: x for w, x in core.items() if w != u}, v: k})
    repair = engine.repair(named, name, label)
    if not repair.possible:
        assert not solutions(model, {v: k})
        return
    drop = set(model.choices(dict(c.split("=", 1) for c in repair.drop)))
    assert solutions(model, {**{u: x for u, x in rest.items() if u not in drop}, v: k})
    for size in range(len(drop)):
        for subset in itertools.combinations(rest, size):
            assert not solutions(
                model, {**{u: x for u, x in rest.items() if u not in subset}, v: k}
            )
