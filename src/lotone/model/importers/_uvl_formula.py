"""Boolean constraints of UVL: parsing ``! & | => <=>`` and turning a formula into clauses.

Clauses come from distributing ``|`` over ``&`` while that stays small; beyond that, a sub-formula
gets a Tseitin variable defined by *full* equivalence (both directions), so each auxiliary variable
is a function of the features and model counts over the features are unchanged.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from ._source import fail

__all__ = ["And", "Formula", "Lit", "Not", "Or", "Var", "parse_constraint", "to_clauses"]

Lit = tuple[int, bool]  # (variable, polarity)

# a disjunction whose distribution would give more clauses than this uses Tseitin variables
DISTRIBUTE_LIMIT = 16


@dataclass(frozen=True, slots=True)
class Var:
    index: int


@dataclass(frozen=True, slots=True)
class Not:
    arg: Formula


@dataclass(frozen=True, slots=True)
class And:
    args: tuple[Formula, ...]


@dataclass(frozen=True, slots=True)
class Or:
    args: tuple[Formula, ...]


@dataclass(frozen=True, slots=True)
class Implies:
    left: Formula
    right: Formula


@dataclass(frozen=True, slots=True)
class Iff:
    left: Formula
    right: Formula


Formula = Var | Not | And | Or | Implies | Iff

_TOKEN = re.compile(
    r'\s+|(?P<op><=>|=>|[!&|()])|"(?P<quoted>[^"]*)"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<other>.)'
)
_NUMERIC = set("0123456789<>=+-*/,.")


def parse_constraint(
    text: str,
    file: str,
    line: int,
    column: int,
    resolve: Callable[[str, int], int],
) -> Formula:
    """Parse one constraint line; ``resolve(name, column)`` gives a feature's variable index.

    ``column`` is where ``text`` starts on its line, so errors point into the file.
    """
    tokens: list[tuple[str, str, int]] = []  # (kind, text, column)
    for m in _TOKEN.finditer(text):
        col = column + m.start()
        if m.group("op"):
            tokens.append(("op", m.group("op"), col))
        elif m.group("quoted") is not None:
            tokens.append(("name", m.group("quoted"), col))
        elif m.group("name"):
            if m.group("name") in ("sum", "avg", "len", "floor", "ceil"):
                fail(
                    file,
                    line,
                    f"numeric constraints are not supported ({m.group('name')})",
                    column=col,
                )
            tokens.append(("name", m.group("name"), col))
        elif m.group("other"):
            ch = m.group("other")
            if ch in _NUMERIC:
                fail(file, line, f"numeric constraints are not supported ({ch!r})", column=col)
            fail(file, line, f"unexpected character {ch!r} in constraint", column=col)
    parser = _Parser(tokens, file, line, column + len(text), resolve)
    formula = parser.iff()
    if parser.pos < len(tokens):
        _, tok, col = tokens[parser.pos]
        fail(file, line, f"unexpected {tok!r} in constraint", column=col)
    return formula


class _Parser:
    """Precedence, loosest first: ``<=>``, ``=>``, ``|``, ``&``, ``!``; binary ones left-assoc."""

    def __init__(
        self,
        tokens: list[tuple[str, str, int]],
        file: str,
        line: int,
        end: int,
        resolve: Callable[[str, int], int],
    ) -> None:
        self.tokens, self.file, self.line, self.end, self.resolve = tokens, file, line, end, resolve
        self.pos = 0

    def _peek(self) -> str | None:
        return (
            self.tokens[self.pos][1]
            if self.pos < len(self.tokens) and self.tokens[self.pos][0] == "op"
            else None
        )

    def iff(self) -> Formula:
        left = self.implies()
        while self._peek() == "<=>":
            self.pos += 1
            left = Iff(left, self.implies())
        return left

    def implies(self) -> Formula:
        left = self.disjunction()
        while self._peek() == "=>":
            self.pos += 1
            left = Implies(left, self.disjunction())
        return left

    def disjunction(self) -> Formula:
        args = [self.conjunction()]
        while self._peek() == "|":
            self.pos += 1
            args.append(self.conjunction())
        return args[0] if len(args) == 1 else Or(tuple(args))

    def conjunction(self) -> Formula:
        args = [self.unary()]
        while self._peek() == "&":
            self.pos += 1
            args.append(self.unary())
        return args[0] if len(args) == 1 else And(tuple(args))

    def unary(self) -> Formula:
        if self.pos >= len(self.tokens):
            fail(self.file, self.line, "the constraint ends too early", column=self.end)
        kind, tok, col = self.tokens[self.pos]
        self.pos += 1
        if kind == "name":
            return Var(self.resolve(tok, col))
        if tok == "!":
            return Not(self.unary())
        if tok != "(":
            fail(self.file, self.line, f"expected a feature, '!' or '(', got {tok!r}", column=col)
        inner = self.iff()
        if self._peek() != ")":
            at = self.tokens[self.pos][2] if self.pos < len(self.tokens) else self.end
            fail(self.file, self.line, "missing ')'", column=at)
        self.pos += 1
        return inner


# --- clauses -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Node:
    """A conjunction or disjunction in negation normal form."""

    kind: str  # "and" | "or"
    args: list[_Nnf]


_Nnf = Lit | _Node


def _nnf(f: Formula, positive: bool) -> _Nnf:
    if isinstance(f, Var):
        return (f.index, positive)
    if isinstance(f, Not):
        return _nnf(f.arg, not positive)
    if isinstance(f, And | Or):
        kind = "and" if isinstance(f, And) == positive else "or"
        out: list[_Nnf] = []
        for arg in f.args:
            sub = _nnf(arg, positive)
            if isinstance(sub, _Node) and sub.kind == kind:
                out.extend(sub.args)
            else:
                out.append(sub)
        return _Node(kind, out)
    if isinstance(f, Implies):  # a => b  ==  !a | b
        return _nnf(Or((Not(f.left), f.right)), positive)
    # a <=> b  ==  (!a | b) & (a | !b);  !(a <=> b)  ==  (a | b) & (!a | !b)
    a, b = f.left, f.right
    if positive:
        return _nnf(And((Or((Not(a), b)), Or((a, Not(b))))), True)
    return _nnf(And((Or((a, b)), Or((Not(a), Not(b))))), True)


def to_clauses(
    f: Formula, new_aux: Callable[[], int], limit: int = DISTRIBUTE_LIMIT
) -> list[list[Lit]]:
    """Clauses equivalent to ``f`` once every auxiliary variable is fixed by its definition.

    ``new_aux()`` returns the index of a fresh variable; a disjunction whose distribution would
    give more than ``limit`` clauses gets one for each of its non-clausal parts.
    """
    out = _Cnf(new_aux, limit)
    asserted = out.clauses(_nnf(f, True))
    return asserted + out.definitions


class _Cnf:
    def __init__(self, new_aux: Callable[[], int], limit: int) -> None:
        self.new_aux = new_aux
        self.limit = limit
        self.definitions: list[list[Lit]] = []

    def clauses(self, e: _Nnf) -> list[list[Lit]]:
        if not isinstance(e, _Node):
            return [[e]]
        args = e.args
        if e.kind == "and":
            return [c for a in args for c in self.clauses(a)]
        parts = [self.clauses(a) for a in args]
        if math.prod(len(p) for p in parts) > self.limit:
            parts = [
                p if len(p) == 1 else [[self.define(a)]] for p, a in zip(parts, args, strict=True)
            ]
        return _distribute(parts)

    def define(self, e: _Nnf) -> Lit:
        """A literal equivalent to ``e``: ``e`` itself, or a new variable ``t`` with ``t <=> e``."""
        if not isinstance(e, _Node):
            return e
        lits = [self.define(a) for a in e.args]
        t = self.new_aux()
        if e.kind == "and":  # t <=> l1 & ... & ln
            self.definitions += [[(t, False), lit] for lit in lits]
            self.definitions.append([(t, True)] + [(v, not p) for v, p in lits])
        else:  # t <=> l1 | ... | ln
            self.definitions.append([(t, False), *lits])
            self.definitions += [[(t, True), (v, not p)] for v, p in lits]
        return (t, True)


def _distribute(parts: list[list[list[Lit]]]) -> list[list[Lit]]:
    """The clauses of a disjunction of CNFs, without tautologies or repeated literals."""
    acc: list[dict[int, bool]] = [{}]
    for part in parts:
        nxt: list[dict[int, bool]] = []
        for have in acc:
            for clause in part:
                merged = dict(have)
                for v, p in clause:
                    if merged.setdefault(v, p) != p:
                        break  # v | !v: always true
                else:
                    nxt.append(merged)
        acc = nxt
    return [list(c.items()) for c in acc]
