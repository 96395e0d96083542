"""The family loader: good files load to the expected data, bad ones say where and why.

The documented wardrobe loads to the expected dataclasses; every error names ``FILE:LINE:COL``,
what is wrong and, where it helps, how to fix it.
"""

from __future__ import annotations

import doctest
from decimal import Decimal
from pathlib import Path
from textwrap import dedent

import pytest

from lotone.errors import ModelError
from lotone.model import loader, loader_attributes, loader_fields, loader_rules, yaml_source
from lotone.model.ast import Aggregate, AttrRef, Binary
from lotone.model.family import (
    BoolAttribute,
    ConstraintRule,
    EnumAttribute,
    EnumValue,
    Family,
    NumberAttribute,
    TableRule,
)
from lotone.model.loader import load_family, load_family_text

WARDROBE = Path(__file__).parent / "data" / "example_wardrobe.yaml"
HEAD = "family: w\nname: W\nversion: '1'\n"  # three lines: a body's line 1 is the file's line 4


def _load(body: str) -> Family:
    return load_family_text(HEAD + dedent(body), "f.yaml")


def _errors(body: str, *, head: str = HEAD) -> list[str]:
    with pytest.raises(ModelError) as info:
        load_family_text(head + dedent(body), "f.yaml")
    return [str(d) for d in info.value.diagnostics]


@pytest.fixture(scope="module")
def wardrobe() -> Family:
    """The wardrobe of docs/family-format.md, completed with handle and height_mm."""
    return load_family(WARDROBE)


# --- the public surface ------------------------------------------------------------------------


def test_loader_modules_export_what_they_define() -> None:
    """Each loader module has an ``__all__`` whose names exist; the entry points are two."""
    assert loader.__all__ == ["load_family", "load_family_text"]
    for module in (loader, loader_attributes, loader_fields, loader_rules, yaml_source):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"


@pytest.mark.parametrize("module", [loader, yaml_source], ids=lambda m: m.__name__)
def test_docstring_examples_run(module: object) -> None:
    """The examples in the docstrings are true."""
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0


# --- a good family -----------------------------------------------------------------------------


def test_wardrobe_header(wardrobe: Family) -> None:
    """Id, name, quoted version, description, currency, base price and source are read."""
    assert wardrobe.id == "wardrobe"
    assert wardrobe.name == "Modular wardrobe"
    assert wardrobe.version == "1.0"
    assert wardrobe.description == "A made-to-measure wardrobe, CNC-cut from 18 mm boards."
    assert wardrobe.pricing.currency == "EUR"
    assert wardrobe.pricing.base == Decimal("120.00")
    assert wardrobe.source == str(WARDROBE)


def test_wardrobe_core_attributes(wardrobe: Family) -> None:
    """Number, enum (both value forms) and bool attributes load to the expected dataclasses."""
    assert wardrobe.attributes == (
        NumberAttribute("width_mm", "Width", Decimal(600), Decimal(3000), Decimal(10), "mm",
                        default=Decimal(1800)),
        NumberAttribute("height_mm", "Height", Decimal(1800), Decimal(2400), Decimal(10), "mm",
                        default=Decimal(2200)),
        EnumAttribute(
            "finish",
            "Finish",
            (
                EnumValue("white", "White melamine"),
                EnumValue("oak", "Oak veneer", Decimal("90.00"),
                          {"density_kg_m3": Decimal(680)}),
            ),
            default="white",
        ),
        EnumAttribute(
            "handle",
            "Handles",
            (
                EnumValue("steel", "Brushed steel"),
                EnumValue("brass", "Brass", Decimal("12.50")),
                EnumValue("black", "Matt black"),
            ),
            default="steel",
            description="The handles on every door.",
        ),
        BoolAttribute("soft_close", "Soft-close hinges", default=False, price=Decimal("25.00")),
    )  # fmt: skip


def test_wardrobe_module_slot(wardrobe: Family) -> None:
    """The section slot has its counts, price and own attributes."""
    (section,) = wardrobe.slots
    assert (section.name, section.label) == ("section", "Section")
    assert (section.min_count, section.max_count, section.default_count) == (1, 6, 3)
    assert section.price == Decimal("35.00")
    assert section.attributes == (
        NumberAttribute("width_mm", "Section width", Decimal(300), Decimal(1000), Decimal(10),
                        "mm"),
        EnumAttribute(
            "interior",
            "Interior",
            (
                EnumValue("shelves", "Shelves"),
                EnumValue("rail", "Hanging rail"),
                EnumValue("drawers", "Drawers"),
            ),
        ),
    )  # fmt: skip


