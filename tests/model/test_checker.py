"""Name resolution and type checking of expressions against a family."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal as TLiteral

import pytest

from lotone.errors import ModelError, SourceSpan
from lotone.model import aggregates, checker, operators, scope
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
    Ref,
    Unary,
)
from lotone.model.checker import check_column, check_expression, type_of
from lotone.model.family import Family
from lotone.model.parser import parse_expression
from lotone.model.printer import format_expression

D = Decimal
Expect = TLiteral["bool", "number"]


def check(text: str, family: Family, slot: str | None = None, expect: Expect = "bool") -> Node:
    """Parse and check ``text``."""
    return check_expression(parse_expression(text), family, slot=slot, expect=expect)


def errors(
    text: str, family: Family, slot: str | None = None, expect: Expect = "bool"
) -> list[tuple[int, str, str | None]]:
    """The (column, message, hint) of every diagnostic the checker gives for ``text``."""
    with pytest.raises(ModelError) as caught:
        check(text, family, slot, expect)
    out = []
    for d in caught.value.diagnostics:
        assert d.severity == "error"
        assert d.span is not None
        out.append((d.span.column, d.message, d.hint))
    return out


# --- resolution ---------------------------------------------------------------------------


def test_core_attributes_resolve_to_attr_refs(wardrobe: Family) -> None:
    """A bare name at family scope is a core attribute."""
    assert check("width_mm <= 2400", wardrobe) == Binary(
        "<=", AttrRef("width_mm"), Literal(D(2400))
    )


@pytest.mark.parametrize("text", ["section.count", "count(section)"])
def test_slot_counts_resolve_to_count_refs(wardrobe: Family, text: str) -> None:
    """``section.count`` and ``count(section)`` both denote the number of instances."""
    assert check(f"{text} >= 2", wardrobe) == Binary(">=", CountRef("section"), Literal(D(2)))


def test_numbered_instances_resolve_when_they_always_exist(wardrobe: Family) -> None:
    """``section[2].width_mm`` is fine: every wardrobe has at least 2 sections."""
    node = check("section[2].width_mm > 500", wardrobe)
    assert node == Binary(">", AttrRef("width_mm", "section", 2), Literal(D(500)))


def test_properties_of_enumerated_values_resolve_to_prop_refs(wardrobe: Family) -> None:
    """``finish.density_kg_m3`` reads a numeric property of the chosen value."""
    node = check('finish.density_kg_m3 > 650 and section[1].interior == "rail"', wardrobe)
    assert isinstance(node, Binary)
    assert node.left == Binary(">", PropRef(AttrRef("finish"), "density_kg_m3"), Literal(D(650)))
    assert node.right == Binary("==", AttrRef("interior", "section", 1), Literal("rail"))


def test_aggregates_bind_the_ranged_module_and_may_use_core_attributes(wardrobe: Family) -> None:
    """Inside ``any(...)`` over section, ``section.x`` is the ranged instance's attribute."""
    node = check("any(section.width_mm > width_mm / 4)", wardrobe)
    assert node == Aggregate(
        "any",
        "section",
        Binary(
            ">",
            AttrRef("width_mm", "section"),
            Binary("/", AttrRef("width_mm"), Literal(D(4))),
        ),
    )


@pytest.mark.parametrize(
    ("text", "func", "slot"),
    [
        ("sum(section.width_mm) == width_mm", "sum", "section"),
        ("min(section.width_mm) > 300", "min", "section"),
        ("max(section.width_mm) < 900", "max", "section"),
        ('count(section.interior == "drawers") < 2', "count", "section"),
        ("all(section.lit)", "all", "section"),
        ("any(drawer.front.cost > 10)", "any", "drawer"),
        ("sum(drawer.depth_mm) < 2000", "sum", "drawer"),
    ],
)
def test_aggregate_calls_become_aggregates(
    wardrobe: Family, text: str, func: str, slot: str
) -> None:
    """sum/count/any/all/min/max over a module slot become Aggregate nodes."""
    node = check(text, wardrobe)
    agg = node.left if isinstance(node, Binary) else node
    assert isinstance(agg, Aggregate)
    assert (agg.func, agg.slot) == (func, slot)


