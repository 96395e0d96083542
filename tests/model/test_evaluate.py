"""The reference evaluator: values of checked expressions in complete configurations."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Literal as TLiteral

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotone.errors import InvalidValue, LotoneError
from lotone.model import evaluate as evaluate_module
from lotone.model.ast import Aggregate, AttrRef, Binary, Call, Literal, PropRef, Ref
from lotone.model.checker import check_expression
from lotone.model.evaluate import evaluate, holds
from lotone.model.family import Family, Value
from lotone.model.parser import parse_expression

D = Decimal

SECTIONS = [(D(600), "shelves", False), (D(700), "drawers", True), (D(500), "rail", False)]


def configuration(
    sections: list[tuple[Decimal, str, bool]] = SECTIONS,
    drawers: list[tuple[Decimal, str]] = (),  # type: ignore[assignment]
    **core: Value,
) -> dict[str, Value]:
    """A complete wardrobe configuration; keyword arguments override core values."""
    values: dict[str, Value] = {
        "width_mm": D(1800),
        "height_mm": D(2000),
        "weight_g": D(500),
        "shelves": D(3),
        "finish": "oak",
        "handle": "brass",
        "lamp": "led",
        "soft_close": True,
        "section.count": D(len(sections)),
        "drawer.count": D(len(drawers)),
    }
    for i, (width, interior, lit) in enumerate(sections, 1):
        values[f"section[{i}].width_mm"] = width
        values[f"section[{i}].interior"] = interior
        values[f"section[{i}].lit"] = lit
    for i, (depth, front) in enumerate(drawers, 1):
        values[f"drawer[{i}].depth_mm"] = depth
        values[f"drawer[{i}].front"] = front
    values.update(core)
    return values


def value_of(
    text: str,
    family: Family,
    values: Mapping[str, Value],
    *,
    slot: str | None = None,
    instance: int | None = None,
    expect: TLiteral["bool", "number"] = "number",
) -> Value:
    """Parse, check and evaluate ``text``."""
    tree = check_expression(parse_expression(text), family, slot=slot, expect=expect)
    return evaluate(tree, values, family, instance=instance)


# --- values -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("width_mm", D(1800)),
        ("section[2].width_mm", D(700)),
        ("section.count", D(3)),
        ("count(section)", D(3)),
        ("finish.density_kg_m3", D(680)),
        ("finish.factor * 2", D(3)),
        ("width_mm / 8", D(225)),
        ("width_mm / 0.5", D(3600)),
        ("width_mm / -4", D(-450)),
        ("width_mm / 1000", D("1.8")),
        ("0.1 * 3", D("0.3")),
        ("0.1 + 0.2", D("0.3")),
        ("7 - 10", D(-3)),
        ("-width_mm", D(-1800)),
        ("abs(-2.5)", D("2.5")),
        ("min(width_mm, 900, height_mm)", D(900)),
        ("max(width_mm, 900, height_mm)", D(2000)),
        ("if(soft_close, 25, 0)", D(25)),
        ("if(not soft_close, 25, 0)", D(0)),
        ("sum(section.width_mm)", D(1800)),
        ("min(section.width_mm)", D(500)),
        ("max(section.width_mm)", D(700)),
        ('count(section.interior == "drawers")', D(1)),
        ("count(section.width_mm >= 600)", D(2)),
        ("sum(section.width_mm * finish.factor)", D(2700)),
        ("sum(drawer.depth_mm)", D(0)),
        ("count(drawer.depth_mm > 0)", D(0)),
    ],
)
def test_numeric_values(wardrobe: Family, text: str, value: Decimal) -> None:
    """Numbers are exact: no float, no rounding."""
    got = value_of(text, wardrobe, configuration())
    assert isinstance(got, Decimal)
    assert got == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("soft_close", True),
        ("width_mm == 1800", True),
        ("width_mm != 1800", False),
        ("width_mm < 1800", False),
        ("width_mm <= 1800", True),
        ("width_mm > 1799.99", True),
        ("width_mm >= 1800.01", False),
        ('finish == "oak"', True),
        ('finish != "oak"', False),
        ("finish == handle", False),
        ("soft_close == true", True),
        ('finish in ("oak", "walnut")', True),
        ('finish not in ("oak", "walnut")', False),
        ('handle in ("black")', False),
        ("width_mm in (600, 1800)", True),
        ("width_mm in (600, -1800)", False),
        ("any(section.lit)", True),
        ("all(section.lit)", False),
        ("all(section.width_mm >= 500)", True),
        ('any(section.interior == "drawers" and section.width_mm > 900)', False),
        ("any(drawer.depth_mm > 0)", False),
        ("all(drawer.depth_mm > 1000)", True),
        ("sum(section.width_mm) == width_mm", True),
        ("if(soft_close, true, false)", True),
        ("not soft_close", False),
    ],
)
def test_condition_values(wardrobe: Family, text: str, value: bool) -> None:
    """Comparisons, membership, logic and aggregates give booleans."""
    assert value_of(text, wardrobe, configuration(), expect="bool") is value
    tree = check_expression(parse_expression(text), wardrobe)
    assert holds(tree, configuration(), wardrobe) is value


@pytest.mark.parametrize("a", [False, True])
@pytest.mark.parametrize("b", [False, True])
@pytest.mark.parametrize(
    ("op", "meaning"),
    [
        ("and", lambda a, b: a and b),
        ("or", lambda a, b: a or b),
        ("implies", lambda a, b: (not a) or b),
        ("requires", lambda a, b: (not a) or b),
        ("excludes", lambda a, b: (not a) or (not b)),
    ],
)
def test_logic_truth_tables(wardrobe: Family, op: str, meaning: object, a: bool, b: bool) -> None:
    """``a requires b`` is ``a implies b``; ``a excludes b`` is ``a implies not b``."""
    values = configuration(soft_close=a)
    values["section[1].lit"] = b
    got = value_of(f"soft_close {op} section[1].lit", wardrobe, values, expect="bool")
    assert callable(meaning)
    assert got is meaning(a, b)


def test_aggregates_range_over_the_existing_instances_only(wardrobe: Family) -> None:
    """Keys of instances beyond the count are ignored."""
    values = configuration(sections=SECTIONS[:2])
    values["section[3].width_mm"] = D(999)
    assert value_of("sum(section.width_mm)", wardrobe, values) == D(1300)


def test_if_evaluates_only_the_chosen_value(wardrobe: Family) -> None:
    """The branch not taken may refer to keys the configuration lacks."""
    values = configuration()
    del values["section[2].width_mm"]
    assert value_of("if(soft_close, 1, section[2].width_mm)", wardrobe, values) == D(1)


def test_module_rules_are_evaluated_for_one_instance(wardrobe: Family) -> None:
    """``instance`` binds the module's own attributes."""
    text = 'interior == "drawers" requires width_mm <= 600'
    tree = check_expression(parse_expression(text), wardrobe, slot="section")
    values = configuration()
    assert [holds(tree, values, wardrobe, instance=i) for i in (1, 2, 3)] == [True, False, True]