def test_wardrobe_rules_are_checked_trees(wardrobe: Family) -> None:
    """Core and module rules hold resolved trees; the module rule is bound to its slot."""
    fill, table = wardrobe.rules
    assert isinstance(fill, ConstraintRule)
    assert (fill.id, fill.slot) == ("sections-fill-width", None)
    assert fill.message == "The sections must add up to the wardrobe's width."
    assert isinstance(fill.expr, Binary)
    assert isinstance(fill.expr.left, Aggregate)
    assert fill.expr.right == AttrRef("width_mm")
    (narrow,) = wardrobe.slots[0].rules
    assert isinstance(narrow, ConstraintRule)
    assert (narrow.id, narrow.slot) == ("drawers-narrow", "section")
    assert isinstance(narrow.expr, Binary)
    assert narrow.expr.op == "requires"
    assert isinstance(table, TableRule)
    assert table.id == "finish-handles"


def test_wardrobe_table_cells_are_values_and_wildcards(wardrobe: Family) -> None:
    """Columns resolve to attributes; ``"*"`` cells become ``None``."""
    table = wardrobe.rules[1]
    assert isinstance(table, TableRule)
    assert table.columns == (AttrRef("finish"), AttrRef("handle"))
    assert table.rows == (("oak", "brass"), ("oak", "black"), ("white", None))
    assert table.when is None


def test_wardrobe_price_terms_in_file_order(wardrobe: Family) -> None:
    """The module's term (written first) carries its slot and condition; the core term none."""
    drawers, boards = wardrobe.pricing.terms
    assert (drawers.label, drawers.slot) == ("Drawer set", "section")
    assert drawers.when is not None
    assert (boards.label, boards.slot, boards.when) == ("Carcass boards", None, None)
    assert isinstance(boards.amount, Binary)


def test_wardrobe_spans_point_at_names(wardrobe: Family) -> None:
    """Attributes, values and slots remember where their names are written."""
    finish = wardrobe.attribute("finish")
    assert str(finish.span) == f"{WARDROBE}:27:3"
    assert isinstance(finish, EnumAttribute)
    assert str(finish.value("oak").span) == f"{WARDROBE}:33:7"
    assert str(wardrobe.slots[0].span) == f"{WARDROBE}:53:3"
    assert str(wardrobe.rules[1].span) == f"{WARDROBE}:74:5"


def test_expression_positions_are_exact_inside_the_file(wardrobe: Family) -> None:
    """A node of a rule points at its own column of the YAML line."""
    (narrow,) = wardrobe.slots[0].rules
    assert isinstance(narrow, ConstraintRule)
    assert isinstance(narrow.expr, Binary)
    assert str(narrow.expr.left.span) == f"{WARDROBE}:66:24"  # the '==' of interior == "drawers"


def test_defaults_of_optional_keys() -> None:
    """Labels default to names, currency to EUR, base price to 0, step to 1."""
    family = _load("""\
        attributes:
          depth_mm: {type: number, min: 300, max: 600}
          colour: {type: enum, values: {red: , blue: Blue}}
        """)  # fmt: skip
    depth = family.attribute("depth_mm")
    assert isinstance(depth, NumberAttribute)
    assert (depth.label, depth.step, depth.integer, depth.unit) == (
        "depth_mm",
        Decimal(1),
        True,
        None,
    )
    colour = family.attribute("colour")
    assert isinstance(colour, EnumAttribute)
    assert [v.label for v in colour.values] == ["red", "Blue"]
    assert family.pricing.currency == "EUR"
    assert family.pricing.base == 0
    assert family.slots == ()
    assert family.rules == ()


def test_decimal_grid_is_exact_and_not_integer() -> None:
    """``step: 0.1`` is exactly one tenth and makes a decimal attribute."""
    family = _load("attributes:\n  t: {type: number, min: 0, max: 1, step: 0.1, default: 0.3}\n")
    t = family.attribute("t")
    assert isinstance(t, NumberAttribute)
    assert (t.step, t.integer, t.size, t.default) == (Decimal("0.1"), False, 11, Decimal("0.3"))


def test_yes_no_on_off_are_value_names() -> None:
    """Enum values called ``on``/``off``/``yes``/``no`` stay strings, also in tables."""
    family = _load("""\
        attributes:
          light: {type: enum, default: off, values: {on: On, off: Off}}
          answer: {type: enum, values: {yes: Yes, no: No}}
        rules:
          - id: t
            message: m
            table: {columns: [light, answer], rows: [[on, yes], [off, "*"]]}
        """)  # fmt: skip
    light = family.attribute("light")
    assert isinstance(light, EnumAttribute)
    assert [v.name for v in light.values] == ["on", "off"]
    assert light.default == "off"
    table = family.rules[0]
    assert isinstance(table, TableRule)
    assert table.rows == (("on", "yes"), ("off", None))