def test_property_inside_an_aggregate(wardrobe: Family) -> None:
    """``drawer.front.cost`` in an aggregate is the property of each drawer's front."""
    node = check("any(drawer.front.cost > 10)", wardrobe)
    assert node == Aggregate(
        "any", "drawer", Binary(">", PropRef(AttrRef("front", "drawer"), "cost"), Literal(D(10)))
    )


def test_aggregates_over_different_modules_may_nest(wardrobe: Family) -> None:
    """An aggregate over drawer inside one over section is independent of it."""
    node = check("any(section.width_mm > 400 and count(drawer.depth_mm > 400) > 0)", wardrobe)
    assert isinstance(node, Aggregate)
    assert node.slot == "section"
    inner = node.body
    assert isinstance(inner, Binary)
    assert isinstance(inner.right, Binary)
    assert inner.right.left == Aggregate(
        "count", "drawer", Binary(">", AttrRef("depth_mm", "drawer"), Literal(D(400)))
    )


@pytest.mark.parametrize(
    ("text", "func"),
    [
        ("if(soft_close, 1, 2) > 0", "if"),
        ("abs(-width_mm) > 0", "abs"),
        ("min(width_mm, 900) > 0", "min"),
        ("max(width_mm, 3, height_mm) > 0", "max"),
    ],
)
def test_scalar_functions_stay_calls(wardrobe: Family, text: str, func: str) -> None:
    """if, abs, and min/max of two or more values are kept as Call."""
    node = check(text, wardrobe)
    assert isinstance(node, Binary)
    assert isinstance(node.left, Call)
    assert node.left.func == func


def test_module_scope_prefers_the_modules_own_attributes(wardrobe: Family) -> None:
    """In a section rule, ``width_mm`` is the section's; ``finish`` falls back to the core."""
    node = check(
        'interior == "drawers" requires width_mm <= 900 and finish != "oak"', wardrobe, "section"
    )
    assert node == Binary(
        "requires",
        Binary("==", AttrRef("interior", "section"), Literal("drawers")),
        Binary(
            "and",
            Binary("<=", AttrRef("width_mm", "section"), Literal(D(900))),
            Binary("!=", AttrRef("finish"), Literal("oak")),
        ),
    )


def test_module_scope_can_count_and_aggregate(wardrobe: Family) -> None:
    """``count(section)`` and aggregates over the own module work in a module rule."""
    node = check("width_mm * count(section) <= sum(section.width_mm)", wardrobe, "section")
    assert node == Binary(
        "<=",
        Binary("*", AttrRef("width_mm", "section"), CountRef("section")),
        Aggregate("sum", "section", AttrRef("width_mm", "section")),
    )


def test_module_prices_are_numbers(wardrobe: Family) -> None:
    """A module price formula checks with ``expect='number'``."""
    node = check("80 + width_mm * 0.05", wardrobe, "section", "number")
    assert node == Binary(
        "+", Literal(D(80)), Binary("*", AttrRef("width_mm", "section"), Literal(D("0.05")))
    )


def test_negative_constants_are_folded_where_a_constant_is_required(wardrobe: Family) -> None:
    """``x / -4`` and ``x in (-1)`` keep a plain (negative) constant."""
    node = check("shelves / -4 > 0 and shelves in (1, -2)", wardrobe)
    assert isinstance(node, Binary)
    assert node.left == Binary(">", Binary("/", AttrRef("shelves"), Literal(D(-4))), Literal(D(0)))
    assert node.right == InList(AttrRef("shelves"), (Literal(D(1)), Literal(D(-2))))


