"""Read a family's production sections and check them across sections.

:func:`load_production` reads ``parts``, ``bom``, ``routing`` and ``qc`` (core and per module,
with :mod:`lotone.model.loader_production`) and then checks, reporting every problem at its
``FILE:LINE:COL``:

* every part a BOM line or a sub-BOM names is declared (for every value a placeholder can take),
  and no part contains itself;
* operation ids and QC ids are unique, every ``after`` names an operation, and the precedence
  graph has no cycle;
* no quantity, duration, envelope size or tolerance can go negative: interval bounds over the
  attribute ranges (:func:`lotone.model.bounds.bounds`). Division is only by non-zero constants
  (the checker refuses the rest), so no formula can divide by zero.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping

from lotone.errors import SourceSpan, did_you_mean
from lotone.model.ast import AttrRef, Binary, InList, Literal, Node
from lotone.model.bounds import bounds
from lotone.model.family import EnumAttribute, Family, Slot
from lotone.model.loader_attributes import fmt
from lotone.model.loader_fields import Problems
from lotone.model.loader_production import load_bom, load_parts, load_qc, load_routing
from lotone.model.loader_rules import Scope
from lotone.model.operators import start_of, text_of
from lotone.model.production import BomEntry, Operation, Part, Production, QcCheck, Template
from lotone.model.yaml_source import Map, Scalar, Seq

__all__ = ["expansions", "load_production"]

_MAX_EXPANSIONS = 10_000


def load_production(
    root: Map, family: Family, modules: Iterable[tuple[Slot, Map | None]], problems: Problems,
    broken: frozenset[str],
) -> Production:  # fmt: skip
    """The production sections of a family whose attributes, modules and rules are loaded."""
    ids: dict[str, SourceSpan] = {}
    parts = load_parts(root.get("parts"), family, problems)
    scopes = [(root, Scope(family, problems, ids, broken))]
    scopes += [
        (m, Scope(family, problems, ids, broken, slot.name)) for slot, m in modules if m is not None
    ]
    bom: list[BomEntry] = []
    routing: list[tuple[Operation, Map]] = []
    qc: list[QcCheck] = []
    for mapping, scope in scopes:
        bom += load_bom(mapping.get("bom"), scope)
        routing += load_routing(mapping.get("routing"), scope)
        qc += load_qc(mapping.get("qc"), scope)
    parts = _unique_parts(parts, problems)
    _check_parts(parts, bom, family, problems)
    _check_routing(routing, problems)
    _check_unique([(q.id, q.span) for q in qc], "QC check", problems)
    production = Production(tuple(parts), tuple(bom), tuple(op for op, _ in routing), tuple(qc))
    _check_signs(production, family, problems)
    return production


def _unique_parts(parts: list[Part], problems: Problems) -> list[Part]:
    seen: dict[str, Part] = {}
    for p in parts:
        first = seen.get(p.id)
        if first is not None:
            where = f" (first at {first.span.line}:{first.span.column})" if first.span else ""
            problems.error(p.span, f"part {p.id!r} is declared twice{where}")
            continue
        seen[p.id] = p
    return list(seen.values())


def expansions(tpl: Template, family: Family, when: Node | None = None) -> Iterable[str]:
    """Every text ``tpl`` can render to, for every value its placeholders can take.

    A ``when`` made of conjuncts such as ``cover != "none"`` or ``cover in ("a", "b")`` leaves
    out the values it excludes, so ``part: cover_{cover}`` with ``when: cover != "none"`` needs
    no part ``cover_none``.
    """
    choices: list[list[str]] = []
    for piece in tpl.pieces:
        if isinstance(piece, str):
            choices.append([piece])
            continue
        choices.append([v for v in _values(piece, family) if _allowed(when, piece, v)])
    return ("".join(combo) for combo in itertools.product(*choices))


def _allowed(when: Node | None, ref: AttrRef, value: str) -> bool:
    """False when a conjunct of ``when`` rules ``ref == value`` out (syntactically)."""
    match when:
        case Binary(op="and", left=a, right=b):
            return _allowed(a, ref, value) and _allowed(b, ref, value)
        case Binary(op="==" | "!=" as op, left=AttrRef() as x, right=Literal(value=str() as v)):
            if _same(x, ref):
                return (v == value) == (op == "==")
        case InList(operand=AttrRef() as x, items=items, negated=negated) if _same(x, ref):
            listed = any(isinstance(i, Literal) and i.value == value for i in items)
            return listed != negated
    return True


def _same(a: AttrRef, b: AttrRef) -> bool:
    return (a.attribute, a.slot, a.index) == (b.attribute, b.slot, b.index)


def _values(ref: AttrRef, family: Family) -> list[str]:
    owner = family.slot(ref.slot) if ref.slot else None
    attr = owner.attribute(ref.attribute) if owner else family.attribute(ref.attribute)
    return [v.name for v in attr.values] if isinstance(attr, EnumAttribute) else []


def _check_parts(
    parts: list[Part], bom: list[BomEntry], family: Family, problems: Problems
) -> None:
    known = {p.id: p for p in parts}
    for line in bom:
        found = expansions(line.part, family, line.when)
        for part_id in itertools.islice(found, _MAX_EXPANSIONS):
            if part_id not in known:
                why = "" if line.part.constant else f" (from {line.part.text!r})"
                problems.error(
                    line.part.span,
                    f"unknown part {part_id!r}{why}",
                    did_you_mean(part_id, known) or "declare it under 'parts:'",
                )
                break
    for part in parts:
        for c in part.bom:
            if c.part not in known:
                hint = did_you_mean(c.part, known) or "declare it under 'parts:'"
                problems.error(c.span, f"part {part.id!r}: unknown component {c.part!r}", hint)
    for part in parts:
        if _contains(part.id, part.id, known, set()):
            problems.error(part.span, f"part {part.id!r} contains itself through its 'bom'")


def _contains(root: str, current: str, known: Mapping[str, Part], seen: set[str]) -> bool:
    part = known.get(current)
    if part is None or current in seen:
        return False
    seen.add(current)
    return any(c.part == root or _contains(root, c.part, known, seen) for c in part.bom)


def _check_unique(
    items: list[tuple[str, SourceSpan | None]], what: str, problems: Problems
) -> None:
    first: dict[str, SourceSpan | None] = {}
    for name, span in items:
        if name in first:
            at = first[name]
            where = f" (first at {at.line}:{at.column})" if at else ""
            problems.error(span, f"duplicate {what} id {name!r}{where}", f"{what} ids are unique")
        else:
            first[name] = span


def _after_spans(mapping: Map) -> dict[str, SourceSpan]:
    node = mapping.get("after")
    items = node.items if isinstance(node, Seq) else (node,) if node is not None else ()
    return {i.text: i.span for i in items if isinstance(i, Scalar)}


def _check_routing(routing: list[tuple[Operation, Map]], problems: Problems) -> None:
    _check_unique([(op.id, op.span) for op, _ in routing], "operation", problems)
    ids = [op.id for op, _ in routing]
    graph: dict[str, list[str]] = {}
    spans: dict[str, dict[str, SourceSpan]] = {}
    for op, mapping in routing:
        spans[op.id] = _after_spans(mapping)
        graph.setdefault(op.id, [])
        for name in op.after:
            at = spans[op.id].get(name, op.span)
            if name == op.id:
                problems.error(at, f"operation {op.id!r} cannot come after itself")
            elif name not in ids:
                hint = did_you_mean(name, ids) or "name an operation of the routing"
                problems.error(
                    at, f"operation {op.id!r}: unknown operation {name!r} in 'after'", hint
                )
            else:
                graph[op.id].append(name)
    cycle = _cycle(graph)
    if cycle:
        at = spans[cycle[0]].get(cycle[1], None)
        problems.error(
            at,
            "the routing has a cycle: " + " after ".join(cycle),
            "precedence must be a DAG: remove one of these 'after' entries",
        )


def _cycle(graph: Mapping[str, list[str]]) -> list[str]:
    """A cycle ``[a, b, ..., a]`` of the graph (edges op -> its predecessors), if any."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return []

    for node in graph:
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def _check_signs(production: Production, family: Family, problems: Problems) -> None:
    for kind, node, _, _ in production.formulas():
        lo, hi = bounds(node, family)
        if lo < 0:
            problems.error(
                start_of(node),
                f"this {kind} can be negative: {text_of(node)} ranges over {fmt(lo)}..{fmt(hi)}"
                " for attribute values on their grids",
                "write it so it stays at or above 0 for every value, e.g. max(0, ...),"
                " or narrow the attribute ranges",
            )