def test_unquoted_version_is_kept_as_written() -> None:
    """``version: 1.10`` is the text "1.10", not the number 1.1."""
    family = load_family_text("family: w\nname: W\nversion: 1.10\n")
    assert family.version == "1.10"


def test_table_cells_convert_to_column_types() -> None:
    """Bool cells are booleans, number cells exact decimals on the grid, with ``when``."""
    family = _load("""\
        attributes:
          lit: {type: bool}
          w: {type: number, min: 0, max: 1, step: 0.25}
        modules:
          shelf:
            count: {min: 0, max: 4}
            attributes:
              glass: {type: bool}
            rules:
              - id: glass-lit
                message: m
                table: {columns: [glass, lit], rows: [[true, true], [false, "*"]], when: w > 0}
        rules:
          - id: t
            message: m
            table: {columns: [lit, w], rows: [[true, 0.25], [false, 0]]}
        """)  # fmt: skip
    core = family.rules[0]
    assert isinstance(core, TableRule)
    assert core.rows == ((True, Decimal("0.25")), (False, Decimal(0)))
    (module_rule,) = family.slots[0].rules
    assert isinstance(module_rule, TableRule)
    assert module_rule.slot == "shelf"
    assert module_rule.columns == (AttrRef("glass", "shelf"), AttrRef("lit"))
    assert module_rule.when is not None


def test_load_family_accepts_str_paths(tmp_path: Path) -> None:
    """``load_family`` takes a str or a Path and records it as the source."""
    path = tmp_path / "stool.yaml"
    path.write_text("family: stool\nname: Stool\nversion: '2'\n", encoding="utf-8")
    assert load_family(str(path)).source == str(path)


# --- errors: the file --------------------------------------------------------------------------


def test_missing_file_is_a_model_error(tmp_path: Path) -> None:
    """A file that cannot be read is reported, without a position."""
    with pytest.raises(ModelError) as info:
        load_family(tmp_path / "nope.yaml")
    (d,) = info.value.diagnostics
    assert d.span is None
    assert "cannot read" in d.message
    assert "nope.yaml" in d.message


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 are reported where they are."""
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"family: w\nname: Caf\xe9\n")
    with pytest.raises(ModelError) as info:
        load_family(path)
    assert [str(d) for d in info.value.diagnostics] == [
        f"{path}:2:10: error: the file is not UTF-8 text (invalid continuation byte) "
        "(hint: save it as UTF-8)"
    ]


def test_empty_file() -> None:
    """An empty file is reported at 1:1 with what to write."""
    assert _errors("", head="# only a comment\n") == [
        "f.yaml:1:1: error: the file is empty (hint: a family file starts with 'family: <id>')"
    ]


def test_top_level_must_be_a_mapping() -> None:
    """A list at the top is refused where it starts."""
    (error,) = _errors("- a\n- b\n", head="")
    assert error.startswith(
        "f.yaml:1:1: error: the top level must be a mapping of keys, got a list"
    )


def test_yaml_syntax_error() -> None:
    """A YAML error becomes a diagnostic at PyYAML's marker."""
    assert _errors("attributes:\n  a: {type: bool\n") == [
        "f.yaml:6:1: error: invalid YAML: expected ',' or '}', but got '<stream end>' "
        "(hint: while parsing a flow mapping at 5:6)"
    ]


def test_duplicate_keys() -> None:
    """A repeated key names where the first one is."""
    assert _errors("name: X\n") == ["f.yaml:4:1: error: duplicate key 'name' (first at 2:1)"]


# --- errors: the top level ---------------------------------------------------------------------


def test_family_id_must_be_lowercase_id() -> None:
    """The id is checked against ``[a-z0-9][a-z0-9_-]*`` at its value."""
    assert _errors("", head="family: Wardrobe 2\nname: W\nversion: '1'\n") == [
        "f.yaml:1:9: error: family id 'Wardrobe 2' is not valid (hint: use lowercase letters, "
        "digits, '-' and '_', starting with a letter or digit)"
    ]


def test_missing_top_level_keys() -> None:
    """family, name and version are required; each missing one is reported."""
    assert _errors("", head="family: w\n") == [
        "f.yaml:1:1: error: missing key 'name' at the top level",
        "f.yaml:1:1: error: missing key 'version' at the top level",
    ]


