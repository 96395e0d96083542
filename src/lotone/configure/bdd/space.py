"""``BddSpace``: the solution space of a finite model compiled to one BDD.

Compile once (seconds), then answer each click in milliseconds: consistency of a set of
choices, the valid domain of every variable under them, and the exact number of solutions.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence

from lotone.configure.bdd._cudd import Cudd, Node
from lotone.configure.bdd.build import Schedule
from lotone.configure.bdd.compile import compile_model
from lotone.configure.bdd.count import count_models
from lotone.configure.bdd.domains import DomainTree
from lotone.configure.bdd.encoding import LogEncoding
from lotone.errors import InvalidValue
from lotone.model.finite import FiniteModel

__all__ = ["BddSpace"]

log = logging.getLogger(__name__)

_STATES = 64  # restricted diagrams kept for recent sets of choices


class BddSpace:
    """The valid configurations of ``model`` as a BDD, with valid domains and exact counts.

    Parameters
    ----------
    model
        The finite-domain model to compile.
    order
        The variable order, top first: a permutation of the variable indices, or the name of a
        heuristic in :data:`~lotone.configure.bdd.order.ORDERS`. ``None`` (the default) tries
        FORCE from a Cuthill–McKee start, then plain Cuthill–McKee, until one compiles within
        the budget. Unless ``sift`` is off, CUDD group sifting (each variable's bits kept
        together) runs while the constraints are conjoined and again after, while it pays.
    budget_s
        Seconds allowed for the whole compilation, order search and sifting included.
    max_nodes
        Live CUDD nodes allowed while compiling.
    schedule
        How the constraints are conjoined (see :mod:`~lotone.configure.bdd.build`).
    sift
        Whether to improve the order by CUDD group sifting during and after compiling.
    progress
        Called as ``progress(done, total)`` while the constraints are conjoined.

    Raises
    ------
    CompileBudgetExceeded
        When the model does not compile within ``budget_s`` or ``max_nodes``.
    """

    def __init__(
        self,
        model: FiniteModel,
        *,
        order: Sequence[int] | str | None = None,
        budget_s: float = 30.0,
        max_nodes: int = 20_000_000,
        schedule: Schedule = "tree",
        sift: bool = True,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        start = time.perf_counter()
        self.model = model
        self._enc = LogEncoding.of(model)
        compiled = compile_model(
            model,
            self._enc,
            order=order,
            budget_s=budget_s,
            max_nodes=max_nodes,
            schedule=schedule,
            sift=sift,
            progress=progress,
        )
        self._mgr: Cudd = compiled.mgr
        self._root: Node = compiled.root
        self.order: tuple[int, ...] = compiled.order
        """The final variable order, top first (reusable as ``order=``)."""
        self.order_name: str = compiled.order_name
        """Which heuristic gave the order (``"given"`` when passed in)."""
        self.nodes: int = self._mgr.size(self._root)
        """Nodes of the compiled diagram."""
        self._tree = DomainTree(self._mgr, self._enc)
        self._states: OrderedDict[frozenset[tuple[int, int]], Node] = OrderedDict()
        self._last: tuple[dict[int, int], tuple[frozenset[int], ...]] | None = None
        self._count: int | None = None
        self.compile_seconds: float = time.perf_counter() - start
        """Seconds from the model to a ready space (order search and sifting included)."""
        log.info(
            "compiled %s: %d nodes in %.2f s (order %s)",
            model.id,
            self.nodes,
            self.compile_seconds,
            self.order_name,
        )

    # --- questions ------------------------------------------------------------------------

    def is_consistent(self, choices: Mapping[int, int]) -> bool:
        """Whether some solution extends ``choices`` (``{variable index: value index}``)."""
        return not self._mgr.is_false(self._restricted(choices))

    def domains(self, choices: Mapping[int, int]) -> list[frozenset[int]] | None:
        """Per variable, the value indices some solution extending ``choices`` takes.

        ``None`` when no solution extends ``choices``. A chosen variable's domain is its value.
        """
        f = self._restricted(choices)
        if self._mgr.is_false(f):
            return None
        n = len(self._enc.sizes)
        decided: list[frozenset[int] | None] = [None] * n
        for v in range(n):
            if self._enc.width[v] == 0:
                decided[v] = frozenset((0,))
        last = self._last
        if last is not None and all(choices.get(v) == k for v, k in last[0].items()):
            for v, dom in enumerate(last[1]):  # one value stays one value under more choices
                if len(dom) == 1:
                    decided[v] = dom
        for v, k in choices.items():
            decided[v] = frozenset((k,))
        found = self._tree.project(f, decided)
        out = [d if d is not None else frozenset() for d in found]
        self._last = (dict(choices), tuple(out))
        return out

    def count(self, choices: Mapping[int, int] | None = None) -> int:
        """The exact number of solutions (extending ``choices``, when given)."""
        mgr = self._mgr
        if not choices:
            if self._count is None:
                self._count = count_models(mgr, self._root)
            return self._count
        return count_models(mgr, self._restricted(choices))

    @property
    def peak_nodes(self) -> int:
        """The most CUDD nodes alive at once so far (a proxy for peak memory)."""
        return self._mgr.peak_nodes()

    # --- restricted diagrams --------------------------------------------------------------

    def _check(self, choices: Mapping[int, int]) -> None:
        variables = self.model.variables
        for v, k in choices.items():
            if not 0 <= v < len(variables):
                raise InvalidValue("variable", v, f"expected an index below {len(variables)}")
            if not 0 <= k < len(variables[v].values):
                raise InvalidValue(
                    variables[v].name, k, f"expected a value index below {len(variables[v].values)}"
                )

    def _restricted(self, choices: Mapping[int, int]) -> Node:
        """The diagram conjoined with the choices, from the closest state already known."""
        key = frozenset(choices.items())
        hit = self._states.get(key)
        if hit is not None:
            self._states.move_to_end(key)
            return hit
        self._check(choices)
        base, todo = self._root, dict(choices)
        for known, g in reversed(self._states.items()):  # most recent first
            if known <= key:
                base, todo = g, {v: k for v, k in choices.items() if (v, k) not in known}
                break
        f = base
        for v, k in todo.items():
            f = self._mgr.conj(f, self._enc.value_cube(self._mgr, v, k))
        if todo:
            self._states[key] = f
            if len(self._states) > _STATES:
                self._states.popitem(last=False)
        return f
