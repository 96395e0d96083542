"""YAML text as a small located tree: every key and every value keeps its file position.

The family loader needs positions for its error messages, and it needs scalars untouched by YAML
1.1's guesses: ``0.1`` must become ``Decimal("0.1")`` (never a float) and the enum value ``no``
must stay the string ``"no"``. So the text is only *composed* by PyYAML (safe loader, node graph
with marks) and every plain scalar is resolved here, with the YAML 1.2 core rules:

* ``true``/``false`` (also ``True``, ``TRUE``, ...) are booleans; ``yes``, ``no``, ``on``,
  ``off`` stay strings;
* ``~``, ``null`` and the empty value are ``None``;
* decimal numbers (``12``, ``-0.5``, ``1e3``) are :class:`~decimal.Decimal` read from the text;
* everything else, and every untagged quoted or block scalar, is a string.

Anchors and aliases are followed (an aliased node keeps the position of its anchor); recursive
aliases and merge keys (``<<``) are refused. Duplicate keys are errors, all reported at once.

>>> tree = load_yaml("width: 0.1\\nsoft: no\\n", "f.yaml")
>>> tree.get("width").value, tree.get("soft").value
(Decimal('0.1'), 'no')
>>> str(tree.entry("soft").key.span)
'f.yaml:2:1'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml
from yaml.error import Mark

from lotone.errors import Diagnostic, ModelError, SourceSpan

__all__ = [
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

ScalarValue = str | bool | Decimal | None
"""What a scalar resolves to."""

_PLAIN_TAG = "!lotone/plain"  # marks untagged plain scalars, which this module resolves itself
_CORE = "tag:yaml.org,2002:"
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_NULL = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(frozen=True, slots=True)
class Scalar:
    """A scalar: its resolved ``value``, its ``text`` as read, and where it starts.

    ``span`` is the first character of the node (the opening quote of a quoted scalar, the ``|``
    of a block scalar); ``text_span`` is the first character of ``text`` itself. ``plain`` is
    false for quoted and block scalars, which are strings unless explicitly tagged.
    """

    value: ScalarValue
    text: str
    span: SourceSpan
    text_span: SourceSpan
    plain: bool = True


@dataclass(frozen=True, slots=True)
class Entry:
    """One ``key: value`` pair of a mapping; the key is a scalar (its ``text`` is the name)."""

    key: Scalar
    value: Located


@dataclass(frozen=True, slots=True)
class Map:
    """A mapping with its entries in file order and unique keys."""

    entries: tuple[Entry, ...]
    span: SourceSpan

    def entry(self, key: str) -> Entry | None:
        """The entry whose key text is ``key``, if any."""
        for e in self.entries:
            if e.key.text == key:
                return e
        return None

    def get(self, key: str) -> Located | None:
        """The value under ``key``, if any."""
        e = self.entry(key)
        return None if e is None else e.value

    def keys(self) -> Iterator[str]:
        """The key texts, in file order."""
        return (e.key.text for e in self.entries)


@dataclass(frozen=True, slots=True)
class Seq:
    """A sequence (a YAML list)."""

    items: tuple[Located, ...]
    span: SourceSpan


Located = Scalar | Map | Seq
"""A node of the located tree."""


def kind_of(node: Located) -> str:
    """A node for error messages: ``a mapping``, ``a list``, ``'abc'``, ``the text '5'``."""
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    if node.value is None:
        return "nothing"
    return repr(node.text) if node.plain else f"the text {node.text!r}"


def as_number(text: str) -> Decimal | None:
    """The exact number that plain ``text`` denotes (``"0.1"`` is ``Decimal("0.1")``), if any."""
    return Decimal(text) if _NUMBER.fullmatch(text) else None


def load_yaml(text: str, filename: str = "<string>") -> Located | None:
    """Compose one YAML document into a located tree; ``None`` when the text holds no document.

    Parameters
    ----------
    text
        The YAML source.
    filename
        The name used in every position.

    Returns
    -------
    Located | None
        The root node, or ``None`` for an empty (or comments-only) text.

    Raises
    ------
    ModelError
        On a YAML syntax error (at the position PyYAML reports), on duplicate keys, recursive
        aliases, merge keys, non-scalar keys and unsupported tags; all such errors at once.
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, filename) from None
    except yaml.YAMLError as exc:
        raise ModelError.at(SourceSpan(filename, 1, 1), f"invalid YAML: {exc}") from None
    if root is None:
        return None
    builder = _Builder(filename)
    tree = builder.build(root)
    if builder.errors:
        raise ModelError(builder.errors)
    return tree


