"""Valid domains: what a customer may still choose for each configuration key."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lotone.model.family import Value

__all__ = ["Domain", "NumberDomain", "ValueDomain", "to_json_value"]


@dataclass(frozen=True, slots=True)
class ValueDomain:
    """The values of an enumerated or boolean key that extend to a valid product.

    ``withheld`` are the key's other values: none of them extends to a valid product.
    """

    values: tuple[Value, ...]
    withheld: tuple[Value, ...] = ()

    def __contains__(self, value: object) -> bool:
        return value in self.values

    def __len__(self) -> int:
        return len(self.values)

    def to_json(self) -> list[object]:
        """JSON form: the list of values."""
        return [to_json_value(v) for v in self.values]


@dataclass(frozen=True, slots=True)
class NumberDomain:
    """The feasible values of a numeric key: disjoint ranges on its grid, in increasing order."""

    ranges: tuple[tuple[Decimal, Decimal], ...]
    step: Decimal
    unit: str | None = None

    @property
    def min(self) -> Decimal | None:
        """The least feasible value (None when nothing is feasible)."""
        return self.ranges[0][0] if self.ranges else None

    @property
    def max(self) -> Decimal | None:
        """The greatest feasible value (None when nothing is feasible)."""
        return self.ranges[-1][1] if self.ranges else None

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, Decimal):
            return False
        return any(lo <= value <= hi and (value - lo) % self.step == 0 for lo, hi in self.ranges)

    def __len__(self) -> int:
        return sum(int((hi - lo) / self.step) + 1 for lo, hi in self.ranges)

    def values(self) -> list[Decimal]:
        """Every feasible value (use on small domains)."""
        out: list[Decimal] = []
        for lo, hi in self.ranges:
            v = lo
            while v <= hi:
                out.append(v)
                v += self.step
        return out

    def to_json(self) -> dict[str, object]:
        """JSON form: ``{"min": .., "max": ..}``, plus ``"ranges"`` when there are gaps."""
        out: dict[str, object] = {"min": to_json_value(self.min), "max": to_json_value(self.max)}
        if len(self.ranges) > 1:
            out["ranges"] = [[to_json_value(lo), to_json_value(hi)] for lo, hi in self.ranges]
        return out


Domain = ValueDomain | NumberDomain


def to_json_value(value: Value | None) -> object:
    """A configuration value as JSON: numbers as int when whole, else float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
