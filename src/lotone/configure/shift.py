"""Shifting witnesses: more supported values per solver call.

A model of the solver is a complete valid product, so each of its values is supported. The same
product with one number moved to a neighbouring grid value, or with two numbers moved in step
(one up, one down, as a sum of section widths asks), is another complete product; if it still
satisfies every rule that reads the moved numbers (all other rules read nothing that changed),
it is valid too and supports the new value. Checking those few rules (compiled closures with
the reference evaluator's meaning, :mod:`lotone.model.compiled`) takes microseconds, a solver
call about half a millisecond; so a number's domain is found as runs of shifted values around
each model, and the solver is asked only about the gaps between runs.

The certificate is exact, never a guess: a shifted product is accepted only when it satisfies
every rule that could have changed, evaluated exactly as the reference evaluator does.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal, localcontext

from lotone.errors import LotoneError
from lotone.model.ast import (
    Aggregate,
    AttrRef,
    Binary,
    Call,
    InList,
    Node,
    PropRef,
    Unary,
)
from lotone.model.compiled import EXACT, CompiledRule, compile_rule
from lotone.model.family import (
    Attribute,
    ConstraintRule,
    Family,
    NumberAttribute,
    Rule,
    Value,
    count_key,
    instance_key,
)

__all__ = ["Shifter"]

Check = tuple[int, CompiledRule | None, dict[str, int]]  # (mark, compiled rule, its bound)
_REFUSED = (LotoneError, ArithmeticError, ValueError, KeyError, TypeError)


def _refs(node: Node, inst: int | None, ranged: frozenset[str]) -> Iterator[tuple[str, bool]]:
    """(attribute key or ``slot.*name``, is-aggregate) pairs that ``node`` reads."""
    if isinstance(node, AttrRef):
        if node.slot is None:
            yield node.attribute, False
        elif node.index is not None:
            yield instance_key(node.slot, node.index, node.attribute), False
        elif node.slot in ranged:
            yield f"{node.slot}.*{node.attribute}", True
        elif inst is not None:
            yield instance_key(node.slot, inst, node.attribute), False
    elif isinstance(node, PropRef):
        yield from _refs(node.ref, inst, ranged)
    elif isinstance(node, Unary):
        yield from _refs(node.operand, inst, ranged)
    elif isinstance(node, Binary):
        yield from _refs(node.left, inst, ranged)
        yield from _refs(node.right, inst, ranged)
    elif isinstance(node, InList):
        yield from _refs(node.operand, inst, ranged)
        for item in node.items:
            yield from _refs(item, inst, ranged)
    elif isinstance(node, Call):
        for arg in node.args:
            yield from _refs(arg, inst, ranged)
    elif isinstance(node, Aggregate):
        yield from _refs(node.body, inst, ranged | {node.slot})


def _compiled(rule: Rule, family: Family) -> CompiledRule | None:
    """The rule as closures; None if the compiler does not take it (it never certifies)."""
    try:
        return compile_rule(rule, family)
    except LotoneError:
        return None


def _rule_nodes(rule: Rule) -> list[Node]:
    if isinstance(rule, ConstraintRule):
        return [rule.expr]
    return [*rule.columns, *([rule.when] if rule.when is not None else [])]


class Shifter:
    """Which rules read which keys, and shifted products checked against exactly those."""

    def __init__(self, family: Family, attributes: Mapping[str, Attribute]) -> None:
        self.family = family
        self._attrs = attributes  # configuration key -> its attribute
        self._rules = [(rule, _compiled(rule, family)) for rule in family.all_rules()]
        self._by_counts: dict[tuple[int, ...], dict[str, list[Check]]] = {}

    def _index(self, product: Mapping[str, Value]) -> dict[str, list[Check]]:
        counts = tuple(int(product[count_key(s.name)]) for s in self.family.slots)
        index = self._by_counts.get(counts)
        if index is None:
            names = [s.name for s in self.family.slots]
            index = self._build(dict(zip(names, counts, strict=True)))
            self._by_counts[counts] = index
        return index

    def _build(self, counts: Mapping[str, int]) -> dict[str, list[Check]]:
        """Per key, the rule instances that read it, each with its own mark."""
        index: dict[str, list[Check]] = {}
        mark = 0
        for rule, check in self._rules:
            insts: list[int | None] = [None]
            if rule.slot is not None:
                insts = list(range(1, counts[rule.slot] + 1))
            for inst in insts:
                keys: set[str] = set()
                for node in _rule_nodes(rule):
                    for ref, ranged in _refs(node, inst, frozenset()):
                        if not ranged:
                            keys.add(ref)
                            continue
                        slot, name = ref.split(".*", 1)
                        keys.update(instance_key(slot, i, name) for i in range(1, counts[slot] + 1))
                bound = {} if rule.slot is None or inst is None else {rule.slot: inst}
                for key in keys:
                    index.setdefault(key, []).append((mark, check, bound))
                mark += 1
        return index

    def partners(self, product: Mapping[str, Value], key: str) -> list[str]:
        """Other number keys that some rule reading ``key`` also reads (candidates to move
        in step with it), in the order the index holds them."""
        index = self._index(product)
        mine = {mark for mark, _, _ in index.get(key, ())}
        return [
            other
            for other, checks in index.items()
            if other != key
            and isinstance(product.get(other), Decimal)
            and any(mark in mine for mark, _, _ in checks)
        ]

    def holds(self, product: Mapping[str, Value], keys: tuple[str, ...]) -> bool:
        """Whether every rule that reads one of ``keys`` holds in ``product``."""
        with localcontext(EXACT):
            return self._holds(self._index(product), product, keys)

    @staticmethod
    def _holds(
        index: dict[str, list[Check]], product: Mapping[str, Value], keys: tuple[str, ...]
    ) -> bool:
        """:meth:`holds` with the product's rule index at hand (in ``localcontext(EXACT)``)."""
        seen: set[int] = set()
        try:
            for key in keys:
                for mark, check, bound in index.get(key, ()):
                    if mark in seen:
                        continue
                    seen.add(mark)
                    if check is None or not check.holds(product, bound):
                        return False
        except _REFUSED:  # a value the evaluator refuses (say, a division by zero)
            return False
        return True

    def run(
        self,
        product: dict[str, Value],
        key: str,
        attr: NumberAttribute,
        start: int,
        stop: int,
        movable: list[str],
    ) -> list[int]:
        """Grid indices of ``key`` from ``start`` towards ``stop`` (inclusive, either way)
        reached by shifting ``product`` one step at a time, up to the first that fails.

        ``movable`` are the number keys that may move in step (not chosen by the customer).
        """
        step = 1 if stop >= start else -1
        out: list[int] = []
        current = dict(product)
        index = self._index(product)  # shifts move numbers only: the counts, and so the index,
        last: str | None = None  # stay; last: the partner of the last paired step (or None)
        with localcontext(EXACT):
            for k in range(start, stop + step, step):
                value = attr.at(k)
                delta = value - current[key]  # type: ignore[operator]
                moved = self._single(index, current, key, value) if last is None else None
                if moved is None:
                    moved, partner = self._paired(index, current, key, value, delta, movable, last)
                    if moved is None and last is not None:
                        moved = self._single(index, current, key, value)
                    last = partner
                if moved is None:
                    break
                current = moved
                out.append(k)
        return out

    def _single(
        self, index: dict[str, list[Check]], product: dict[str, Value], key: str, value: Decimal
    ) -> dict[str, Value] | None:
        trial = {**product, key: value}
        return trial if self._holds(index, trial, (key,)) else None

    def _paired(
        self,
        index: dict[str, list[Check]],
        product: dict[str, Value],
        key: str,
        value: Decimal,
        delta: Decimal,
        movable: list[str],
        first: str | None,
    ) -> tuple[dict[str, Value] | None, str | None]:
        order = [first] if first is not None else []
        order += [p for p in movable if p != first]
        for other in order:
            grid = self._grid(other)
            old = product[other]
            if grid is None or not isinstance(old, Decimal):
                continue
            for moved in (old - delta, old + delta):
                if not grid.allows(moved):
                    continue
                trial = {**product, key: value, other: moved}
                if self._holds(index, trial, (key, other)):
                    return trial, other
        return None, None

    def _grid(self, key: str) -> NumberAttribute | None:
        attr = self._attrs.get(key)
        return attr if isinstance(attr, NumberAttribute) else None
