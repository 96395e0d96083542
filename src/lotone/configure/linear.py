"""Prices as weighted sums of literals, optimised with MaxSAT (RC2) instead of adder circuits.

A price is ``constant + sum(weight * literal)``: value deltas are weights on value literals,
numbers are weights on their grid bits, products of two numbers are weights on the AND of their
bits, and conditions gate terms with an AND. Minimising such a sum is weighted MaxSAT, which
core-guided solvers do well, whereas bounding the output of an adder tree (or a multiplier) is
hard for plain CDCL search.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from lotone.configure.answers import PriceRange
from lotone.configure.cnf import Cnf
from lotone.configure.compile import Binding, Lowering
from lotone.configure.variables import CountVar, scale_of
from lotone.model.ast import Aggregate, AttrRef, Binary, CountRef, Literal, Node, PropRef, Unary
from lotone.model.family import EnumAttribute

__all__ = ["Linear", "Linearizer", "Optimum", "maxsat_range", "optimize_linear"]


@dataclass(slots=True)
class Linear:
    """``(constant + sum(w * lit)) / 10**scale`` with integer weights."""

    constant: int = 0
    weights: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    scale: int = 0

    def rescaled(self, scale: int) -> Linear:
        """The same sum at a finer scale."""
        k = 10 ** (scale - self.scale)
        out = Linear(self.constant * k, defaultdict(int), scale)
        for lit, w in self.weights.items():
            out.weights[lit] += w * k
        return out

    def times(self, k: int, scale: int = 0) -> Linear:
        """The sum multiplied by ``k / 10**scale``."""
        out = Linear(self.constant * k, defaultdict(int), self.scale + scale)
        for lit, w in self.weights.items():
            out.weights[lit] += w * k
        return out


def _plus(a: Linear, b: Linear) -> Linear:
    s = max(a.scale, b.scale)
    a, b = a.rescaled(s), b.rescaled(s)
    out = Linear(a.constant + b.constant, defaultdict(int), s)
    for src in (a.weights, b.weights):
        for lit, w in src.items():
            out.weights[lit] += w
    return out


class Linearizer:
    """Lowers numeric expressions to :class:`Linear` sums where that is exact."""

    def __init__(self, lower: Lowering) -> None:
        self.lower = lower
        self.cnf: Cnf = lower.cnf

    @staticmethod
    def plus(a: Linear, b: Linear) -> Linear:
        """``a + b``."""
        return _plus(a, b)

    def const(self, value: Decimal) -> Linear:
        """A constant."""
        s = scale_of(value)
        return Linear(int(value.scaleb(s)), defaultdict(int), s)

    def gate(self, c: int, a: Linear) -> Linear:
        """``a`` where the literal ``c`` holds, else 0."""
        if c == self.cnf.true:
            return a
        out = Linear(0, defaultdict(int), a.scale)
        if c == self.cnf.false:
            return out
        if a.constant:
            out.weights[c] += a.constant
        for lit, w in a.weights.items():
            out.weights[self.cnf.and_([c, lit])] += w
        return out

    def expr(self, node: Node, bind: Binding = None) -> Linear:
        """The linear form of a numeric expression (falls back to its exact bit-vector)."""
        match node:
            case Literal(value=Decimal() as v):
                return self.const(v)
            case PropRef(ref=ref, prop=prop):
                var = self.lower.attr_var(ref, bind)
                if isinstance(var.attr, EnumAttribute):
                    out = Linear()
                    for val, lit in zip(var.attr.values, var.lits, strict=True):
                        out = _plus(out, self.gate(lit, self.const(val.properties[prop])))
                    return out
            case CountRef(slot=s):
                cvar = self.lower.vars[f"{s}.count"]
                if isinstance(cvar, CountVar):
                    out = Linear(cvar.min_count)
                    for a in cvar.active[cvar.min_count :]:
                        out.weights[a] += 1
                    return out
            case Unary(op="-", operand=x):
                return self.expr(x, bind).times(-1)
            case Binary(op="+", left=a, right=b):
                return _plus(self.expr(a, bind), self.expr(b, bind))
            case Binary(op="-", left=a, right=b):
                return _plus(self.expr(a, bind), self.expr(b, bind).times(-1))
            case Binary(op="*", left=a, right=b):
                return self._product(self.expr(a, bind), self.expr(b, bind))
            case Binary(op="/", left=a, right=Literal(value=Decimal() as k)):
                inv = (Decimal(1) / k).normalize()
                digits = scale_of(inv)
                return self.expr(a, bind).times(int(inv.scaleb(digits)), digits)
            case Aggregate(func="sum", slot=slot, body=body):
                out = Linear()
                for i, act in self.lower._inst(slot):
                    out = _plus(out, self.gate(act, self.expr(body, (slot, i))))
                return out
            case AttrRef():
                pass
        return self._bits(node, bind)

    def _bits(self, node: Node, bind: Binding) -> Linear:
        num = self.lower.number(node, bind)
        out = Linear(num.offset, defaultdict(int), num.scale)
        for i, b in enumerate(num.bits):
            out.weights[b] += 1 << i
        return out

    def _product(self, a: Linear, b: Linear) -> Linear:
        out = Linear(a.constant * b.constant, defaultdict(int), a.scale + b.scale)
        for la, wa in a.weights.items():
            out.weights[la] += wa * b.constant
            for lb, wb in b.weights.items():
                out.weights[self.cnf.and_([la, lb])] += wa * wb
        for lb, wb in b.weights.items():
            out.weights[lb] += wb * a.constant
        return out


@dataclass(frozen=True, slots=True)
class Optimum:
    """The result of :func:`optimize_linear`.

    ``exact``: ``value`` is the optimum and ``model`` reaches it. Otherwise the time budget ran
    out: ``value`` is a proven bound (a lower bound when minimising, an upper bound when
    maximising) and ``model`` is None.
    """

    value: int
    model: frozenset[int] | None
    exact: bool


def optimize_linear(
    cnf: Cnf, objective: Linear, base: Sequence[int], *, maximize: bool = False,
    ties: Sequence[int] = (), budget: float | None = 0.5, blo: str = "full",
) -> Optimum | None:  # fmt: skip
    """The least (or greatest) scaled value of ``objective`` under ``base``.

    Weighted MaxSAT (RC2 over Glucose 4): every weighted literal is a soft clause. ``ties`` are
    literals preferred among the optimal solutions (each worth less than one unit of the
    objective). ``blo``: RC2's stratification (``full`` boolean lexicographic optimisation by
    default; ``div`` was the default before and is kept for benchmarks). After ``budget``
    seconds the search stops and returns the bound it has proven. None when ``base`` is
    unsatisfiable.
    """
    from pysat.examples.rc2 import RC2Stratified  # lazily: only optimisation needs it
    from pysat.formula import WCNF

    wcnf = WCNF()
    # the hard part is the engine's own clauses (RC2 only reads them): no per-clause copy
    wcnf.hard = [*cnf.clauses, *([lit] for lit in base)]
    wcnf.nv = cnf.num_vars
    unit = len(ties) + 1
    shift = 0  # objective (negated when maximising) = constant + shift + cost / unit
    for lit, w in objective.weights.items():
        w = -w if maximize else w
        if w == 0 or abs(lit) == cnf.true:
            shift += w if lit == cnf.true else 0
            continue
        if w > 0:
            wcnf.append([-lit], weight=w * unit)
        else:
            shift += w
            wcnf.append([lit], weight=-w * unit)
    for lit in ties:
        wcnf.append([lit], weight=1)
    sign = -1 if maximize else 1
    if not wcnf.soft:  # nothing to optimise: any model will do
        from pysat.solvers import Solver

        with Solver(name="g4", bootstrap_with=wcnf.hard) as sat:
            if not sat.solve():
                return None
            found = frozenset(sat.get_model() or ())
            value = objective.constant + sum(w for x, w in objective.weights.items() if x in found)
            return Optimum(value, found, True)
    with RC2Stratified(wcnf, solver="g4", adapt=True, exhaust=True, minz=True, blo=blo) as rc2:
        timer = None
        stopped = threading.Event()  # set before the interrupt: RC2 sets its own flag after

        def stop() -> None:
            stopped.set()
            rc2.interrupt()

        if budget is not None:
            timer = threading.Timer(budget, stop)
            timer.start()
        try:
            model = rc2.compute(expect_interrupt=budget is not None)
        finally:
            if timer is not None:
                timer.cancel()
        if model is None and not stopped.is_set():
            return None
        if model is None or stopped.is_set():
            bound = sign * objective.constant + shift + rc2.cost // unit
            return Optimum(sign * bound, None, False)
        chosen = frozenset(model)
    value = objective.constant + sum(w for lit, w in objective.weights.items() if lit in chosen)
    return Optimum(value, chosen, True)


def maxsat_range(
    cnf: Cnf, price: Linear, base: Sequence[int], budget: float | None
) -> PriceRange | None:
    """The least and greatest ``price`` under ``base`` by :func:`optimize_linear` (each within
    ``budget``); None when ``base`` is unsatisfiable."""
    lo = optimize_linear(cnf, price, base, budget=budget)
    hi = optimize_linear(cnf, price, base, maximize=True, budget=budget)
    if lo is None or hi is None:
        return None
    scale = -price.scale
    return PriceRange(
        Decimal(lo.value).scaleb(scale), Decimal(hi.value).scaleb(scale), lo.exact and hi.exact
    )
