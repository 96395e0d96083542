"""What the engines answer: status, analyses, conflicts, explanations, repairs, price ranges.

Shared by the YAML-family engine (``engine.py``) and the finite-model engine
(``finite_engine.py``) so the CLI and the service show both the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, NamedTuple

from lotone.configure.domains import Domain
from lotone.errors import Violation
from lotone.model.family import Value

__all__ = ["Analysis", "Conflict", "Objective", "PriceRange", "Repair", "Status", "Why"]

Status = Literal["complete", "incomplete", "conflict"]
Objective = Literal["defaults", "min_price"]


@dataclass(frozen=True, slots=True)
class Conflict:
    """A minimal reason why choices cannot all hold: the choices and rules involved."""

    choices: tuple[str, ...]
    rules: tuple[Violation, ...]

    def __str__(self) -> str:
        parts = [f"your choice {c}" for c in self.choices] + [str(r) for r in self.rules]
        return "; ".join(parts) if parts else "the family has no valid product"


@dataclass(frozen=True, slots=True)
class Why:
    """Why a value is withheld: a minimal set of the customer's choices and rules excluding it."""

    target: str
    available: bool
    conflict: Conflict


@dataclass(frozen=True, slots=True)
class Repair:
    """The fewest earlier choices to drop so that a value becomes possible (empty if it is).

    ``possible`` is False when no valid product has the value at all.
    """

    target: str
    drop: tuple[str, ...]
    possible: bool


@dataclass(frozen=True, slots=True)
class Analysis:
    """The state of a configuration: status, valid domains, price range, and any conflict."""

    status: Status
    domains: Mapping[str, Domain]
    price_min: Decimal | None
    price_max: Decimal | None
    conflict: Conflict | None = None
    choices: Mapping[str, Value] = field(default_factory=dict)
    price_exact: bool = True


class PriceRange(NamedTuple):
    """The price range of the valid products under some choices (see ``Engine.price_range``)."""

    min: Decimal
    max: Decimal
    exact: bool
