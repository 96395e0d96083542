"""Explanations and repairs over an incremental SAT solver, shared by every engine.

Both work on *assumption literals*: a customer's choices and the selectors that switch rules on.

* :func:`why_core` — a minimal unsatisfiable subset: the fewest choices and rules that exclude a
  value (minimal in the subset sense: dropping any member of the answer frees the value).
* :func:`min_correction` — the smallest set of choices to drop so that a value becomes possible
  (a minimum-cardinality correction set), found by implicit hitting sets: collect conflicts,
  hit them all with as few choices as possible, test the rest, repeat until it is satisfiable.
"""

from __future__ import annotations

from collections.abc import Sequence

from lotone.configure.search import minimal_core
from lotone.configure.solver import SatSolver

__all__ = ["min_correction", "minimum_hitting_set", "why_core"]


def why_core(
    solver: SatSolver, fixed: Sequence[int], choices: Sequence[int], rules: Sequence[int]
) -> tuple[list[int], list[int]] | None:
    """A minimal ``(choices, rules)`` subset that is unsatisfiable together with ``fixed``.

    ``fixed`` is what may not be questioned (the value asked about); ``rules`` are rule
    selectors (pass ``[]`` when rules are hard clauses). The choices are minimised first under
    every rule, then the rules under those choices, so the union is minimal: dropping any choice
    or rule of the answer makes the rest satisfiable. None when everything is satisfiable.
    """
    if solver.check([*fixed, *rules, *choices]):
        return None
    core_choices = minimal_core(solver, [*fixed, *rules], choices, refuted=True)
    if not rules:
        return core_choices, []
    return core_choices, minimal_core(solver, [*fixed, *core_choices], rules)


def min_correction(
    solver: SatSolver, fixed: Sequence[int], candidates: Sequence[int]
) -> list[int] | None:
    """The fewest ``candidates`` to drop so that ``fixed`` and the rest are satisfiable.

    Ties go to the candidates given last (the most recent choices are dropped first, the
    earliest kept). Returns None when ``fixed`` alone is unsatisfiable (no repair exists).
    """
    if not solver.check(list(fixed)):
        return None
    cores: list[frozenset[int]] = []
    rank = {lit: i for i, lit in enumerate(candidates)}
    while True:
        hit = minimum_hitting_set(cores, rank)
        rest = [c for c in candidates if c not in hit]
        if solver.check([*fixed, *rest]):
            return sorted(hit, key=rank.__getitem__)
        cores.append(frozenset(minimal_core(solver, fixed, rest, refuted=True)))


def minimum_hitting_set(sets: Sequence[frozenset[int]], rank: dict[int, int]) -> set[int]:
    """A smallest set meeting every one of ``sets`` (exact branch and bound).

    Among equally small answers, the one with the highest ``rank`` members is preferred.
    The sets are conflicts among a customer's choices: few and small, so exact search is cheap.
    """
    best: list[set[int]] = [set().union(*sets)] if sets else [set()]

    def better(a: set[int], b: set[int]) -> bool:
        if len(a) != len(b):
            return len(a) < len(b)
        return sorted((rank[x] for x in a), reverse=True) > sorted(
            (rank[x] for x in b), reverse=True
        )

    def search(chosen: set[int]) -> None:
        if len(chosen) > len(best[0]):
            return
        open_sets = [s for s in sets if not s & chosen]
        if not open_sets:
            if better(chosen, best[0]):
                best[0] = set(chosen)
            return
        if len(chosen) + 1 > len(best[0]):
            return
        pick = min(open_sets, key=len)
        for lit in sorted(pick, key=rank.__getitem__, reverse=True):
            chosen.add(lit)
            search(chosen)
            chosen.discard(lit)

    search(set())
    return best[0]
