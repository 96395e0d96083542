"""Hypothesis strategies for small random families, and brute-force enumeration of their products.

The families use every construct the engine encodes: enumerated values with prices and numeric
properties, booleans, integer and decimal numbers, a module slot with a count range, module rules,
aggregates, arithmetic (+ - * / by a constant), if/abs/min/max, membership and tables.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from decimal import Decimal as D

from hypothesis import strategies as st

from lotone.model.ast import (
    Aggregate,
    AttrRef,
    Binary,
    Call,
    CountRef,
    InList,
    Literal,
    Node,
    PropRef,
    Unary,
)
from lotone.model.evaluate import holds
from lotone.model.family import (
    Attribute,
    BoolAttribute,
    ConstraintRule,
    EnumAttribute,
    EnumValue,
    Family,
    NumberAttribute,
    PriceTerm,
    Pricing,
    Rule,
    Slot,
    TableRule,
    Value,
    count_key,
    instance_key,
)

__all__ = ["all_products", "families", "grid", "space"]


@st.composite
def _enum(draw: st.DrawFn, name: str) -> EnumAttribute:
    n = draw(st.integers(2, 3))
    values = tuple(
        EnumValue(
            f"v{i}",
            f"V{i}",
            D(draw(st.integers(0, 3))),
            {"w": D(draw(st.integers(-2, 4)))},
        )
        for i in range(n)
    )
    return EnumAttribute(name, name, values)


@st.composite
def _number(draw: st.DrawFn, name: str) -> NumberAttribute:
    step = draw(st.sampled_from([D(1), D(2), D("0.5")]))
    lo = D(draw(st.integers(-2, 3))) * step
    size = draw(st.integers(1, 5))
    return NumberAttribute(
        name, name, lo, lo + step * (size - 1), step, integer=step == step.to_integral_value()
    )


@st.composite
def _attribute(draw: st.DrawFn, name: str) -> Attribute:
    kind = draw(st.sampled_from(["enum", "bool", "number", "number"]))
    if kind == "enum":
        return draw(_enum(name))
    if kind == "bool":
        return BoolAttribute(name, name, price=D(draw(st.integers(0, 2))))
    return draw(_number(name))


def _refs(attrs: tuple[Attribute, ...], slot: str | None) -> list[tuple[Attribute, AttrRef]]:
    return [(a, AttrRef(a.name, slot)) for a in attrs]


@st.composite
def _num(
    draw: st.DrawFn, scope: list[tuple[Attribute, AttrRef]], slot: Slot | None, depth: int
) -> Node:
    nums = [r for a, r in scope if isinstance(a, NumberAttribute)]
    enums = [r for a, r in scope if isinstance(a, EnumAttribute)]
    options = ["const"] + (["attr"] * 3 if nums else []) + (["prop"] if enums else [])
    if slot is not None:
        options += ["count", "sum"]
    if depth > 0:
        options += ["add", "sub", "mul", "div", "if", "abs", "min"]
    kind = draw(st.sampled_from(options))
    sub = lambda: _num(scope, slot, depth - 1)
    match kind:
        case "const":
            return Literal(D(draw(st.integers(-3, 6))) / draw(st.sampled_from([1, 2])))
        case "attr":
            return draw(st.sampled_from(nums))
        case "prop":
            return PropRef(draw(st.sampled_from(enums)), "w")
        case "count":
            assert slot is not None
            return CountRef(slot.name)
        case "sum":
            assert slot is not None
            inner = _refs(slot.attributes, slot.name)
            return Aggregate("sum", slot.name, draw(_num(inner, None, 0)))
        case "add" | "sub" | "mul":
            op = {"add": "+", "sub": "-", "mul": "*"}[kind]
            return Binary(op, draw(sub()), draw(sub()))  # type: ignore[arg-type]
        case "div":
            return Binary("/", draw(sub()), Literal(D(draw(st.sampled_from([2, 4])))))
        case "if":
            return Call("if", (draw(_bool(scope, slot, 0)), draw(sub()), draw(sub())))
        case "abs":
            return Call("abs", (draw(sub()),))
        case _:
            return Call("min", (draw(sub()), draw(sub())))


@st.composite
def _bool(
    draw: st.DrawFn, scope: list[tuple[Attribute, AttrRef]], slot: Slot | None, depth: int
) -> Node:
    bools = [r for a, r in scope if isinstance(a, BoolAttribute)]
    enums = [(a, r) for a, r in scope if isinstance(a, EnumAttribute)]
    options = ["cmp", "cmp"] + (["bool"] if bools else []) + (["enum", "in"] if enums else [])
    if slot is not None:
        options += ["any", "all"]
    if depth > 0:
        options += ["not", "and", "or", "requires", "excludes"]
    kind = draw(st.sampled_from(options))
    sub = lambda: _bool(scope, slot, depth - 1)
    match kind:
        case "cmp":
            op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">="]))
            return Binary(op, draw(_num(scope, slot, 1)), draw(_num(scope, slot, 1)))
        case "bool":
            return draw(st.sampled_from(bools))
        case "enum":
            a, r = draw(st.sampled_from(enums))
            assert isinstance(a, EnumAttribute)
            op = draw(st.sampled_from(["==", "!="]))
            return Binary(op, r, Literal(draw(st.sampled_from([v.name for v in a.values]))))
        case "in":
            a, r = draw(st.sampled_from(enums))
            assert isinstance(a, EnumAttribute)
            names = draw(
                st.lists(st.sampled_from([v.name for v in a.values]), min_size=1, max_size=2)
            )
            return InList(r, tuple(Literal(n) for n in names), draw(st.booleans()))
        case "any" | "all":
            assert slot is not None
            inner = _refs(slot.attributes, slot.name) + [p for p in scope if p[1].slot is None]
            return Aggregate(kind, slot.name, draw(_bool(inner, None, 0)))
        case "not":
            return Unary("not", draw(sub()))
        case _:
            return Binary(kind, draw(sub()), draw(sub()))  # type: ignore[arg-type]


def grid(attr: Attribute) -> list[Value]:
    """Every value of an attribute."""
    if isinstance(attr, EnumAttribute):
        return [v.name for v in attr.values]
    if isinstance(attr, BoolAttribute):
        return [False, True]
    return [attr.at(k) for k in range(attr.size)]


@st.composite
def _table(draw: st.DrawFn, attrs: tuple[Attribute, ...]) -> TableRule:
    cols = draw(
        st.lists(st.sampled_from(attrs), min_size=1, max_size=2, unique_by=lambda a: a.name)
    )
    rows = draw(
        st.lists(
            st.tuples(*[st.one_of(st.none(), st.sampled_from(grid(a))) for a in cols]),
            min_size=1,
            max_size=4,
        )
    )
    return TableRule("t", "table", tuple(AttrRef(a.name) for a in cols), tuple(rows))


@st.composite
def families(draw: st.DrawFn) -> Family:
    """A small random family (at most a few hundred products)."""
    n = draw(st.integers(1, 3))
    attrs = tuple(draw(_attribute(f"a{i}")) for i in range(n))
    slot: Slot | None = None
    if draw(st.booleans()):
        inner = (draw(_attribute("x")),)
        lo = draw(st.integers(0, 1))
        slot = Slot(
            "m", "M", lo, lo + draw(st.integers(0, 1)), inner, price=D(draw(st.integers(0, 2)))
        )
    scope = _refs(attrs, None)
    rules: list[Rule] = []
    for i in range(draw(st.integers(0, 3))):
        rules.append(ConstraintRule(f"r{i}", f"rule {i}", draw(_bool(scope, slot, 2))))
    if draw(st.booleans()):
        rules.append(draw(_table(attrs)))
    slots: tuple[Slot, ...] = ()
    if slot is not None:
        mscope = _refs(slot.attributes, slot.name) + scope
        mrules: tuple[Rule, ...] = ()
        if draw(st.booleans()):
            mrules = (ConstraintRule("mr", "module rule", draw(_bool(mscope, None, 1)), slot="m"),)
        slots = (
            Slot(slot.name, slot.label, slot.min_count, slot.max_count, slot.attributes, mrules,
                 price=slot.price),
        )  # fmt: skip
    terms = (PriceTerm(draw(_num(scope, slot, 1)), None),) if draw(st.booleans()) else ()
    return Family(
        "rand", "Random", "1", attrs, slots, tuple(rules), Pricing(base=D(100), terms=terms)
    )


def space(family: Family) -> Iterator[dict[str, Value]]:
    """Every well-typed complete configuration (valid or not)."""
    core = [[(a.name, v) for v in grid(a)] for a in family.attributes]
    slot_choices: list[list[list[tuple[str, Value]]]] = []
    for s in family.slots:
        options: list[list[tuple[str, Value]]] = []
        for c in range(s.min_count, s.max_count + 1):
            keys = [
                (instance_key(s.name, i, a.name), a) for i in range(1, c + 1) for a in s.attributes
            ]
            for combo in itertools.product(*[grid(a) for _, a in keys]):
                pairs = [(k, v) for (k, _), v in zip(keys, combo, strict=True)]
                options.append([(count_key(s.name), D(c)), *pairs])
        slot_choices.append(options)
    for c in itertools.product(*core):
        for m in itertools.product(*slot_choices):
            out = dict(c)
            for part in m:
                out.update(part)
            yield out


def _valid(family: Family, config: dict[str, Value]) -> bool:
    from lotone.configure.validate import validate

    return not validate(family, config)


def all_products(family: Family) -> list[dict[str, Value]]:
    """Every valid complete configuration, by brute force with the reference evaluator."""
    _ = holds  # the evaluator is the reference semantics used through validate()
    return [c for c in space(family) if _valid(family, c)]
