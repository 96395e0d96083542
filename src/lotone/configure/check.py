"""Whole-family checks that need the solver: satisfiability and dead values."""

from __future__ import annotations

from lotone.configure.engine import Engine
from lotone.errors import Diagnostic, ModelError, SourceSpan
from lotone.model.family import Attribute, Family

__all__ = ["check_family"]


def _span_of(family: Family, name: str) -> SourceSpan | None:
    attr: Attribute | None = None
    if "." in name:
        slot_name, attr_name = name.split(".", 1)
        for s in family.slots:
            if s.name == slot_name:
                if attr_name == "count":
                    return s.span
                attr = next((a for a in s.attributes if a.name == attr_name), None)
    else:
        attr = next((a for a in family.attributes if a.name == name), None)
    return attr.span if attr is not None else None


def check_family(family: Family, engine: Engine | None = None) -> list[Diagnostic]:
    """Warnings about ``family``; raises :class:`ModelError` when no valid product exists.

    An unsatisfiable family is reported with a minimal set of rules that cannot hold together
    (dropping any one of them makes the family satisfiable). Dead values — values that no valid
    product can use — are warnings.
    """
    engine = engine or Engine(family)
    if not engine.is_consistent({}):
        conflict = engine.explain({})
        ids = ", ".join(r.rule_id for r in conflict.rules)
        diags = [
            Diagnostic(
                "error",
                f"no product satisfies these rules together: {ids}",
                conflict.rules[0].span if conflict.rules else None,
                "relax or remove one of them (each one alone is the reason the others conflict)",
            )
        ]
        diags += [
            Diagnostic("error", f"rule {r.rule_id!r} is part of the conflict: {r.message}", r.span)
            for r in conflict.rules[1:]
        ]
        raise ModelError(diags)
    out: list[Diagnostic] = []
    for name, values in engine.dead_values():
        shown = ", ".join(values)
        out.append(
            Diagnostic(
                "warning",
                f"{name}: no valid product can use {shown} ({_plural(len(values))})",
                _span_of(family, name),
                "remove it, or relax the rules that exclude it",
            )
        )
    return out


def _plural(n: int) -> str:
    return "dead value" if n == 1 else "dead values"