@pytest.mark.parametrize(
    "text",
    [
        "finish == handle",
        "finish != handle",
        "soft_close == true",
        "soft_close != false and soft_close",
        "not soft_close or soft_close requires true",
        'finish not in ("oak", "walnut")',
        "width_mm in (600, 700.5)",
        "soft_close in (true)",
        "width_mm / 0.5 > 2 and width_mm / 100 > 2 and width_mm / (8) > 1",
        "width_mm * weight_g > weight_g",
        "width_mm * 2 > 1000 and 2 * width_mm > 1000",
        "if(soft_close, width_mm, 600) > height_mm",
        'if(soft_close, true, finish == "oak")',
        "-width_mm < 0",
        "section.count * 300 <= width_mm",
        'finish == "oak" excludes handle == "steel"',
    ],
)
def test_well_typed_expressions_check(wardrobe: Family, text: str) -> None:
    """A sample of valid rules."""
    check(text, wardrobe)


def test_checking_returns_a_new_tree_and_is_idempotent(wardrobe: Family) -> None:
    """The input is left as it is; checking a checked tree gives the same tree."""
    raw = parse_expression("sum(section.width_mm) == width_mm and finish.factor > 1")
    checked = check_expression(raw, wardrobe)
    assert checked != raw
    assert check_expression(checked, wardrobe) == checked
    module = check("width_mm <= 900 and section[1].width_mm > 0", wardrobe, "section")
    assert check_expression(module, wardrobe, slot="section") == module


@pytest.mark.parametrize(
    ("text", "kind", "unit"),
    [
        ("width_mm", "number", "mm"),
        ("width_mm * 2", "number", "mm"),
        ("2 * width_mm", "number", "mm"),
        ("width_mm / 2", "number", "mm"),
        ("width_mm * height_mm", "number", None),
        ("-width_mm", "number", "mm"),
        ("abs(width_mm)", "number", "mm"),
        ("max(width_mm, 2)", "number", "mm"),
        ("min(2, width_mm)", "number", "mm"),
        ("if(soft_close, 0, width_mm)", "number", "mm"),
        ("sum(section.width_mm)", "number", "mm"),
        ("min(section.width_mm)", "number", "mm"),
        ("count(section)", "number", None),
        ('count(section.interior == "rail")', "number", None),
        ("finish.factor", "number", None),
        ("12", "number", None),
        ("finish", "enum", None),
        ('"oak"', "string", None),
        ("soft_close", "bool", None),
        ("any(section.lit)", "bool", None),
    ],
)
def test_type_of(wardrobe: Family, text: str, kind: str, unit: str | None) -> None:
    """Units follow the rules: constants fit any unit; unit times unit has no unit."""
    t = type_of(parse_expression(text), wardrobe)
    assert (t.kind, t.unit) == (kind, unit)


def test_type_of_an_enum_names_its_attribute(wardrobe: Family) -> None:
    """The type of an enumerated expression knows its values."""
    t = type_of(parse_expression("finish"), wardrobe)
    assert t.enum is wardrobe.attribute("finish")
    assert t.describe() == "enumerated"


# --- errors -------------------------------------------------------------------------------

SECTION_HINT = (
    "use an aggregate such as any(section.width_mm > 300), or make the slot's minimum count"
    " at least 3"
)


