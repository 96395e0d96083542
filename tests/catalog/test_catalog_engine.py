"""Every sample family loads, checks clean, completes, and refuses invalid products by rule id."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from lotone.configure import Engine
from lotone.configure.check import check_family
from lotone.errors import Refused
from lotone.model.family import Value
from lotone.model.loader import load_family

CATALOG = Path(__file__).resolve().parents[2] / "catalog"
FAMILIES = ["insole", "wardrobe", "pc", "serum"]

# (family, change to a valid completion, rule id it must break)
BREAKS: list[tuple[str, dict[str, Value], str]] = [
    ("insole", {"use": "diabetic_care", "stiffness": "firm"}, "diabetic-soft"),
    ("insole", {"foot_length_mm": D(300), "foot_width_mm": D(80)}, "foot-not-too-narrow"),
    ("wardrobe", {"width_mm": D(2000)}, "sections-fill-width"),
    ("pc", {"psu": "atx_550", "gpu": "rtx5090"}, "psu-power"),
    ("serum", {"base_pct": D("80.0")}, "formula-adds-up"),
    ("serum", {"skin_type": "sensitive", "fragrance": True}, "sensitive-no-fragrance"),
]


@pytest.fixture(scope="module", params=FAMILIES)
def engine(request: pytest.FixtureRequest) -> Engine:
    return Engine(load_family(CATALOG / f"{request.param}.yaml"))


def test_family_checks_without_errors_or_dead_values(engine: Engine) -> None:
    """`model check` finds the family satisfiable and every value usable."""
    assert check_family(engine.family, engine) == []


@pytest.mark.parametrize("objective", ["defaults", "min_price"])
def test_family_completes_to_a_valid_priced_product(engine: Engine, objective: str) -> None:
    """Completion from nothing gives a valid configuration within the price range."""
    done = engine.complete({}, objective)  # type: ignore[arg-type]
    assert engine.validate(done) == []
    lo, hi, _ = engine.price_range({})
    assert lo <= engine.price(done) <= hi


def test_family_defaults_are_kept_when_feasible(engine: Engine) -> None:
    """Completion from the defaults keeps every enumerated default that is jointly feasible."""
    done = engine.complete({})
    state = engine.analyze(done, price=False)
    assert state.status == "complete"


@pytest.mark.parametrize(("name", "change", "rule_id"), BREAKS)
def test_invalid_configuration_is_refused_with_its_rule_id(
    name: str, change: dict[str, Value], rule_id: str
) -> None:
    """Changing a valid product so that it breaks a rule is refused naming that rule."""
    engine = Engine(load_family(CATALOG / f"{name}.yaml"))
    config = {**engine.complete({}), **change}
    broken = [v.rule_id for v in engine.validate(config)]
    assert rule_id in broken
    assert not engine.is_consistent(config)
    with pytest.raises(Refused, match=rule_id):
        engine.require_valid(config)


def test_explanation_names_the_customer_choices_and_the_rule() -> None:
    """A conflict between two choices is explained by exactly those choices and the rule."""
    engine = Engine(load_family(CATALOG / "serum.yaml"))
    state = engine.analyze({"skin_type": "sensitive", "fragrance": True})
    assert state.status == "conflict"
    assert state.conflict is not None
    assert set(state.conflict.choices) == {"skin_type=sensitive", "fragrance=true"}
    assert [r.rule_id for r in state.conflict.rules] == ["sensitive-no-fragrance"]
