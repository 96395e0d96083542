"""A family's production sections, compiled once for fast explosion (:mod:`.compiled`).

:func:`plan_of` memoizes the plan of the last few families by identity (a family is frozen, so
its plan never goes stale); everything else in :mod:`lotone.produce` is a pure function of its
arguments.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from lotone.errors import LotoneError
from lotone.model.ast import Node
from lotone.model.compiled import Bound, Compiled, CompiledRule, compile_expression, compile_rule
from lotone.model.family import Family, Value
from lotone.model.production import BomEntry, Operation, Part, QcCheck

__all__ = ["Formula", "Plan", "plan_of"]

_CACHE: OrderedDict[int, tuple[Family, Plan]] = OrderedDict()
_CACHE_SIZE = 32


@dataclass(frozen=True, slots=True)
class Formula:
    """A compiled numeric formula or condition."""

    run: Compiled

    def number(self, values: Mapping[str, Value], bound: Bound) -> Decimal:
        """The formula's value; must be a number."""
        value = self.run(values, bound)
        if not isinstance(value, Decimal):
            raise LotoneError(f"internal: a production formula gave {value!r}, not a number")
        return value

    def holds(self, values: Mapping[str, Value], bound: Bound) -> bool:
        """The condition's value."""
        return bool(self.run(values, bound))


def _compile(node: Node | None, family: Family) -> Formula | None:
    return None if node is None else Formula(compile_expression(node, family))


def _must(node: Node, family: Family) -> Formula:
    return Formula(compile_expression(node, family))


@dataclass(frozen=True, slots=True)
class PlannedLine:
    """A BOM line with its compiled condition and quantity."""

    entry: BomEntry
    when: Formula | None
    quantity: Formula


@dataclass(frozen=True, slots=True)
class PlannedOperation:
    """A routing operation with its compiled condition, times and envelope."""

    op: Operation
    when: Formula | None
    setup: Formula | None
    run: Formula
    envelope: tuple[Formula, ...]


@dataclass(frozen=True, slots=True)
class PlannedCheck:
    """A QC check with its compiled condition, nominal value and tolerance."""

    check: QcCheck
    when: Formula | None
    nominal: Formula | None
    tolerance: Formula | None


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything :func:`lotone.produce.explode` evaluates, compiled for one family."""

    parts: Mapping[str, Part]
    bom: tuple[PlannedLine, ...]
    routing: Mapping[str, PlannedOperation]
    qc: tuple[PlannedCheck, ...]
    rules: tuple[CompiledRule, ...] = ()

    def valid(self, values: Mapping[str, Value], counts: Mapping[str, int]) -> bool:
        """Whether a complete, well-typed configuration keeps every rule (compiled check).

        Call inside ``localcontext(EXACT)`` after ``check_values``; the reference validator
        (``configure.validate``) stays the judge of refusals and their messages.
        """
        for rule in self.rules:
            if rule.slot is None:
                if not rule.holds(values, {}):
                    return False
                continue
            for inst in range(1, counts[rule.slot] + 1):
                if not rule.holds(values, {rule.slot: inst}):
                    return False
        return True

    @classmethod
    def build(cls, family: Family) -> Plan:
        """Compile the production sections of ``family``."""
        prod = family.production
        bom = tuple(
            PlannedLine(b, _compile(b.when, family), _must(b.quantity, family)) for b in prod.bom
        )
        routing = {
            op.id: PlannedOperation(
                op,
                _compile(op.when, family),
                _compile(op.setup, family),
                _must(op.run, family),
                tuple(_must(e, family) for e in op.envelope),
            )
            for op in prod.routing
        }
        qc = tuple(
            PlannedCheck(
                q,
                _compile(q.when, family),
                _compile(q.nominal, family),
                _compile(q.tolerance, family),
            )
            for q in prod.qc
        )
        rules = tuple(compile_rule(r, family) for r in family.all_rules())
        return cls({p.id: p for p in prod.parts}, bom, routing, qc, rules)


def plan_of(family: Family) -> Plan:
    """The compiled plan of ``family`` (memoized for the last 32 families, by identity)."""
    hit = _CACHE.get(id(family))
    if hit is not None and hit[0] is family:
        _CACHE.move_to_end(id(family))
        return hit[1]
    plan = Plan.build(family)
    _CACHE[id(family)] = (family, plan)
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return plan