@pytest.mark.parametrize(
    ("text", "slot", "expect", "column", "message", "hint"),
    [
        # names
        (
            "widht_mm > 2",
            None,
            "bool",
            1,
            "unknown name 'widht_mm'",
            "did you mean one of 'width_mm'",
        ),
        ("foo > 2", None, "bool", 1, "unknown name 'foo'", "the names here are drawer, finish"),
        (
            "interiour == 1",
            "section",
            "bool",
            1,
            "unknown name 'interiour'",
            "did you mean 'interior'?",
        ),
        (
            "section.widht_mm > 2",
            None,
            "bool",
            1,
            "module section has no attribute 'widht_mm'",
            "'width_mm'",
        ),
        ("section > 2", None, "bool", 1, "section is a module, not a value", "section.count"),
        (
            "section[2] > 2",
            None,
            "bool",
            1,
            "section[2] is a module instance, not a value",
            "section[2].width_mm",
        ),
        (
            "width_mm[2] > 2",
            None,
            "bool",
            1,
            "only modules have numbered instances, and 'width_mm' is not a module",
            "drawer, section",
        ),
        (
            "section[3].width_mm > 500",
            None,
            "bool",
            1,
            "section[3] may not exist: a product can have as few as 2 section instances",
            SECTION_HINT,
        ),
        (
            "drawer[1].depth_mm > 5",
            None,
            "bool",
            1,
            "drawer[1] may not exist: a product can have as few as 0 drawer instances",
            "at least 1",
        ),
        (
            "section.width_mm > 500",
            None,
            "bool",
            1,
            "section.width_mm names the width_mm of every section, not one value",
            "any(section.width_mm > 300), or one instance such as section[1].width_mm",
        ),
        (
            'drawer.front == "glass"',
            None,
            "bool",
            1,
            "drawer.front names the front of every drawer, not one value",
            'any(drawer.front == "plain")',
        ),
        (
            "section.width_mm > 2",
            "section",
            "bool",
            1,
            "section.width_mm names the width_mm of every section, not of this one",
            "write width_mm for this section's own value",
        ),
        (
            "any(drawer.depth_mm > width_mm)",
            "section",
            "bool",
            23,
            "width_mm is this section's own attribute and cannot be used inside an aggregate",
            "write section.width_mm",
        ),
        # properties
        (
            "lamp.watts < 20",
            None,
            "bool",
            1,
            "value 'none' of lamp has no property 'watts'",
            "give every value of lamp a watts property",
        ),
        (
            "finish.densty > 2",
            None,
            "bool",
            1,
            "no value of finish has a property 'densty'",
            "did you mean 'density_kg_m3'?",
        ),
        (
            "handle.weight > 2",
            None,
            "bool",
            1,
            "no value of handle has a property 'weight'",
            "there are no properties",
        ),
        (
            "width_mm.foo > 2",
            None,
            "bool",
            1,
            "width_mm is a number and has no property 'foo'",
            "only the values of enumerated attributes",
        ),
        ("lamp.watts.x > 2", None, "bool", 1, "'lamp.watts.x' has too many parts", None),
        # aggregates
        (
            "any(section.width_mm > drawer.depth_mm)",
            None,
            "bool",
            1,
            "an aggregate ranges over one module, but this one names section and drawer",
            "aggregate over each module separately",
        ),
        (
            "any(section.width_mm > 1 and any(section.lit))",
            None,
            "bool",
            30,
            "any() over section is nested inside another aggregate over section",
            "cannot be nested",
        ),
        (
            "min(drawer.depth_mm) > 2",
            None,
            "bool",
            1,
            "min(drawer.depth_mm) has no value when there is no drawer",
            "make the slot's minimum count at least 1",
        ),
        (
            "max(drawer.depth_mm) > 2",
            None,
            "bool",
            1,
            "max(drawer.depth_mm) has no value when there is no drawer",
            None,
        ),
        ("min(width_mm) > 2", None, "bool", 1, "min() of a single value", "min(width_mm, 900)"),
        (
            "sum(section.width_mm, 2) > 2",
            None,
            "bool",
            1,
            "sum() takes one argument",
            "sum(section.width_mm)",
        ),
        (
            "sum(2) > 2",
            None,
            "bool",
            1,
            "sum() ranges over the instances of a module, but 2 names none",
            None,
        ),
        (
            'any(interior == "rail")',
            "section",
            "bool",
            1,
            'any() ranges over the instances of a module, but interior == "rail" names none',
            None,
        ),
        (
            "count(section.width_mm) > 2",
            None,
            "bool",
            7,
            "count() needs a condition, but section.width_mm is a number",
            "section.width_mm > 0",
        ),
        (
            "sum(section.interior) > 2",
            None,
            "bool",
            5,
            "sum() needs a number, but section.interior is an enumerated value",
            None,
        ),
        (
            "all(section.width_mm)",
            None,
            "bool",
            5,
            "all() needs a condition, but section.width_mm is a number",
            None,
        ),
        # functions
        (
            "summ(section.width_mm) > 2",
            None,
            "bool",
            1,
            "unknown function 'summ'",
            "did you mean 'sum'?",
        ),
        (
            "sqrt(width_mm) > 2",
            None,
            "bool",
            1,
            "unknown function 'sqrt'",
            "the functions are abs, all, any",
        ),
        (
            "if(soft_close, 1) > 2",
            None,
            "bool",
            1,
            "if() takes 3 arguments, not 2",
            "if(condition, value if true",
        ),
        ("abs(1, 2) > 2", None, "bool", 1, "abs() takes 1 argument, not 2", None),
        ("max() > 2", None, "bool", 1, "max() needs values, e.g. max(width_mm, 900)", None),
        (
            "if(width_mm, 1, 2) > 3",
            None,
            "bool",
            4,
            "if() needs a condition, but width_mm is a number",
            "width_mm > 0",
        ),
        (
            "if(soft_close, width_mm, weight_g) > 3",
            None,
            "bool",
            1,
            "the values of if() have different units: width_mm (mm) and weight_g (g)",
            "same unit",
        ),
        (
            'if(soft_close, finish, "oak") == "oak"',
            None,
            "bool",
            1,
            "if() chooses between two numbers or two conditions, but got"
            ' finish (enumerated) and "oak" (text)',
            None,
        ),
        (
            "max(width_mm, weight_g) > 3",
            None,
            "bool",
            1,
            "cannot take the max of width_mm (mm) and weight_g (g)",
            None,
        ),
        (
            "abs(finish) > 3",
            None,
            "bool",
            5,
            "abs() needs a number, but finish is an enumerated value",
            "finish.density_kg_m3",
        ),
        # operators and types
        (
            "width_mm == finish",
            None,
            "bool",
            10,
            "cannot compare width_mm (number, mm) with finish (enumerated)",
            None,
        ),
        (
            "width_mm == soft_close",
            None,
            "bool",
            10,
            "cannot compare width_mm (number, mm) with soft_close (true or false)",
            None,
        ),
        (
            "width_mm < weight_g",
            None,
            "bool",
            10,
            "cannot compare width_mm (number, mm) with weight_g (number, g)",
            "same unit",
        ),
        (
            "width_mm + weight_g > 0",
            None,
            "bool",
            10,
            "cannot add width_mm (mm) and weight_g (g)",
            "same unit",
        ),
        (
            "width_mm - weight_g > 0",
            None,
            "bool",
            10,
            "cannot subtract weight_g (g) from width_mm (mm)",
            None,
        ),
        (
            "width_mm * 2 + weight_g > 0",
            None,
            "bool",
            14,
            "cannot add width_mm * 2 (mm) and weight_g (g)",
            None,
        ),
        (
            "finish + 1 > 0",
            None,
            "bool",
            1,
            "'+' needs a number, but finish is an enumerated value",
            None,
        ),
        (
            "1 * soft_close > 0",
            None,
            "bool",
            5,
            "'*' needs a number, but soft_close is a condition (true or false)",
            "if(condition, 1, 0)",
        ),
        (
            "-finish > 2",
            None,
            "bool",
            2,
            "'-' needs a number, but finish is an enumerated value",
            None,
        ),
        (
            "not width_mm",
            None,
            "bool",
            5,
            "'not' needs a condition, but width_mm is a number",
            "compare it, e.g. width_mm > 0",
        ),
        (
            "width_mm and soft_close",
            None,
            "bool",
            1,
            "'and' needs a condition, but width_mm is a number",
            None,
        ),
        (
            "soft_close or finish",
            None,
            "bool",
            15,
            "'or' needs a condition, but finish is an enumerated value",
            'finish == "white"',
        ),
        (
            'soft_close implies "oak"',
            None,
            "bool",
            20,
            "'implies' needs a condition, but \"oak\" is a text constant",
            None,
        ),
        (
            "width_mm / 3 > 0",
            None,
            "bool",
            10,
            "dividing by 3 is not exact",
            "multiply by the inverse, e.g. x * 0.25",
        ),
        ("width_mm / 0.3 > 0", None, "bool", 10, "dividing by 0.3 is not exact", None),
        (
            "width_mm / shelves > 0",
            None,
            "bool",
            10,
            "'/' divides only by a constant, and shelves is not one",
            "multiply by the inverse",
        ),
        (
            "width_mm / (2 + 2) > 0",
            None,
            "bool",
            10,
            "'/' divides only by a constant, and 2 + 2 is not one",
            None,
        ),
        ("width_mm / 0 > 0", None, "bool", 10, "division by zero", None),
        (
            "finish / 2 > 0",
            None,
            "bool",
            1,
            "'/' needs a number, but finish is an enumerated value",
            None,
        ),
        (
            'finish == "oka"',
            None,
            "bool",
            11,
            "'oka' is not a value of finish",
            "did you mean 'oak'?",
        ),
        (
            '"oka" == finish',
            None,
            "bool",
            1,
            "'oka' is not a value of finish",
            "did you mean 'oak'?",
        ),
        (
            'finish == "zebra"',
            None,
            "bool",
            11,
            "'zebra' is not a value of finish",
            "the values of finish are oak, walnut, white",
        ),
        (
            'finish < "oak"',
            None,
            "bool",
            8,
            "'<' compares numbers, but finish is an enumerated value",
            "==, != and in",
        ),
        (
            "soft_close >= true",
            None,
            "bool",
            12,
            "'>=' compares numbers, but soft_close is a condition (true or false)",
            "== and !=",
        ),
        (
            "width_mm > finish",
            None,
            "bool",
            10,
            "cannot compare width_mm (number, mm) with finish (enumerated)",
            None,
        ),
        ('"a" == "b"', None, "bool", 5, 'cannot compare two constants, "a" and "b"', None),
        (
            'width_mm == "oak"',
            None,
            "bool",
            10,
            'cannot compare width_mm (number, mm) with "oak" (text)',
            None,
        ),
        # in lists
        (
            'finish in ("oak", "wallnut")',
            None,
            "bool",
            19,
            "'wallnut' is not a value of finish",
            "did you mean 'walnut'?",
        ),
        (
            'finish in ("oak", 2)',
            None,
            "bool",
            19,
            "cannot compare finish (enumerated) with 2 (number)",
            None,
        ),
        (
            "width_mm in (600, shelves)",
            None,
            "bool",
            19,
            "the items of an 'in' list must be constants, but shelves is not",
            "(600, 900)",
        ),
        (
            '"oak" in ("oak")',
            None,
            "bool",
            1,
            "\"oak\" is a constant; 'in' tests an attribute or a number",
            None,
        ),
        (
            "soft_close in (1)",
            None,
            "bool",
            16,
            "cannot compare soft_close (true or false) with 1 (number)",
            None,
        ),
        # what the whole expression must be
        (
            "width_mm",
            None,
            "bool",
            1,
            "a rule must be a condition (true or false), but this is a number",
            "compare it, e.g. width_mm > 0",
        ),
        (
            "width_mm * 2 + 1",
            None,
            "bool",
            1,
            "a rule must be a condition (true or false), but this is a number",
            None,
        ),
        (
            "finish",
            None,
            "bool",
            1,
            "a rule must be a condition (true or false), but this is an enumerated value",
            'finish == "white"',
        ),
        (
            '"oak"',
            None,
            "bool",
            1,
            "a rule must be a condition (true or false), but this is a text constant",
            None,
        ),
        (
            "width_mm > 2",
            None,
            "number",
            1,
            "a price amount must be a number, but this is a condition (true or false)",
            "if(condition, amount, 0)",
        ),
        (
            "finish",
            None,
            "number",
            1,
            "a price amount must be a number, but this is an enumerated value",
            "finish.density_kg_m3",
        ),
        (
            "handle",
            None,
            "number",
            1,
            "a price amount must be a number, but this is an enumerated value",
            "give the values of handle a numeric property",
        ),
    ],
)
def test_errors_say_where_what_and_how_to_fix(
    wardrobe: Family,
    text: str,
    slot: str | None,
    expect: Expect,
    column: int,
    message: str,
    hint: str | None,
) -> None:
    """Each class of mistake gives one diagnostic with an exact column, message and hint."""
    ((got_column, got_message, got_hint),) = errors(text, wardrobe, slot, expect)
    assert got_message == message
    assert got_column == column
    if hint is not None:
        assert got_hint is not None
        assert hint in got_hint


