"""Shipping to the customer: carriers, pickups, transit times, and the deliveries of a run.

After its last operation a job waits for its carrier's next pickup (an optional daily cut-off),
then travels for a random transit time. Deliveries do not change the shop floor, so they are
computed after the run from the completions: :func:`deliveries`. Transit times are drawn per job
in job order from their own stream (seed ``ship:<seed>``), so two policies run with the same
seed ship every job in the same time (common random numbers).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from lotone.twin.errors import TwinError

__all__ = ["DAY", "Carrier", "deliveries", "draw"]

DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class Carrier:
    """Shipping to the customer: pickup, then a random transit time.

    ``transit`` is the mean transit time and ``cv`` its coefficient of variation (0: fixed,
    1: exponential, else gamma). With a ``pickup`` (time of day, from midnight), parcels ready
    by the cut-off leave at it that day, later ones at the next pickup; pickups happen on
    ``days`` (0 = the day starting at time 0, usually Monday; default every day).
    """

    name: str
    transit: float
    cv: float = 0.0
    pickup: float | None = None
    days: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
    day: float = DAY

    def __post_init__(self) -> None:
        where = f"carrier {self.name}"
        if self.transit < 0 or self.cv < 0:
            raise TwinError(f"{where}: transit and cv must not be negative")
        if self.pickup is not None and not 0 <= self.pickup < self.day:
            raise TwinError(f"{where}: the pickup is a time of day, got {self.pickup}")
        if not self.days or any(not 0 <= d < 7 for d in self.days):
            raise TwinError(f"{where}: pickup days are 0..6 (day 0 starts at time 0)")

    def departure(self, ready: float) -> float:
        """When a parcel ready at ``ready`` leaves (the next pickup at or after it)."""
        if self.pickup is None:
            return ready
        d = math.floor(ready / self.day)
        for i in range(8):
            t = (d + i) * self.day + self.pickup
            if t >= ready and (d + i) % 7 in self.days:
                return t
        raise AssertionError("unreachable: a week always has a pickup day")  # pragma: no cover


def draw(rng: random.Random, mean: float, cv: float) -> float:
    """A random time of mean ``mean`` and coefficient of variation ``cv`` (0, 1, or gamma)."""
    if cv == 0 or mean == 0:
        return mean
    if cv == 1:
        return rng.expovariate(1.0 / mean)
    shape = 1.0 / (cv * cv)
    return rng.gammavariate(shape, mean / shape)


def deliveries(
    carriers: Sequence[Carrier],
    job_carrier: Sequence[int],
    complete: Sequence[float],
    seed: int,
) -> tuple[float, ...]:
    """Per job, when it reaches the customer (``nan``: not completed; no carrier: completion)."""
    rng = random.Random(f"ship:{seed}")
    out = []
    for j, done in enumerate(complete):
        k = job_carrier[j]
        if k < 0:
            out.append(done)
            continue
        c = carriers[k]
        transit = draw(rng, c.transit, c.cv)
        out.append(math.nan if math.isnan(done) else c.departure(done) + transit)
    return tuple(out)
