"""Fit models per product: what a consented profile says about a family's attributes.

A :class:`Fit` has two parts: ``facts`` the customer's data settles (hard choices: the foot
length of an insole, the skin type of a serum) and ``suggestions`` that follow from the data
but that the rules or the customer may override (the wardrobe's height, a serum's strengths).
:func:`family_fit` picks the fit of a family by its id; the recommender applies the facts as
choices and each suggestion the engine still allows (so the result is valid by construction).

* **insole**: the foot scan (:func:`~lotone.personalize.fit.insole_fit`).
* **wardrobe**: the hanging rail within comfortable reach. Standing overhead reach is
  predicted from stature by least squares learned on ANSUR II (6,068 people; reach derived as
  stature - sitting height + overhead reach sitting): ``reach = 1.4045 * stature - 203.2`` mm,
  held-out MAE 35.6 mm, RMSE 44.2 mm, p95 86 mm (20 % of people held out, seed 0; refitted in
  the tests). The rail hangs :data:`RAIL_BELOW_TOP_MM` under the wardrobe's top and should sit
  :data:`REACH_MARGIN_MM` under the reach, so a hanger is lifted over it without stretching.
* **serum**: skin type and climate (traits) are facts; ingredient strengths and texture are
  suggestions from :data:`SERUM_BY_SKIN` and :data:`SERUM_BY_CLIMATE`, a rule table written from
  common cosmetic-formulation guidance (no public data set of serums exists), adjusted by an
  optional ``goal`` trait (``brightening`` -> vitamin C, ``anti_aging`` -> retinol).

Every fit reads the profile only after its ``fit`` consent (``ConsentRequired`` otherwise).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lotone.errors import LotoneError
from lotone.personalize.fit import SizePredictor, insole_fit
from lotone.personalize.profile import Profile, require

__all__ = [
    "FITS",
    "REACH_FROM_STATURE",
    "Fit",
    "family_fit",
    "insole_product_fit",
    "serum_fit",
    "wardrobe_fit",
]

REACH_FROM_STATURE = SizePredictor("overhead_reach", ("stature",), -203.2214, (1.404524,))
"""Standing overhead fingertip reach (mm) from stature (mm), fitted on all of ANSUR II."""

RAIL_BELOW_TOP_MM = 70
"""The hanging rail's height under the wardrobe's outer top (18 mm top panel + fitting)."""

REACH_MARGIN_MM = 150
"""How far under the overhead reach the rail should hang to be used without stretching."""


@dataclass(frozen=True, slots=True)
class Fit:
    """What a profile settles (``facts``) and suggests (``suggestions``, in priority order)."""

    facts: Mapping[str, str] = field(default_factory=dict)
    suggestions: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "facts": dict(self.facts),
            "suggestions": dict(self.suggestions),
            "notes": list(self.notes),
        }


def insole_product_fit(profile: Profile) -> Fit | None:
    """The insole's fit as facts (the foot scan); None without a foot length."""
    if "foot_length_mm" not in profile.measurements:
        return None
    return Fit({k: _text(v) for k, v in insole_fit(profile).items()})


