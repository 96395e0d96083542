"""The lexer, parser and printer of the expression language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotone.errors import ModelError, SourceSpan
from lotone.model import lexer, parser, printer
from lotone.model.ast import Binary, Call, InList, Literal, Node, Ref, Unary
from lotone.model.lexer import KEYWORDS, tokenize
from lotone.model.parser import parse_expression
from lotone.model.printer import format_expression

D = Decimal


def error_of(text: str, span: SourceSpan | None = None) -> tuple[SourceSpan, str, str | None]:
    """The (span, message, hint) of the single syntax error in ``text``."""
    with pytest.raises(ModelError) as caught:
        parse_expression(text, span)
    (diag,) = caught.value.diagnostics
    assert diag.span is not None
    return diag.span, diag.message, diag.hint


# --- constants, names and calls ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", D(12)),
        ("0.5", D("0.5")),
        ("007", D(7)),
        ('"oak"', "oak"),
        ("'oak'", "oak"),
        (r'"say \"hi\""', 'say "hi"'),
        (r"'it\'s'", "it's"),
        (r'"back\\slash"', "back\\slash"),
        ('""', ""),
        ("true", True),
        ("false", False),
    ],
)
def test_constants_parse_to_literals(text: str, value: Decimal | str | bool) -> None:
    """Numbers are exact decimals, strings are unescaped, true/false are booleans."""
    node = parse_expression(text)
    assert node == Literal(value)
    assert isinstance(node, Literal)
    assert type(node.value) is type(value)


def test_decimal_literal_keeps_its_written_exponent() -> None:
    """``0.50`` stays Decimal('0.50') (equal to 0.5), never a float."""
    node = parse_expression("0.50")
    assert isinstance(node, Literal)
    assert str(node.value) == "0.50"


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("width_mm", Ref(("width_mm",))),
        ("_private2", Ref(("_private2",))),
        ("cpu.watts", Ref(("cpu", "watts"))),
        ("section.count", Ref(("section", "count"))),
        ("section[2].width_mm", Ref(("section", "width_mm"), 2)),
        ("section[12].finish.density", Ref(("section", "finish", "density"), 12)),
        ("section[2]", Ref(("section",), 2)),
        ("section [ 2 ] . width_mm", Ref(("section", "width_mm"), 2)),
    ],
)
def test_names_parse_to_refs(text: str, ref: Ref) -> None:
    """Dotted names with an optional instance number after the first part."""
    assert parse_expression(text) == ref


def test_calls_keep_their_arguments_in_order() -> None:
    """``name(args)`` is a Call, ``if`` included although it is a keyword; ``f()`` has none."""
    assert parse_expression("max(a, 2, b)") == Call(
        "max", (Ref(("a",)), Literal(D(2)), Ref(("b",)))
    )
    assert parse_expression("if(c, 1, 2)") == Call(
        "if", (Ref(("c",)), Literal(D(1)), Literal(D(2)))
    )
    assert parse_expression("count()") == Call("count", ())
    assert parse_expression("sum(section.w)") == Call("sum", (Ref(("section", "w")),))


def test_in_lists_and_negated_in_lists() -> None:
    """``x in (...)`` and ``x not in (...)`` build InList nodes."""
    items = (Literal("a"), Literal("b"))
    assert parse_expression('x in ("a", "b")') == InList(Ref(("x",)), items)
    assert parse_expression('x not in ("a", "b")') == InList(Ref(("x",)), items, negated=True)
    assert parse_expression("x in (1)") == InList(Ref(("x",)), (Literal(D(1)),))


def test_parentheses_make_no_node() -> None:
    """``((a))`` is just ``a``."""
    assert parse_expression("((a))") == Ref(("a",))


def test_keywords_are_the_documented_ones() -> None:
    """The reserved words of the language."""
    assert (
        frozenset(
            {"and", "or", "not", "implies", "requires", "excludes", "in", "true", "false", "if"}
        )
        == KEYWORDS
    )


# --- precedence and associativity ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "explicit"),
    [
        ("a implies b or c", "a implies (b or c)"),
        ("a or b implies c", "(a or b) implies c"),
        ("a implies b implies c", "a implies (b implies c)"),
        ("a requires b excludes c", "a requires (b excludes c)"),
        ("a or b and c", "a or (b and c)"),
        ("a and b or c", "(a and b) or c"),
        ("a or b or c", "(a or b) or c"),
        ("a and b and c", "(a and b) and c"),
        ("not a and b", "(not a) and b"),
        ("not a or not b", "(not a) or (not b)"),
        ("not not a", "not (not a)"),
        ("not a == b", "not (a == b)"),
        ("not x in (1, 2)", "not (x in (1, 2))"),
        ("a == b and c != d", "(a == b) and (c != d)"),
        ("a + b == c * d", "(a + b) == (c * d)"),
        ("a + b < c", "(a + b) < c"),
        ("a + b in (1, 2)", "(a + b) in (1, 2)"),
        ("a - b - c", "(a - b) - c"),
        ("a - b + c", "(a - b) + c"),
        ("a / 2 / 4", "(a / 2) / 4"),
        ("a + b * c", "a + (b * c)"),
        ("a * b + c", "(a * b) + c"),
        ("a * b / 2", "(a * b) / 2"),
        ("-a * b", "(-a) * b"),
        ("a * -b", "a * (-b)"),
        ("- -a", "-(-a)"),
        ("a - -b", "a - (-b)"),
        ("-a.b", "-(a.b)"),
        ("-f(a) + 1", "(-f(a)) + 1"),
        ("a <= b implies c >= d", "(a <= b) implies (c >= d)"),
    ],
)
def test_precedence_table(text: str, explicit: str) -> None:
    """Operators bind as the table in the module docstring says."""
    assert parse_expression(text) == parse_expression(explicit)


def test_operator_nodes_have_the_right_ops() -> None:
    """The op strings of the tree are the operators as written."""
    node = parse_expression("a requires b excludes c")
    assert isinstance(node, Binary)
    assert node.op == "requires"
    assert isinstance(node.right, Binary)
    assert node.right.op == "excludes"
    neg = parse_expression("-a")
    assert neg == Unary("-", Ref(("a",)))


# --- positions ----------------------------------------------------------------------------


def test_every_node_carries_the_span_of_its_first_token_binary_its_operator() -> None:
    """Columns are 1-based and exact; Binary and InList point at their operator."""
    node = parse_expression('width_mm + 2 >= f(x) and c in ("a")')
    assert isinstance(node, Binary)
    assert node.span == SourceSpan("<expression>", 1, 22)  # 'and'
    ge = node.left
    assert isinstance(ge, Binary)
    assert ge.span is not None
    assert ge.span.column == 14
    plus = ge.left
    assert isinstance(plus, Binary)
    assert plus.span is not None
    assert plus.span.column == 10
    assert plus.left.span is not None
    assert plus.left.span.column == 1
    assert plus.right.span is not None
    assert plus.right.span.column == 12
    call = ge.right
    assert isinstance(call, Call)
    assert call.span is not None
    assert call.span.column == 17
    assert call.args[0].span is not None
    assert call.args[0].span.column == 19
    inlist = node.right
    assert isinstance(inlist, InList)
    assert inlist.span is not None
    assert inlist.span.column == 28
    assert inlist.items[0].span is not None
    assert inlist.items[0].span.column == 32


def test_spans_are_relative_to_the_given_start() -> None:
    """``span`` is where the text's first character stands in its file."""
    start = SourceSpan("family.yaml", 12, 11)
    node = parse_expression("a or b", start)
    assert node.span == SourceSpan("family.yaml", 12, 13)
    assert isinstance(node, Binary)
    assert node.left.span == start


