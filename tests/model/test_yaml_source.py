"""The located YAML tree: exact scalars, positions of every key and value, and refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lotone.errors import ModelError, SourceSpan
from lotone.model import yaml_source
from lotone.model.yaml_source import Map, Scalar, Seq, as_number, kind_of, load_yaml


def _map(text: str) -> Map:
    tree = load_yaml(text, "f.yaml")
    assert isinstance(tree, Map)
    return tree


def _scalar(text: str) -> Scalar:
    node = _map(f"x: {text}\n").get("x")
    assert isinstance(node, Scalar)
    return node


def _errors(text: str) -> list[str]:
    with pytest.raises(ModelError) as info:
        load_yaml(text, "f.yaml")
    return [str(d) for d in info.value.diagnostics]


def test_module_exports_its_public_names() -> None:
    """``__all__`` lists exactly the public names, and each exists."""
    assert sorted(yaml_source.__all__) == [
        "Entry",
        "Located",
        "Map",
        "Scalar",
        "ScalarValue",
        "Seq",
        "as_number",
        "kind_of",
        "load_yaml",
    ]
    for name in yaml_source.__all__:
        assert hasattr(yaml_source, name)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.1", Decimal("0.1")),
        ("12", Decimal("12")),
        ("-0.50", Decimal("-0.50")),
        ("+3", Decimal("3")),
        (".5", Decimal("0.5")),
        ("1e3", Decimal("1000")),
        ("120.00", Decimal("120.00")),
    ],
)
def test_plain_numbers_are_exact_decimals(text: str, value: Decimal) -> None:
    """Numbers are read from their text, never through a float, and keep their digits."""
    node = _scalar(text)
    assert isinstance(node.value, Decimal)
    assert node.value == value
    assert str(node.value) == str(Decimal(text))


def test_tenth_is_exactly_one_tenth() -> None:
    """``0.1`` is ``Decimal("0.1")``, not the float nearest to it."""
    assert _scalar("0.1").value == Decimal("0.1")
    assert _scalar("0.1").value != Decimal(float("0.1"))


@pytest.mark.parametrize("text", ["yes", "no", "on", "off", "y", "n", "Yes", "NO", "On"])
def test_yaml11_booleans_stay_strings(text: str) -> None:
    """YAML 1.1's yes/no/on/off are names, so enum values like ``no`` survive."""
    assert _scalar(text).value == text


@pytest.mark.parametrize(("text", "value"), [("true", True), ("False", False), ("TRUE", True)])
def test_true_and_false_are_booleans(text: str, value: bool) -> None:
    """Only the YAML 1.2 spellings of true and false are booleans."""
    assert _scalar(text).value is value


@pytest.mark.parametrize("text", ["~", "null", "Null", ""])
def test_null_spellings_are_none(text: str) -> None:
    """``~``, ``null`` and an empty value are ``None``."""
    assert _scalar(text).value is None


@pytest.mark.parametrize(
    "text", ["0x1F", "0o17", "1_000", ".inf", "1:20", "2024-01-01", "12 mm", "v1.0"]
)
def test_other_yaml11_forms_stay_strings(text: str) -> None:
    """Hex, octal, sexagesimal, infinities and dates are not guessed: they stay text."""
    assert _scalar(text).value == text


@pytest.mark.parametrize("text", ['"12"', "'true'", '"~"', "'0.1'"])
def test_quoted_scalars_are_always_strings(text: str) -> None:
    """Quoting is how a file says 'this is text'."""
    node = _scalar(text)
    assert node.value == text[1:-1]
    assert not node.plain


def test_explicit_core_tags_are_honoured() -> None:
    """``!!str 12`` is text, ``!!int 12`` a number, ``!!bool true`` a boolean."""
    tree = _map("a: !!str 12\nb: !!int 12\nc: !!float 0.5\nd: !!bool true\ne: !!null ~\n")
    values = [e.value.value for e in tree.entries if isinstance(e.value, Scalar)]
    assert values == ["12", Decimal(12), Decimal("0.5"), True, None]


def test_explicit_tag_on_a_quoted_scalar_is_honoured() -> None:
    """``!!int "12"`` is the number 12, although it is quoted."""
    node = _scalar('!!int "12"')
    assert node.value == Decimal(12)
    assert not node.plain


def test_value_not_fitting_its_tag_is_an_error() -> None:
    """``!!int abc`` is reported at the scalar."""
    assert _errors("a: !!int abc\n") == [
        "f.yaml:1:4: error: 'abc' does not fit its tag 'tag:yaml.org,2002:int' "
        "(hint: remove the tag)"
    ]


def test_unknown_tags_are_refused() -> None:
    """Application tags have no meaning in a family file."""
    assert _errors("a: 1\nb: !color red\n") == [
        "f.yaml:2:4: error: unsupported YAML tag '!color' on 'red' (hint: remove the tag)"
    ]


def test_keys_and_values_keep_one_based_positions() -> None:
    """Every key and every value knows its line and column, counted from 1."""
    tree = _map("family: w\nattributes:\n  width_mm:\n    min: 600\n")
    attrs = tree.get("attributes")
    assert isinstance(attrs, Map)
    width = attrs.entry("width_mm")
    assert width is not None
    assert width.key.span == SourceSpan("f.yaml", 3, 3)
    assert isinstance(width.value, Map)
    low = width.value.get("min")
    assert isinstance(low, Scalar)
    assert low.span == SourceSpan("f.yaml", 4, 10)
    assert list(tree.keys()) == ["family", "attributes"]


def test_sequence_items_keep_positions() -> None:
    """Flow and block list items have their own positions."""
    tree = _map("rows:\n  - [oak, brass]\n  - [white, '*']\n")
    rows = tree.get("rows")
    assert isinstance(rows, Seq)
    second = rows.items[1]
    assert isinstance(second, Seq)
    assert [item.span for item in second.items] == [
        SourceSpan("f.yaml", 3, 6),
        SourceSpan("f.yaml", 3, 13),
    ]