def test_unknown_top_level_key_with_did_you_mean() -> None:
    """A misspelt section is named, with the likely intended key."""
    assert _errors("atributes: {}\n") == [
        "f.yaml:4:1: error: unknown key 'atributes' at the top level "
        "(hint: did you mean 'attributes'?)"
    ]


def test_top_level_number_must_be_a_number() -> None:
    """``base_price: abc`` is refused at the value."""
    assert _errors("base_price: abc\n") == [
        "f.yaml:4:13: error: 'base_price' must be a number, got 'abc'"
    ]


# --- errors: attributes ------------------------------------------------------------------------


def test_unknown_attribute_key_with_did_you_mean() -> None:
    """``lable`` is reported at the key, naming the attribute and suggesting ``label``."""
    assert _errors("""\
        attributes:
          width_mm:
            type: number
            lable: Width
            min: 1
            max: 5
        """) == [
        "f.yaml:7:5: error: unknown key 'lable' in attribute 'width_mm' "
        "(hint: did you mean 'label'?)"
    ]  # fmt: skip


def test_key_of_another_type_is_unknown() -> None:
    """A bool attribute has no ``values``; the hint lists the keys it has."""
    (error,) = _errors("attributes:\n  b: {type: bool, values: {a: A}}\n")
    assert error.startswith("f.yaml:5:19: error: unknown key 'values' in attribute 'b' (hint: ")
    assert "known keys: type, label, description, default, price" in error


def test_missing_type() -> None:
    """The missing key is reported at the attribute's name."""
    assert _errors("attributes:\n  b: {label: B}\n") == [
        "f.yaml:5:3: error: missing key 'type' in attribute 'b'"
    ]


def test_unknown_type() -> None:
    """Only enum, bool and number exist."""
    assert _errors("attributes:\n  b: {type: integer}\n") == [
        "f.yaml:5:13: error: attribute 'b': unknown type 'integer' (hint: use enum, bool or number)"
    ]


def test_wrong_yaml_type_for_a_number() -> None:
    """``min: abc`` says what was expected and what was found, at the value."""
    assert _errors("attributes:\n  width_mm:\n    type: number\n    min: abc\n    max: 5\n") == [
        "f.yaml:7:10: error: attribute 'width_mm': 'min' must be a number, got 'abc'"
    ]


def test_quoted_number_gets_a_hint() -> None:
    """``max: "5"`` is text; the hint says to remove the quotes."""
    assert _errors("attributes:\n  w: {type: number, min: 1, max: '5'}\n") == [
        "f.yaml:5:34: error: attribute 'w': 'max' must be a number, got the text '5' "
        "(hint: remove the quotes)"
    ]


def test_min_greater_than_max() -> None:
    """The range error points at ``min``."""
    assert _errors("attributes:\n  foot_mm: {type: number, min: 320, max: 200}\n") == [
        "f.yaml:5:32: error: attribute 'foot_mm': min 320 is greater than max 200"
    ]


def test_step_must_divide_the_range() -> None:
    """A step that does not divide max - min suggests maxima that would fit."""
    assert _errors("attributes:\n  w: {type: number, min: 600, max: 3000, step: 7}\n") == [
        "f.yaml:5:48: error: attribute 'w': step 7 does not divide max - min = 2400 "
        "(hint: make max 2994 or 3001, or choose a step that divides it)"
    ]


def test_step_must_be_positive() -> None:
    """A zero step is refused at the step."""
    assert _errors("attributes:\n  w: {type: number, min: 0, max: 10, step: 0}\n") == [
        "f.yaml:5:44: error: attribute 'w': step 0 must be greater than 0"
    ]


def test_default_off_the_grid() -> None:
    """The hint names the nearest values on the grid."""
    body = "attributes:\n  w: {type: number, min: 600, max: 3000, step: 10, default: 1805}\n"
    assert _errors(body) == [
        "f.yaml:5:61: error: attribute 'w': default 1805 is not on the grid 600..3000 step 10 "
        "(hint: the nearest values are 1800 and 1810)"
    ]


def test_default_outside_the_range() -> None:
    """A default beyond max is refused at the default."""
    assert _errors("attributes:\n  n: {type: number, min: 1, max: 3, default: 9}\n") == [
        "f.yaml:5:46: error: attribute 'n': default 9 is outside 1..3"
    ]