def wardrobe_fit(profile: Profile) -> Fit | None:
    """A wardrobe height whose rail the customer reaches comfortably (``fit`` consent).

    Uses ``overhead_reach_mm`` when measured, else ``stature_mm`` through
    :data:`REACH_FROM_STATURE`; a ``room_height_mm`` measurement is a fact. None when the
    profile has neither reach nor stature.
    """
    if not {"overhead_reach_mm", "stature_mm"} & set(profile.measurements):
        return None
    require(profile, "fit", "body measurements")
    reach = profile.measurement("overhead_reach_mm")
    notes: list[str] = []
    if reach is None:
        stature = profile.measurement("stature_mm")
        assert stature is not None
        reach = REACH_FROM_STATURE.predict([stature])
        notes.append(f"reach {reach:.0f} mm predicted from stature {stature:.0f} mm")
    rail = reach - REACH_MARGIN_MM
    height = int((rail + RAIL_BELOW_TOP_MM) // 10 * 10)
    notes.append(f"rail at most {rail:.0f} mm high: wardrobe {height} mm")
    facts: dict[str, str] = {}
    room = profile.measurement("room_height_mm")
    if room is not None:
        facts["room_height_mm"] = _text(room)
    return Fit(facts, {"height_mm": str(height)}, tuple(notes))


SERUM_BY_SKIN: Mapping[str, Mapping[str, str]] = {
    "normal": {"texture": "gel", "niacinamide_pct": "5", "hyaluronic_acid_pct": "1",
               "glycerin_pct": "3", "panthenol_pct": "1"},
    "dry": {"texture": "rich", "niacinamide_pct": "4", "hyaluronic_acid_pct": "1.5",
            "glycerin_pct": "5", "panthenol_pct": "2"},
    "oily": {"texture": "water_light", "niacinamide_pct": "6", "hyaluronic_acid_pct": "0.5",
             "glycerin_pct": "2", "panthenol_pct": "1"},
    "combination": {"texture": "gel", "niacinamide_pct": "5", "hyaluronic_acid_pct": "1",
                    "glycerin_pct": "3", "panthenol_pct": "1"},
    "sensitive": {"texture": "gel", "niacinamide_pct": "2", "hyaluronic_acid_pct": "1",
                  "glycerin_pct": "3", "panthenol_pct": "3", "fragrance": "false"},
}  # fmt: skip
"""Suggested texture and strengths (%) per skin type."""

SERUM_BY_CLIMATE: Mapping[str, Mapping[str, str]] = {
    "temperate": {},
    "humid": {"texture": "water_light", "glycerin_pct": "2", "hyaluronic_acid_pct": "0.5"},
    "dry": {"hyaluronic_acid_pct": "2", "glycerin_pct": "5"},
    "cold": {"panthenol_pct": "2", "glycerin_pct": "5"},
}
"""What the climate changes in :data:`SERUM_BY_SKIN` (climate wins where both speak)."""

SERUM_BY_GOAL: Mapping[str, Mapping[str, str]] = {
    "brightening": {"vitamin_c_pct": "10", "retinol_pct": "0"},
    "anti_aging": {"retinol_pct": "0.3", "vitamin_c_pct": "0"},
    "hydration": {},
}
"""Actives per stated goal (retinol stays within the family's own limits)."""


def serum_fit(profile: Profile) -> Fit | None:
    """Skin type and climate as facts, texture and strengths as suggestions (``fit``).

    None when the profile states none of skin type, climate or goal.
    """
    if not {"skin_type", "climate", "goal"} & set(profile.traits):
        return None
    require(profile, "fit", "skin type and climate")
    skin = profile.traits.get("skin_type")
    climate = profile.traits.get("climate")
    goal = profile.traits.get("goal")
    for name, value, table in (
        ("skin_type", skin, SERUM_BY_SKIN),
        ("climate", climate, SERUM_BY_CLIMATE),
        ("goal", goal, SERUM_BY_GOAL),
    ):
        if value is not None and value not in table:
            raise LotoneError(
                f"unknown {name} {value!r} in the profile; expected one of {', '.join(table)}"
            )
    facts = {k: v for k, v in (("skin_type", skin), ("climate", climate)) if v is not None}
    suggestions: dict[str, str] = {}
    for part in (SERUM_BY_GOAL.get(goal or "", {}), SERUM_BY_CLIMATE.get(climate or "", {}),
                 SERUM_BY_SKIN.get(skin or "normal", {})):  # fmt: skip
        for key, value in part.items():
            suggestions.setdefault(key, value)
    return Fit(facts, suggestions)


FITS: Mapping[str, Callable[[Profile], Fit | None]] = {
    "insole": insole_product_fit,
    "wardrobe": wardrobe_fit,
    "serum": serum_fit,
}
"""The fit of each catalog family, by family id."""


def family_fit(family_id: str, profile: Profile) -> Fit | None:
    """The fit of ``family_id`` for ``profile`` (None when the family or the profile has none).

    Raises :class:`~lotone.personalize.profile.ConsentRequired` when the profile holds data
    the fit would use but did not grant ``fit``.
    """
    fit = FITS.get(family_id)
    return None if fit is None else fit(profile)


def _text(value: float | str) -> str:
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else str(value)
