"""The one exception tree of lotone.

Every refusal says what is wrong, where, and how to fix it::

    LotoneError
    ├── ModelError              a product-family file is wrong (carries Diagnostics)
    ├── UnknownName             a name (attribute, value, family) does not exist; did-you-mean hint
    ├── InvalidValue            a value is not allowed for an attribute (type, range, step)
    ├── Refused                 a configuration breaks rules (carries the rule ids and messages)
    └── Infeasible              no valid product exists under the given choices

Catch :class:`LotoneError` to handle them all. Messages are written for the person who can fix the
problem: the product engineer for a family file, the customer or integrator for a configuration.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Diagnostic",
    "Infeasible",
    "InvalidValue",
    "LotoneError",
    "ModelError",
    "Refused",
    "Severity",
    "SourceSpan",
    "UnknownName",
    "Violation",
    "did_you_mean",
]

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """A place in a source file: 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def shifted(self, columns: int) -> SourceSpan:
        """The same line, ``columns`` further to the right."""
        return SourceSpan(self.file, self.line, self.column + columns)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about a product-family file, printed as ``FILE:LINE:COL: severity: message``."""

    severity: Severity
    message: str
    span: SourceSpan | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.span}: " if self.span is not None else ""
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{where}{self.severity}: {self.message}{hint}"


class LotoneError(Exception):
    """Base class of every error lotone raises on purpose."""


class ModelError(LotoneError):
    """A product-family (or other model) file is wrong; holds every error found, in file order."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @classmethod
    def at(cls, span: SourceSpan | None, message: str, hint: str | None = None) -> ModelError:
        """A model error with a single diagnostic."""
        return cls([Diagnostic("error", message, span, hint)])


class UnknownName(LotoneError):
    """A name that does not exist was used (attribute, value, family, ...)."""

    def __init__(self, kind: str, name: str, known: Iterable[str], where: str = "") -> None:
        self.kind = kind
        self.name = name
        self.hint = did_you_mean(name, known)
        place = f" in {where}" if where else ""
        hint = f" (hint: {self.hint})" if self.hint else ""
        super().__init__(f"unknown {kind} {name!r}{place}{hint}")


class InvalidValue(LotoneError):
    """A value that its attribute does not allow (wrong type, out of range, off the step)."""

    def __init__(self, attribute: str, value: object, reason: str) -> None:
        self.attribute = attribute
        self.value = value
        self.reason = reason
        super().__init__(f"invalid value {value!r} for {attribute}: {reason}")


@dataclass(frozen=True, slots=True)
class Violation:
    """A rule a configuration breaks, in the product's own words."""

    rule_id: str
    message: str
    span: SourceSpan | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"[{self.rule_id}] {self.message}"


class Refused(LotoneError):
    """A configuration was refused because it breaks one or more rules."""

    def __init__(self, violations: Sequence[Violation], what: str = "configuration") -> None:
        self.violations: tuple[Violation, ...] = tuple(violations)
        lines = "; ".join(str(v) for v in self.violations)
        super().__init__(f"{what} refused: {lines}")


class Infeasible(LotoneError):
    """No valid product exists under the given choices; ``conflict`` names a minimal cause."""

    def __init__(self, message: str, conflict: Sequence[str] = ()) -> None:
        self.conflict: tuple[str, ...] = tuple(conflict)
        super().__init__(message)


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """A 'did you mean ...?' hint for a misspelt ``name``, or None when nothing is close."""
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    if not close:
        return None
    if len(close) == 1:
        return f"did you mean {close[0]!r}?"
    return "did you mean one of " + ", ".join(repr(c) for c in close) + "?"