def test_text_span_is_inside_the_quotes() -> None:
    """A quoted expression's text starts one column after the quote."""
    node = _scalar('"a && b"')
    assert node.span == SourceSpan("f.yaml", 1, 4)
    assert node.text_span == SourceSpan("f.yaml", 1, 5)


def test_text_span_of_a_plain_scalar_is_its_start() -> None:
    """For plain scalars the node and its text start at the same place."""
    node = _scalar("width_mm <= 900")
    assert node.text_span == node.span == SourceSpan("f.yaml", 1, 4)


def test_text_span_of_a_block_scalar_is_its_first_content_line() -> None:
    """A ``|`` scalar's text starts on the line after the header, at the block's indentation."""
    tree = _map("rule: |\n    a and\n    b\nnext: |\n\n    c\n")
    node, after_blank = tree.get("rule"), tree.get("next")
    assert isinstance(node, Scalar)
    assert isinstance(after_blank, Scalar)
    assert node.text == "a and\nb\n"
    assert node.span == SourceSpan("f.yaml", 1, 7)
    assert node.text_span == SourceSpan("f.yaml", 2, 5)
    assert after_blank.text == "\nc\n"  # the text keeps the blank line, so it starts there
    assert after_blank.text_span == SourceSpan("f.yaml", 5, 5)


def test_duplicate_keys_are_all_reported_with_the_first_position() -> None:
    """Each repeated key is an error naming where the key first appeared."""
    assert _errors("a: 1\nb: 2\na: 3\nc:\n  x: 1\n  x: 2\n") == [
        "f.yaml:3:1: error: duplicate key 'a' (first at 1:1)",
        "f.yaml:6:3: error: duplicate key 'x' (first at 5:3)",
    ]


def test_duplicate_key_keeps_the_first_value() -> None:
    """The tree itself is never ambiguous: only one entry per key exists."""
    with pytest.raises(ModelError):
        load_yaml("a: 1\na: 2\n")


def test_syntax_error_is_reported_at_the_marker() -> None:
    """PyYAML's problem position becomes FILE:LINE:COL, its context the hint."""
    assert _errors("a: 1\nb: [1, 2\n") == [
        "f.yaml:3:1: error: invalid YAML: expected ',' or ']', but got '<stream end>' "
        "(hint: while parsing a flow sequence at 2:4)"
    ]


def test_mapping_value_in_plain_scalar_is_a_syntax_error() -> None:
    """``a: b: c`` is refused where the second colon is."""
    assert _errors("a: b: c\n") == [
        "f.yaml:1:5: error: invalid YAML: mapping values are not allowed here"
    ]


def test_tab_indentation_gets_a_hint() -> None:
    """Tabs are a common mistake; the hint says what to do."""
    (error,) = _errors("a:\n\tb: 1\n")
    assert error.startswith("f.yaml:2:1: error: invalid YAML: found character '\\t'")
    assert error.endswith("(hint: indent with spaces: YAML does not allow tabs there)")


def test_two_documents_are_refused() -> None:
    """A family file holds exactly one document."""
    assert _errors("a: 1\n---\nb: 2\n") == [
        "f.yaml:2:1: error: invalid YAML: expected a single document in the stream, "
        "but found another document"
    ]


def test_empty_text_has_no_tree() -> None:
    """Empty or comment-only text gives ``None``, for the caller to report."""
    assert load_yaml("") is None
    assert load_yaml("# just a comment\n\n") is None


def test_aliases_are_followed() -> None:
    """An alias reads as the anchored node, with the anchor's positions."""
    tree = _map("a: &v {x: 1}\nb: *v\n")
    a, b = tree.get("a"), tree.get("b")
    assert a == b
    assert isinstance(b, Map)
    assert b.span == SourceSpan("f.yaml", 1, 4)  # the node starts at its anchor


def test_recursive_aliases_are_refused() -> None:
    """A node that contains itself cannot be loaded."""
    assert _errors("a: &v [1, *v]\n") == [
        "f.yaml:1:4: error: recursive alias: this node contains itself (hint: copy the data out)"
    ]


def test_merge_keys_are_refused() -> None:
    """``<<`` would hide where keys come from; the file should spell them out."""
    assert _errors("base: &b {x: 1}\nother:\n  <<: *b\n") == [
        "f.yaml:3:3: error: merge keys ('<<') are not supported (hint: write the keys out)"
    ]


def test_non_scalar_keys_are_refused() -> None:
    """Keys are names, never lists or mappings."""
    assert _errors("? [a, b]\n: 1\n") == [
        "f.yaml:1:3: error: a key must be a plain name, not a list or mapping"
    ]


def test_kind_of_describes_nodes_for_messages() -> None:
    """Messages say 'a mapping', 'a list', 'nothing', or quote the scalar as written."""
    tree = _map("a: {}\nb: []\nc:\nd: abc\ne: '5'\n")
    assert [kind_of(e.value) for e in tree.entries] == [
        "a mapping",
        "a list",
        "nothing",
        "'abc'",
        "the text '5'",
    ]


def test_as_number_reads_only_decimal_text() -> None:
    """``as_number`` accepts what a plain number scalar accepts."""
    assert as_number("0.25") == Decimal("0.25")
    assert as_number("0x10") is None
    assert as_number("ten") is None


def test_default_filename_is_string_marker() -> None:
    """Without a file name, positions name ``<string>``."""
    tree = load_yaml("a: 1\n")
    assert isinstance(tree, Map)
    assert str(tree.entries[0].key.span) == "<string>:1:1"
