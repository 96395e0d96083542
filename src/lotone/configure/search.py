"""Solver-side searches shared by the engine: optimisation, nearest value, minimal cores."""

from __future__ import annotations

from collections.abc import Sequence

from lotone.configure.encoding import Encoding
from lotone.configure.solver import SatSolver
from lotone.configure.variables import AttrVar

__all__ = ["minimal_core", "nearest_index"]


def nearest_index(
    solver: SatSolver, enc: Encoding, var: AttrVar, base: Sequence[int], target: int
) -> int | None:
    """The feasible grid index of ``var`` closest to ``target`` (the lower one on a tie).

    A binary search on the distance with range literals: about log2(size) solver calls.
    """
    n = var.attr.size if hasattr(var.attr, "size") else 0
    if n == 0:
        return None
    target = min(max(target, 0), n - 1)

    def window(lo: int, hi: int) -> list[int]:
        lits = [var.active]
        if lo > 0:
            lits.append(enc.ge_lit(var, lo))
        if hi < n - 1:
            lits.append(-enc.ge_lit(var, hi + 1))
        return lits

    far = max(target, n - 1 - target)
    if solver.solve([*base, *window(target - far, target + far)]) is None:
        return None
    lo, hi = 0, far  # the smallest feasible distance lies in lo..hi
    while lo < hi:
        mid = (lo + hi) // 2
        if solver.solve([*base, *window(target - mid, target + mid)]) is not None:
            hi = mid
        else:
            lo = mid + 1
    below = target - lo
    if below >= 0 and solver.solve([*base, *window(below, below)]) is not None:
        return below
    return target + lo


def minimal_core(
    solver: SatSolver, fixed: Sequence[int], candidates: Sequence[int], *, refuted: bool = False
) -> list[int]:
    """A minimal subset of ``candidates`` that is unsatisfiable together with ``fixed``.

    Deletion-based: start from the solver's core, try dropping each member; what remains is
    minimal (dropping any one member makes the rest satisfiable). Returns [] when
    ``fixed + candidates`` is satisfiable. ``refuted=True`` says the solver's last call was
    exactly ``fixed + candidates`` and failed, so its core is used without asking again.
    """
    if not refuted and solver.check([*fixed, *candidates]):
        return []
    cand = set(candidates)
    core = [lit for lit in solver.core() if lit in cand]
    i = 0
    while i < len(core):
        trial = core[:i] + core[i + 1 :]
        if not solver.check([*fixed, *trial]):
            shrunk = set(solver.core())
            core = [lit for lit in trial if lit in shrunk]
        else:
            i += 1
    return core
