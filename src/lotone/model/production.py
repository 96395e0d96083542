"""What a family file says about making a product: parts, bill of materials, routing and QC plan.

These are the ``parts``, ``bom``, ``routing`` and ``qc`` sections of a family file (see
``docs/family-format.md``); :func:`lotone.produce.explode` turns them, for one valid
configuration, into a work order. Conditions and formulas are checked trees of the family's own
expression language; a line declared inside a module (``slot`` set) holds once for every existing
instance of it, like a module price.

Part ids and setup families may hold placeholders (``board_18_{finish}``): each names an
enumerated attribute and is replaced by the name of the value chosen. A placeholder in a module
line names the instance's own attribute first, then a core one.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from lotone.errors import SourceSpan
from lotone.model.ast import AttrRef, Node

if TYPE_CHECKING:  # family.py imports this module
    from lotone.model.family import Value

__all__ = [
    "SUPPLIES",
    "BomEntry",
    "Component",
    "Operation",
    "Part",
    "Production",
    "QcCheck",
    "Supply",
    "Template",
]

Supply = Literal["buy", "stock", "order"]
"""How a part is supplied: bought in, a standard module made to stock, or made for the order."""
SUPPLIES: tuple[Supply, ...] = ("buy", "stock", "order")


@dataclass(frozen=True, slots=True)
class Template:
    """A text with placeholders: ``board_18_{finish}`` is ``("board_18_", AttrRef(finish))``.

    ``pieces`` are literal texts and resolved references to enumerated attributes; a text
    without placeholders is a single piece.
    """

    text: str
    pieces: tuple[str | AttrRef, ...]
    span: SourceSpan | None = field(default=None, compare=False)

    @property
    def constant(self) -> bool:
        """Whether the text has no placeholders."""
        return all(isinstance(p, str) for p in self.pieces)

    def render(self, values: Mapping[str, Value], instance: int | None = None) -> str:
        """The text for one configuration; ``instance`` binds a module line's own attributes."""
        out: list[str] = []
        for piece in self.pieces:
            if isinstance(piece, str):
                out.append(piece)
                continue
            if piece.slot is None:
                key = piece.attribute
            else:
                index = piece.index if piece.index is not None else instance
                key = f"{piece.slot}[{index}].{piece.attribute}"  # family.instance_key
            out.append(str(values[key]))
        return "".join(out)


@dataclass(frozen=True, slots=True)
class Component:
    """A line of a part's own (fixed) bill of materials: ``quantity`` of ``part`` per unit."""

    part: str
    quantity: Decimal
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Part:
    """A part or material: its id, label, unit of measure, supply and its own sub-BOM.

    ``stock`` parts are the standard modules made to stock (the decoupling point); ``order``
    parts are made for one order, so their components are issued to that order; ``buy`` parts
    are purchased.
    """

    id: str
    label: str
    unit: str = "pcs"
    supply: Supply = "buy"
    bom: tuple[Component, ...] = ()
    span: SourceSpan | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.supply not in SUPPLIES:
            raise ValueError(f"part {self.id}: supply must be one of {', '.join(SUPPLIES)}")
        if any(c.quantity <= 0 for c in self.bom):
            raise ValueError(f"part {self.id}: component quantities must be positive")


@dataclass(frozen=True, slots=True)
class BomEntry:
    """A conditional BOM line: ``quantity`` (a formula, in the part's unit) of ``part``."""

    part: Template
    quantity: Node
    when: Node | None = None
    label: str = ""
    slot: str | None = None
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Operation:
    """A routing operation on a work-center type.

    ``setup`` and ``run`` are formulas in minutes (the work order keeps whole seconds, rounded
    up); ``after`` names the operations that must finish first (a DAG). ``requires`` lists
    capabilities a machine must have; ``envelope`` the sizes in mm it must fit (build volume,
    bed size), in any order.
    """

    id: str
    work_center: str
    run: Node
    setup: Node | None = None
    when: Node | None = None
    setup_family: Template | None = None
    after: tuple[str, ...] = ()
    requires: tuple[Template, ...] = ()
    envelope: tuple[Node, ...] = ()
    label: str = ""
    slot: str | None = None
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class QcCheck:
    """A quality check: what to inspect, its nominal value and tolerance where it is measured."""

    id: str
    label: str
    nominal: Node | None = None
    tolerance: Node | None = None
    unit: str | None = None
    method: str = ""
    when: Node | None = None
    slot: str | None = None
    span: SourceSpan | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Production:
    """The make-to-order part of a family: parts, BOM lines, routing and QC checks."""

    parts: tuple[Part, ...] = ()
    bom: tuple[BomEntry, ...] = ()
    routing: tuple[Operation, ...] = ()
    qc: tuple[QcCheck, ...] = ()

    def __post_init__(self) -> None:
        ids = [p.id for p in self.parts]
        if len(set(ids)) != len(ids):
            raise ValueError("a part id is declared twice")

    @property
    def empty(self) -> bool:
        """Whether the family says nothing about production."""
        return not (self.parts or self.bom or self.routing or self.qc)

    def part(self, part_id: str) -> Part | None:
        """The part called ``part_id``, if declared."""
        return next((p for p in self.parts if p.id == part_id), None)

    def formulas(self) -> Iterator[tuple[str, Node, str | None, SourceSpan | None]]:
        """Every numeric formula with what it is: ``(kind, node, slot, span)``."""
        for b in self.bom:
            yield "quantity", b.quantity, b.slot, b.span
        for op in self.routing:
            yield "run time", op.run, op.slot, op.span
            if op.setup is not None:
                yield "setup time", op.setup, op.slot, op.span
            for size in op.envelope:
                yield "envelope size", size, op.slot, op.span
        for q in self.qc:
            if q.tolerance is not None:
                yield "tolerance", q.tolerance, q.slot, q.span
