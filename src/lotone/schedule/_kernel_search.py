"""The Python side shared by the numba-driven searches (:mod:`~lotone.schedule.tabu`,
:mod:`~lotone.schedule.sdst`): the best value, the iteration count, adopting a peer's best, and
the run loop that cuts long runs into pieces so the kernels' int32 tabu stamps stay in range.

Both kernels keep their state in an int64 array ``st`` with the iteration counter at index
:data:`IT` and the best value at :data:`BEST`, and the best solution in ``bmach``, ``bdur``,
``bseq`` and ``bcnt``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Self

import numpy as np

__all__ = ["BEST", "IT", "STAMP_LIMIT", "KernelSearch"]

IT, BEST = 0, 2  # indexes into ``st``, the same in both kernels
STAMP_LIMIT = 2**31 - 2**20  # tabu stamps are int32 iteration numbers: rebase before this


class KernelSearch(ABC):
    """What both searches share; a subclass sets the arrays and implements the two hooks."""

    st: np.ndarray
    bmach: np.ndarray
    bdur: np.ndarray
    bseq: np.ndarray
    bcnt: np.ndarray
    _offset: int

    @property
    def best(self) -> int:
        """The best objective value found so far."""
        return int(self.st[BEST])

    @property
    def iterations(self) -> int:
        """Iterations made so far."""
        return self._offset + int(self.st[IT])

    def adopt(self, other: Self) -> bool:
        """Take ``other``'s best solution as this search's best when it is better.

        The search goes on from its current solution; its next restart starts from the
        adopted one (parallel searches share their best this way).
        """
        if other.best >= self.best:
            return False
        for mine, theirs in ((self.bmach, other.bmach), (self.bdur, other.bdur),
                             (self.bseq, other.bseq), (self.bcnt, other.bcnt)):  # fmt: skip
            mine[...] = theirs
        self.st[BEST] = other.best
        return True

    def run(self, iterations: int, bound: int = 0) -> int:
        """Continue for ``iterations`` (or until the best is at most ``bound``); the best."""
        best = self.best
        while iterations > 0 and best > bound:
            piece = min(iterations, STAMP_LIMIT // 2)
            if int(self.st[IT]) + piece >= STAMP_LIMIT:
                self._rebase()
            best = self._search(piece, bound)
            iterations -= piece
        return best

    @abstractmethod
    def _search(self, iterations: int, bound: int) -> int:
        """Run the kernel for ``iterations``; its best value."""

    @abstractmethod
    def _rebase(self) -> None:
        """Count iterations from 0 again (shift the stamps; add the count to ``_offset``)."""