def test_every_independent_mistake_is_reported_in_source_order(wardrobe: Family) -> None:
    """Three misspelt names give three diagnostics, sorted by column."""
    found = errors('foo and widht_mm > 2 and finsh == "oak"', wardrobe)
    assert [(c, m) for c, m, _ in found] == [
        (1, "unknown name 'foo'"),
        (9, "unknown name 'widht_mm'"),
        (26, "unknown name 'finsh'"),
    ]


def test_a_mistake_is_reported_once_not_by_every_operator_around_it(wardrobe: Family) -> None:
    """An unknown name inside arithmetic inside a comparison is one diagnostic."""
    assert len(errors("-(widht_mm * 2 + 1) > 2 and not soft_close", wardrobe)) == 1
    assert len(errors("sum(section.widht_mm) > 2", wardrobe)) == 1
    assert len(errors('finish in ("oka", "wallnut")', wardrobe)) == 2


def test_errors_carry_the_file_and_line_of_the_expression(wardrobe: Family) -> None:
    """The message starts with FILE:LINE:COL of the family file."""
    tree = parse_expression("width_mm == finish", SourceSpan("wardrobe.yaml", 30, 11))
    with pytest.raises(ModelError, match=r"^wardrobe\.yaml:30:20: error: cannot compare"):
        check_expression(tree, wardrobe)


