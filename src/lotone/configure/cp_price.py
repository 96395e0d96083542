"""The price range of a partial configuration with CP-SAT on the family's own integers.

:mod:`lotone.configure.linear` optimises the price as weighted literals over the CNF with RC2:
exact and quick where the price is a sum of value deltas, slow where it is arithmetic over
numbers tied by sums (the wardrobe: section widths that add up to the width, a carcass priced
by width x height). :class:`CpPricer` writes the rules and the price once as a CP-SAT model
(:mod:`lotone.configure.cp_lower`); each query copies it, fixes the customer's choices and
minimises, then maximises, the price. Both answers are proven optima, or, when the time budget
runs out first, CP-SAT's proven bounds (flagged not exact), as with RC2.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from decimal import Decimal
from typing import Protocol

from ortools.sat.python import cp_model as cp

from lotone.configure.answers import PriceRange
from lotone.configure.cp_lower import CpLowering, Lit, Number, instance_binds
from lotone.errors import InvalidValue, LotoneError
from lotone.model.family import (
    BoolAttribute,
    ConstraintRule,
    EnumAttribute,
    Family,
    NumberAttribute,
    Rule,
    TableRule,
    Value,
)

__all__ = ["CpPricer", "PendingPrice", "PriceLost", "PriceRunner"]


class PriceLost(LotoneError):
    """A price range computed elsewhere (:class:`PriceRunner`) did not arrive: the engine
    prices in its own thread instead."""


class PendingPrice(Protocol):
    """A price range being proved; ``result()`` waits for it (or raises :class:`PriceLost`)."""

    def result(self) -> PriceRange | None: ...


class PriceRunner(Protocol):
    """Proves price ranges away from the caller's thread (``lotone.api.pricing`` runs them in
    child processes); :meth:`start` gives None when it cannot take the query now."""

    def start(
        self, family: Family, choices: Mapping[str, Value], budget: float | None
    ) -> PendingPrice | None: ...

    def warm(self, family: Family) -> None:
        """Get ready for queries on ``family`` (without waiting for it)."""
        ...


class CpPricer:
    """One family's rules and price as a CP-SAT model; build once, query many times.

    Raises :class:`~lotone.configure.cp_lower.Unsupported` when the family's arithmetic does
    not fit CP-SAT's integers exactly.
    """

    def __init__(self, family: Family, *, workers: int = 1) -> None:
        self.family = family
        self.workers = workers
        self.lower = CpLowering(family)
        for rule in family.all_rules():
            self._rule(rule)
        self.price = self._price()
        self._hints: dict[bool, list[int]] = {}
        for maximize in (False, True):  # the unconstrained optima seed every query's search
            model = self.lower.model.clone()
            solver, status = self._solve(model, maximize, 1.0)
            if status == cp.OPTIMAL:
                self._hints[maximize] = list(solver.response_proto.solution)

    # --- building -------------------------------------------------------------------------

    def _rule(self, rule: Rule) -> None:
        low = self.lower
        for act, bind in instance_binds(low, rule.slot):
            if isinstance(rule, ConstraintRule):
                lit = low.boolean(rule.expr, bind)
            elif isinstance(rule, TableRule):
                lit = self._table(rule, bind)
            else:  # pragma: no cover - every rule kind is above
                raise LotoneError(f"internal: unknown rule {rule!r}")
            low.model.add_bool_or([~act, lit])

    def _table(self, rule: TableRule, bind: tuple[str, int] | None) -> Lit:
        low = self.lower
        cols = [low.attr_var(c, bind) for c in rule.columns]  # type: ignore[arg-type]
        rows = [
            low.and_(self._value_lit(v.key, cell) for v, cell in zip(cols, row, strict=True)
                     if cell is not None)
            for row in rule.rows
        ]  # fmt: skip
        table = low.or_(rows)
        if rule.when is None:
            return table
        return low.or_([~low.boolean(rule.when, bind), table])

    def _value_lit(self, key: str, value: Value) -> Lit:
        """A literal for ``key == value`` (a table's cell; the checker made it a valid value)."""
        low = self.lower
        lits = self._holding(key, value)
        if lits is not None:
            return low.and_(lits)
        var = low.vars[key]
        attr = var.attr
        if not isinstance(attr, NumberAttribute) or var.index is None:
            raise LotoneError(f"internal: table cell on {key}")
        if not attr.allows(value):  # type: ignore[arg-type]
            return ~low.true
        k = low.model.new_bool_var("")
        at = attr.index_of(value)  # type: ignore[arg-type]
        low.model.add(var.index == at).only_enforce_if(k)
        low.model.add(var.index != at).only_enforce_if(~k)
        return low.and_([var.active, k])

    def _holding(self, key: str, value: Value) -> list[Lit] | None:
        """Literals that together say ``key == value``; None for a number (its grid index)."""
        var = self.lower.vars[key]
        attr = var.attr
        if attr is None:  # a count: the first n instances exist, the next does not
            n = int(value)
            if not 0 <= n <= len(var.lits):
                raise InvalidValue(key, value, f"between 0 and {len(var.lits)} instances")
            return [*var.lits[:n], *(~a for a in var.lits[n : n + 1])]
        if isinstance(attr, EnumAttribute):
            names = [v.name for v in attr.values]
            return [var.active, var.lits[names.index(str(value))]]
        if isinstance(attr, BoolAttribute):
            return [var.active, var.lits[0] if value else ~var.lits[0]]
        return None

    def _price(self) -> Number:
        low, fam = self.lower, self.family
        parts: list[Number] = [low.number_const(fam.pricing.base)]
        for key, var in low.vars.items():
            if var.attr is None:  # a slot's count: the module's price per existing instance
                price = fam.slot(key.removesuffix(".count")).price
                parts += [low.gated(a, low.number_const(price)) for a in var.lits]
            elif isinstance(var.attr, EnumAttribute):
                for v, lit in zip(var.attr.values, var.lits, strict=True):
                    if v.price:
                        parts.append(low.gated(low.and_([var.active, lit]),
                                               low.number_const(v.price)))  # fmt: skip
            elif isinstance(var.attr, BoolAttribute) and var.attr.price:
                cond = low.and_([var.active, var.lits[0]])
                parts.append(low.gated(cond, low.number_const(var.attr.price)))
        for term in fam.pricing.terms:
            for act, bind in instance_binds(low, term.slot):
                cond = act
                if term.when is not None:
                    cond = low.and_([act, low.boolean(term.when, bind)])
                parts.append(low.gated(cond, low.number(term.amount, bind)))
        return low.total(parts)

    # --- queries --------------------------------------------------------------------------

    def _fix(self, model: cp.CpModel, choices: Mapping[str, Value]) -> None:
        """Hold ``choices`` in ``model`` (a copy: nothing is added to the shared model)."""
        for key, value in choices.items():
            var = self.lower.vars.get(key)
            if var is None:
                raise InvalidValue(key, value, "not a configuration key of this family")
            lits = self._holding(key, value)
            if lits is not None:
                model.add_bool_and(lits)
            elif isinstance(var.attr, NumberAttribute) and var.index is not None:
                model.add_bool_and([var.active])
                model.add(var.index == var.attr.index_of(value))  # type: ignore[arg-type]

    def price_range(
        self, choices: Mapping[str, Value], budget: float | None = 0.5
    ) -> PriceRange | None:
        """The price range of the valid products keeping ``choices``; None when there are none.

        ``choices`` must be valid values of the family's keys (the engine checks them first).
        ``budget``: seconds for each of the two optimisations.
        """
        low = self.bound(choices, False, budget)
        if low is None:
            return None
        high = self.bound(choices, True, budget)
        if high is None:  # pragma: no cover - the minimisation found a product
            return None
        scale = self.price.scale
        return PriceRange(
            Decimal(low[0]).scaleb(-scale), Decimal(high[0]).scaleb(-scale), low[1] and high[1]
        )

    def start(
        self, choices: Mapping[str, Value], budget: float | None = 0.5
    ) -> Future[PriceRange | None]:
        """Start :meth:`price_range` in a pool thread (CP-SAT releases the GIL, so the caller
        can work on meanwhile, e.g. on the valid domains); the future's ``result()`` waits.

        One thread per range, the minimisation then the maximisation: on two cores, two
        searches beside the caller's own work slowed the other requests of the server more than
        they shortened this one (the domains take longer than both searches together).
        """
        return _pool().submit(self.price_range, dict(choices), budget)

    def bound(
        self, choices: Mapping[str, Value], maximize: bool, budget: float | None
    ) -> tuple[int, bool] | None:
        """The least (greatest) scaled price and whether it is proven optimal, else a proven
        bound; None when no valid product keeps ``choices``."""
        model = self.lower.model.clone()
        self._fix(model, choices)
        price = self.price
        solver, status = self._solve(model, maximize, budget)
        if status == cp.INFEASIBLE:
            return None
        if status == cp.OPTIMAL:
            return int(solver.value(price.expr)), True
        if status in (cp.FEASIBLE, cp.UNKNOWN):
            # without a solution CP-SAT reports no bound (0): the static bound is proven
            static = price.hi if maximize else price.lo
            bound = solver.best_objective_bound if status == cp.FEASIBLE else static
            if not _finite(bound):
                bound = static
            if maximize:
                return min(int(-(-bound // 1)), static), False
            return max(int(bound // 1), static), False
        # MODEL_INVALID: a bug in the lowering, never the customer's
        raise LotoneError(f"internal: CP-SAT price model invalid: {model.validate()}")

    def _solve(
        self, model: cp.CpModel, maximize: bool, limit: float | None
    ) -> tuple[cp.CpSolver, object]:
        """Optimise the price on ``model`` (its objective and hint replaced).

        Settings measured on the wardrobe (``benchmarks/bench_price.py``): one worker, no
        presolve and no probing, and the unconstrained optimum as the hint, are several times
        quicker than CP-SAT's defaults on these small models, where presolve costs more than
        it saves and most queries' optima lie near the unconstrained one.
        """
        if maximize:
            model.maximize(self.price.expr)
        else:
            model.minimize(self.price.expr)
        model.clear_hints()  # type: ignore[no-untyped-call]
        hint = self._hints.get(maximize)
        if hint is not None:
            model.proto.solution_hint.vars.extend(range(len(hint)))
            model.proto.solution_hint.values.extend(hint)
        solver = cp.CpSolver()
        params = solver.parameters
        params.num_workers = self.workers
        params.cp_model_presolve = False
        params.cp_model_probing_level = 0
        if limit is not None:
            params.max_time_in_seconds = limit
        status = solver.solve(model)
        return solver, status


_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    """The threads that run price optimisations (shared by every engine of the process)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            workers = max(4, 2 * (os.cpu_count() or 1))
            _POOL = ThreadPoolExecutor(workers, thread_name_prefix="lotone-price")
        return _POOL


def _finite(x: float) -> bool:
    return x == x and abs(x) != float("inf")
