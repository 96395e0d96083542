"""What a key can take and what it takes by default: candidates, defaults, value text.

Used by the engine's completion (defaults first, in declaration order) and by the
recommender and order generator (every value a key can take).
"""

from __future__ import annotations

from decimal import Decimal

from lotone.configure.encoding import Encoding
from lotone.configure.variables import CountVar, Var
from lotone.model.family import EnumAttribute, Family, Value

__all__ = ["candidates", "default_literals", "default_of", "preferred_values", "value_text"]


def candidates(var: Var) -> list[Value]:
    """Every value a non-numeric key can take (counts, enumerated values, false/true)."""
    if isinstance(var, CountVar):
        return [Decimal(i) for i in range(var.min_count, var.max_count + 1)]
    if isinstance(var.attr, EnumAttribute):
        return [v.name for v in var.attr.values]
    return [False, True]


def value_text(v: Value) -> str:
    """A value as customers write it: ``true``/``false``, ``oak``, ``265``."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def default_of(var: Var, family: Family) -> Value | None:
    """A key's default: its slot's default count, or its attribute's default (None: none)."""
    if isinstance(var, CountVar):
        dc = family.slot(var.slot).default_count
        return Decimal(dc) if dc is not None else None
    return var.attr.default


def default_literals(enc: Encoding, family: Family) -> list[int]:
    """Literals of every default value (tie-breakers of a min-price completion)."""
    out: list[int] = []
    for key, var in enc.vars.items():
        default = default_of(var, family)
        if default is not None:
            out.append(enc.value_lit(key, default))
    return out


def preferred_values(var: Var, family: Family) -> list[Value]:
    """A non-numeric key's candidates, its default (if any) first."""
    cands = candidates(var)
    default = default_of(var, family)
    if default is None:
        return cands
    return [default, *(c for c in cands if c != default)]
