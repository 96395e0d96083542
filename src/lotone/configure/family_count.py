"""Exact counting of a YAML family's valid configurations.

Small families are enumerated (SAT with blocking clauses). Larger ones are counted on their CNF
encoding by variable elimination (``configure/count``): the encoding has exactly one model per
valid configuration — every auxiliary literal is a Tseitin gate (a full equivalence, so a
function of the attributes), module instances that do not exist are held at canonical values,
and number grids admit only their own indices — so its model count is the family's count.
The property tests check this against brute force on random families.
"""

from __future__ import annotations

from typing import NamedTuple

from lotone.configure.check import count_by_enumeration
from lotone.configure.encoding import Encoding
from lotone.configure.variables import AttrVar
from lotone.model.family import Family
from lotone.model.finite import BOOL_VALUES, Clause, FiniteModel, FiniteVar

__all__ = ["FamilyCount", "count_family", "encoding_model"]

ENUMERATE_UP_TO = 2_000


class FamilyCount(NamedTuple):
    value: int
    method: str


def encoding_model(family: Family) -> FiniteModel:
    """The family's CNF encoding (rules switched on) as a finite model of Boolean variables."""
    enc = Encoding(family)
    clauses = [*enc.cnf.clauses, *([s.lit] for s in enc.selectors)]
    # Every literal a clause uses, and every literal of an attribute or count even if no rule
    # mentions it (a free Boolean attribute doubles the count); other allocated literals that
    # no clause uses stand for nothing a customer chooses and are left out.
    used_set = {abs(lit) for clause in clauses for lit in clause}
    for var in enc.vars.values():
        if isinstance(var, AttrVar):
            used_set.update(abs(x) for x in (*var.lits, var.active))
        else:
            used_set.update(abs(x) for x in var.active)
    used = sorted(used_set)
    index = {v: i for i, v in enumerate(used)}
    return FiniteModel(
        family.id,
        family.name,
        "cnf-encoding",
        tuple(FiniteVar(f"x{v}", BOOL_VALUES) for v in used),
        clauses=tuple(
            Clause(f"c{i}", tuple((index[abs(lit)], int(lit > 0)) for lit in clause))
            for i, clause in enumerate(clauses)
        ),
    )


def count_family(family: Family, *, budget_s: float = 60.0) -> FamilyCount:
    """The exact number of valid configurations of ``family`` and how it was counted.

    Raises ``CountOutOfReach`` when neither method finishes within the budget.
    """
    found = count_by_enumeration(family, ENUMERATE_UP_TO)
    if found is not None:
        return FamilyCount(found, "enumeration (SAT with blocking clauses)")
    from lotone.configure.count import METHOD, count_solutions

    value = count_solutions(encoding_model(family), budget_s=budget_s)
    return FamilyCount(value, f"{METHOD}, on the family's CNF encoding")