def test_multi_line_text_advances_the_line_and_restarts_the_column() -> None:
    """After a newline, columns count from 1 again on the next line."""
    node = parse_expression("a and\n    b", SourceSpan("f.yaml", 7, 15))
    assert isinstance(node, Binary)
    assert node.span == SourceSpan("f.yaml", 7, 17)
    assert node.right.span == SourceSpan("f.yaml", 8, 5)


def test_token_spans_and_end_token() -> None:
    """The lexer ends with an ``end`` token just after the last character."""
    tokens = tokenize("a<=2")
    assert [t.kind for t in tokens] == ["name", "op", "number", "end"]
    assert [t.span.column for t in tokens] == [1, 2, 4, 5]


# --- syntax errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column", "message", "hint"),
    [
        ("width_mm + )", 12, "unexpected ')' after 'width_mm +'", "expected a value"),
        ("width_mm ==", 12, "expected a value after '=='", None),
        ("a = b", 3, "'=' is not an operator", "use '==' to compare"),
        ("a && b", 3, "'&&' is not an operator", "use 'and'"),
        ("a || b", 3, "'||' is not an operator", "use 'or'"),
        ("a & b", 3, "'&' is not an operator", "use 'and'"),
        ("a | b", 3, "'|' is not an operator", "use 'or'"),
        ("!a", 1, "'!' is not an operator", "use 'not'"),
        ("a -> b", 3, "'->' is not an operator", "use 'implies'"),
        ("a => b", 3, "'=>' is not an operator", "use 'implies'"),
        ("a ** 2", 3, "'**' is not an operator", "x * x"),
        ("a == 'oak", 6, "unterminated string", "close it with '"),
        ('a == "oak\n"', 6, "unterminated string", 'close it with "'),
        (r'a == "o\ak"', 8, r"unknown escape '\a' in a string", "escapes"),
        ("a @ b", 3, "unexpected character '@'", None),
        ("a < b < c", 7, "comparisons cannot be chained", "join two comparisons with 'and'"),
        ("a == b in (1)", 8, "comparisons cannot be chained", None),
        ("(a + b", 7, "missing ')' to close the '(' at line 1, column 1", None),
        ("(a + b c", 8, "unexpected 'c' after '(a + b'", "expected ')' to close the '('"),
        ("a b", 3, "unexpected 'b' after 'a'", "expected an operator"),
        ("a)", 2, "unexpected ')' after 'a'", "no matching '('"),
        (")", 1, "unexpected ')' at the start of the expression", "expected a value"),
        ("", 1, "empty expression", "width_mm <= 2400"),
        ("   ", 4, "empty expression", None),
        ("x in 'a'", 6, "expected '(' after 'x in'", 'finish in ("oak", "walnut")'),
        ("x in ()", 7, "an 'in' list needs at least one item", None),
        ("if c", 4, "expected '(' after 'if'", "if(condition, value if true"),
        ("f(a b)", 5, "unexpected 'b' after 'f(a'", "separate items with ','"),
        ("f(a,", 5, "expected a value after ','", None),
        ("section[0].w", 9, "instance numbers start at 1", "section[1]"),
        ("section[1.5].w", 9, "expected an instance number after 'section['", "whole number"),
        ("section[x].w", 9, "expected an instance number after 'section['", None),
        ("section[2.w", 10, "unexpected '.' after 'section[2'", "expected ']'"),
        ("a.b[2]", 4, "an instance number goes right after the module name", "section[2]"),
        ("a.and", 3, "unexpected 'and' after 'a.'", "'and' is a keyword"),
        ("a.", 3, "unexpected the end of the expression after 'a.'", None),
        ("a == not b", 6, "unexpected 'not' after 'a =='", "a == (not b)"),
        ("a and or b", 7, "unexpected 'or' after 'a and'", "'or' is a keyword"),
        ("12mm > 3", 1, "'12mm' is not a number", "units are not written"),
        ("1.5.2", 4, "unexpected '.' after '1.5'", None),
    ],
)
def test_syntax_errors_point_at_the_offending_character(
    text: str, column: int, message: str, hint: str | None
) -> None:
    """Every syntax error has an exact column, a message and (mostly) a hint."""
    span, got, got_hint = error_of(text)
    assert got == message
    assert span.column == column
    if hint is not None:
        assert got_hint is not None
        assert hint in got_hint