def test_enum_default_not_a_value() -> None:
    """A misspelt enum default gets a did-you-mean."""
    body = "attributes:\n  f: {type: enum, default: blak, values: {black: B, white: W}}\n"
    assert _errors(body) == [
        "f.yaml:5:28: error: attribute 'f': default 'blak' is not one of its values "
        "(hint: did you mean 'black'?)"
    ]


def test_enum_with_no_values() -> None:
    """An empty ``values`` mapping is refused; a missing one is a missing key."""
    assert _errors("attributes:\n  f: {type: enum, values: {}}\n  g: {type: enum}\n") == [
        "f.yaml:5:27: error: attribute 'f': an enum needs at least one value "
        "(hint: add 'name: Label' entries)",
        "f.yaml:6:3: error: missing key 'values' in attribute 'g'",
    ]


def test_enum_values_as_a_list() -> None:
    """Values are a mapping of names to labels; a list is refused with an example."""
    assert _errors("attributes:\n  f: {type: enum, values: [a, b]}\n") == [
        "f.yaml:5:27: error: attribute 'f': 'values' must be a mapping of names to labels, "
        "got a list (hint: write 'values: {a: Label A, b: Label B}')"
    ]


def test_value_property_must_be_a_number() -> None:
    """Properties are numbers, named like attributes."""
    assert _errors("""\
        attributes:
          f:
            type: enum
            values:
              oak: {label: Oak, properties: {density: heavy}}
        """) == [
        "f.yaml:8:47: error: value 'oak' of attribute 'f': property 'density' must be a number, "
        "got 'heavy'"
    ]  # fmt: skip


def test_bool_default_must_be_true_or_false() -> None:
    """``yes`` is not a boolean in a family file."""
    assert _errors("attributes:\n  sc: {type: bool, default: yes}\n") == [
        "f.yaml:5:29: error: attribute 'sc': 'default' must be true or false, got 'yes'"
    ]


def test_attribute_names_must_be_usable_in_expressions() -> None:
    """Names that are not identifiers, or are keywords, are refused at the name."""
    assert _errors("attributes:\n  2x: {type: bool}\n  and: {type: bool}\n") == [
        "f.yaml:5:3: error: attribute name '2x' is not a valid name "
        "(hint: use letters, digits and '_', starting with a letter, e.g. width_mm)",
        "f.yaml:6:3: error: attribute name 'and' is a keyword of expressions "
        "(hint: choose another name)",
    ]


def test_every_broken_attribute_is_reported() -> None:
    """Errors in one attribute do not hide errors in the next."""
    errors = _errors("""\
        attributes:
          a: {type: number, min: 5, max: 1}
          b: {type: bool, default: maybe}
          c: {type: enum, values: {}}
        """)  # fmt: skip
    assert [e.split(": error:")[0] for e in errors] == ["f.yaml:5:26", "f.yaml:6:28", "f.yaml:7:27"]


# --- errors: modules ---------------------------------------------------------------------------


def test_module_count_min_greater_than_max() -> None:
    """The count range is checked like an attribute's."""
    assert _errors("modules:\n  shelf: {count: {min: 3, max: 2}}\n") == [
        "f.yaml:5:24: error: count of module 'shelf': min 3 is greater than max 2"
    ]


def test_module_count_must_be_whole() -> None:
    """Instance counts are whole, non-negative numbers."""
    assert _errors("modules:\n  shelf: {count: {min: 0.5, max: 2}}\n") == [
        "f.yaml:5:24: error: count of module 'shelf': 'min' must be a whole number of "
        "instances, got 0.5"
    ]


def test_module_count_default_outside_range() -> None:
    """The default count must lie between min and max."""
    assert _errors("modules:\n  shelf: {count: {min: 0, max: 2, default: 3}}\n") == [
        "f.yaml:5:44: error: count of module 'shelf': default 3 is outside 0..2"
    ]


def test_module_needs_a_count() -> None:
    """A module without ``count`` is reported at its name."""
    assert _errors("modules:\n  shelf: {label: Shelf}\n") == [
        "f.yaml:5:3: error: missing key 'count' in module 'shelf'"
    ]


def test_module_attribute_cannot_be_called_count() -> None:
    """``shelf.count`` already means the number of shelves."""
    assert _errors("""\
        modules:
          shelf:
            count: {min: 0, max: 2}
            attributes:
              count: {type: bool}
        """) == [
        "f.yaml:8:7: error: attribute name 'count' is reserved here "
        "(hint: 'shelf.count' is the number of instances; choose another name)"
    ]  # fmt: skip


