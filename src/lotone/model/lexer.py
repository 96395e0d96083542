"""The lexer of lotone's expression language: text to a list of :class:`Token`.

Tokens carry the exact :class:`~lotone.errors.SourceSpan` of their first character, so every
error the parser or the checker reports points at the right column of the family file. Operators
borrowed from other languages (``=``, ``&&``, ``||``, ``!``, ``->``) are refused here with a hint
naming the word lotone uses instead.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from lotone.errors import ModelError, SourceSpan

__all__ = ["DEFAULT_SPAN", "KEYWORDS", "Token", "TokenKind", "tokenize"]

TokenKind = Literal["number", "string", "name", "keyword", "op", "end"]

KEYWORDS = frozenset(
    {"and", "or", "not", "implies", "requires", "excludes", "in", "true", "false", "if"}
)
"""Words that cannot be used as names."""

DEFAULT_SPAN = SourceSpan("<expression>", 1, 1)
"""Where an expression is taken to start when the caller gives no position."""

# Longest first, so that '<=' wins over '<'.
_OPERATORS = ("==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ",", ".")

# Operators of other languages, refused with the word to use instead. The two-character ones are
# tried before the operators of the language, the one-character ones after ('!=' is fine).
_FOREIGN_LONG = {
    "&&": "use 'and'",
    "||": "use 'or'",
    "->": "use 'implies'",
    "=>": "use 'implies'",
    "**": "multiply the value by itself, e.g. x * x",
}
_FOREIGN_SHORT = {"&": "use 'and'", "|": "use 'or'", "!": "use 'not'", "=": "use '==' to compare"}

_ESCAPES = {'"': '"', "'": "'", "\\": "\\"}


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its text as written, its value and where it starts.

    ``value`` is the number of a ``number`` token, the unescaped text of a ``string`` token and
    ``text`` for every other kind. ``offset`` indexes the expression text.
    """

    kind: TokenKind
    text: str
    value: Decimal | str
    offset: int
    span: SourceSpan


def _is_name_start(c: str) -> bool:
    return c == "_" or (c.isascii() and c.isalpha())


def _is_name_char(c: str) -> bool:
    return c == "_" or (c.isascii() and c.isalnum())


class _Lexer:
    """Scans one expression; tracks line and column for multi-line text."""

    def __init__(self, text: str, start: SourceSpan) -> None:
        self.text = text
        self.start = start
        self.pos = 0
        # Offsets at which each line of the text begins (the first at 0).
        self.line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def span_at(self, offset: int) -> SourceSpan:
        """The source position of ``offset`` in the text."""
        line = bisect.bisect_right(self.line_starts, offset) - 1
        column = offset - self.line_starts[line] + 1
        if line == 0:
            return self.start.shifted(offset)
        return SourceSpan(self.start.file, self.start.line + line, column)

    def error(self, offset: int, message: str, hint: str | None = None) -> ModelError:
        return ModelError.at(self.span_at(offset), message, hint)

    def tokens(self) -> list[Token]:
        out: list[Token] = []
        text = self.text
        while True:
            while self.pos < len(text) and text[self.pos].isspace():
                self.pos += 1
            if self.pos >= len(text):
                out.append(Token("end", "", "", self.pos, self.span_at(self.pos)))
                return out
            out.append(self.token())

    def token(self) -> Token:
        text, begin = self.text, self.pos
        c = text[begin]
        if c.isdigit():
            return self.number()
        if _is_name_start(c):
            while self.pos < len(text) and _is_name_char(text[self.pos]):
                self.pos += 1
            word = text[begin : self.pos]
            kind: TokenKind = "keyword" if word in KEYWORDS else "name"
            return Token(kind, word, word, begin, self.span_at(begin))
        if c in "\"'":
            return self.string()
        for foreign, hint in _FOREIGN_LONG.items():
            if text.startswith(foreign, begin):
                raise self.error(begin, f"{foreign!r} is not an operator", hint)
        for op in _OPERATORS:
            if text.startswith(op, begin):
                self.pos += len(op)
                return Token("op", op, op, begin, self.span_at(begin))
        if c in _FOREIGN_SHORT:
            raise self.error(begin, f"{c!r} is not an operator", _FOREIGN_SHORT[c])
        raise self.error(begin, f"unexpected character {c!r}")

    def number(self) -> Token:
        text, begin = self.text, self.pos
        while self.pos < len(text) and text[self.pos].isdigit():
            self.pos += 1
        if text[self.pos : self.pos + 1] == "." and text[self.pos + 1 : self.pos + 2].isdigit():
            self.pos += 1
            while self.pos < len(text) and text[self.pos].isdigit():
                self.pos += 1
        if self.pos < len(text) and _is_name_char(text[self.pos]):
            end = self.pos
            while end < len(text) and _is_name_char(text[end]):
                end += 1
            written = text[begin:end]
            raise self.error(
                begin,
                f"{written!r} is not a number",
                f"write plain numbers such as {text[begin : self.pos]}; units are not written"
                " in expressions and names cannot start with a digit",
            )
        written = text[begin : self.pos]
        return Token("number", written, Decimal(written), begin, self.span_at(begin))

    def string(self) -> Token:
        text, begin = self.text, self.pos
        quote = text[begin]
        chars: list[str] = []
        i = begin + 1
        while i < len(text) and text[i] not in (quote, "\n"):
            if text[i] == "\\":
                escaped = text[i + 1 : i + 2]
                if escaped not in _ESCAPES:
                    raise self.error(
                        i,
                        f"unknown escape '\\{escaped}' in a string",
                        "only \\\" \\' and \\\\ are escapes",
                    )
                chars.append(_ESCAPES[escaped])
                i += 2
            else:
                chars.append(text[i])
                i += 1
        if i >= len(text) or text[i] != quote:
            raise self.error(begin, "unterminated string", f"close it with {quote}")
        self.pos = i + 1
        return Token("string", text[begin : self.pos], "".join(chars), begin, self.span_at(begin))


def tokenize(text: str, span: SourceSpan | None = None) -> list[Token]:
    """Split ``text`` into tokens, ending with one ``end`` token.

    Parameters
    ----------
    text
        The expression as written (may span several lines).
    span
        The position of the first character of ``text``; :data:`DEFAULT_SPAN` when omitted.

    Raises
    ------
    ModelError
        For characters and operators that are not part of the language, bad numbers,
        unknown escapes and unterminated strings; the span points at the offending character.
    """
    return _Lexer(text, span or DEFAULT_SPAN).tokens()
