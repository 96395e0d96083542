"""The product-family model: frozen, validated data built by the loader from a YAML file.

A family is a standard core (its top-level attributes) plus module slots; each slot holds between
``min_count`` and ``max_count`` instances of a module, each instance with its own attributes.
Rules, prices and defaults refer to attributes by name; see ``docs/family-format.md``.

Configuration keys (the names customers and integrators use) are:

* ``width_mm`` for a core attribute;
* ``section[2].width_mm`` for an attribute of instance 2 (1-based) of slot ``section``;
* ``section.count`` for the number of instances of slot ``section``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from lotone.errors import SourceSpan, UnknownName
from lotone.model.ast import Node
from lotone.model.production import Production

__all__ = [
    "Attribute",
    "BoolAttribute",
    "ConstraintRule",
    "EnumAttribute",
    "EnumValue",
    "Family",
    "NumberAttribute",
    "PriceTerm",
    "Pricing",
    "Rule",
    "Slot",
    "TableRule",
    "Value",
    "count_key",
    "instance_key",
]

Value = str | bool | Decimal
"""A configuration value: an enumerated value's name, a boolean, or an exact number."""


@dataclass(frozen=True, slots=True)
class EnumValue:
    """One value of an enumerated attribute, with its label, price delta and numeric properties."""

    name: str
    label: str
    price: Decimal = Decimal(0)
    properties: Mapping[str, Decimal] = field(default_factory=dict)
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class EnumAttribute:
    """An attribute that takes one of a list of named values."""

    name: str
    label: str
    values: tuple[EnumValue, ...]
    default: str | None = None
    description: str = ""
    span: SourceSpan | None = field(default=None, compare=False)

    kind: Literal["enum"] = field(default="enum", init=False)

    def __post_init__(self) -> None:
        if not self.values:
            raise ValueError(f"enumerated attribute {self.name!r} has no values")
        names = [v.name for v in self.values]
        if len(set(names)) != len(names):
            raise ValueError(f"enumerated attribute {self.name!r} repeats a value")
        if self.default is not None and self.default not in names:
            raise UnknownName("value", self.default, names, f"default of {self.name}")

    def value(self, name: str) -> EnumValue:
        """The value called ``name``; raises :class:`UnknownName` with a did-you-mean hint."""
        for v in self.values:
            if v.name == name:
                return v
        raise UnknownName("value", name, [v.name for v in self.values], self.name)


@dataclass(frozen=True, slots=True)
class BoolAttribute:
    """A yes/no attribute; ``price`` is added when it is true."""

    name: str
    label: str
    default: bool | None = None
    price: Decimal = Decimal(0)
    description: str = ""
    span: SourceSpan | None = field(default=None, compare=False)

    kind: Literal["bool"] = field(default="bool", init=False)


@dataclass(frozen=True, slots=True)
class NumberAttribute:
    """A bounded numeric attribute on a grid: ``min``, ``min + step``, ..., up to ``max``.

    ``integer`` attributes have integral min, max and step. Customer measurements are numbers
    like any other: ``foot_length_mm`` 200..320 step 1.
    """

    name: str
    label: str
    min: Decimal
    max: Decimal
    step: Decimal = Decimal(1)
    unit: str | None = None
    integer: bool = True
    default: Decimal | None = None
    description: str = ""
    span: SourceSpan | None = field(default=None, compare=False)

    kind: Literal["number"] = field(default="number", init=False)

    def __post_init__(self) -> None:
        if self.min > self.max:
            raise ValueError(f"{self.name}: min {self.min} is greater than max {self.max}")
        if self.step <= 0:
            raise ValueError(f"{self.name}: step {self.step} must be positive")
        if (self.max - self.min) % self.step != 0:
            raise ValueError(f"{self.name}: max - min is not a multiple of the step {self.step}")
        if self.default is not None and not self.allows(self.default):
            raise ValueError(f"{self.name}: default {self.default} is not on the grid")

    @property
    def size(self) -> int:
        """How many values the grid holds."""
        return int((self.max - self.min) / self.step) + 1

    def allows(self, value: Decimal) -> bool:
        """Whether ``value`` lies on the grid between min and max."""
        return self.min <= value <= self.max and (value - self.min) % self.step == 0

    def index_of(self, value: Decimal) -> int:
        """The grid index of ``value`` (0 for ``min``); the value must be allowed."""
        return int((value - self.min) / self.step)

    def at(self, index: int) -> Decimal:
        """The value at grid position ``index``."""
        return self.min + self.step * index