def test_not_equal_is_an_operator_although_bang_is_not() -> None:
    """``!=`` is fine; only a lone ``!`` is refused."""
    assert parse_expression("a != b") == Binary("!=", Ref(("a",)), Ref(("b",)))


def test_error_positions_use_the_file_line_and_column_given() -> None:
    """Errors are reported as FILE:LINE:COL of the family file."""
    span, _, _ = error_of("a and\n  b = c", SourceSpan("wardrobe.yaml", 40, 12))
    assert span == SourceSpan("wardrobe.yaml", 41, 5)
    with pytest.raises(ModelError, match=r"^wardrobe\.yaml:41:5: error: '=' is not an operator"):
        parse_expression("a and\n  b = c", SourceSpan("wardrobe.yaml", 40, 12))


def test_long_context_is_shortened_from_the_left() -> None:
    """The 'after ...' context quotes at most about 30 characters."""
    _, message, _ = error_of("a_very_long_attribute_name + another_long_name * )")
    assert message == "unexpected ')' after '..._name + another_long_name *'"


# --- writing trees back -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "width_mm <= 2400",
        'finish == "oak" requires handle in ("brass", "black")',
        "sum(section.width_mm) == width_mm",
        "section[2].width_mm + cpu.watts * 0.5 > -3",
        "not (a or b) and c",
        "a implies b implies c",
        "(a implies b) implies c",
        "a - (b - c)",
        "(a - b) - c",
        "a / (2 * 4)",
        "-(a + b)",
        "-(-a)",
        "(a == b) == c",
        "not not a",
        'x not in ("a\\"b", \'c\')',
        "if(c, 1, 2) * abs(-x)",
        "(a + b) in (1, 2)",
        "(not a) == b",
        "count()",
    ],
)
def test_format_then_parse_gives_the_same_tree(text: str) -> None:
    """format_expression writes text that parses back to an equal tree."""
    tree = parse_expression(text)
    assert parse_expression(format_expression(tree)) == tree


