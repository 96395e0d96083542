"""What a solve returns (:class:`Result`) and how it is set up (:class:`SolveParams`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal

from lotone.schedule.schedule import Schedule

__all__ = ["Method", "Result", "SolveParams", "Status"]

Method = Literal["cpsat", "tabu", "textbook", "rules"]


class Status(enum.StrEnum):
    """How a solve ended."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class SolveParams:
    """Solver settings: wall-clock limit (s), CP-SAT workers, seed, determinism, log."""

    time_limit: float = 10.0
    workers: int = 2
    seed: int = 0
    deterministic: bool = False
    log_search: bool = False
    lns: bool | None = None  # our LNS loop after the full model; None: auto (see solve)

    def __post_init__(self) -> None:
        if self.time_limit <= 0 or self.workers < 1:
            raise ValueError("time_limit must be positive and workers at least 1")


@dataclass(frozen=True, slots=True)
class Result:
    """A solve's outcome; ``objective`` and ``lower_bound`` are in the problem's units."""

    status: Status
    schedule: Schedule | None
    objective: int | None
    lower_bound: int
    runtime: float
    method: Method
    rule: str | None = None
    rule_objective: int | None = None

    @property
    def gap(self) -> float | None:
        """``(objective - lower_bound) / objective`` (0 when both are 0; None without one)."""
        if self.objective is None:
            return None
        if self.objective == 0:
            return 0.0
        return (self.objective - self.lower_bound) / self.objective