class _Loader(yaml.SafeLoader):
    """The safe loader, except that untagged plain scalars are left for :func:`_resolve`."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # Called only for untagged nodes; YAML 1.1's implicit resolvers are never consulted.
        if kind is yaml.ScalarNode:
            return _PLAIN_TAG if implicit[0] else self.DEFAULT_SCALAR_TAG
        if kind is yaml.SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG


def _syntax_error(exc: yaml.MarkedYAMLError, filename: str) -> ModelError:
    mark = exc.problem_mark or exc.context_mark
    span = _span(mark, filename) if mark is not None else SourceSpan(filename, 1, 1)
    problem = exc.problem or exc.context or "cannot read this"
    context = exc.context if exc.problem else None
    hint = None
    if context and problem.startswith("but "):
        # PyYAML splits some sentences in two: "expected a single document", "but found ..."
        problem = f"{context}, {problem}"
    elif context:
        hint = context
        if exc.context_mark is not None and exc.context_mark is not mark:
            hint += f" at {exc.context_mark.line + 1}:{exc.context_mark.column + 1}"
    if "'\\t'" in problem:
        hint = "indent with spaces: YAML does not allow tabs there"
    return ModelError.at(span, f"invalid YAML: {problem}", hint)


def _span(mark: Mark, filename: str) -> SourceSpan:
    return SourceSpan(filename, mark.line + 1, mark.column + 1)


class _Builder:
    """Walks PyYAML's node graph once, collecting every error."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.errors: list[Diagnostic] = []
        self._open: set[int] = set()  # ids of the collections being walked (recursive aliases)

    def error(self, span: SourceSpan, message: str, hint: str | None = None) -> None:
        self.errors.append(Diagnostic("error", message, span, hint))

    def span(self, node: yaml.Node) -> SourceSpan:
        if node.start_mark is None:  # composed nodes always carry marks; keep mypy honest
            return SourceSpan(self.filename, 1, 1)
        return _span(node.start_mark, self.filename)

    def build(self, node: yaml.Node) -> Located:
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        span = self.span(node)
        if id(node) in self._open:
            self.error(span, "recursive alias: this node contains itself", "copy the data out")
            return Seq((), span)
        self._open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, span)
            if isinstance(node, yaml.SequenceNode):
                return Seq(tuple(self.build(item) for item in node.value), span)
        finally:
            self._open.discard(id(node))
        raise TypeError(f"unexpected YAML node {node!r}")  # pragma: no cover - PyYAML invariant

    def mapping(self, node: yaml.MappingNode, span: SourceSpan) -> Map:
        entries: list[Entry] = []
        first: dict[str, Scalar] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(self.span(key_node), "a key must be a plain name, not a list or mapping")
                continue
            key = self.scalar(key_node)
            if key.text == "<<" and key.plain:
                self.error(key.span, "merge keys ('<<') are not supported", "write the keys out")
                continue
            value = self.build(value_node)
            seen = first.get(key.text)
            if seen is not None:
                where = f"{seen.span.line}:{seen.span.column}"
                self.error(key.span, f"duplicate key {key.text!r} (first at {where})")
                continue
            first[key.text] = key
            entries.append(Entry(key, value))
        return Map(tuple(entries), span)

    def scalar(self, node: yaml.ScalarNode) -> Scalar:
        span = self.span(node)
        text = str(node.value)
        value: ScalarValue = text
        try:  # untagged quoted and block scalars carry the str tag, so they stay text
            value = _resolve(node.tag, text)
        except ValueError as exc:
            self.error(span, str(exc), "remove the tag")
        return Scalar(value, text, span, self.text_span(node, span), node.style is None)

    def text_span(self, node: yaml.ScalarNode, span: SourceSpan) -> SourceSpan:
        if node.style in ("'", '"'):
            return span.shifted(1)
        if node.style in ("|", ">") and node.start_mark is not None and node.start_mark.buffer:
            # The text begins on the line after the header (blank lines included, as the text
            # keeps them), indented like the first line that holds something.
            lines = node.start_mark.buffer.split("\n")
            for line in lines[node.start_mark.line + 1 :]:
                line = line.rstrip("\0\r")
                if line.strip():
                    indent = len(line) - len(line.lstrip(" "))
                    return SourceSpan(self.filename, span.line + 1, indent + 1)
        return span


def _resolve(tag: str, text: str) -> ScalarValue:
    """The value of a plain or explicitly tagged scalar (YAML 1.2 core schema, exact numbers).

    Raises ValueError for an unsupported tag or a text that does not fit its tag.
    """
    if tag == _PLAIN_TAG:
        if text in _NULL:
            return None
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        return Decimal(text) if _NUMBER.fullmatch(text) else text
    if tag == _CORE + "str":
        return text
    if tag in (_CORE + "int", _CORE + "float") and _NUMBER.fullmatch(text):
        return Decimal(text)
    if tag == _CORE + "bool" and (text in _TRUE or text in _FALSE):
        return text in _TRUE
    if tag == _CORE + "null" and text in _NULL:
        return None
    if tag.startswith(_CORE) and tag[len(_CORE) :] in ("int", "float", "bool", "null"):
        raise ValueError(f"{text!r} does not fit its tag {tag!r}")
    raise ValueError(f"unsupported YAML tag {tag!r} on {text!r}")
