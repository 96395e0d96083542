"""A finite-domain model on incremental SAT: valid domains, explanations, repairs, completion.

Encoding (``docs/engine.md``): a Boolean variable is one SAT variable; any other variable is
one-hot (at least one value; at most one by pairs when small, by a sequential ladder when
large). A table gets one literal per row (``row -> each of its values``, ``some row``) and the
support clauses ``value -> some row with it``, so unit propagation keeps the table arc
consistent. Each constraint is guarded by a selector literal: the main solver holds them all
true as unit clauses; explanations use a second solver, built on first use, in which the
selectors are assumptions so a core can name the rules.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from lotone.configure.cnf import Cnf
from lotone.configure.explain import min_correction, why_core
from lotone.configure.solver import PySatSolver, SatSolver
from lotone.model.finite import FiniteModel, Table

__all__ = ["ChoiceOracle", "Consistency", "SatSpace"]

_PAIRWISE_MAX = 6
_POOL = 4096  # models kept across steps (rows of a bool matrix: 57 MB for 14,010 variables)
_POOL_BYTES = 64 << 20  # fewer rows for models with more variables
_CHUNK = 256  # pool rows scanned at a time (the unseen values shrink as it goes)
_DOMAIN_SOLVER = os.environ.get("LOTONE_DOMAIN_SOLVER", "mergesat3")  # see docs/engine.md


class Consistency(Protocol):
    """Anything that decides whether choices (variable -> value index) extend to a product."""

    def is_consistent(self, choices: Mapping[int, int]) -> bool: ...


class ChoiceOracle:
    """A :class:`SatSolver` over choice literals only, answered by a faster backend (a BDD).

    Explanations and repairs only ask "do these choices extend to a product?"; a compiled
    diagram answers that in about a millisecond where a SAT call on a large table model takes
    tens. ``core`` returns every assumption of the last refused call (the deletion loop that
    minimises it does not need more).
    """

    def __init__(self, space: Consistency, pairs: Mapping[int, tuple[int, int]]) -> None:
        self._space = space
        self._pairs = dict(pairs)
        self._last: list[int] = []
        self.calls = 0

    def solve(self, assumptions: Sequence[int]) -> frozenset[int] | None:
        self.calls += 1
        self._last = list(assumptions)
        chosen: dict[int, int] = {}
        for lit in assumptions:
            v, k = self._pairs[lit]
            if chosen.setdefault(v, k) != k:
                return None
        return frozenset(assumptions) if self._space.is_consistent(chosen) else None

    def check(self, assumptions: Sequence[int]) -> bool:
        return self.solve(assumptions) is not None

    def core(self) -> list[int]:
        return list(self._last)


def _unseen(lits: npt.NDArray[np.int64], model: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """The literals of ``lits`` that ``model`` (``model[x - 1]``: variable ``x``; a missing
    tail: unknown) does not make true."""
    index = np.abs(lits) - 1
    inside = index < model.size
    value = np.zeros(lits.size, dtype=bool)
    value[inside] = model[index[inside]]
    shown = np.where(lits > 0, value, inside & ~value)
    return lits[~shown]


def _without_selectors(cnf: Cnf, selectors: Sequence[int]) -> Cnf:
    """The rules always on, for the domain solver: each guarded clause without its selector.

    The selectors exist only for explanations (a second solver); left out here, they cost
    nothing per model. A model has one entry per variable, so on a feature model with one
    selector per clause (automotive02: 14,010 features, 237,685 clauses) every model read
    was 18x longer than needed, and the pool of kept models held gigabytes.
    """
    guards = {-s for s in selectors}
    hard = Cnf()
    hard.clauses = [c[1:] if c and c[0] in guards else c for c in cnf.clauses]
    hard.num_vars = max((abs(lit) for c in hard.clauses for lit in c), default=hard.num_vars)
    return hard


class SatSpace:
    """One finite model compiled to CNF, with a live incremental solver."""

    def __init__(self, model: FiniteModel) -> None:
        self.model = model
        self.cnf = Cnf()
        self._lits: list[list[int]] = [self._encode_var(v.values) for v in model.variables]
        self.selectors: list[int] = []
        self.selector_ids: list[str] = []
        for table in model.tables:
            self._guarded(table.id, self._table(table))
        for clause in model.clauses:
            self._guarded(clause.id, [[self.lit(v, k) for v, k in clause.lits]])
        self._hard = _without_selectors(self.cnf, self.selectors)
        # a variable no rule mentions is still a variable of every model
        used = max((abs(lit) for lits in self._lits for lit in lits), default=0)
        self._hard.num_vars = max(self._hard.num_vars, used)
        self._real = self._hard.num_vars  # variables of the model (activation literals follow)
        self._domain = PySatSolver(self._hard, _DOMAIN_SOLVER)
        self.solver: SatSolver = self._domain
        self._explainer: SatSolver | None = None
        # kept models, one per row (see PySatSolver.values), a ring of self._rows rows
        self._pool = np.zeros((0, self._real), dtype=bool)
        self._rows = max(64, min(_POOL, _POOL_BYTES // max(1, self._real)))
        self._kept = 0

    # --- encoding -------------------------------------------------------------------------

    def _encode_var(self, values: Sequence[str]) -> list[int]:
        cnf = self.cnf
        if len(values) == 2:
            x = cnf.new_var()
            return [-x, x]
        if len(values) == 1:
            return [cnf.true]
        lits = [cnf.new_var() for _ in values]
        cnf.add(lits)
        if len(lits) <= _PAIRWISE_MAX:
            for i, a in enumerate(lits):
                for b in lits[i + 1 :]:
                    cnf.add([-a, -b])
        else:  # sequential ladder: s_i means "some of lits[0..i] is true"
            prev = lits[0]
            for x in lits[1:-1]:
                s = cnf.new_var()
                cnf.add([-prev, s])
                cnf.add([-x, s])
                cnf.add([-prev, -x])
                prev = s
            cnf.add([-prev, -lits[-1]])
        return lits

    def _table(self, table: Table) -> list[list[int]]:
        """Row literals with ``row -> value`` (added unguarded: with the selector off every row
        can be false); returns the guarded part: ``some row`` and ``value -> some row with it``.
        """
        first = self.cnf.num_vars + 1
        self.cnf.num_vars += len(table.tuples)
        rows = range(first, first + len(table.tuples))
        clauses = self.cnf.clauses
        columns = [self._lits[v] for v in table.scope]
        support: dict[int, list[int]] = {}
        for r, row in zip(rows, table.tuples, strict=True):
            for lits, k in zip(columns, row, strict=True):
                lit = lits[k]
                clauses.append([-r, lit])
                support.setdefault(lit, []).append(r)
        out: list[list[int]] = [list(rows)]
        for v in set(table.scope):
            for lit in self._lits[v]:
                out.append([-lit, *support.get(lit, [])])
        return out

    def _guarded(self, rule_id: str, clauses: list[list[int]]) -> None:
        """Add ``clauses``, each switched on by a new selector (constants are harmless here)."""
        sel = self.cnf.new_var()
        self.selectors.append(sel)
        self.selector_ids.append(rule_id)
        self.cnf.clauses.extend([-sel, *c] for c in clauses)

    def lit(self, var: int, value: int) -> int:
        """The literal of ``variable == value``."""
        return self._lits[var][value]

    # --- queries --------------------------------------------------------------------------

    def assumptions(self, choices: Mapping[int, int]) -> list[int]:
        return [self.lit(v, k) for v, k in choices.items()]

    def is_consistent(self, choices: Mapping[int, int]) -> bool:
        return self.solver.solve(self.assumptions(choices)) is not None

    def solution(self, choices: Mapping[int, int]) -> list[int] | None:
        """A full valid assignment (value index per variable) keeping ``choices``, or None."""
        model = self.solver.solve(self.assumptions(choices))
        return None if model is None else self._read(model)

    def _read(self, model: frozenset[int]) -> list[int]:
        out = []
        for lits in self._lits:
            out.append(next((k for k, lit in enumerate(lits) if lit in model), 0))
        return out

    def domains(
        self, choices: Mapping[int, int], within: Sequence[frozenset[int]] | None = None
    ) -> list[frozenset[int]] | None:
        """Per variable, the values that extend to a valid product under ``choices``.

        Model-based filtering: every model found supports all of its values; the solver is
        then asked for a model with *some* value not yet seen (phases pointed at all of them),
        until it proves that none of the rest is possible. Models from earlier calls that keep
        every choice count too (after one more choice, many of the last step's models hold).
        ``within`` (the domains under a subset of these choices) limits the values to test:
        domains only shrink as choices are added.
        """
        base = self.assumptions(choices)
        model = self._domain.values(base, self._real)
        if model is None:
            return None
        owner: dict[int, tuple[int, int]] = {}
        for v, lits in enumerate(self._lits):
            if len(lits) > 1:
                for k in range(len(lits)) if within is None else within[v]:
                    owner[lits[k]] = (v, k)
        need = np.asarray(base, dtype=np.int64)
        missing = _unseen(np.fromiter(owner, dtype=np.int64, count=len(owner)), model)
        missing = self._unseen_in_pool(need, missing)
        self._keep(model)
        refuted: set[int] = set()
        while missing.size:
            # "Some unseen value": a model shows at least one (the phases ask for many);
            # no model refutes every unseen value at once.
            act = self._hard.new_var()
            unseen = missing.tolist()
            self._domain.add_transient([-act, *unseen])
            self._domain.prefer(unseen)
            found = self._domain.values([*base, act], self._real)
            self._domain.add_transient([-act])  # retire the clause for good
            if found is None:
                refuted.update(unseen)
                break
            missing = _unseen(missing, found)
            self._keep(found)
        seen: list[set[int]] = [set() for _ in self._lits]
        for lit, (v, k) in owner.items():
            if lit not in refuted:
                seen[v].add(k)
        for v, lits in enumerate(self._lits):
            if len(lits) == 1:
                seen[v].add(0)
        return [frozenset(x) for x in seen]

    def _keep(self, model: npt.NDArray[np.bool_]) -> None:
        """Remember a model for later steps (the most recent ``self._rows``)."""
        slot = self._kept % self._rows
        if slot >= self._pool.shape[0]:  # grow by doubling up to self._rows
            grown = np.zeros((min(self._rows, max(64, 2 * slot)), self._real), bool)
            grown[: self._pool.shape[0]] = self._pool
            self._pool = grown
        row = self._pool[slot]
        row[:] = False  # a variable the solver never saw is free: false is as good as any
        row[: model.size] = model[: self._real]
        self._kept += 1

    def _unseen_in_pool(
        self, need: npt.NDArray[np.int64], missing: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int64]:
        """``missing`` without the literals some kept model shows while keeping ``need``."""
        rows = self._pool[: min(self._kept, self._rows)]
        if not rows.shape[0] or not missing.size:
            return missing
        keeps = (rows[:, np.abs(need) - 1] == (need > 0)).all(axis=1)
        fit = rows[keeps]
        for start in range(0, fit.shape[0], _CHUNK):
            if not missing.size:
                break
            chunk = fit[start : start + _CHUNK]
            shown = (chunk[:, np.abs(missing) - 1] == (missing > 0)).any(axis=0)
            missing = missing[~shown]
        return missing

    # --- explanations ---------------------------------------------------------------------

    @property
    def explainer(self) -> SatSolver:
        """A second solver in which rule selectors are assumptions (built on first use)."""
        if self._explainer is None:
            self._explainer = PySatSolver(self.cnf)
        return self._explainer

    def why(
        self,
        choices: Mapping[int, int],
        target: tuple[int, int] | None,
        oracle: SatSolver | None = None,
    ) -> tuple[list[int], list[str]] | None:
        """A minimal set of choices (variable indices) and rule ids that exclude ``target``.

        With ``target`` None, explains why the choices themselves conflict. None when there
        is nothing to explain (the value is available, the choices are consistent).
        ``oracle`` answers consistency of choice literals faster than SAT (a compiled BDD,
        see :class:`ChoiceOracle`); the rules are then named by the explaining solver.
        """
        fixed = [] if target is None else [self.lit(*target)]
        by_lit = {self.lit(v, k): v for v, k in choices.items()}
        hard_core = why_core(oracle or self.solver, fixed, list(by_lit), [])
        if hard_core is None:
            return None
        kept = hard_core[0]
        found = why_core(self.explainer, [*fixed, *kept], [], self.selectors)
        index = {s: i for i, s in enumerate(self.selectors)}
        rules = [] if found is None else [self.selector_ids[index[s]] for s in found[1]]
        order = {lit: i for i, lit in enumerate(by_lit)}  # the customer's order, not the solver's
        return [by_lit[x] for x in sorted(kept, key=order.__getitem__)], rules

    def repair(
        self,
        choices: Mapping[int, int],
        target: tuple[int, int],
        oracle: SatSolver | None = None,
    ) -> list[int] | None:
        """The fewest choices (variable indices) to drop so that ``target`` becomes possible.

        None when no product has ``target`` at all.
        """
        by_lit = {self.lit(v, k): v for v, k in choices.items()}
        drop = min_correction(oracle or self.solver, [self.lit(*target)], list(by_lit))
        return None if drop is None else [by_lit[x] for x in drop]

    def oracle(self, space: Consistency, pairs: Mapping[int, int]) -> ChoiceOracle:
        """A :class:`ChoiceOracle` over ``space`` for the literals of these choices."""
        return ChoiceOracle(space, {self.lit(v, k): (v, k) for v, k in pairs.items()})

    def close(self) -> None:
        for s in (self.solver, self._explainer):
            if isinstance(s, PySatSolver):
                s.close()
