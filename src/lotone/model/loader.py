"""Load a product-family YAML file (``docs/family-format.md``) into a frozen :class:`Family`.

Loading runs in three passes over the located YAML tree (:mod:`lotone.model.yaml_source`):

1. the top-level keys, the core attributes and the module slots
   (:mod:`lotone.model.loader_attributes`), giving a family without rules or price terms;
2. every rule, table and price term (:mod:`lotone.model.loader_rules`), parsed and checked against
   that family, in file order;
3. the production sections — parts, bill of materials, routing, QC plan
   (:mod:`lotone.model.production_checks`), checked against the family with its rules.

Errors do not stop the load: each broken attribute, module, rule or term is reported and left
out, and the load ends with one :class:`~lotone.errors.ModelError` holding every diagnostic in
file order, each as ``FILE:LINE:COL: error: message (hint: ...)``. Family-level checks that need
a solver (an unsatisfiable family, dead values) belong to the configuration engine.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from pathlib import Path

from lotone.errors import LotoneError, ModelError, SourceSpan
from lotone.model.family import Family, PriceTerm, Pricing, Rule, Slot
from lotone.model.loader_attributes import check_name, fmt, load_attributes
from lotone.model.loader_fields import Fields, Problems, Skip, expect_map
from lotone.model.loader_rules import Scope, load_prices, load_rules
from lotone.model.production_checks import load_production
from lotone.model.yaml_source import Entry, Located, Map, kind_of, load_yaml

__all__ = ["load_family", "load_family_text"]

_FAMILY_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_TOP_KEYS = (
    "family",
    "name",
    "version",
    "description",
    "currency",
    "base_price",
    "attributes",
    "modules",
    "rules",
    "prices",
    "parts",
    "bom",
    "routing",
    "qc",
)
_MODULE_KEYS = (
    "label", "description", "count", "price", "attributes", "rules", "prices", "bom", "routing",
    "qc",
)  # fmt: skip
_COUNT_KEYS = ("min", "max", "default")


def load_family(path: str | Path) -> Family:
    """Load and check the product family in the YAML file at ``path``.

    Parameters
    ----------
    path
        A family file; its path is the file name in every diagnostic and the family's ``source``.

    Returns
    -------
    Family
        The frozen, checked family.

    Raises
    ------
    ModelError
        With every error found, in file order (also when the file cannot be read).
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ModelError.at(None, f"cannot read {str(path)!r}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1  # in bytes
        raise ModelError.at(
            SourceSpan(str(path), line, column),
            f"the file is not UTF-8 text ({exc.reason})",
            "save it as UTF-8",
        ) from None
    return load_family_text(text, str(path))


def load_family_text(text: str, filename: str = "<string>") -> Family:
    """Load and check a product family from YAML text.

    Parameters
    ----------
    text
        The YAML source of one family.
    filename
        The name used in diagnostics and stored as the family's ``source``.

    Returns
    -------
    Family
        The frozen, checked family.

    Raises
    ------
    ModelError
        With every error found, in file order.

    Examples
    --------
    >>> family = load_family_text(
    ...     "family: stool\\nname: Stool\\nversion: 1\\n"
    ...     "attributes:\\n  height_mm: {type: number, min: 400, max: 800, step: 50}\\n"
    ... )
    >>> family.id, family.version, family.attribute("height_mm").size
    ('stool', '1', 9)
    """
    start = SourceSpan(filename, 1, 1)
    root = load_yaml(text, filename)
    if root is None:
        raise ModelError.at(start, "the file is empty", "a family file starts with 'family: <id>'")
    if not isinstance(root, Map):
        raise ModelError.at(
            root.span,
            f"the top level must be a mapping of keys, got {kind_of(root)}",
            "start with 'family: <id>', 'name: ...' and 'version: ...'",
        )
    problems = Problems()
    top = Fields(root, "", problems, start)
    top.check_keys(_TOP_KEYS, required=("family", "name", "version"))
    family_id = _family_id(top)
    base_price = top.number("base_price")
    pricing = Pricing(
        currency=top.text("currency") or "EUR",
        base=Decimal(0) if base_price is None else base_price,
    )
    broken: set[str] = set()
    attributes = load_attributes(root.get("attributes"), None, problems, broken)
    modules = _modules(root.get("modules"), problems, broken)
    kept: list[_Module] = []
    for module in modules:
        slot, entry, _ = module
        if slot.name in {a.name for a in attributes}:
            problems.error(
                entry.key.span,
                f"module {slot.name!r} has the name of attribute {slot.name!r}",
                "rename one of them",
            )
            broken.add(slot.name)
        else:
            kept.append(module)
    base = Family(
        family_id or "",
        top.text("name") or "",
        top.text("version") or "",
        attributes,
        tuple(slot for slot, _, _ in kept),
        pricing=pricing,
        description=top.text("description") or "",
        source=filename,
    )
    rules, terms = _pass_two(root, base, kept, problems, broken)
    family = dataclasses.replace(
        base,
        slots=tuple(dataclasses.replace(s, rules=rules.get(s.name, ())) for s in base.slots),
        rules=rules.get(None, ()),
        pricing=dataclasses.replace(pricing, terms=terms),
    )
    production = load_production(root, family, _module_maps(kept), problems, _broken(kept, broken))
    problems.raise_if_any()
    return dataclasses.replace(family, production=production)


def _family_id(top: Fields) -> str | None:
    node = top.scalar("family", "an id")
    if node is None:
        return None
    if not _FAMILY_ID.fullmatch(node.text):
        top.error(
            node.span,
            f"family id {node.text!r} is not valid",
            "use lowercase letters, digits, '-' and '_', starting with a letter or digit",
        )
    return node.text


_Module = tuple[Slot, Entry, set[str]]  # the slot, its entry, its attributes that failed


def _modules(node: Located | None, problems: Problems, broken: set[str]) -> list[_Module]:
    if node is None:
        return []
    try:
        mapping = expect_map(node, "'modules'", problems)
    except Skip:
        return []
    out: list[_Module] = []
    for entry in mapping.entries:
        inner: set[str] = set()
        try:
            out.append((_module(entry, problems, inner), entry, inner))
        except Skip:
            broken.add(entry.key.text)
    return out


def _module(entry: Entry, problems: Problems, inner: set[str]) -> Slot:
    name = check_name(entry.key, "module", problems)
    what = f"module {name!r}"
    f = Fields(expect_map(entry.value, what, problems), what, problems, entry.key.span)
    f.check_keys(_MODULE_KEYS, required=("count",))
    label = f.text("label") or name
    description = f.text("description") or ""
    price = f.number("price")
    counts = _count(f)
    attributes = load_attributes(f.get("attributes"), name, problems, inner)
    f.settle()
    if counts is None:  # pragma: no cover - _count() failed f, so settle() raised
        raise Skip()
    low, high, default = counts
    try:
        return Slot(
            name,
            label,
            low,
            high,
            attributes,
            default_count=default,
            price=Decimal(0) if price is None else price,
            description=description,
            span=entry.key.span,
        )
    except (ValueError, LotoneError) as exc:  # a check of family.py that the loader missed
        raise problems.fail(entry.key.span, f"{what}: {exc}") from None


def _count(f: Fields) -> tuple[int, int, int | None] | None:
    """``count: {min, max, default}`` of a module; ``None`` (and ``f`` failed) when wrong."""
    node = f.get("count")
    if node is None:
        return None  # reported as a missing key
    if not isinstance(node, Map):
        f.error(
            node.span, f"'count' must be a mapping like {{min: 0, max: 1}}, got {kind_of(node)}"
        )
        return None
    c = Fields(node, f"count of {f.what}", f.problems, f.key_span("count"))
    c.check_keys(_COUNT_KEYS, required=("min", "max"))
    low, high, default = (_whole(c, key) for key in _COUNT_KEYS)
    if low is not None and high is not None:
        if low > high:
            c.error(c.span("min"), f"min {low} is greater than max {high}")
        elif high == 0:
            c.error(c.span("max"), "max must be at least 1", "a module that never exists is none")
        elif default is not None and not low <= default <= high:
            c.error(c.span("default"), f"default {default} is outside {low}..{high}")
    if c.failed or low is None or high is None:
        f.failed = True
        return None
    return low, high, default


def _whole(c: Fields, key: str) -> int | None:
    number = c.number(key)
    if number is None:
        return None
    if number < 0 or number != number.to_integral_value():
        c.error(c.span(key), f"{key!r} must be a whole number of instances, got {fmt(number)}")
        return None
    return int(number)


def _module_maps(modules: list[_Module]) -> list[tuple[Slot, Map | None]]:
    return [(s, e.value if isinstance(e.value, Map) else None) for s, e, _ in modules]


def _broken(modules: list[_Module], broken: set[str]) -> frozenset[str]:
    return frozenset(broken | {f"{s.name}.{n}" for s, _, inner in modules for n in inner})


def _pass_two(
    root: Map, base: Family, modules: list[_Module], problems: Problems, broken: set[str]
) -> tuple[dict[str | None, tuple[Rule, ...]], tuple[PriceTerm, ...]]:
    """Rules and price terms by slot (``None`` for the core), read list by list in file order.

    File order makes "duplicate rule id (first at ...)" name the first one, and keeps the price
    terms in the order they are written.
    """
    ids: dict[str, SourceSpan] = {}
    # `section.width_mm` is broken everywhere when the module's width_mm is; bare `width_mm`
    # only inside the module.
    broken = broken | {f"{slot.name}.{name}" for slot, _, inner in modules for name in inner}
    scopes = [(root, Scope(base, problems, ids, frozenset(broken)))]
    for slot, entry, inner in modules:
        own = broken | inner
        if isinstance(entry.value, Map):
            scopes.append((entry.value, Scope(base, problems, ids, frozenset(own), slot.name)))
    jobs = [
        (node.span, key, node, scope)
        for mapping, scope in scopes
        for key in ("rules", "prices")
        if (node := mapping.get(key)) is not None
    ]
    jobs.sort(key=lambda job: (job[0].line, job[0].column))
    rules: dict[str | None, tuple[Rule, ...]] = {}
    terms: list[PriceTerm] = []
    for _, key, node, scope in jobs:
        if key == "rules":
            rules[scope.slot] = load_rules(node, scope)
        else:
            terms.extend(load_prices(node, scope))
    return rules, tuple(terms)