def test_module_and_attribute_with_the_same_name() -> None:
    """Core attributes and modules share one namespace."""
    body = "attributes:\n  shelf: {type: bool}\nmodules:\n  shelf: {count: {min: 0, max: 1}}\n"
    assert _errors(body) == [
        "f.yaml:7:3: error: module 'shelf' has the name of attribute 'shelf' "
        "(hint: rename one of them)"
    ]


def test_module_attribute_errors_name_the_module() -> None:
    """A module attribute's error says which module it belongs to."""
    assert _errors("""\
        modules:
          shelf:
            count: {min: 0, max: 2}
            attributes:
              depth_mm: {type: number, min: 400, max: 300}
        """) == [
        "f.yaml:8:37: error: attribute 'depth_mm' of module 'shelf': "
        "min 400 is greater than max 300"
    ]  # fmt: skip


# --- errors: rules, tables and prices ----------------------------------------------------------

BOOLS = "attributes:\n  a: {type: bool}\n  b: {type: bool}\n"  # lines 4-6


def _errors_ab(body: str) -> list[str]:
    """The errors of ``body`` after a header that declares bool attributes a and b."""
    return _errors(body, head=HEAD + BOOLS)


def test_duplicate_rule_ids_across_core_and_modules() -> None:
    """Rule ids are unique in the whole file; the later one names the first."""
    assert _errors_ab("""\
        modules:
          m:
            count: {min: 0, max: 1}
            rules:
              - {id: r, message: M, rule: a}
        rules:
          - {id: r, message: M, rule: b}
        """) == [
        "f.yaml:13:10: error: duplicate rule id 'r' (first at 11:14) "
        "(hint: rule ids must be unique in the file)"
    ]  # fmt: skip


def test_rule_with_neither_rule_nor_table() -> None:
    """A rule must say what must hold."""
    assert _errors_ab("rules:\n  - {id: r, message: M}\n") == [
        "f.yaml:8:5: error: rule 'r': needs either 'rule' or 'table' "
        "(hint: add 'rule: <condition>' or a 'table:')"
    ]


def test_rule_with_both_rule_and_table() -> None:
    """Both forms at once is ambiguous; the error points at ``table``."""
    assert _errors_ab("""\
        rules:
          - id: r
            message: M
            rule: a
            table: {columns: [a], rows: [[true]]}
        """) == [
        "f.yaml:11:5: error: rule 'r': has both 'rule' and 'table' "
        "(hint: split it into two rules)"
    ]  # fmt: skip


def test_rule_missing_id_and_message() -> None:
    """A rule without an id is named by its place in the list."""
    assert _errors_ab("rules:\n  - {id: ok, message: M, rule: a}\n  - rule: b\n") == [
        "f.yaml:9:5: error: missing key 'id' in rule #2",
        "f.yaml:9:5: error: missing key 'message' in rule #2",
    ]


def test_rule_that_is_not_a_mapping() -> None:
    """A bare string in the rules list is refused."""
    assert _errors_ab("rules:\n  - a requires b\n") == [
        "f.yaml:8:5: error: rule #1 must be a mapping, got 'a requires b'"
    ]


def test_table_row_with_the_wrong_number_of_cells() -> None:
    """Each row needs one cell per column."""
    assert _errors_ab("""\
        rules:
          - id: t
            message: M
            table:
              columns: [a, b]
              rows:
                - [true, false]
                - [true]
        """) == [
        "f.yaml:14:11: error: rule 't': row 2 has 1 cell, the table has 2 columns"
    ]  # fmt: skip


def test_table_cell_not_a_value_of_its_column() -> None:
    """Enum cells are checked against the values, with a did-you-mean."""
    assert _errors("""\
        attributes:
          finish: {type: enum, values: {oak: Oak, white: White}}
          handle: {type: enum, values: {brass: Brass, black: Black}}
        rules:
          - id: finish-handles
            message: M
            table:
              columns: [finish, handle]
              rows:
                - [oka, brass]
                - [white, "*"]
        """) == [
        "f.yaml:13:12: error: rule 'finish-handles': 'oka' is not a value of 'finish' "
        "(hint: did you mean 'oak'?)"
    ]  # fmt: skip


def test_table_number_and_bool_cells() -> None:
    """Number cells must lie on the grid; bool cells must be true or false."""
    assert _errors("""\
        attributes:
          n: {type: number, min: 0, max: 10, step: 2}
          b: {type: bool}
        rules:
          - id: t
            message: M
            table: {columns: [n, b], rows: [[3, yes], [12, true]]}
        """) == [
        "f.yaml:10:38: error: rule 't': 3 is not a value of 'n' (hint: allowed: 0..10 step 2)",
        "f.yaml:10:41: error: rule 't': a cell of 'b' must be true or false, got 'yes'",
        "f.yaml:10:48: error: rule 't': 12 is not a value of 'n' (hint: allowed: 0..10 step 2)",
    ]  # fmt: skip