def test_aggregates_inside_module_rules_use_their_own_instance(wardrobe: Family) -> None:
    """Outside the aggregate, the bound instance; inside, each ranged instance."""
    text = "width_mm * count(section) >= sum(section.width_mm)"
    got = [
        value_of(text, wardrobe, configuration(), slot="section", instance=i, expect="bool")
        for i in (1, 2, 3)
    ]
    assert got == [True, True, False]


def test_module_prices_are_evaluated_per_instance(wardrobe: Family) -> None:
    """The documented drawer price ``80 + width_mm * 0.05`` for section 2."""
    got = value_of("80 + width_mm * 0.05", wardrobe, configuration(), slot="section", instance=2)
    assert got == D(115)


def test_nested_aggregates_over_different_modules(wardrobe: Family) -> None:
    """An inner aggregate over drawer runs once per section of the outer one."""
    values = configuration(drawers=[(D(400), "plain"), (D(550), "glass")])
    text = "count(section.width_mm >= 600 and count(drawer.depth_mm > 500) == 1)"
    assert value_of(text, wardrobe, values) == D(2)
    assert value_of("sum(drawer.front.cost)", wardrobe, values) == D(25)


def test_a_missing_key_is_an_invalid_value(wardrobe: Family) -> None:
    """The error names the key the expression needed."""
    values = configuration()
    del values["width_mm"]
    with pytest.raises(InvalidValue, match=r"width_mm: missing") as caught:
        value_of("width_mm + 1", wardrobe, values)
    assert caught.value.attribute == "width_mm"


def test_a_missing_count_is_an_invalid_value(wardrobe: Family) -> None:
    """Aggregates need the slot's count."""
    values = configuration()
    del values["section.count"]
    with pytest.raises(InvalidValue, match=r"section\.count"):
        value_of("sum(section.width_mm)", wardrobe, values)


@pytest.mark.parametrize(
    ("key", "bad", "text"),
    [
        ("width_mm", "wide", "width_mm + 1"),
        ("soft_close", D(1), "if(soft_close, 1, 2)"),
        ("section.count", D("1.5"), "count(section)"),
        ("finish", True, "finish.factor"),
        ("finish", "teak", "finish.factor"),
    ],
)
def test_a_value_of_the_wrong_kind_is_refused(
    wardrobe: Family, key: str, bad: Value, text: str
) -> None:
    """Values that do not fit their attribute raise a LotoneError, never a TypeError."""
    values = configuration()
    values[key] = bad
    with pytest.raises(LotoneError):
        value_of(text, wardrobe, values)


def test_a_module_reference_needs_an_instance(wardrobe: Family) -> None:
    """Without ``instance``, a module rule cannot be evaluated."""
    tree = check_expression(parse_expression("width_mm > 1"), wardrobe, slot="section")
    with pytest.raises(LotoneError, match="needs an instance"):
        evaluate(tree, configuration(), wardrobe)