def test_an_unknown_module_scope_is_an_error(wardrobe: Family) -> None:
    """``slot=`` must name a module slot of the family."""
    with pytest.raises(ModelError, match="unknown module 'sektion'"):
        check("true", wardrobe, "sektion")


def test_a_checked_module_reference_outside_its_binding_is_refused(wardrobe: Family) -> None:
    """A hand-built unbound AttrRef is refused at family scope."""
    with pytest.raises(ModelError, match="names the width_mm of every section"):
        check_expression(Binary(">", AttrRef("width_mm", "section"), Literal(D(1))), wardrobe)


def test_a_checked_aggregate_over_an_unknown_module_is_refused(wardrobe: Family) -> None:
    """Aggregates built by hand are checked like written ones."""
    with pytest.raises(ModelError, match="unknown module 'shelf'"):
        check_expression(Aggregate("any", "shelf", Literal(True)), wardrobe)


# --- table columns ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slot", "ref"),
    [
        ("finish", None, AttrRef("finish")),
        ("width_mm", None, AttrRef("width_mm")),
        ("section[1].interior", None, AttrRef("interior", "section", 1)),
        ("interior", "section", AttrRef("interior", "section")),
        ("handle", "section", AttrRef("handle")),
    ],
)
def test_table_columns_resolve_to_attributes(
    wardrobe: Family, text: str, slot: str | None, ref: AttrRef
) -> None:
    """A column names a core attribute, a numbered instance's or the module's own attribute."""
    assert check_column(parse_expression(text), wardrobe, slot=slot) == ref


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("finish.factor", "a table column must name an attribute, but finish.factor is a property"),
        (
            "section.count",
            "a table column must name an attribute, but section.count is a module count",
        ),
        (
            "width_mm + 1",
            "a table column must name an attribute, but width_mm + 1 is an expression",
        ),
        ("finsh", "unknown name 'finsh'"),
        ("section.interior", "section.interior names the interior of every section"),
    ],
)
def test_table_columns_must_be_attributes(wardrobe: Family, text: str, message: str) -> None:
    """Anything but an attribute is refused with a hint."""
    with pytest.raises(ModelError) as caught:
        check_column(parse_expression(text), wardrobe)
    (diag,) = caught.value.diagnostics
    assert diag.message.startswith(message)


