"""Typed reading of the located YAML tree for the family loader, collecting every error.

The loader reads each item of a family file (an attribute, a module, a rule) through a
:class:`Fields` view of its mapping. Readers record what is wrong in a shared :class:`Problems`
and return ``None``; once an item has been read, :meth:`Fields.settle` raises :class:`Skip` if any
of its fields was wrong, so that the loader moves on to the next item and reports everything in
one :class:`~lotone.errors.ModelError`.

Messages follow one pattern: key errors say where (``unknown key 'lable' in attribute
'width_mm'``), value errors start with the thing (``attribute 'width_mm': 'min' must be a
number, got 'abc'``); top-level ones have no prefix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from lotone.errors import Diagnostic, ModelError, SourceSpan, did_you_mean
from lotone.model.yaml_source import Located, Map, Scalar, Seq, as_number, kind_of

__all__ = [
    "Fields",
    "Problems",
    "Report",
    "Skip",
    "expect_map",
    "expect_seq",
    "number_of",
]

Report = Callable[[SourceSpan | None, str, str | None], None]
"""Something that records an error: ``report(span, message, hint)``."""


class Skip(Exception):
    """An item could not be built; its errors are already recorded in :class:`Problems`."""


class Problems:
    """Every diagnostic found while loading one file."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def error(self, span: SourceSpan | None, message: str, hint: str | None = None) -> None:
        """Record an error."""
        self.diagnostics.append(Diagnostic("error", message, span, hint))

    def fail(self, span: SourceSpan | None, message: str, hint: str | None = None) -> Skip:
        """Record an error and return a :class:`Skip` for the caller to raise."""
        self.error(span, message, hint)
        return Skip()

    def absorb(self, exc: ModelError) -> None:
        """Record the diagnostics of a :class:`~lotone.errors.ModelError` (parser, checker)."""
        self.diagnostics.extend(exc.diagnostics)

    def raise_if_any(self) -> None:
        """Raise one :class:`~lotone.errors.ModelError` with every error, in file order."""
        if self.diagnostics:
            raise ModelError(sorted(self.diagnostics, key=_file_order))


def _file_order(d: Diagnostic) -> tuple[int, int]:
    if d.span is None:
        return (0, 0)
    return (d.span.line, d.span.column)


def _prefix(what: str) -> str:
    """``"attribute 'x': "`` for a named thing, ``""`` at the top level."""
    return f"{what}: " if what else ""


def _where(what: str) -> str:
    return f" in {what}" if what else " at the top level"


def expect_map(node: Located, subject: str, problems: Problems) -> Map:
    """``node`` as a mapping, or record ``<subject> must be a mapping, got ...`` and skip."""
    if isinstance(node, Map):
        return node
    raise problems.fail(node.span, f"{subject} must be a mapping, got {kind_of(node)}")


def expect_seq(node: Located, subject: str, problems: Problems) -> Seq:
    """``node`` as a list, or record ``<subject> must be a list, got ...`` and skip."""
    if isinstance(node, Seq):
        return node
    raise problems.fail(node.span, f"{subject} must be a list, got {kind_of(node)}")


class Fields:
    """Reads the keys of one mapping (an item of the file) and records what is wrong.

    Parameters
    ----------
    node
        The item's mapping.
    what
        How messages name the item, e.g. ``"attribute 'width_mm'"``; ``""`` at the top level.
    problems
        Where errors go.
    where
        The position of the item (its name), for missing keys.
    """

    def __init__(self, node: Map, what: str, problems: Problems, where: SourceSpan) -> None:
        self.node = node
        self.what = what
        self.problems = problems
        self.where = where
        self.failed = False

    def error(self, span: SourceSpan | None, message: str, hint: str | None = None) -> None:
        """Record an error about this item; :meth:`settle` will skip it."""
        self.failed = True
        self.problems.error(span, f"{_prefix(self.what)}{message}", hint)

    def settle(self) -> None:
        """Raise :class:`Skip` if any field of this item was wrong."""
        if self.failed:
            raise Skip()

    def check_keys(self, allowed: Sequence[str], required: Iterable[str] = ()) -> None:
        """Report unknown keys (with a did-you-mean) and missing required keys.

        Unknown keys do not make the item fail: the rest of it is still good.
        """
        for entry in self.node.entries:
            key = entry.key.text
            if key not in allowed:
                hint = did_you_mean(key, allowed) or "known keys: " + ", ".join(allowed)
                self.problems.error(entry.key.span, f"unknown key {key!r}{_where(self.what)}", hint)
        self.require(*required)

    def require(self, *keys: str) -> None:
        """Report each of ``keys`` that is missing, at the item's position."""
        for key in keys:
            if self.node.entry(key) is None:
                self.failed = True
                self.problems.error(self.where, f"missing key {key!r}{_where(self.what)}")

    def get(self, key: str) -> Located | None:
        """The node under ``key``, if present."""
        return self.node.get(key)

    def span(self, key: str) -> SourceSpan:
        """Where the value of ``key`` is (or the item, when the key is absent)."""
        node = self.node.get(key)
        return self.where if node is None else node.span

    def key_span(self, key: str) -> SourceSpan:
        """Where ``key`` itself is written (or the item, when the key is absent)."""
        entry = self.node.entry(key)
        return self.where if entry is None else entry.key.span

    def scalar(self, key: str, expected: str) -> Scalar | None:
        """The scalar under ``key``; a list or mapping there is an error."""
        node = self.node.get(key)
        if node is None:
            return None
        if isinstance(node, Scalar) and node.value is not None:
            return node
        self.error(node.span, f"{key!r} must be {expected}, got {kind_of(node)}")
        return None

    def text(self, key: str) -> str | None:
        """A text field (a label, a message); any non-empty scalar is read as its text."""
        node = self.scalar(key, "text")
        return None if node is None else node.text

    def number(self, key: str) -> Decimal | None:
        """An exact number; ``0.1`` is ``Decimal("0.1")``."""
        node = self.scalar(key, "a number")
        if node is None:
            return None
        return number_of(node, f"{key!r}", self.error)

    def boolean(self, key: str) -> bool | None:
        """``true`` or ``false`` (``yes``/``no`` are not booleans in a family file)."""
        node = self.scalar(key, "true or false")
        if node is None:
            return None
        if isinstance(node.value, bool):
            return node.value
        self.error(node.span, f"{key!r} must be true or false, got {kind_of(node)}")
        return None


def number_of(node: Scalar, name: str, report: Report) -> Decimal | None:
    """The number in ``node``, or report ``<name> must be a number, got ...`` and return None."""
    if isinstance(node.value, Decimal):
        return node.value
    hint = "remove the quotes" if not node.plain and as_number(node.text) is not None else None
    report(node.span, f"{name} must be a number, got {kind_of(node)}", hint)
    return None
