"""The parser of lotone's expression language: text to an unchecked :mod:`~lotone.model.ast` tree.

A hand-written recursive-descent parser; nothing is ever evaluated as Python. From the loosest
to the tightest binding:

==========================================  ===============================================
``implies`` ``requires`` ``excludes``       right-associative
``or``, then ``and``                        left-associative
``not``                                     prefix
``== != < <= > >=``, ``in``, ``not in``     non-associative (``a < b < c`` is an error)
``+ -``, then ``* /``                       left-associative
unary ``-``                                 prefix
constants, names, calls, ``( ... )``
==========================================  ===============================================

Every node carries the span of its first token, except :class:`~lotone.model.ast.Binary` and
:class:`~lotone.model.ast.InList`, which carry the span of their operator so that type errors
point at it. :func:`lotone.model.printer.format_expression` writes a tree back as text that
parses to the same tree.
"""

from __future__ import annotations

from decimal import Decimal

from lotone.errors import ModelError, SourceSpan
from lotone.model.ast import Binary, BinaryOp, Call, InList, Literal, Node, Ref, Unary
from lotone.model.lexer import Token, tokenize

__all__ = ["parse_expression"]

_IMPLICATIONS: dict[str, BinaryOp] = {
    "implies": "implies",
    "requires": "requires",
    "excludes": "excludes",
}
_COMPARISONS: dict[str, BinaryOp] = {
    "==": "==",
    "!=": "!=",
    "<": "<",
    "<=": "<=",
    ">": ">",
    ">=": ">=",
}
_ADDITIVE: dict[str, BinaryOp] = {"+": "+", "-": "-"}
_MULTIPLICATIVE: dict[str, BinaryOp] = {"*": "*", "/": "/"}