@pytest.mark.parametrize(
    ("text", "formatted"),
    [
        ("(a+b)*c>=2 and not(x)", "(a + b) * c >= 2 and not x"),
        ("((a))or(b)", "a or b"),
        ("a   implies(b)", "a implies b"),
        ("x in('a','b')", 'x in ("a", "b")'),
        ("- (- a)", "-(-a)"),
        ("s[2] . w", "s[2].w"),
    ],
)
def test_format_uses_only_the_parentheses_needed(text: str, formatted: str) -> None:
    """Redundant parentheses and spacing are normalised."""
    assert format_expression(parse_expression(text)) == formatted


def test_format_refuses_what_is_not_a_node() -> None:
    """A non-node is a programming error, reported as TypeError."""
    with pytest.raises(TypeError, match="not an expression node"):
        format_expression("a")  # type: ignore[arg-type]


_names = st.sampled_from(["a", "b", "width_mm", "section", "_x1"])
_leaves: st.SearchStrategy[Node] = st.one_of(
    st.builds(
        Literal,
        st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
    ),
    st.builds(Literal, st.text(alphabet=st.characters(exclude_characters="\n\r"), max_size=5)),
    st.builds(Literal, st.booleans()),
    st.builds(
        Ref,
        st.lists(_names, min_size=1, max_size=3).map(tuple),
        st.one_of(st.none(), st.integers(1, 9)),
    ),
)


def _extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    ops = st.sampled_from(
        [
            *("+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">="),
            *("and", "or", "implies", "requires", "excludes"),
        ]
    )
    return st.one_of(
        st.builds(Binary, ops, children, children),
        st.builds(Unary, st.sampled_from(["-", "not"]), children),
        st.builds(
            InList, children, st.lists(children, min_size=1, max_size=3).map(tuple), st.booleans()
        ),
        st.builds(
            Call, st.sampled_from(["f", "min", "if"]), st.lists(children, max_size=3).map(tuple)
        ),
    )


@given(st.recursive(_leaves, _extend, max_leaves=12))
def test_any_tree_round_trips_through_text(tree: Node) -> None:
    """Property: parse(format(tree)) == tree for every tree the parser can produce."""
    assert parse_expression(format_expression(tree)) == tree


def test_modules_export_what_they_define() -> None:
    """Each module's ``__all__`` names exist."""
    for module in (lexer, parser, printer):
        for name in module.__all__:
            assert hasattr(module, name), (module.__name__, name)
