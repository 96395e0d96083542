"""Checking and pricing complete configurations with the reference evaluator (no solver)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

from lotone.errors import InvalidValue, UnknownName, Violation
from lotone.model.evaluate import evaluate, holds
from lotone.model.family import (
    Attribute,
    BoolAttribute,
    ConstraintRule,
    EnumAttribute,
    Family,
    Rule,
    TableRule,
    Value,
    count_key,
    instance_key,
)

__all__ = ["check_values", "expected_keys", "price_of", "rule_holds", "validate"]


def expected_keys(family: Family, counts: Mapping[str, int]) -> Iterator[tuple[str, Attribute]]:
    """Every attribute key a complete configuration with these slot counts must give."""
    for attr in family.attributes:
        yield attr.name, attr
    for slot in family.slots:
        for i in range(1, counts[slot.name] + 1):
            for attr in slot.attributes:
                yield instance_key(slot.name, i, attr.name), attr


def _check_value(key: str, attr: Attribute, value: Value) -> None:
    if isinstance(attr, EnumAttribute):
        if not isinstance(value, str):
            raise InvalidValue(key, value, "expected the name of one of its values")
        attr.value(value)  # raises UnknownName with a did-you-mean
    elif isinstance(attr, BoolAttribute):
        if not isinstance(value, bool):
            raise InvalidValue(key, value, "expected true or false")
    else:
        if isinstance(value, bool) or not isinstance(value, Decimal):
            raise InvalidValue(key, value, "expected a number")
        if not attr.allows(value):
            unit = f" {attr.unit}" if attr.unit else ""
            raise InvalidValue(
                key,
                value,
                f"allowed values are {attr.min}..{attr.max}{unit} in steps of {attr.step}",
            )


def check_values(family: Family, configuration: Mapping[str, Value]) -> dict[str, int]:
    """Check that ``configuration`` is complete and well-typed; return the slot counts.

    Raises :class:`UnknownName` for unknown keys and :class:`InvalidValue` for missing or
    ill-typed values.
    """
    counts: dict[str, int] = {}
    for slot in family.slots:
        raw = configuration.get(count_key(slot.name))
        if raw is None:
            raise InvalidValue(count_key(slot.name), None, "missing: how many instances?")
        if isinstance(raw, bool) or not isinstance(raw, Decimal) or raw != int(raw):
            raise InvalidValue(count_key(slot.name), raw, "expected a whole number")
        if not slot.min_count <= int(raw) <= slot.max_count:
            raise InvalidValue(
                count_key(slot.name), raw, f"between {slot.min_count} and {slot.max_count}"
            )
        counts[slot.name] = int(raw)
    known = {count_key(s.name) for s in family.slots}
    for key, attr in expected_keys(family, counts):
        known.add(key)
        if key not in configuration:
            raise InvalidValue(key, None, "missing: a complete configuration sets every attribute")
        _check_value(key, attr, configuration[key])
    for key in configuration:
        if key not in known:
            raise UnknownName("attribute", key, known, family.id)
    return counts


def _instances(rule: Rule, counts: Mapping[str, int]) -> list[int | None]:
    if rule.slot is None:
        return [None]
    return list(range(1, counts[rule.slot] + 1))


def _table_holds(
    rule: TableRule, family: Family, config: Mapping[str, Value], inst: int | None
) -> bool:
    if rule.when is not None and not holds(rule.when, config, family, instance=inst):
        return True
    cells = [evaluate(c, config, family, instance=inst) for c in rule.columns]
    return any(
        all(want is None or want == got for want, got in zip(row, cells, strict=True))
        for row in rule.rows
    )


def rule_holds(
    family: Family, rule: Rule, configuration: Mapping[str, Value], inst: int | None
) -> bool:
    """Whether one rule (of instance ``inst`` for a module rule) holds in a configuration."""
    if isinstance(rule, ConstraintRule):
        return holds(rule.expr, configuration, family, instance=inst)
    return _table_holds(rule, family, configuration, inst)


def validate(family: Family, configuration: Mapping[str, Value]) -> list[Violation]:
    """Every rule a complete configuration breaks, in declaration order (empty when valid)."""
    counts = check_values(family, configuration)
    out: list[Violation] = []
    for rule in family.all_rules():
        for inst in _instances(rule, counts):
            if not rule_holds(family, rule, configuration, inst):
                where = f" (in {rule.slot} {inst})" if inst is not None else ""
                out.append(Violation(rule.id, rule.message + where, rule.span))
    return out


def price_of(family: Family, configuration: Mapping[str, Value]) -> Decimal:
    """The price of a complete configuration: base, value deltas, module prices and terms."""
    counts = check_values(family, configuration)
    total = family.pricing.base
    for key, attr in expected_keys(family, counts):
        value = configuration[key]
        if isinstance(attr, EnumAttribute) and isinstance(value, str):
            total += attr.value(value).price
        elif isinstance(attr, BoolAttribute) and value is True:
            total += attr.price
    for slot in family.slots:
        total += slot.price * counts[slot.name]
    for term in family.pricing.terms:
        insts: list[int | None] = [None]
        if term.slot is not None:
            insts = list(range(1, counts[term.slot] + 1))
        for inst in insts:
            if term.when is None or holds(term.when, configuration, family, instance=inst):
                amount = evaluate(term.amount, configuration, family, instance=inst)
                if not isinstance(amount, Decimal):
                    raise InvalidValue("price", amount, "a price term must be a number")
                total += amount
    return total
