"""Design templates by name, and the one entry point from a configuration to a checked design.

A template is a pure function ``(values, order_hash) -> Design``. Family templates (``insole``,
``wardrobe``, ``serum``) read a complete, valid configuration of their family; the ``bracket``
reads its own settings (load, span, screw pattern, design variables) and has no family.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from lotone.configure.validate import validate
from lotone.design.bracket import bracket_design
from lotone.design.checks import Checks, check, require
from lotone.design.insole import insole_design
from lotone.design.label import serum_design
from lotone.design.model import Design
from lotone.design.wardrobe import wardrobe_design
from lotone.errors import Refused, UnknownName
from lotone.model.family import Family, Value
from lotone.produce.explode import configuration_hash
from lotone.produce.factory import Machine

__all__ = [
    "TEMPLATES",
    "Generated",
    "Template",
    "design_family",
    "design_settings",
    "generate",
    "settings_hash",
    "template",
]

Build = Callable[[Mapping[str, Value], str], Design]


@dataclass(frozen=True, slots=True)
class Template:
    """A design template: its name, the family it belongs to (or None) and its builder."""

    id: str
    family: str | None
    summary: str
    build: Build


TEMPLATES: Mapping[str, Template] = {
    t.id: t
    for t in (
        Template("insole", "insole", "printed insole, left/right mirrored (STL, 3MF, GLB)",
                 insole_design),
        Template("wardrobe", "wardrobe", "18 mm panels with drilling, nested on sheets (DXF, CSV)",
                 wardrobe_design),
        Template("serum", "serum", "personal label with the formula (SVG)", serum_design),
        Template("bracket", None, "shelf bracket for generative optimization (STL, 3MF, GLB)",
                 bracket_design),
    )
}  # fmt: skip


@dataclass(frozen=True, slots=True, eq=False)
class Generated:
    """A design and the outcome of its checks before manufacture."""

    design: Design
    checks: Checks


def template(name: str) -> Template:
    """The template called ``name`` (a template id or a family id)."""
    found = TEMPLATES.get(name)
    if found is None:
        raise UnknownName("design template", name, TEMPLATES)
    return found


def settings_hash(name: str, values: Mapping[str, Value | float]) -> str:
    """A stable hash of a family-less template's settings (its order hash)."""
    items = sorted(
        (k, str(v) if isinstance(v, str | bool) else format(Decimal(str(v)).normalize(), "f"))
        for k, v in values.items()
    )
    text = json.dumps([name, items], separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def design_family(family: Family, configuration: Mapping[str, Value]) -> Design:
    """The design of a complete configuration of ``family``; refused if it breaks rules.

    Raises
    ------
    UnknownName
        When no template belongs to the family.
    Refused
        When the configuration breaks rules (every broken rule, with its id).
    """
    t = template(family.id)
    broken = validate(family, configuration)
    if broken:
        raise Refused(broken, "configuration")
    return t.build(configuration, configuration_hash(family, configuration))


def design_settings(name: str, values: Mapping[str, Value | float]) -> Design:
    """The design of a family-less template (the bracket) from its settings."""
    t = template(name)
    if t.family is not None:
        raise UnknownName("template without a family", name,
                          [k for k, v in TEMPLATES.items() if v.family is None])  # fmt: skip
    return bracket_design(values, settings_hash(name, values))


def generate(
    design: Design, machines: Sequence[Machine] | None = None, *, strict: bool = True
) -> Generated:
    """Run the checks before manufacture on ``design``; refuse it (``strict``) when one fails."""
    return Generated(design, require(design, machines) if strict else check(design, machines))