def test_table_column_must_name_an_attribute() -> None:
    """An unknown column is reported by the checker at the column's position."""
    (error,) = _errors_ab(
        "rules:\n  - {id: t, message: M, table: {columns: [a, c], rows: [[true, true]]}}\n"
    )
    assert error.startswith("f.yaml:8:46: error: ")
    assert "'c'" in error


def test_table_column_twice() -> None:
    """Naming an attribute in two columns is a mistake, reported at the second."""
    errors = _errors_ab("rules:\n  - {id: t, message: M, table: {columns: [a, a], rows: [[1]]}}\n")
    assert errors[0] == (
        "f.yaml:8:46: error: rule 't': column 'a' appears twice (hint: merge the two columns)"
    )


def test_table_without_rows() -> None:
    """A table with no rows would allow nothing."""
    assert _errors_ab("rules:\n  - {id: t, message: M, table: {columns: [a], rows: []}}\n") == [
        "f.yaml:8:53: error: rule 't': the table has no rows "
        "(hint: list the allowed combinations, one per row)"
    ]  # fmt: skip


def test_expression_syntax_error_in_plain_scalar() -> None:
    """Parser errors point at the exact column inside a plain scalar."""
    (error,) = _errors_ab("rules:\n  - id: r\n    message: M\n    rule: a && b\n")
    assert error == "f.yaml:10:13: error: '&&' is not an operator (hint: use 'and')"


def test_expression_syntax_error_in_quoted_scalar() -> None:
    """Inside quotes the position is shifted past the opening quote."""
    (error,) = _errors_ab("rules:\n  - id: r\n    message: M\n    rule: 'a && b'\n")
    assert error == "f.yaml:10:14: error: '&&' is not an operator (hint: use 'and')"


def test_unknown_name_in_a_rule() -> None:
    """Checker errors point at the name and suggest the close one."""
    (error,) = _errors_ab("rules:\n  - id: r\n    message: M\n    rule: a and bb\n")
    assert error.startswith("f.yaml:10:17: error: ")
    assert "'bb'" in error
    assert "did you mean 'b'?" in error


def test_price_amount_must_be_numeric() -> None:
    """A condition as an amount is a type error at the expression."""
    (error,) = _errors_ab("prices:\n  - {label: L, amount: a}\n")
    assert error.startswith("f.yaml:8:24: error: ")


