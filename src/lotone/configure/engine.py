"""The configuration engine: a family compiled to incremental SAT.

Why SAT, and how numbers are handled, is in ``docs/engine.md``. Every query is answered exactly:

* :meth:`Engine.analyze` gives the valid domains under a set of choices (each value offered
  extends to a complete valid product, each value withheld does not), the status and the
  min-max price;
* :meth:`Engine.complete` finishes a partial configuration following the defaults, or at the
  lowest price;
* :meth:`Engine.validate` checks a full configuration with the reference evaluator;
* :meth:`Engine.explain` names a minimal set of choices and rules that conflict.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Literal

from lotone.configure.answers import (
    Analysis,
    Conflict,
    Objective,
    PriceRange,
    Repair,
    Status,
    Why,
)
from lotone.configure.cp_lower import Unsupported
from lotone.configure.cp_price import CpPricer, PendingPrice, PriceLost, PriceRunner
from lotone.configure.defaults import candidates, default_literals, preferred_values, value_text
from lotone.configure.domains import Domain, ValueDomain
from lotone.configure.encoding import Encoding
from lotone.configure.explain import min_correction, why_core
from lotone.configure.linear import maxsat_range, optimize_linear
from lotone.configure.number_domain import NumberSearch
from lotone.configure.search import minimal_core, nearest_index
from lotone.configure.shift import Shifter
from lotone.configure.solver import PySatSolver, SatSolver
from lotone.configure.support import Support
from lotone.configure.validate import price_of, validate
from lotone.configure.variables import AttrVar, Var
from lotone.errors import Infeasible, Refused, Violation
from lotone.model.family import (
    Family,
    NumberAttribute,
    Value,
)

__all__ = [
    "Analysis",
    "Conflict",
    "Engine",
    "Objective",
    "PriceRange",
    "Repair",
    "Status",
    "Why",
    "candidates",
    "value_text",
]

log = logging.getLogger(__name__)

PriceSolver = Literal["cpsat", "maxsat"]
"""How price ranges are optimised: CP-SAT on the family's integers (default) or MaxSAT (RC2)
on the price as weighted literals over the CNF (kept: it is the fallback where CP-SAT's 64-bit
integers do not fit, and the cheapest completion uses it)."""


class Engine:
    """A family compiled for configuration; create once per family version, query many times."""

    def __init__(
        self,
        family: Family,
        solver: SatSolver | None = None,
        *,
        budget: float = 0.5,
        shift: bool = True,
        price_solver: PriceSolver = "cpsat",
        prices: PriceRunner | None = None,
    ) -> None:
        self.family = family
        self.prices = prices  # where analyses prove price ranges (None: a pool thread here)
        self.price_solver = price_solver
        self._pricer: CpPricer | Literal[False] | None = None
        self.budget = budget
        self.shift = shift  # number domains from shifted witnesses (off: a call per value)
        self.enc = Encoding(family)
        self.solver: SatSolver = solver if solver is not None else PySatSolver(self.enc.cnf)
        self._own_solver = solver is None
        self.shed_at = 1.5  # a new solver when queries have grown the CNF past this factor
        self._rules = [s.lit for s in self.enc.selectors]
        self.shifter = Shifter(
            family, {k: v.attr for k, v in self.enc.vars.items() if isinstance(v, AttrVar)}
        )

    # --- inputs ---------------------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        """Every configuration key, in declaration order."""
        return list(self.enc.vars)

    def assumptions(self, choices: Mapping[str, Value]) -> list[int]:
        """The solver assumptions for ``choices``: every rule switched on, every choice held."""
        return self._base(choices)

    def _base(self, choices: Mapping[str, Value]) -> list[int]:
        return self._rules + [self.enc.value_lit(k, v) for k, v in choices.items()]

    def is_consistent(self, choices: Mapping[str, Value]) -> bool:
        """Whether some valid product keeps every choice."""
        return self.solver.solve(self._base(choices)) is not None

    # --- analysis -------------------------------------------------------------------------

    def analyze(self, choices: Mapping[str, Value], *, price: bool = True) -> Analysis:
        """Valid domains, status and price range under ``choices``."""
        self._shed()
        base = self._base(choices)
        model = self.solver.solve(base)
        if model is None:
            return Analysis("conflict", {}, None, None, self.explain(choices), dict(choices))
        pricer = self._cp_pricer() if price else None
        pending: PendingPrice | None = None
        if pricer is not None:
            runner = self.prices
            pending = runner.start(self.family, choices, self.budget) if runner else None
            pending = pending or pricer.start(choices, self.budget)
        domains = self.domains(choices, base, model)  # while CP-SAT prices, off the GIL
        status: Status = "complete" if all(len(d) == 1 for d in domains.values()) else "incomplete"
        lo = hi = None
        exact = True
        if pricer is not None and pending is not None:
            try:
                found = pending.result()
            except PriceLost as exc:
                log.warning("price range of %s priced here: %s", self.family.id, exc)
                found = pricer.price_range(choices, self.budget)
            lo, hi, exact = self._priced(choices, found)
        elif price:
            lo, hi, exact = self.price_range(choices)
        return Analysis(status, domains, lo, hi, None, dict(choices), exact)

    def domains(
        self,
        choices: Mapping[str, Value],
        base: Sequence[int] | None = None,
        model: frozenset[int] | None = None,
    ) -> dict[str, Domain]:
        """The valid domain of every key that can exist under ``choices`` (exact, backtrack-free).

        Raises :class:`Infeasible` when the choices conflict.
        """
        if base is None:
            self._shed()
            base = self._base(choices)
        if model is None:
            model = self.solver.solve(base)
        if model is None:
            raise Infeasible(f"no valid product: {self.explain(choices)}")
        support = Support(self.enc.vars)
        support.absorb(model)
        out: dict[str, Domain] = {}
        for key, var in self.enc.vars.items():
            if isinstance(var, AttrVar) and not self._can_exist(var, base, support):
                continue
            if isinstance(var, AttrVar) and isinstance(var.attr, NumberAttribute):
                shifter = self.shifter if self.shift and key not in choices else None
                search = NumberSearch(self.solver, self.enc, support, shifter, self._read)
                out[key] = search.domain(var, base, choices)
            else:
                out[key] = self._value_domain(var, base, support)
        return out

    def _shed(self) -> None:
        """Start a new solver on the family's own CNF once queries have grown it by
        :attr:`shed_at` (range and choice literals: an engine that had served 150 sessions took
        9-10 ms per wardrobe analysis instead of 5.3 ms; ``docs/benchmarks.md``)."""
        nv = self.enc.cnf.num_vars
        if self._own_solver and nv > self.shed_at * self.enc.base[0]:
            log.debug("%s: new solver (%d variables, %d at start)", self.family.id, nv,
                      self.enc.base[0])  # fmt: skip
            self.enc.shed()
            self.solver = PySatSolver(self.enc.cnf)

    def _can_exist(self, var: AttrVar, base: Sequence[int], support: Support) -> bool:
        if var.slot is None or support.exists(var.key):
            return True
        model = self.solver.solve([*base, var.active])
        if model is None:
            return False
        support.absorb(model)
        return True

    def _value_domain(self, var: Var, base: Sequence[int], support: Support) -> ValueDomain:
        options = candidates(var)
        for value in options:
            if support.has(var.key, value):
                continue
            model = self.solver.solve([*base, self.enc.value_lit(var.key, value)])
            if model is not None:
                support.absorb(model)
        ok = tuple(v for v in options if support.has(var.key, v))
        return ValueDomain(ok, tuple(v for v in options if v not in ok))

    # --- price ----------------------------------------------------------------------------

    def price_range(self, choices: Mapping[str, Value]) -> PriceRange:
        """The lowest and highest price of a valid product under ``choices``.

        Exact unless an optimisation ran out of its time budget; then the range is a proven
        envelope (no valid product is cheaper than ``min`` or dearer than ``max``) and
        ``exact`` is False.
        """
        base = self._base(choices)  # checks every choice's key and value
        pricer = self._cp_pricer()
        if pricer is not None:
            return self._priced(choices, pricer.price_range(choices, self.budget))
        return self._priced(
            choices, maxsat_range(self.enc.cnf, self.enc.price(), base, self.budget)
        )

    def _priced(self, choices: Mapping[str, Value], found: PriceRange | None) -> PriceRange:
        if found is None:
            raise Infeasible(f"no valid product: {self.explain(choices)}")
        if not found.exact:
            log.warning("price range of %s not proven within %.1f s", self.family.id, self.budget)
        return found

    def _cp_pricer(self) -> CpPricer | None:
        """The CP-SAT price model (built on first use); None where ``price_solver`` is RC2 or
        the family's arithmetic does not fit CP-SAT's integers."""
        if self.price_solver != "cpsat":
            return None
        if self._pricer is None:
            try:
                self._pricer = CpPricer(self.family)
            except Unsupported as exc:
                log.info("price range of %s by MaxSAT: %s", self.family.id, exc)
                self._pricer = False
        return self._pricer or None

    def price(self, configuration: Mapping[str, Value]) -> Decimal:
        """The price of a complete, valid configuration (refused otherwise)."""
        self.require_valid(configuration)
        return price_of(self.family, configuration)

    # --- completion -----------------------------------------------------------------------

    def complete(
        self, choices: Mapping[str, Value], objective: Objective = "defaults"
    ) -> dict[str, Value]:
        """A complete valid configuration that keeps ``choices``.

        ``defaults``: every open key takes its default where possible (in declaration order),
        numbers the feasible value nearest to their default (or grid midpoint); ``min_price``:
        the lowest price first, then the defaults. Raises :class:`Infeasible` on a conflict.
        """
        base = self._base(choices)
        model = self.solver.solve(base)
        if model is None:
            raise Infeasible(f"no valid product: {self.explain(choices)}")
        fixed = list(base)
        if objective == "min_price":
            best = optimize_linear(
                self.enc.cnf,
                self.enc.price(),
                base,
                ties=default_literals(self.enc, self.family),
                budget=self.budget,
            )
            if best is not None and best.model is not None:
                return self._read(best.model)
            log.warning("cheapest %s not proven within %.1f s: following defaults", self.family.id,
                        self.budget)  # fmt: skip
        for key, var in self.enc.vars.items():
            if key in choices:
                continue
            if isinstance(var, AttrVar) and var.active not in model:
                continue  # the instance does not exist (its count is already fixed)
            lit, new = self._prefer(var, fixed, model)
            fixed.append(lit)
            model = new
        return self._read(model)

    def _prefer(
        self, var: Var, fixed: list[int], model: frozenset[int]
    ) -> tuple[int, frozenset[int]]:
        if isinstance(var, AttrVar) and isinstance(var.attr, NumberAttribute):
            attr = var.attr
            target = (
                attr.index_of(attr.default) if attr.default is not None else (attr.size - 1) // 2
            )
            k = nearest_index(self.solver, self.enc, var, fixed, target)
            if k is None:  # pragma: no cover - the current model proves some index is feasible
                k = var.index_in(model)
            lit = self.enc.value_lit(var.key, attr.at(k))
            return lit, self.solver.solve([*fixed, lit]) or model
        for value in preferred_values(var, self.family):
            lit = self.enc.value_lit(var.key, value)
            if lit in model:
                return lit, model
            new = self.solver.solve([*fixed, lit])
            if new is not None:
                return lit, new
        raise Infeasible(f"internal: no value of {var.key} is feasible")  # pragma: no cover

    def _read(self, model: frozenset[int]) -> dict[str, Value]:
        out: dict[str, Value] = {}
        for key, var in self.enc.vars.items():
            if isinstance(var, AttrVar) and var.active not in model:
                continue
            out[key] = var.value_of(model)
        return out

    # --- validation and explanation -------------------------------------------------------

    def validate(self, configuration: Mapping[str, Value]) -> list[Violation]:
        """The rules a full configuration breaks (empty when valid); malformed input raises."""
        return validate(self.family, configuration)

    def require_valid(self, configuration: Mapping[str, Value]) -> None:
        """Raise :class:`Refused` with every broken rule unless ``configuration`` is valid."""
        broken = self.validate(configuration)
        if broken:
            raise Refused(broken)

    def explain(self, choices: Mapping[str, Value]) -> Conflict:
        """A minimal set of choices and rules that cannot hold together."""
        lits = {self.enc.value_lit(k, v): f"{k}={value_text(v)}" for k, v in choices.items()}
        rules = {s.lit: s.rule for s in self.enc.selectors}
        core = minimal_core(self.solver, [], [*lits, *rules])
        return Conflict(
            tuple(lits[x] for x in core if x in lits),
            tuple(
                Violation(rules[x].id, rules[x].message, rules[x].span) for x in core if x in rules
            ),
        )

    def why(self, choices: Mapping[str, Value], key: str, value: Value) -> Why:
        """Why ``key=value`` is not available under ``choices``: minimal choices and rules.

        A choice on ``key`` itself is set aside (the question is what else excludes the value).
        """
        target = self.enc.value_lit(key, value)
        text = f"{key}={value_text(value)}"
        lits = {self.enc.value_lit(k, v): f"{k}={value_text(v)}" for k, v in choices.items()
                if k != key}  # fmt: skip
        rules = {s.lit: s.rule for s in self.enc.selectors}
        found = why_core(self.solver, [target], list(lits), list(rules))
        if found is None:
            return Why(text, True, Conflict((), ()))
        core_choices, core_rules = found
        return Why(
            text,
            False,
            Conflict(
                tuple(lits[x] for x in core_choices),
                tuple(Violation(rules[x].id, rules[x].message, rules[x].span) for x in core_rules),
            ),
        )

    def repair(self, choices: Mapping[str, Value], key: str, value: Value) -> Repair:
        """The fewest choices to drop so that ``key=value`` becomes possible (a one-click fix).

        Ties keep the earliest choices (the most recent ones are dropped first).
        """
        target = self.enc.value_lit(key, value)
        text = f"{key}={value_text(value)}"
        lits = {self.enc.value_lit(k, v): f"{k}={value_text(v)}" for k, v in choices.items()
                if k != key}  # fmt: skip
        drop = min_correction(self.solver, [*self._rules, target], list(lits))
        if drop is None:
            return Repair(text, (), False)
        return Repair(text, tuple(lits[x] for x in drop), True)