Attribute = EnumAttribute | BoolAttribute | NumberAttribute


@dataclass(frozen=True, slots=True)
class ConstraintRule:
    """A rule that must hold: a checked boolean expression, with an id and a customer message.

    A rule declared inside a module holds for every existing instance of it (its ``slot``).
    """

    id: str
    message: str
    expr: Node
    slot: str | None = None
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class TableRule:
    """Allowed combinations: the attributes in ``columns`` must take one of the ``rows`` together.

    ``columns`` hold checked :class:`~lotone.model.ast.AttrRef` nodes; a cell ``None`` is a
    wildcard (any value). When ``when`` is given the table applies only where it holds.
    """

    id: str
    message: str
    columns: tuple[Node, ...]
    rows: tuple[tuple[Value | None, ...], ...]
    when: Node | None = None
    slot: str | None = None
    span: SourceSpan | None = field(default=None, compare=False)


Rule = ConstraintRule | TableRule


@dataclass(frozen=True, slots=True)
class Slot:
    """A module slot: between ``min_count`` and ``max_count`` instances of one module."""

    name: str
    label: str
    min_count: int
    max_count: int
    attributes: tuple[Attribute, ...]
    rules: tuple[Rule, ...] = ()
    default_count: int | None = None
    price: Decimal = Decimal(0)
    description: str = ""
    span: SourceSpan | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not 0 <= self.min_count <= self.max_count:
            raise ValueError(f"slot {self.name}: need 0 <= min <= max, got {self.min_count}..")
        if self.default_count is not None and not (
            self.min_count <= self.default_count <= self.max_count
        ):
            raise ValueError(f"slot {self.name}: default count outside min..max")

    def attribute(self, name: str) -> Attribute:
        """The module attribute ``name``; raises :class:`UnknownName` with a hint."""
        for a in self.attributes:
            if a.name == name:
                return a
        raise UnknownName("attribute", name, [a.name for a in self.attributes], self.name)


@dataclass(frozen=True, slots=True)
class PriceTerm:
    """A price formula: ``amount`` (numeric expression, currency units) added where ``when`` holds.

    In a module, the term is added once for every existing instance.
    """

    amount: Node
    when: Node | None = None
    label: str = ""
    slot: str | None = None
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Pricing:
    """The price model: base price plus value deltas (on the attributes) plus formula terms."""

    currency: str = "EUR"
    base: Decimal = Decimal(0)
    terms: tuple[PriceTerm, ...] = ()


@dataclass(frozen=True, slots=True)
class Family:
    """A product family: core attributes, module slots, rules, prices and defaults.

    ``production`` holds its parts, bill of materials, routing and QC plan (empty for a family
    that only configures).
    """

    id: str
    name: str
    version: str
    attributes: tuple[Attribute, ...]
    slots: tuple[Slot, ...] = ()
    rules: tuple[Rule, ...] = ()
    pricing: Pricing = field(default_factory=Pricing)
    description: str = ""
    source: str = ""
    production: Production = field(default_factory=Production)

    def __post_init__(self) -> None:
        names = [a.name for a in self.attributes] + [s.name for s in self.slots]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"family {self.id}: names used twice: {sorted(dup)}")

    def attribute(self, name: str) -> Attribute:
        """The core attribute ``name``; raises :class:`UnknownName` with a hint."""
        for a in self.attributes:
            if a.name == name:
                return a
        raise UnknownName("attribute", name, [a.name for a in self.attributes], self.id)

    def slot(self, name: str) -> Slot:
        """The module slot ``name``; raises :class:`UnknownName` with a hint."""
        for s in self.slots:
            if s.name == name:
                return s
        raise UnknownName("module", name, [s.name for s in self.slots], self.id)

    def all_rules(self) -> Iterator[Rule]:
        """Core rules, then every module's rules."""
        yield from self.rules
        for s in self.slots:
            yield from s.rules


def instance_key(slot: str, index: int, attribute: str) -> str:
    """The configuration key of an instance attribute: ``section[2].width_mm`` (1-based)."""
    return f"{slot}[{index}].{attribute}"


def count_key(slot: str) -> str:
    """The configuration key of a slot's instance count: ``section.count``."""
    return f"{slot}.count"