def test_modules_export_what_they_define() -> None:
    """Each module's ``__all__`` names exist."""
    for module in (aggregates, checker, operators, scope):
        for name in module.__all__:
            assert hasattr(module, name), (module.__name__, name)


def test_unary_minus_of_a_constant_is_kept_outside_divisions(wardrobe: Family) -> None:
    """Folding happens only where a constant is required."""
    node = check("-2 < shelves", wardrobe)
    assert node == Binary("<", Unary("-", Literal(D(2))), AttrRef("shelves"))


@pytest.mark.parametrize(
    ("text", "func"),
    [
        ("any(not section.lit)", "any"),
        ("sum(abs(section.width_mm - 500)) > 0", "sum"),
        ('any(section.interior in ("rail", "drawers"))', "any"),
        ("max(-section.width_mm) < 0", "max"),
        ("count(if(section.lit, section.width_mm, 0) > 400) > 1", "count"),
    ],
)
def test_aggregates_find_their_module_anywhere_in_the_argument(
    wardrobe: Family, text: str, func: str
) -> None:
    """The ranged module may sit under not, calls, in-lists and unary minus."""
    node = check(text, wardrobe)
    agg = node.left if isinstance(node, Binary) else node
    assert isinstance(agg, Aggregate)
    assert (agg.func, agg.slot) == (func, "section")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("section.lit", "section.lit names the lit of every section, not one value"),
        ("count(width_mm) > 1", "count() ranges over the instances of a module, but width_mm"),
        ('"oak" + 1 > 2', "'+' needs a number, but \"oak\" is a text constant"),
        ("abs(foo) > 1", "unknown name 'foo'"),
        ("finish in (foo)", "unknown name 'foo'"),
    ],
)
def test_more_mistakes(wardrobe: Family, text: str, message: str) -> None:
    """Other mistakes, each reported once."""
    ((_, got, _),) = errors(text, wardrobe)
    assert got.startswith(message)


