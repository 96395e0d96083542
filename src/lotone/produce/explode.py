"""Explosion: one valid configuration of a family to its work order (BOM, operations, QC plan).

The family's ``bom``, ``routing`` and ``qc`` sections (``docs/family-format.md``) are a "150 %"
description: every line has a condition, and formulas for quantities and times. Exploding a
configuration evaluates them (compiled once per family, :mod:`.compiled`, with the meaning of
the reference evaluator :mod:`lotone.model.evaluate`), once per existing instance for module
lines, so the work order means exactly what the family file says. The configuration is
validated first: an invalid one is refused with its rule ids.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal, DivisionByZero, Inexact, InvalidOperation, localcontext

from lotone.configure.validate import check_values, validate
from lotone.errors import LotoneError, Refused
from lotone.model.compiled import EXACT, Bound
from lotone.model.family import Family, Value
from lotone.model.production import Part
from lotone.produce.plan import Plan, plan_of
from lotone.produce.precedence import order_steps
from lotone.produce.work_order import BomLine, QcItem, WorkOrder

__all__ = ["configuration_hash", "explode"]

_MAX_LEVELS = 20


def configuration_hash(family: Family, configuration: Mapping[str, Value]) -> str:
    """A stable content hash of (family id, family version, configuration).

    Numbers are hashed by value (``1800`` and ``1800.0`` are the same), keys in sorted order, and
    each value with its type, so a configuration always gets the same hash and any change of a
    value gives another one.

    >>> from lotone.model.family import NumberAttribute
    >>> f = Family("f", "F", "1", (NumberAttribute("w", "W", Decimal(1), Decimal(9)),))
    >>> configuration_hash(f, {"w": Decimal("3")}) == configuration_hash(f, {"w": Decimal("3.0")})
    True
    """
    items = []
    for key in sorted(configuration):
        value = configuration[key]
        if isinstance(value, bool):
            items.append([key, "bool", "true" if value else "false"])
        elif isinstance(value, Decimal):
            items.append([key, "number", format(value.normalize(), "f")])
        else:
            items.append([key, "value", value])
    text = json.dumps([family.id, family.version, items], separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def explode(
    configuration: Mapping[str, Value], family: Family, *, order_id: str | None = None
) -> WorkOrder:
    """The work order of a complete, valid configuration.

    Parameters
    ----------
    configuration
        A complete configuration (every key, as :meth:`lotone.configure.Engine.complete` gives).
    family
        The family it belongs to, with its production sections.
    order_id
        Carried into the work order, for the caller's reference.

    Returns
    -------
    WorkOrder
        BOM lines (multi-level below parts made to order), operations in a precedence order
        with their predecessors, and the QC plan.

    Raises
    ------
    Refused
        When the configuration breaks rules (every broken rule, with its id).
    InvalidValue, UnknownName
        When it is incomplete or malformed.
    """
    counts = check_values(family, configuration)
    plan = plan_of(family)
    try:
        with localcontext(EXACT):
            fast_ok = plan.valid(configuration, counts)
    except (Inexact, InvalidOperation, DivisionByZero, TypeError, KeyError):
        fast_ok = False  # the reference validator below says what is wrong
    if not fast_ok:
        broken = validate(family, configuration)
        if broken:
            raise Refused(broken, "configuration")
    try:
        with localcontext(EXACT):
            bom = _bom(plan, configuration, counts)
            steps = order_steps(plan, configuration, counts)
            qc = _qc(plan, configuration, counts)
    except (Inexact, InvalidOperation, DivisionByZero) as error:
        raise LotoneError(
            f"cannot compute a production formula of {family.id} exactly: {type(error).__name__}"
        ) from error
    return WorkOrder(
        family.id,
        family.version,
        configuration_hash(family, configuration),
        dict(configuration),
        bom,
        steps,
        qc,
        order_id,
    )


def _instances(slot: str | None, counts: Mapping[str, int]) -> list[Bound]:
    return [{}] if slot is None else [{slot: i} for i in range(1, counts[slot] + 1)]


def _bom(plan: Plan, values: Mapping[str, Value], counts: Mapping[str, int]) -> tuple[BomLine, ...]:
    top: dict[str, Decimal] = {}
    for line in plan.bom:
        slot = line.entry.slot
        for bound in _instances(slot, counts):
            if line.when is not None and not line.when.holds(values, bound):
                continue
            quantity = line.quantity.number(values, bound)
            if quantity < 0:
                raise LotoneError(
                    f"internal: negative quantity {quantity} of {line.entry.part.text}"
                )
            if quantity > 0:  # a zero quantity means the part is not needed
                part_id = line.entry.part.render(values, bound.get(slot) if slot else None)
                top[part_id] = top.get(part_id, Decimal(0)) + quantity
    out: list[BomLine] = []
    for part_id, quantity in top.items():
        _emit(plan.parts, _part(plan.parts, part_id, "bill of materials"), quantity, 1, None, out)
    return tuple(out)


def _part(parts: Mapping[str, Part], part_id: str, where: str) -> Part:
    part = parts.get(part_id)
    if part is None:  # the loader checks every expansion; only hand-built families get here
        raise LotoneError(f"unknown part {part_id!r} in the {where} of the family")
    return part


def _emit(
    parts: Mapping[str, Part],
    part: Part,
    quantity: Decimal,
    level: int,
    parent: str | None,
    out: list[BomLine],
) -> None:
    out.append(BomLine(part.id, part.label, quantity, part.unit, part.supply, level, parent))
    if part.supply != "order" or not part.bom:
        return  # bought, or a standard module taken from stock: not exploded into the order
    if level >= _MAX_LEVELS:
        raise LotoneError(f"part {part.id}: more than {_MAX_LEVELS} BOM levels")
    merged: dict[str, Decimal] = {}
    for c in part.bom:
        merged[c.part] = merged.get(c.part, Decimal(0)) + c.quantity * quantity
    for child, q in merged.items():
        _emit(parts, _part(parts, child, f"bom of part {part.id}"), q, level + 1, part.id, out)


def _qc(plan: Plan, values: Mapping[str, Value], counts: Mapping[str, int]) -> tuple[QcItem, ...]:
    out: list[QcItem] = []
    for p in plan.qc:
        check = p.check
        for bound in _instances(check.slot, counts):
            if p.when is not None and not p.when.holds(values, bound):
                continue
            nominal = None if p.nominal is None else p.nominal.number(values, bound)
            tolerance = None if p.tolerance is None else p.tolerance.number(values, bound)
            qc_id = check.id if not bound else f"{check.id}[{bound[check.slot or '']}]"
            out.append(QcItem(qc_id, check.label, nominal, tolerance, check.unit, check.method))
    return tuple(out)
