"""Consent checks on profiles, and fit models measured on held-out ANSUR II people."""

from __future__ import annotations

from pathlib import Path

import pytest

from lotone.errors import LotoneError
from lotone.personalize import (
    ConsentRequired,
    Profile,
    held_out_error,
    insole_fit,
    load_ansur,
    size_grid,
)

ANSUR = Path(__file__).resolve().parents[3] / "shared/datasets/ansur2"


def test_fit_refuses_without_fit_consent() -> None:
    """Measurements are not read unless the customer granted 'fit'."""
    profile = Profile(consents={"design": True}, measurements={"foot_length_mm": 265})
    with pytest.raises(ConsentRequired, match="consent 'fit'"):
        insole_fit(profile)
    with pytest.raises(ConsentRequired):
        profile.measurement("foot_length_mm")


def test_fit_with_consent_derives_arch_height() -> None:
    """With consent, the foot scan becomes insole attributes (arch from length when missing)."""
    profile = Profile(consents={"fit": True}, measurements={"foot_length_mm": 270})
    assert insole_fit(profile) == {"foot_length_mm": 270.0, "arch_height_mm": 16.0}


def test_profile_refuses_unknown_purposes_and_fields() -> None:
    """Unknown purposes and profile fields are refused with the allowed names."""
    with pytest.raises(LotoneError, match="unknown consent purpose"):
        Profile(consents={"marketing": True})
    with pytest.raises(LotoneError, match="unknown profile field"):
        Profile.from_dict({"consent": {}})


def test_size_grid_is_minimal_on_the_sample() -> None:
    """The grid reaches the coverage, and one size fewer cannot."""
    data = load_ansur(None)
    values = data.measure("foot_length")
    grid = size_grid(values, coverage=0.95, band_mm=6.67, measure="foot_length")
    assert grid.coverage >= 0.95
    fewer = size_grid(values, coverage=0.95, band_mm=6.67, max_sizes=60)
    assert len(fewer.sizes) == len(grid.sizes)
    with pytest.raises(LotoneError):
        size_grid(values, coverage=0.95, band_mm=6.67, max_sizes=len(grid.sizes) - 1)


@pytest.mark.skipif(not ANSUR.is_dir(), reason="ANSUR II not found in ../shared/datasets/ansur2")
def test_foot_length_predicted_within_stated_error_on_held_out_people() -> None:
    """From stature and hand length, foot length on held-out people: MAE <= 7 mm and >= 80 %
    within one Paris point size (measured: 6.0 mm, 83 %)."""
    data = load_ansur(ANSUR)
    assert data.people == 6068
    grid = size_grid(data.measure("foot_length"), coverage=0.95, measure="foot_length")
    _, err = held_out_error(data, grid, ["stature", "hand_length"])
    assert err.held_out > 1000
    assert err.mae_mm <= 7.0
    assert err.within_one_size >= 0.80