def test_hint_for_a_boolean_module_attribute(wardrobe: Family) -> None:
    """The suggested aggregate fits the attribute's type."""
    ((_, _, hint),) = errors("section.lit", wardrobe)
    assert hint is not None
    assert "any(section.lit)" in hint


def test_expectation_errors_point_at_the_start_of_the_expression(wardrobe: Family) -> None:
    """Not at the operator, which is where a Binary or InList node's span is."""
    ((column, message, _),) = errors('finish in ("oak")', wardrobe, expect="number")
    assert (column, message) == (
        1,
        "a price amount must be a number, but this is a condition (true or false)",
    )


def test_hand_built_trees_are_checked_like_written_ones(wardrobe: Family) -> None:
    """Instance 0, unbound module attributes and hidden core attributes are refused."""
    zero = Binary(">", Ref(("section", "width_mm"), 0), Literal(D(1)))
    with pytest.raises(ModelError, match="instance numbers start at 1"):
        check_expression(zero, wardrobe)
    other = Aggregate("any", "drawer", Binary(">", AttrRef("width_mm", "section"), Literal(D(1))))
    with pytest.raises(ModelError, match="cannot be used inside an aggregate over drawer"):
        check_expression(other, wardrobe)
    hidden = Binary(">", AttrRef("width_mm"), Literal(D(1)))
    with pytest.raises(ModelError, match="width_mm cannot be used here"):
        check_expression(hidden, wardrobe, slot="section")


def test_checked_trees_print_with_resolved_names(wardrobe: Family) -> None:
    """format_expression writes counts, properties and folded constants of checked trees."""
    node = check("count(section) >= 2 and shelves / -4 < 0 and finish.factor > 1", wardrobe)
    assert format_expression(node) == (
        "section.count >= 2 and shelves / -4 < 0 and finish.factor > 1"
    )
    assert check_expression(node, wardrobe) == node