def test_price_term_needs_an_amount() -> None:
    """``amount`` is required; a list is not an expression."""
    assert _errors_ab("prices:\n  - label: L\n  - {amount: [1]}\n") == [
        "f.yaml:8:5: error: missing key 'amount' in price term 'L'",
        "f.yaml:9:14: error: price term #2: 'amount' must be a formula (an expression), got a list",
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("modules: [a]\n", "f.yaml:7:10: error: 'modules' must be a mapping, got a list"),
        ("rules: {a: 1}\n", "f.yaml:7:8: error: 'rules' must be a list, got a mapping"),
        ("prices: x\n", "f.yaml:7:9: error: 'prices' must be a list, got 'x'"),
        ("prices: [x]\n", "f.yaml:7:10: error: price term #1 must be a mapping, got 'x'"),
        (
            "rules: [{id: t, message: M, table: [a]}]\n",
            "f.yaml:7:36: error: rule 't': 'table' must be a mapping with 'columns' and 'rows'",
        ),
        (
            "rules: [{id: t, message: M, table: {columns: a, rows: [[true]]}}]\n",
            "f.yaml:7:46: error: rule 't': 'columns' must be a list of attribute names, got 'a'",
        ),
        (
            "rules: [{id: t, message: M, table: {columns: [], rows: [[true]]}}]\n",
            "f.yaml:7:46: error: rule 't': 'columns' is empty "
            "(hint: list the attributes the rows give values for)",
        ),
        (
            "rules: [{id: t, message: M, table: {columns: [a], rows: true}}]\n",
            "f.yaml:7:57: error: rule 't': 'rows' must be a list of rows, got 'true'",
        ),
        (
            "rules: [{id: t, message: M, table: {columns: [a], rows: [true]}}]\n",
            "f.yaml:7:58: error: rule 't': row 1 must be a list of cells, got 'true'",
        ),
        (
            "rules: [{id: t, message: M, table: {columns: [a], rows: [[~]]}}]\n",
            "f.yaml:7:59: error: rule 't': a cell must be a value, got nothing "
            '(hint: use "*" for any value)',
        ),
        (
            "rules: [{id: t, message: M, table: {columns: [a], rows: [[true]], when: b + 1}}]\n",
            "f.yaml:7:73: error: ",
        ),
        (
            "rules: [{id: t, message: M, table: {columns: [[a]], rows: [[true]]}}]\n",
            "f.yaml:7:47: error: rule 't': a column must be an attribute name, got a list",
        ),
    ],
)
def test_wrong_shapes_in_rules_and_prices(body: str, expected: str) -> None:
    """Lists where mappings belong (and the reverse) are refused at the node."""
    errors = _errors_ab(body)
    assert len(errors) == 1
    assert errors[0].startswith(expected)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "attributes: [a]\n",
            "f.yaml:4:13: error: 'attributes' must be a mapping, got a list",
        ),
        (
            "attributes:\n  f: {type: enum, values: {'*': Any}}\n",
            "f.yaml:5:28: error: attribute 'f': '*' cannot be a value name "
            "(hint: '*' means 'any value' in tables)",
        ),
        (
            "attributes:\n  f: {type: enum, values: {a: {lable: A}}}\n",
            "f.yaml:5:32: error: unknown key 'lable' in value 'a' of attribute 'f' "
            "(hint: did you mean 'label'?)",
        ),
        (
            "attributes:\n  f: {type: enum, values: {a: {properties: [1]}}}\n",
            "f.yaml:5:44: error: value 'a' of attribute 'f': 'properties' must be a mapping "
            "of numbers, got a list",
        ),
        (
            "attributes:\n  f: {type: enum, values: {a: {properties: {2w: 1}}}}\n",
            "f.yaml:5:45: error: property name '2w' is not a valid name",
        ),
        (
            "attributes:\n  f: {type: enum, values: {a: {properties: {w: [1]}}}}\n",
            "f.yaml:5:48: error: value 'a' of attribute 'f': property 'w' must be a number, "
            "got a list",
        ),
        (
            "attributes:\n  f: [enum]\n",
            "f.yaml:5:6: error: attribute 'f' must be a mapping, got a list",
        ),
        (
            "attributes:\n  f: {type: bool, label: [L]}\n",
            "f.yaml:5:26: error: attribute 'f': 'label' must be text, got a list",
        ),
        (
            "modules:\n  m: {count: 2}\n",
            "f.yaml:5:14: error: module 'm': 'count' must be a mapping like {min: 0, max: 1}, "
            "got '2'",
        ),
        (
            "modules:\n  m: {count: {min: 0, max: 0}}\n",
            "f.yaml:5:28: error: count of module 'm': max must be at least 1",
        ),
    ],
)
def test_wrong_shapes_in_attributes_and_modules(body: str, expected: str) -> None:
    """Every misshapen part of an attribute or module is refused at the node."""
    errors = _errors(body)
    assert len(errors) == 1
    assert errors[0].startswith(expected)


def test_rules_on_broken_attributes_are_not_reported_twice() -> None:
    """A rule naming an attribute that failed to load adds no 'unknown name' noise."""
    assert _errors("""\
        attributes:
          w: {type: number, min: 9, max: 5}
        rules:
          - {id: r, message: M, rule: w > 6}
        """) == ["f.yaml:5:26: error: attribute 'w': min 9 is greater than max 5"]  # fmt: skip


def test_rules_on_broken_module_attributes_are_not_reported_twice() -> None:
    """``shelf.depth`` in a core rule is quiet when the module's ``depth`` failed to load."""
    assert _errors("""\
        modules:
          shelf:
            count: {min: 1, max: 2}
            attributes:
              depth: {type: number, min: 9, max: 5}
        rules:
          - {id: r, message: M, rule: sum(shelf.depth) > 6}
        """) == [
        "f.yaml:8:34: error: attribute 'depth' of module 'shelf': min 9 is greater than max 5"
    ]  # fmt: skip


def test_all_errors_come_in_file_order() -> None:
    """Errors from the top level, attributes, modules and rules are collected and sorted."""
    errors = _errors("""\
        base_price: x
        attributes:
          a: {type: bool, price: free}
        modules:
          m: {count: {min: 2, max: 1}}
        rules:
          - {id: r, message: M, rule: zz}
        atributes: {}
        """)  # fmt: skip
    assert [e.split(": error:")[0] for e in errors] == [
        "f.yaml:4:13",
        "f.yaml:6:26",
        "f.yaml:8:20",
        "f.yaml:10:31",
        "f.yaml:11:1",
    ]
