"""Whole-family checks that need the solver: satisfiability and dead values."""

from __future__ import annotations

from lotone.configure.domains import NumberDomain, ValueDomain
from lotone.configure.engine import Engine, candidates, value_text
from lotone.configure.variables import AttrVar, CountVar
from lotone.errors import Diagnostic, ModelError, SourceSpan
from lotone.model.family import Attribute, Family, NumberAttribute

__all__ = ["check_family", "core_values", "count_by_enumeration", "dead_values"]


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
    for name, values in dead_values(engine):
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


def dead_values(engine: Engine) -> list[tuple[str, list[str]]]:
    """Values no valid product can use, as ``(name, [values or ranges])`` warnings.

    Module attributes are reported once per slot (``section.interior``) and only for values
    that no instance can use; numbers report the parts of their grid that are unreachable.
    """
    doms = engine.domains({})
    usable: dict[str, set[str]] = {}
    every: dict[str, list[str]] = {}
    for key, var in engine.enc.vars.items():
        name = (
            key
            if isinstance(var, CountVar) or var.slot is None
            else (f"{var.slot}.{var.attr.name}")
        )
        dom = doms.get(key)
        if isinstance(var, AttrVar) and isinstance(var.attr, NumberAttribute):
            grid = NumberDomain(((var.attr.min, var.attr.max),), var.attr.step)
            reach = dom if isinstance(dom, NumberDomain) else None
            missing = [v for v in grid.values() if reach is None or v not in reach]
            every.setdefault(name, [value_text(v) for v in grid.values()])
            ok = {value_text(v) for v in grid.values() if v not in missing}
        else:
            every.setdefault(name, [value_text(v) for v in candidates(var)])
            ok = {value_text(v) for v in dom.values} if isinstance(dom, ValueDomain) else set()
        usable.setdefault(name, set()).update(ok)
    out: list[tuple[str, list[str]]] = []
    for name, values in every.items():
        gone = [v for v in values if v not in usable[name]]
        if gone:
            out.append((name, _compress(gone, values)))
    return out


def _compress(gone: list[str], values: list[str]) -> list[str]:
    """Runs of consecutive grid values as ``lo..hi``; enumerated values stay as they are."""
    if len(values) < 3:
        return gone
    pos = {v: i for i, v in enumerate(values)}
    out: list[str] = []
    run: list[str] = []
    for v in gone:
        if run and pos[v] != pos[run[-1]] + 1:
            out.append(run[0] if len(run) == 1 else f"{run[0]}..{run[-1]}")
            run = []
        run.append(v)
    if run:
        out.append(run[0] if len(run) == 1 else f"{run[0]}..{run[-1]}")
    return out


def core_values(engine: Engine) -> dict[str, str]:
    """Keys every valid product gives the same value ("core" values), as ``{key: value}``."""
    out: dict[str, str] = {}
    for key, dom in engine.domains({}).items():
        if isinstance(dom, ValueDomain) and len(dom.values) == 1:
            out[key] = value_text(dom.values[0])
        elif isinstance(dom, NumberDomain) and dom.min is not None and dom.min == dom.max:
            out[key] = value_text(dom.min)
    return out


def count_by_enumeration(family: Family, limit: int = 100_000) -> int | None:
    """The exact number of valid configurations of a YAML family, or None above ``limit``.

    Enumerates distinct valid configurations with blocking clauses on a fresh engine (each
    configuration is found once: module instances that do not exist have no values).
    """
    engine = Engine(family)
    rules = [s.lit for s in engine.enc.selectors]
    found = 0
    while found <= limit:
        model = engine.solver.solve(rules)
        if model is None:
            return found
        found += 1
        block: list[int] = []
        for key, var in engine.enc.vars.items():
            if isinstance(var, AttrVar) and var.active not in model:
                block.append(var.active)
            else:
                block.append(-engine.enc.value_lit(key, var.value_of(model)))
        engine.enc.cnf.add(block)
    return None
