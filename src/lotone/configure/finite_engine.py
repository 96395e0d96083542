"""The engine for finite-domain models (imported CLib, XCSP, DIMACS and UVL models).

Two backends answer the same questions: a compiled BDD (``configure/bdd``: valid domains in
milliseconds and exact counts, when the model compiles within its budget) and incremental SAT
(``finite_sat``: always available; it also gives explanations and repairs). ``backend="auto"``
tries the BDD and falls back to SAT; the choice is kept in :attr:`FiniteEngine.backend`.
Choices and answers are by name here (``{"Var1": "S64"}``), as customers and the CLI see them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from lotone.configure.answers import Analysis, Conflict, Repair, Status, Why
from lotone.configure.domains import ValueDomain
from lotone.configure.finite_sat import ChoiceOracle, SatSpace
from lotone.errors import Infeasible, LotoneError, Violation
from lotone.model.finite import FiniteModel

__all__ = ["Backend", "Count", "FiniteEngine"]

log = logging.getLogger(__name__)

Backend = Literal["auto", "sat", "bdd"]
Progress = Callable[[int, int], None]


class _Space(Protocol):
    def is_consistent(self, choices: Mapping[int, int]) -> bool: ...

    def domains(self, choices: Mapping[int, int]) -> list[frozenset[int]] | None: ...


@dataclass(frozen=True, slots=True)
class Count:
    """An exact number of valid configurations and how it was obtained."""

    value: int
    method: str
    seconds: float


class FiniteEngine:
    """A finite model ready for configuration; create once, query many times."""

    def __init__(
        self,
        model: FiniteModel,
        backend: Backend = "auto",
        *,
        bdd_budget_s: float = 30.0,
        progress: Progress | None = None,
    ) -> None:
        self.model = model
        self.compile_seconds = 0.0
        self._sat: SatSpace | None = None
        self._bdd: object | None = None
        self._last: tuple[dict[int, int], list[frozenset[int]]] | None = None
        start = time.perf_counter()
        self.backend: Literal["sat", "bdd"] = "sat"
        budget: float | None = bdd_budget_s
        if backend == "sat":
            budget = None
        elif backend == "auto":
            budget = _auto_budget(model, bdd_budget_s)
        if budget is not None:
            self._bdd = _try_bdd(model, budget, progress, required=backend == "bdd")
            if self._bdd is not None:
                self.backend = "bdd"
        if self._bdd is None:
            self._sat = SatSpace(model)
        self.compile_seconds = time.perf_counter() - start

    # --- names ----------------------------------------------------------------------------

    def _ids(self, choices: Mapping[str, str]) -> dict[int, int]:
        return self.model.choices(choices)

    def _text(self, var: int, value: int) -> str:
        v = self.model.variables[var]
        return f"{v.name}={v.values[value]}"

    @property
    def sat(self) -> SatSpace:
        """The SAT backend (built on first use when the BDD serves the domains)."""
        if self._sat is None:
            self._sat = SatSpace(self.model)
        return self._sat

    @property
    def space(self) -> _Space:
        return self._bdd if self._bdd is not None else self.sat  # type: ignore[return-value]

    # --- domains --------------------------------------------------------------------------

    def is_consistent(self, choices: Mapping[str, str]) -> bool:
        return self.space.is_consistent(self._ids(choices))

    def domain_indices(self, choices: Mapping[int, int]) -> list[frozenset[int]] | None:
        """Per variable, the valid value indices under ``choices`` (None on a conflict)."""
        if self._bdd is not None:
            return self.space.domains(choices)
        within = None
        if self._last is not None:
            old, doms = self._last
            if all(choices.get(v) == k for v, k in old.items()):
                within = doms
        out = self.sat.domains(choices, within)
        if out is not None:
            self._last = (dict(choices), out)
        return out

    def analyze(self, choices: Mapping[str, str]) -> Analysis:
        """Status and valid domains under ``choices`` (the same shape as for YAML families)."""
        ids = self._ids(choices)
        doms = self.domain_indices(ids)
        if doms is None:
            return Analysis("conflict", {}, None, None, self.explain(choices), dict(choices))
        out: dict[str, ValueDomain] = {}
        for i in self.model.visible:
            var = self.model.variables[i]
            ok = doms[i]
            out[var.name] = ValueDomain(
                tuple(var.values[k] for k in sorted(ok)),
                tuple(x for k, x in enumerate(var.values) if k not in ok),
            )
        status: Status = "complete" if all(len(d) == 1 for d in out.values()) else "incomplete"
        return Analysis(status, out, None, None, None, dict(choices))

    def complete(self, choices: Mapping[str, str]) -> dict[str, str]:
        """A complete valid configuration keeping ``choices`` (Infeasible on a conflict)."""
        found = self.sat.solution(self._ids(choices))
        if found is None:
            raise Infeasible(f"no valid product: {self.explain(choices)}")
        return {self.model.variables[i].name: self.model.variables[i].values[found[i]]
                for i in self.model.visible}  # fmt: skip

    def validate(self, configuration: Mapping[str, str]) -> list[Violation]:
        """The constraints a full configuration breaks (empty when valid)."""
        ids = self._ids(configuration)
        missing = [self.model.variables[i].name for i in self.model.visible if i not in ids]
        if missing:
            shown = ", ".join(missing[:8]) + (", ..." if len(missing) > 8 else "")
            raise LotoneError(f"incomplete configuration: no value for {shown}")
        full = self.sat.solution(ids) if self.model.hidden else None
        assignment = [ids.get(i, full[i] if full else 0) for i in range(len(self.model.variables))]
        return [Violation(r, self.model.describe(r)) for r in self.model.violated(assignment)]

    # --- explanations ---------------------------------------------------------------------

    def explain(self, choices: Mapping[str, str]) -> Conflict:
        """A minimal set of choices and rules that cannot hold together."""
        ids = self._ids(choices)
        found = self.sat.why(ids, None)
        if found is None:
            return Conflict((), ())
        return self._conflict(ids, found)

    def _conflict(self, ids: Mapping[int, int], found: tuple[list[int], list[str]]) -> Conflict:
        vars_, rules = found
        return Conflict(
            tuple(self._text(v, ids[v]) for v in vars_),
            tuple(Violation(r, self.model.describe(r)) for r in rules),
        )

    def why(self, choices: Mapping[str, str], name: str, value: str) -> Why:
        """Why ``name=value`` is not available under ``choices`` (minimal choices and rules)."""
        ids = self._ids(choices)
        ids.pop(self.model.var(name), None)
        target = (self.model.var(name), self.model.value(self.model.var(name), value))
        found = self.sat.why(ids, target, self._oracle(ids, target))
        text = self._text(*target)
        if found is None:
            return Why(text, True, Conflict((), ()))
        return Why(text, False, self._conflict(ids, found))

    def repair(self, choices: Mapping[str, str], name: str, value: str) -> Repair:
        """The fewest earlier choices to drop so that ``name=value`` becomes possible."""
        ids = self._ids(choices)
        ids.pop(self.model.var(name), None)
        target = (self.model.var(name), self.model.value(self.model.var(name), value))
        drop = self.sat.repair(ids, target, self._oracle(ids, target))
        text = self._text(*target)
        if drop is None:
            return Repair(text, (), False)
        return Repair(text, tuple(self._text(v, ids[v]) for v in drop), True)

    def _oracle(self, ids: Mapping[int, int], target: tuple[int, int]) -> ChoiceOracle | None:
        if self._bdd is None:
            return None
        pairs = dict(ids)
        pairs[target[0]] = target[1]  # the target's variable is not among the choices
        return self.sat.oracle(self._bdd, pairs)  # type: ignore[arg-type]

    # --- counting -------------------------------------------------------------------------

    def count(
        self, choices: Mapping[str, str] | None = None, *, count_budget_s: float = 60.0
    ) -> Count:
        """The exact number of valid configurations (under ``choices``), with the method.

        Raises ``CountOutOfReach`` (a LotoneError) when no exact method finishes in budget.
        """
        ids = self._ids(choices or {})
        start = time.perf_counter()
        if self._bdd is not None:
            value = self._bdd.count(ids)  # type: ignore[attr-defined]
            method = "BDD model count (CUDD diagram, exact integer traversal)"
        else:
            from lotone.configure.count import METHOD, CountOutOfReach, count_solutions

            try:
                value = count_solutions(self.model, ids, budget_s=count_budget_s / 2)
                method = METHOD
            except CountOutOfReach as first:
                bdd = _try_bdd(self.model, count_budget_s / 2, None, required=False)
                if bdd is None:
                    raise CountOutOfReach(
                        first.reason,
                        f"{first}; a BDD did not compile within {count_budget_s / 2:.0f} s either",
                    ) from first
                self._bdd = bdd
                self.backend = "bdd"
                value = bdd.count(ids)  # type: ignore[attr-defined]
                method = "BDD model count (CUDD diagram, exact integer traversal)"
        return Count(int(value), method, time.perf_counter() - start)


def _auto_budget(model: FiniteModel, budget_s: float) -> float | None:
    """The BDD budget for ``backend="auto"``, or None to go straight to SAT.

    Table models (CLib, XCSP) compile well (Renault big: 13k nodes in ~6 s); CNF feature models
    mostly do not (ecos, financial, embtoolkit, Linux, automotive: over budget), while SAT
    answers them in tens of milliseconds, so only small clause models try the BDD, briefly.
    """
    if not model.clauses:
        return budget_s
    if len(model.variables) <= 600:
        return min(budget_s, 5.0)
    return None


def _try_bdd(
    model: FiniteModel, budget_s: float, progress: Progress | None, *, required: bool
) -> object | None:
    try:
        from lotone.configure.bdd import BddSpace, CompileBudgetExceeded
    except ImportError as exc:  # pragma: no cover - dd is a dependency
        if required:
            raise LotoneError(f"the BDD backend is not available: {exc}") from exc
        return None
    try:
        return BddSpace(model, budget_s=budget_s, progress=progress)
    except CompileBudgetExceeded as exc:
        if required:
            raise LotoneError(f"{model.id}: the BDD did not compile within budget: {exc}") from exc
        log.info("%s: BDD over budget (%s); using SAT", model.id, exc)
        return None
