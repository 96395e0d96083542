"""The SAT solver seam: a small protocol and its PySAT (CaDiCaL) implementation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from lotone.configure.cnf import Cnf

__all__ = ["PySatSolver", "SatSolver"]


class SatSolver(Protocol):
    """An incremental SAT solver with assumptions over a growing :class:`Cnf`."""

    calls: int

    def solve(self, assumptions: Sequence[int]) -> frozenset[int] | None:
        """A model (the set of true literals) under ``assumptions``, or None if unsatisfiable."""
        ...

    def check(self, assumptions: Sequence[int]) -> bool:
        """Whether ``assumptions`` are satisfiable (no model is read: cheaper than solve)."""
        ...

    def core(self) -> list[int]:
        """After an unsatisfiable call: a subset of the assumptions that is unsatisfiable."""
        ...


class PySatSolver:
    """CaDiCaL 1.9.5 through PySAT; feeds the clauses the :class:`Cnf` gained before each call."""

    def __init__(self, cnf: Cnf, name: str = "cadical195") -> None:
        from pysat.solvers import Solver  # imported here: keeps `import lotone` light

        self._cnf = cnf
        self._solver = Solver(name=name)
        self.calls = 0

    def solve(self, assumptions: Sequence[int]) -> frozenset[int] | None:
        """See :meth:`SatSolver.solve`."""
        if not self.check(assumptions):
            return None
        model = self._solver.get_model()
        return frozenset(model) if model is not None else frozenset()

    def values(
        self, assumptions: Sequence[int], size: int | None = None
    ) -> npt.NDArray[np.bool_] | None:
        """Like :meth:`solve`, the model as an array: ``values[x - 1]`` is variable ``x``.

        ``size`` keeps the first variables only (say, not the activation literals added since).
        Cheaper than a set for large models, and invisible to the garbage collector when
        many are kept (a set of ten thousand literals is one tracked container, rescanned by
        every full collection).
        """
        if not self.check(assumptions):
            return None
        model = self._solver.get_model() or []
        return np.asarray(model[:size] if size is not None else model, dtype=np.int64) > 0

    def check(self, assumptions: Sequence[int]) -> bool:
        """See :meth:`SatSolver.check`."""
        new = self._cnf.take_new()
        if new:
            self._solver.append_formula(new)
        self.calls += 1
        return bool(self._solver.solve(assumptions=list(assumptions)))

    def core(self) -> list[int]:
        """See :meth:`SatSolver.core`."""
        return list(self._solver.get_core() or [])

    def add_transient(self, clause: Sequence[int]) -> None:
        """Add a clause to the solver only (not to the :class:`Cnf`): for clauses guarded by
        an activation literal that is retired right after use, which need no record."""
        self._solver.add_clause(list(clause))

    def prefer(self, literals: Sequence[int]) -> None:
        """Ask the solver to try these polarities first (a hint: models may differ)."""
        self._solver.set_phases(list(literals))

    def close(self) -> None:
        """Free the solver."""
        self._solver.delete()
