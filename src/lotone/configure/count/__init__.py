"""Exact model counting of finite models by variable elimination over sparse factors.

Independent of the BDD backend: no diagram is built; the count comes from summing variables out
of the constraint tables one at a time in a min-fill order (a tree decomposition in disguise),
with Python integers throughout.
"""

from lotone.configure.count.eliminate import DEFAULT_MAX_FACTOR_ROWS as DEFAULT_MAX_FACTOR_ROWS
from lotone.configure.count.eliminate import Progress as Progress
from lotone.configure.count.eliminate import count_by_cases as count_by_cases
from lotone.configure.count.eliminate import count_solutions as count_solutions
from lotone.configure.count.factors import CountOutOfReach as CountOutOfReach
from lotone.configure.count.order import Heuristic as Heuristic

METHOD = "variable elimination (min-fill order, sparse factors, exact integers)"
"""How :func:`count_solutions` counts, in words a report can quote."""

__all__ = [
    "DEFAULT_MAX_FACTOR_ROWS",
    "METHOD",
    "CountOutOfReach",
    "Heuristic",
    "Progress",
    "count_by_cases",
    "count_solutions",
]
