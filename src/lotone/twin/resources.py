"""Shared resources of the shop floor: operator pools and buffers.

These are frozen data the :class:`~lotone.twin.model.TwinModel` refers to by index:

- a :class:`Pool` of ``size`` interchangeable operators (a skill); a machine whose
  :class:`~lotone.twin.model.MachineSpec` carries a :class:`Crew` needs ``count`` of them
  ``during`` its changeovers (``"setup"``), its processing (``"run"``) or both (``"all"``);
- a :class:`Buffer`: room for ``capacity`` waiting operations before a work center; a job that
  finishes upstream holds its machine until there is room (blocking after service).

Shipping to the customer is :class:`lotone.twin.shipping.Carrier`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lotone.twin.errors import TwinError

__all__ = ["DURINGS", "Buffer", "Crew", "During", "Pool"]

During = Literal["setup", "run", "all"]
DURINGS: tuple[During, ...] = ("setup", "run", "all")


@dataclass(frozen=True, slots=True)
class Pool:
    """``size`` interchangeable operators with one skill, called ``name``."""

    name: str
    size: int

    def __post_init__(self) -> None:
        if self.size < 1:
            raise TwinError(f"operator pool {self.name}: size must be 1 or more, got {self.size}")


@dataclass(frozen=True, slots=True)
class Crew:
    """What a machine needs from a pool: ``count`` operators ``during`` which phases."""

    pool: int
    count: int = 1
    during: During = "all"

    def __post_init__(self) -> None:
        if self.count < 1:
            raise TwinError(f"a crew needs 1 or more operators, got {self.count}")
        if self.during not in DURINGS:
            raise TwinError(f"crew 'during' must be one of {', '.join(DURINGS)}, got {self.during}")

    @property
    def attends_setup(self) -> bool:
        """Whether changeovers need the crew."""
        return self.during != "run"

    @property
    def attends_run(self) -> bool:
        """Whether processing needs the crew."""
        return self.during != "setup"


@dataclass(frozen=True, slots=True)
class Buffer:
    """Room for ``capacity`` operations waiting before work center ``name`` (0: none)."""

    name: str
    capacity: int

    def __post_init__(self) -> None:
        if self.capacity < 0:
            raise TwinError(f"buffer {self.name}: capacity must not be negative")
