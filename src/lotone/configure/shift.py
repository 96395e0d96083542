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

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, localcontext

from lotone.configure.shift_lines import Lin, Opaque, Truth, Walk, first_gap, first_true
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

Check = tuple[int, CompiledRule | None, dict[str, int], Rule]  # (mark, compiled, bound, rule)
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

    def __init__(
        self, family: Family, attributes: Mapping[str, Attribute], *, lines: bool = True
    ) -> None:
        self.family = family
        self.lines = lines  # find each stretch of a walk at once (shift_lines), else step by step
        self.probe = 2  # steps of a stretch checked one by one before the stretch is solved
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
                    index.setdefault(key, []).append((mark, check, bound, rule))
                mark += 1
        return index

    def partners(self, product: Mapping[str, Value], key: str) -> list[str]:
        """Other number keys that some rule reading ``key`` also reads (candidates to move
        in step with it), in the order the index holds them."""
        index = self._index(product)
        mine = {check[0] for check in index.get(key, ())}
        return [
            other
            for other, checks in index.items()
            if other != key
            and isinstance(product.get(other), Decimal)
            and any(check[0] in mine for check in checks)
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
                for mark, check, bound, _ in index.get(key, ()):
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
        At each step the walk keeps its way of moving (alone, or with the partner of the last
        step going the other way) while that holds, and otherwise tries every other way. With
        :attr:`lines` on, each stretch of one way is found at once (:meth:`_stretch`); the
        steps taken are the same as walking one step at a time.
        """
        step = 1 if stop >= start else -1
        ks = range(start, stop + step, step)
        out: list[int] = []
        current = dict(product)
        index = self._index(product)  # shifts move numbers only: the counts, and so the index,
        last: str | None = None  # stay; last: the partner of the last paired step (or None)
        i = 0
        with localcontext(EXACT):
            while i < len(ks):
                if self.lines and out:  # the first step finds a way, the stretch follows it
                    n, current = self._stretch(index, current, key, attr, ks[i:], last)
                    out += ks[i : i + n]
                    i += n
                    if i == len(ks):
                        break
                value = attr.at(ks[i])
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
                out.append(ks[i])
                i += 1
        return out

    def _stretch(
        self,
        index: dict[str, list[Check]],
        current: dict[str, Value],
        key: str,
        attr: NumberAttribute,
        ks: range,
        partner: str | None,
    ) -> tuple[int, dict[str, Value]]:
        """How many of the steps ``ks`` the walk takes its current way, and the product after
        them: ``key`` alone; or with ``partner`` going the other way (the walk's first try),
        else with ``partner`` going the same way while the first try fails."""
        d = attr.step * ks.step
        x0 = attr.at(ks[0]) - d
        n = len(ks)
        if current[key] != x0:  # pragma: no cover - a walk always starts next to its model
            return 0, current
        if partner is None:
            return self._take(index, current, {key: Lin(d, x0)}, n)
        y0 = current[partner]
        grid = self._grid(partner)
        if grid is None or not isinstance(y0, Decimal) or d % grid.step != 0:
            return 0, current
        taken = self._take(index, current, {key: Lin(d, x0), partner: Lin(-d, y0)}, n)
        if taken[0]:
            return taken
        first = self._truth(index, current, {key: Lin(d, x0), partner: Lin(d, y0 - 2 * d)}, n)
        if first is None:
            return 0, current
        at = first_true(first)
        limit = n if at is None else at - 1
        return self._take(index, current, {key: Lin(d, x0), partner: Lin(d, y0)}, limit)

    def _checks(self, index: dict[str, list[Check]], keys: Iterable[str]) -> list[Check]:
        """The rule instances that read one of ``keys``, each once."""
        seen: set[int] = set()
        out = []
        for k in keys:
            for check in index.get(k, ()):
                if check[0] not in seen:
                    seen.add(check[0])
                    out.append(check)
        return out

    def _truth(
        self, index: dict[str, list[Check]], current: dict[str, Value], moving: dict[str, Lin],
        n: int,
    ) -> Truth | None:  # fmt: skip
        """The steps ``1..n`` at which every rule reading a moving key holds and every
        partner stays on its grid; None when a rule leaves the linear fragment."""
        walk = Walk(self.family, current, moving, n)
        held: Truth = self._on_grid(walk, moving)
        for _, compiled, bound, rule in self._checks(index, moving):
            if held is False:
                break
            if compiled is None:
                return False
            try:
                held = walk.both(held, walk.rule(rule, bound))
            except Opaque:
                return None
        return held

    def _on_grid(self, walk: Walk, moving: dict[str, Lin]) -> Truth:
        held: Truth = True
        for k, line in list(moving.items())[1:]:  # the partner stays within its grid
            grid = self._grid(k)
            assert grid is not None
            held = walk.both(held, walk.within(line, grid.min, grid.max))
        return held

    def _take(
        self, index: dict[str, list[Check]], current: dict[str, Value], moving: dict[str, Lin],
        n: int,
    ) -> tuple[int, dict[str, Value]]:  # fmt: skip
        """The steps ``1, 2, ...`` (at most ``n``) along ``moving`` before the first at which a
        rule reading a moving key fails or a partner leaves its grid, and the product there."""
        if n == 0:
            return 0, current
        for t in range(1, min(n, self.probe) + 1):  # most stretches end within a step or two:
            if not self._steps_ok(index, current, moving, t):  # those cost no analysis
                return t - 1, (_at(current, moving, t - 1) if t > 1 else current)
        walk = Walk(self.family, current, moving, n)
        n = first_gap(self._on_grid(walk, moving), n)
        opaque: list[Check] = []
        for check in self._checks(index, moving):
            _, compiled, bound, rule = check
            if n == 0:
                break
            if compiled is None:
                return 0, current
            try:
                n = first_gap(walk.rule(rule, bound), n)
            except Opaque:
                opaque.append(check)
        for _, compiled, bound, _ in opaque:  # step by step, as far as the others allow
            assert compiled is not None
            for t in range(1, n + 1):
                try:
                    ok = compiled.holds(_at(current, moving, t), bound)
                except _REFUSED:
                    ok = False
                if not ok:
                    n = t - 1
                    break
        return n, (_at(current, moving, n) if n else current)

    def _steps_ok(
        self, index: dict[str, list[Check]], current: dict[str, Value], moving: dict[str, Lin],
        t: int,
    ) -> bool:  # fmt: skip
        """Whether step ``t`` of a walk keeps every partner on its grid and every rule
        reading a moving key."""
        trial = _at(current, moving, t)
        for k in list(moving)[1:]:
            grid = self._grid(k)
            if grid is None or not grid.min <= trial[k] <= grid.max:  # type: ignore[operator]
                return False
        return self._holds(index, trial, tuple(moving))

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


def _at(product: dict[str, Value], moving: dict[str, Lin], t: int) -> dict[str, Value]:
    """The product at step ``t`` of a walk."""
    return {**product, **{k: line.b + line.a * t for k, line in moving.items()}}
