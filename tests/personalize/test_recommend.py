"""Recommendations are always valid: Hypothesis over catalog families and random models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from personalize_models import small_models, typed

from lotone.configure.domains import ValueDomain
from lotone.configure.engine import Engine
from lotone.configure.finite_optimize import WeightedSpace
from lotone.errors import Infeasible
from lotone.model.family import Value
from lotone.model.finite import FiniteModel
from lotone.model.loader import load_family
from lotone.personalize import (
    ConsentRequired,
    History,
    Neighbours,
    Profile,
    evaluate,
    read_folds,
    read_sales,
    recommend_family,
    recommend_finite,
)

ROOT = Path(__file__).resolve().parents[2]
RENAULT = ROOT.parent / "shared/benchmarks/configuration/renault_br4cp"
FAMILIES = ["insole", "wardrobe", "serum", "pc"]


@pytest.fixture(scope="module")
def engines() -> dict[str, Engine]:
    return {name: Engine(load_family(ROOT / "catalog" / f"{name}.yaml")) for name in FAMILIES}


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(data=st.data())
def test_family_proposals_pass_validate(engines: dict[str, Engine], data: st.DataObject) -> None:
    """Random consistent partial choices of a catalog family: the proposal passes validate."""
    engine = engines[data.draw(st.sampled_from(FAMILIES))]
    choices: dict[str, Value] = {}
    for _ in range(data.draw(st.integers(0, 3))):
        domains = engine.analyze(choices, price=False).domains
        open_keys = sorted(k for k, d in domains.items()
                           if isinstance(d, ValueDomain) and k not in choices)  # fmt: skip
        if not open_keys:
            break
        key = data.draw(st.sampled_from(open_keys))
        domain = domains[key]
        assert isinstance(domain, ValueDomain)
        choices[key] = data.draw(st.sampled_from(list(domain.values)))
    rec = recommend_family(engine, choices, None)
    assert rec.valid
    values = typed(engine, rec.configuration)
    assert engine.validate(values) == []
    for k, v in choices.items():
        assert values[k] == v


def test_family_recommendation_follows_history_and_checks_consent(tmp_path: Path) -> None:
    """Past orders pull the open choices; stated preferences need 'recommendation' consent."""
    engine = Engine(load_family(ROOT / "catalog" / "insole.yaml"))
    orders = [{"use": "running", "stiffness": "firm", "top_cover": "none"}] * 5
    learner = Neighbours(History.from_records(orders))
    rec = recommend_family(engine, {"use": "running"}, learner)
    assert rec.valid
    assert rec.configuration["use"] == "running"
    assert engine.validate(typed(engine, rec.configuration)) == []
    refused = Profile(consents={"fit": True}, preferences={"stiffness": "soft"})
    with pytest.raises(ConsentRequired, match="recommendation"):
        recommend_family(engine, {}, learner, profile=refused)
    profile = {"consents": {"fit": False}, "measurements": {"foot_length_mm": 250}}
    (tmp_path / "p.json").write_text(json.dumps(profile))
    from lotone.personalize import load_profile

    with pytest.raises(ConsentRequired, match="'fit'"):
        recommend_family(engine, {}, learner, profile=load_profile(tmp_path / "p.json"))


@settings(max_examples=40, deadline=None)
@given(model=small_models(max_vars=5), data=st.data())
def test_finite_proposals_are_valid(model: FiniteModel, data: st.DataObject) -> None:
    """On random models, any consistent choices give a valid proposal (or Infeasible)."""
    try:
        space = WeightedSpace(model, budget_s=10)
    except Infeasible:
        return
    var = data.draw(st.integers(0, len(model.variables) - 1))
    value = data.draw(st.integers(0, len(model.variables[var].values) - 1))
    choices = model.named({var: value})
    try:
        rec = recommend_finite(space, choices, None)
    except Infeasible:
        return
    assignment = [model.value(i, str(rec.configuration[v.name]))
                  for i, v in enumerate(model.variables)]  # fmt: skip
    assert model.holds(assignment)


@pytest.mark.skipif(not RENAULT.is_dir(), reason="Renault BR4CP data not in ../shared/benchmarks")
def test_harness_on_a_small_renault_medium_fold() -> None:
    """40 held-out orders of fold 0: every proposal valid, accuracy well above popularity."""
    from lotone.model.importers import load_model

    space = WeightedSpace(load_model(RENAULT / "medium_domainsorted.xml"))
    sales = read_sales(RENAULT / "config_medium_filtered.txt")
    folds = read_folds(RENAULT / "index_csv_medium.txt", sales)
    assert folds.source == "file"
    result = evaluate(space, sales, folds, run_folds=(0,), per_fold=40)
    assert result.orders == 40
    assert result.score.valid_rate == 1.0
    assert result.score.accuracy > result.baselines["popular"].accuracy + 0.05
    assert result.score.accuracy >= 0.9
