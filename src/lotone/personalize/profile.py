"""Customer profiles: zero-party data with a consent per purpose, checked at every use.

A profile holds what the customer chose to share (body measurements, stated preferences, skin
type, climate, intended use) and, per purpose, whether they agreed to its use. Every function
of :mod:`lotone.personalize` that reads a field calls :func:`require` (or
:meth:`Profile.measurement`) first, so data given for one purpose (say ``design``) is never
used for another (``recommendation``) without its own consent.

The service stores consents (``PUT /v1/customers/{id}/consents/{purpose}``); this module takes
a plain :class:`Profile` so the core stays free of storage.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal, get_args

from lotone.errors import LotoneError

__all__ = ["PURPOSES", "ConsentRequired", "Profile", "Purpose", "load_profile", "require"]

Purpose = Literal["fit", "recommendation", "design", "analytics"]
PURPOSES: tuple[Purpose, ...] = get_args(Purpose)


class ConsentRequired(LotoneError):
    """A personal field was about to be used for a purpose the customer did not agree to."""

    def __init__(self, purpose: str, used_for: str) -> None:
        self.purpose = purpose
        self.used_for = used_for
        super().__init__(
            f"consent '{purpose}' is required to use {used_for}; the customer has not granted "
            f"it (grant it with PUT /v1/customers/{{id}}/consents/{purpose})"
        )


@dataclass(frozen=True, slots=True)
class Profile:
    """What one customer shared, and for which purposes.

    ``measurements`` are in millimetres (``foot_length_mm``...); ``preferences`` are stated
    choices ``{attribute: value}`` the customer would like; ``traits`` are other zero-party
    answers (``skin_type``, ``climate``, ``use``).
    """

    consents: Mapping[str, bool] = field(default_factory=dict)
    measurements: Mapping[str, float] = field(default_factory=dict)
    preferences: Mapping[str, str] = field(default_factory=dict)
    traits: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.consents) - set(PURPOSES))
        if unknown:
            raise LotoneError(
                f"unknown consent purpose {unknown[0]!r}; expected one of {', '.join(PURPOSES)}"
            )
        for name, value in self.measurements.items():
            if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
                raise LotoneError(f"measurement {name} must be a positive number of millimetres")
        object.__setattr__(self, "consents", MappingProxyType(dict(self.consents)))
        object.__setattr__(self, "measurements", MappingProxyType(dict(self.measurements)))
        object.__setattr__(self, "preferences", MappingProxyType(dict(self.preferences)))
        object.__setattr__(self, "traits", MappingProxyType(dict(self.traits)))

    def granted(self, purpose: Purpose) -> bool:
        """Whether the customer agreed to ``purpose`` (no answer means no)."""
        return bool(self.consents.get(purpose, False))

    def measurement(self, name: str, purpose: Purpose = "fit") -> float | None:
        """A measurement, after checking the consent for ``purpose`` (None when not given)."""
        require(self, purpose, f"the measurement {name}")
        value = self.measurements.get(name)
        return None if value is None else float(value)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Profile:
        """A profile from JSON-shaped data (the keys of the dataclass; others are refused)."""
        allowed = {"consents", "measurements", "preferences", "traits"}
        extra = sorted(set(data) - allowed)
        if extra:
            raise LotoneError(f"unknown profile field {extra[0]!r}; expected {sorted(allowed)}")
        parts: dict[str, dict[str, object]] = {}
        for key in allowed:
            value = data.get(key, {})
            if not isinstance(value, Mapping):
                raise LotoneError(f"profile field {key} must be an object")
            parts[key] = dict(value)
        return cls(
            consents={k: bool(v) for k, v in parts["consents"].items()},
            measurements={k: _number(k, v) for k, v in parts["measurements"].items()},
            preferences={k: str(v) for k, v in parts["preferences"].items()},
            traits={k: str(v) for k, v in parts["traits"].items()},
        )


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LotoneError(f"measurement {name} must be a number")
    return float(value)


def require(profile: Profile, purpose: Purpose, used_for: str) -> None:
    """Raise :class:`ConsentRequired` unless ``profile`` granted ``purpose``."""
    if purpose not in PURPOSES:
        raise LotoneError(f"unknown purpose {purpose!r}; expected one of {', '.join(PURPOSES)}")
    if not profile.granted(purpose):
        raise ConsentRequired(purpose, used_for)


def load_profile(path: Path) -> Profile:
    """Read a profile from a JSON file (the shape of :meth:`Profile.from_dict`)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise LotoneError(f"{path}: cannot read the profile: {e}") from None
    if not isinstance(data, dict):
        raise LotoneError(f"{path}: a profile is a JSON object")
    return Profile.from_dict(data)