class _Parser:
    """Recursive descent over the tokens of one expression."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.i = 0

    # --- helpers --------------------------------------------------------------------------

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self) -> Token:
        return self.tokens[min(self.i + 1, len(self.tokens) - 1)]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        if tok.kind != "end":
            self.i += 1
        return tok

    def at(self, *texts: str) -> bool:
        return self.tok.kind in ("op", "keyword") and self.tok.text in texts

    def before(self, tok: Token) -> str:
        """The text written before ``tok``, shortened from the left to about 30 characters."""
        written = " ".join(self.text[: tok.offset].split())
        return written if len(written) <= 30 else "..." + written[-27:]

    def unexpected(self, tok: Token, hint: str | None = None) -> ModelError:
        before = self.before(tok)
        what = "the end of the expression" if tok.kind == "end" else repr(tok.text)
        where = f"after {before!r}" if before else "at the start of the expression"
        return ModelError.at(tok.span, f"unexpected {what} {where}", hint)

    def expect_close(self, opening: Token, hint: str | None = None) -> None:
        """Consume the ``)`` that closes ``opening``."""
        if self.at(")"):
            self.advance()
            return
        where = f"line {opening.span.line}, column {opening.span.column}"
        if self.tok.kind == "end":
            raise ModelError.at(self.tok.span, f"missing ')' to close the '(' at {where}", hint)
        raise self.unexpected(self.tok, hint or f"expected ')' to close the '(' at {where}")

    # --- grammar, loosest first -----------------------------------------------------------

    def parse(self) -> Node:
        first = self.tok
        if first.kind == "end":
            raise ModelError.at(
                first.span, "empty expression", "write a condition such as width_mm <= 2400"
            )
        node = self.implication()
        rest = self.tok
        if rest.kind != "end":
            hint = (
                "this ')' has no matching '('"
                if rest.text == ")"
                else "expected an operator such as '+', '==' or 'and', or the end of the expression"
            )
            raise self.unexpected(rest, hint)
        return node

    def implication(self) -> Node:
        left = self.disjunction()
        if self.tok.kind == "keyword" and self.tok.text in _IMPLICATIONS:
            op = self.advance()
            right = self.implication()
            return Binary(_IMPLICATIONS[op.text], left, right, op.span)
        return left

    def disjunction(self) -> Node:
        node = self.conjunction()
        while self.at("or"):
            op = self.advance()
            node = Binary("or", node, self.conjunction(), op.span)
        return node

    def conjunction(self) -> Node:
        node = self.negation()
        while self.at("and"):
            op = self.advance()
            node = Binary("and", node, self.negation(), op.span)
        return node

    def negation(self) -> Node:
        if self.at("not") and not (self.peek().kind == "keyword" and self.peek().text == "in"):
            op = self.advance()
            return Unary("not", self.negation(), op.span)
        return self.comparison()

    def at_comparison(self) -> bool:
        if self.tok.kind == "op" and self.tok.text in _COMPARISONS:
            return True
        if self.at("in"):
            return True
        return self.at("not") and self.peek().kind == "keyword" and self.peek().text == "in"

    def comparison(self) -> Node:
        left = self.additive()
        if not self.at_comparison():
            return left
        op = self.advance()
        node: Node
        if op.text in _COMPARISONS:
            node = Binary(_COMPARISONS[op.text], left, self.additive(), op.span)
        else:
            if op.text == "not":
                self.advance()  # 'in'
            node = InList(left, self.in_list(), op.text == "not", op.span)
        if self.at_comparison():
            raise ModelError.at(
                self.tok.span,
                "comparisons cannot be chained",
                "join two comparisons with 'and', e.g. 600 <= width_mm and width_mm <= 900",
            )
        return node

    def in_list(self) -> tuple[Node, ...]:
        if not self.at("("):
            raise ModelError.at(
                self.tok.span,
                f"expected '(' after {self.before(self.tok)!r}",
                'write a list in parentheses, e.g. finish in ("oak", "walnut")',
            )
        items = self.arguments()
        if not items:
            raise ModelError.at(
                self.tokens[self.i - 1].span, "an 'in' list needs at least one item"
            )
        return items

    def additive(self) -> Node:
        node = self.multiplicative()
        while self.tok.kind == "op" and self.tok.text in _ADDITIVE:
            op = self.advance()
            node = Binary(_ADDITIVE[op.text], node, self.multiplicative(), op.span)
        return node

    def multiplicative(self) -> Node:
        node = self.unary()
        while self.tok.kind == "op" and self.tok.text in _MULTIPLICATIVE:
            op = self.advance()
            node = Binary(_MULTIPLICATIVE[op.text], node, self.unary(), op.span)
        return node

    def unary(self) -> Node:
        if self.at("-"):
            op = self.advance()
            return Unary("-", self.unary(), op.span)
        return self.primary()

    def primary(self) -> Node:
        tok = self.tok
        if tok.kind in ("number", "string"):
            self.advance()
            return Literal(tok.value, tok.span)
        if tok.kind == "keyword" and tok.text in ("true", "false"):
            self.advance()
            return Literal(tok.text == "true", tok.span)
        if tok.kind == "keyword" and tok.text == "if":
            self.advance()
            if not self.at("("):
                raise ModelError.at(
                    self.tok.span,
                    "expected '(' after 'if'",
                    "write if(condition, value if true, value if false)",
                )
            return Call("if", self.arguments(), tok.span)
        if tok.kind == "name":
            self.advance()
            if self.at("("):
                return Call(tok.text, self.arguments(), tok.span)
            return self.reference(tok)
        if self.at("("):
            self.advance()
            node = self.implication()
            self.expect_close(tok)
            return node
        raise self.value_expected(tok)

    def value_expected(self, tok: Token) -> ModelError:
        if tok.kind == "end":
            last = self.tokens[self.i - 1].text
            return ModelError.at(tok.span, f"expected a value after {last!r}")
        if tok.kind == "keyword" and tok.text == "not":
            return self.unexpected(tok, "put a negation in parentheses, e.g. a == (not b)")
        if tok.kind == "keyword":
            return self.unexpected(tok, f"expected a value; {tok.text!r} is a keyword, not a name")
        return self.unexpected(tok, "expected a value")

    def arguments(self) -> tuple[Node, ...]:
        """A parenthesised, comma-separated list; the current token is the ``(``."""
        opening = self.advance()
        args: list[Node] = []
        if self.at(")"):
            self.advance()
            return ()
        while True:
            args.append(self.implication())
            if self.at(","):
                self.advance()
                continue
            self.expect_close(
                opening, None if self.tok.kind == "end" else "separate items with ','"
            )
            return tuple(args)

    def reference(self, first: Token) -> Ref:
        index: int | None = None
        if self.at("["):
            self.advance()
            num = self.tok
            if num.kind != "number" or not isinstance(num.value, Decimal) or num.value % 1 != 0:
                raise ModelError.at(
                    num.span,
                    f"expected an instance number after '{first.text}['",
                    f"write a whole number, e.g. {first.text}[2]",
                )
            if num.value < 1:
                raise ModelError.at(
                    num.span, "instance numbers start at 1", f"write e.g. {first.text}[1]"
                )
            index = int(num.value)
            self.advance()
            if not self.at("]"):
                raise self.unexpected(self.tok, f"expected ']' to close '{first.text}['")
            self.advance()
        parts = [first.text]
        while self.at("."):
            self.advance()
            part = self.tok
            if part.kind != "name":
                what = f"{part.text!r} is a keyword, not a name" if part.kind == "keyword" else None
                raise self.unexpected(part, what or "expected a name after '.'")
            parts.append(part.text)
            self.advance()
        if self.at("["):
            raise ModelError.at(
                self.tok.span,
                "an instance number goes right after the module name",
                "write e.g. section[2].width_mm",
            )
        return Ref(tuple(parts), index, first.span)


def parse_expression(text: str, span: SourceSpan | None = None) -> Node:
    """Parse one expression of the family format into an unchecked tree.

    Parameters
    ----------
    text
        The expression as written in the family file.
    span
        The position of the first character of ``text``; with multi-line text, later lines
        restart at column 1. When omitted, positions are given as ``<expression>:1:COL``.

    Returns
    -------
    Node
        A tree of :class:`~lotone.model.ast.Literal`, :class:`~lotone.model.ast.Ref`,
        :class:`~lotone.model.ast.Unary`, :class:`~lotone.model.ast.Binary`,
        :class:`~lotone.model.ast.InList` and :class:`~lotone.model.ast.Call` nodes; check it
        with :func:`lotone.model.checker.check_expression` before using it.

    Raises
    ------
    ModelError
        On a syntax error, with the exact position of the offending character and a hint.

    Examples
    --------
    >>> tree = parse_expression("width_mm * 2")
    >>> tree == Binary("*", Ref(("width_mm",)), Literal(Decimal(2)))
    True
    """
    return _Parser(text, tokenize(text, span)).parse()
