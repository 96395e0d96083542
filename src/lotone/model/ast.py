"""The typed tree of lotone's expression language (rules, conditions, formulas).

The parser (:mod:`lotone.model.parser`) turns text into these nodes with unresolved
:class:`Ref` names; the checker (:mod:`lotone.model.checker`) resolves every name against a family
and returns a new tree in which references are :class:`AttrRef`, :class:`PropRef` or
:class:`CountRef`, and aggregates are :class:`Aggregate`. Solvers, the evaluator and the pricing
read only checked trees. Nothing here is ever executed as Python.

Semantics that every consumer shares:

* numbers are exact :class:`~decimal.Decimal`; ``/`` is exact division (the checker allows it only
  where the divisor is a non-zero constant inside rules);
* ``a requires b`` means ``a implies b``; ``a excludes b`` means ``a implies not b``;
* a reference to a module-instance attribute of an instance that does not exist is an error in the
  checker unless it is inside an aggregate, which ranges over the existing instances only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal as TLiteral

from lotone.errors import SourceSpan

__all__ = [
    "Aggregate",
    "AggregateFunc",
    "AttrRef",
    "Binary",
    "BinaryOp",
    "Call",
    "CountRef",
    "InList",
    "Literal",
    "Node",
    "PropRef",
    "Ref",
    "Unary",
    "UnaryOp",
]

BinaryOp = TLiteral[
    "+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "and", "or", "implies", "requires",
    "excludes",
]  # fmt: skip
UnaryOp = TLiteral["-", "not"]
AggregateFunc = TLiteral["sum", "count", "any", "all", "min", "max"]


@dataclass(frozen=True, slots=True)
class Literal:
    """A constant: a number (exact decimal), a string (an enumerated value) or a boolean."""

    value: Decimal | str | bool
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Ref:
    """An unresolved dotted name as written: ``width_mm``, ``cpu.watts``, ``section[2].width_mm``.

    ``index`` is the 1-based instance index written after the first part, if any.
    """

    parts: tuple[str, ...]
    index: int | None = None
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Unary:
    """``-x`` or ``not x``."""

    op: UnaryOp
    operand: Node
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Binary:
    """A binary operation; see :data:`BinaryOp`."""

    op: BinaryOp
    left: Node
    right: Node
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class InList:
    """``x in ("a", "b")`` (or ``x not in (...)`` when ``negated``)."""

    operand: Node
    items: tuple[Node, ...]
    negated: bool = False
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Call:
    """A function call as written: ``if(c, a, b)``, ``abs(x)``, ``min(a, b)``, ``sum(section.w)``.

    The checker turns aggregate calls over a module slot into :class:`Aggregate` and keeps the
    scalar functions ``if``, ``abs``, ``min``, ``max`` as ``Call``.
    """

    func: str
    args: tuple[Node, ...]
    span: SourceSpan | None = field(default=None, compare=False)


# --- resolved nodes (produced by the checker only) -------------------------------------------


@dataclass(frozen=True, slots=True)
class AttrRef:
    """A resolved attribute.

    * ``slot is None``: a top-level (core) attribute ``attribute``;
    * ``slot`` set and ``index`` set: the attribute of instance ``index`` (1-based) of the slot;
    * ``slot`` set and ``index is None``: the attribute of *the bound instance*: the instance a
      module rule is instantiated for, or the instance an enclosing :class:`Aggregate` ranges over.
    """

    attribute: str
    slot: str | None = None
    index: int | None = None
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class PropRef:
    """A numeric property of the value chosen for an enumerated attribute: ``cpu.watts``."""

    ref: AttrRef
    prop: str
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class CountRef:
    """The number of existing instances of a module slot: ``count(section)``, ``section.count``."""

    slot: str
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Aggregate:
    """An aggregate over the existing instances of ``slot``.

    ``body`` refers to the ranged-over instance with ``AttrRef(slot=slot, index=None)``.
    ``sum``/``min``/``max`` take a numeric body; ``any``/``all``/``count`` a boolean one
    (``count(section)`` is a :class:`CountRef` instead). ``min``/``max`` of no instances is an
    error the checker prevents by requiring the slot's minimum count to be at least 1.
    """

    func: AggregateFunc
    slot: str
    body: Node
    span: SourceSpan | None = field(default=None, compare=False)


Node = Literal | Ref | Unary | Binary | InList | Call | AttrRef | PropRef | CountRef | Aggregate
