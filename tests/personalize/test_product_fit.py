"""Fit models per product (wardrobe reach, serum skin and climate) and their use in recommend."""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from personalize_models import typed

from lotone.configure.engine import Engine
from lotone.model.loader import load_family
from lotone.personalize import ConsentRequired, Profile, SizePredictor, load_ansur
from lotone.personalize.product_fit import (
    RAIL_BELOW_TOP_MM,
    REACH_FROM_STATURE,
    REACH_MARGIN_MM,
    family_fit,
    serum_fit,
    wardrobe_fit,
)
from lotone.personalize.recommend import recommend_family

ROOT = Path(__file__).resolve().parents[2]
ANSUR = ROOT.parent / "shared/datasets/ansur2"


@pytest.fixture(scope="module")
def serum() -> Engine:
    return Engine(load_family(ROOT / "catalog" / "serum.yaml"))


@pytest.fixture(scope="module")
def wardrobe() -> Engine:
    return Engine(load_family(ROOT / "catalog" / "wardrobe.yaml"))


@pytest.mark.skipif(not ANSUR.is_dir(), reason="ANSUR II not found in ../shared/datasets/ansur2")
def test_packaged_reach_model_is_the_least_squares_fit_on_ansur_and_its_held_out_error() -> None:
    """The packaged reach-from-stature model is what ANSUR II teaches; held-out MAE <= 40 mm."""
    data = load_ansur(ANSUR)
    refit = SizePredictor.fit(data, "overhead_reach", ["stature"])
    assert refit.coef[0] == pytest.approx(REACH_FROM_STATURE.coef[0], abs=1e-4)
    assert refit.intercept == pytest.approx(REACH_FROM_STATURE.intercept, abs=0.1)
    perm = np.random.default_rng(0).permutation(data.people)
    cut = round(0.8 * data.people)
    model = SizePredictor.fit(data, "overhead_reach", ["stature"], perm[:cut])
    stature = data.measure("stature")[perm[cut:]]
    truth = data.measure("overhead_reach")[perm[cut:]]
    error = np.array([model.predict([s]) for s in stature]) - truth
    assert float(np.mean(np.abs(error))) <= 40.0
    assert 1900 < float(np.median(data.measure("overhead_reach"))) < 2400  # plausible mm


def test_wardrobe_fit_puts_the_rail_within_reach_and_needs_consent() -> None:
    """The suggested height keeps the rail REACH_MARGIN_MM under the predicted reach."""
    with pytest.raises(ConsentRequired):
        wardrobe_fit(Profile(measurements={"stature_mm": 1750}))
    fit = wardrobe_fit(Profile(consents={"fit": True}, measurements={"stature_mm": 1750}))
    assert fit is not None
    height = int(fit.suggestions["height_mm"])
    rail = height - RAIL_BELOW_TOP_MM
    reach = REACH_FROM_STATURE.predict([1750])
    assert reach - REACH_MARGIN_MM - 10 < rail <= reach - REACH_MARGIN_MM
    assert wardrobe_fit(Profile(consents={"fit": True})) is None  # nothing to fit from


def test_recommended_wardrobe_is_valid_and_respects_room_and_reach(wardrobe: Engine) -> None:
    """Short people get the lowest wardrobe; a low room caps it; every proposal validates."""
    heights = []
    for stature in (1450, 1650, 1800, 1950):
        profile = Profile(
            consents={"fit": True}, measurements={"stature_mm": stature, "room_height_mm": 2400}
        )
        proposal = recommend_family(wardrobe, {}, profile=profile)
        assert wardrobe.validate(typed(wardrobe, proposal.configuration)) == []
        heights.append(int(str(proposal.configuration["height_mm"])))
        assert proposal.configuration["room_height_mm"] == 2400
    assert heights[0] == 1800  # the family's lowest height: the suggestion is clamped
    assert heights == sorted(heights)
    assert heights[1] < heights[2]
    low_room = Profile(
        consents={"fit": True}, measurements={"stature_mm": 1950, "room_height_mm": 2100}
    )
    capped = recommend_family(wardrobe, {}, profile=low_room)
    assert int(str(capped.configuration["height_mm"])) < heights[-1]
    assert wardrobe.validate(typed(wardrobe, capped.configuration)) == []


def test_serum_fit_needs_consent_and_refuses_unknown_traits() -> None:
    """Traits are read only under 'fit'; an unknown skin type is named in the error."""
    with pytest.raises(ConsentRequired):
        serum_fit(Profile(traits={"skin_type": "dry"}))
    with pytest.raises(Exception, match="unknown skin_type 'scaly'"):
        serum_fit(Profile(consents={"fit": True}, traits={"skin_type": "scaly"}))
    assert family_fit("pc", Profile(consents={"fit": True}, traits={"skin_type": "dry"})) is None


@pytest.mark.parametrize("skin", ["normal", "dry", "oily", "combination", "sensitive"])
def test_every_skin_and_climate_gets_a_valid_serum_keeping_the_facts(
    serum: Engine, skin: str
) -> None:
    """For every climate and goal, the proposal validates and keeps skin type and climate."""
    for climate, goal in itertools.product(
        ["temperate", "humid", "dry", "cold"], [None, "brightening", "anti_aging"]
    ):
        traits = {"skin_type": skin, "climate": climate} | ({"goal": goal} if goal else {})
        proposal = recommend_family(
            serum, {}, profile=Profile(consents={"fit": True}, traits=traits)
        )
        config = proposal.configuration
        assert serum.validate(typed(serum, config)) == []
        assert (config["skin_type"], config["climate"]) == (skin, climate)
        if goal == "brightening":
            assert Decimal(str(config["vitamin_c_pct"])) > 0
        if goal == "anti_aging":
            assert Decimal(str(config["retinol_pct"])) > 0


def test_serum_suggestions_follow_skin_type_and_yield_to_explicit_choices(serum: Engine) -> None:
    """Dry skin gets a rich texture and more glycerin; an explicit choice wins over the fit."""
    dry = Profile(consents={"fit": True}, traits={"skin_type": "dry", "climate": "temperate"})
    config = recommend_family(serum, {}, profile=dry).configuration
    assert config["texture"] == "rich"
    assert Decimal(str(config["glycerin_pct"])) == 5
    chosen = recommend_family(serum, {"texture": "gel"}, profile=dry)
    assert chosen.configuration["texture"] == "gel"
    assert "texture" not in chosen.alternatives  # the customer's own choice is not re-offered