def test_unchecked_trees_are_refused(wardrobe: Family) -> None:
    """The evaluator reads checked trees only."""
    with pytest.raises(LotoneError, match="not checked"):
        evaluate(Ref(("width_mm",)), configuration(), wardrobe)


def test_min_of_no_instances_is_an_error(wardrobe: Family) -> None:
    """The checker prevents it; a hand-built tree still gets a clear error."""
    tree = Aggregate("min", "drawer", AttrRef("depth_mm", "drawer"))
    with pytest.raises(InvalidValue, match="min\\(\\) needs at least one drawer"):
        evaluate(tree, configuration(), wardrobe)


def test_values_of_different_kinds_are_never_equal(wardrobe: Family) -> None:
    """Unlike Python, true is not equal to the number 1."""
    tree = Binary("==", Literal(True), Literal(D(1)))
    assert evaluate(tree, {}, wardrobe) is False


def test_results_are_exact_or_an_error(wardrobe: Family) -> None:
    """A result needing more than 100 digits is refused rather than rounded."""
    big = Literal(D("1" * 60))
    with pytest.raises(LotoneError, match="exactly"):
        evaluate(Binary("*", big, big), {}, wardrobe)


def test_holds_refuses_numbers(wardrobe: Family) -> None:
    """``holds`` is for conditions."""
    tree = check_expression(parse_expression("width_mm"), wardrobe, expect="number")
    with pytest.raises(InvalidValue, match="a condition must be true or false"):
        holds(tree, configuration(), wardrobe)


def test_evaluate_returns_enumerated_values_for_table_columns(wardrobe: Family) -> None:
    """A column reference evaluates to the chosen value's name."""
    assert evaluate(AttrRef("interior", "section", 2), configuration(), wardrobe) == "drawers"


def test_module_exports_what_it_defines() -> None:
    """``__all__`` is the public surface."""
    assert sorted(evaluate_module.__all__) == ["evaluate", "holds"]


# --- property: arithmetic agrees with exact rational arithmetic ---------------------------

Tree = Decimal | str | tuple[object, ...]

_decimals = st.decimals(
    min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False
)
_divisors = st.sampled_from(["2", "4", "5", "8", "10", "0.5", "0.25", "-4", "100"])


def _grow(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    return st.one_of(
        st.tuples(st.sampled_from(["+", "-", "*"]), children, children),
        st.tuples(st.just("neg"), children),
        st.tuples(st.just("/"), children, _divisors),
    )


_trees = st.recursive(st.one_of(_decimals, st.sampled_from(["x", "y", "z"])), _grow, max_leaves=10)


def _text(tree: Tree) -> str:
    if isinstance(tree, Decimal):
        return f"({format(tree, 'f')})"
    if isinstance(tree, str):
        return tree
    if tree[0] == "neg":
        return f"-{_text(tree[1])}"  # type: ignore[arg-type]
    if tree[0] == "/":
        return f"({_text(tree[1])} / {tree[2]})"  # type: ignore[arg-type]
    return f"({_text(tree[1])} {tree[0]} {_text(tree[2])})"  # type: ignore[arg-type]


def _exact(tree: Tree, env: Mapping[str, Decimal]) -> Fraction:
    if isinstance(tree, Decimal):
        return Fraction(tree)
    if isinstance(tree, str):
        return Fraction(env[tree])
    op, *args = tree
    if op == "neg":
        return -_exact(args[0], env)  # type: ignore[arg-type]
    if op == "/":
        return _exact(args[0], env) / Fraction(D(str(args[1])))  # type: ignore[arg-type]
    a, b = _exact(args[0], env), _exact(args[1], env)  # type: ignore[arg-type]
    return a + b if op == "+" else a - b if op == "-" else a * b


@given(tree=_trees, x=_decimals, y=_decimals, z=_decimals)
def test_random_arithmetic_is_exact(
    arithmetic: Family, tree: Tree, x: Decimal, y: Decimal, z: Decimal
) -> None:
    """Property: parse + check + evaluate equals exact rational arithmetic on the same text."""
    env = {"x": x, "y": y, "z": z}
    checked = check_expression(parse_expression(_text(tree)), arithmetic, expect="number")
    got = evaluate(checked, env, arithmetic)
    assert isinstance(got, Decimal)
    assert Fraction(got) == _exact(tree, env)


def test_hand_built_trees_that_the_checker_would_refuse_fail_clearly(wardrobe: Family) -> None:
    """Unknown functions and missing properties raise LotoneError subclasses."""
    with pytest.raises(LotoneError, match="cannot evaluate sqrt"):
        evaluate(Call("sqrt", (Literal(D(4)),)), {}, wardrobe)
    with pytest.raises(InvalidValue, match="this value has no property 'watts'"):
        evaluate(PropRef(AttrRef("lamp"), "watts"), configuration(lamp="none"), wardrobe)
