"""UVL feature models (the simple subset): a feature tree with groups and Boolean constraints.

Supported: an optional ``namespace``, the ``features`` tree (indentation by tabs or spaces; groups
``mandatory``, ``optional``, ``alternative``, ``or``; ``{...}`` attributes are ignored; names plain
or in double quotes) and ``constraints`` with ``!``, ``&``, ``|``, ``=>``, ``<=>`` and parentheses,
one per line. Anything else (imports, includes, typed or numeric features, cardinalities,
arithmetic constraints) is refused with its file and line.

Every feature becomes a Boolean variable. The tree means: the root is selected; a selected child
implies its parent; a mandatory child is selected with its parent; an ``or`` group needs at least
one child of a selected parent, an ``alternative`` group exactly one. Cross-tree constraints are
turned into clauses; where distributing would blow up, sub-formulas get Tseitin variables that are
*defined* (full equivalence), listed in :attr:`FiniteModel.hidden`, so they are functions of the
features and every count over the features is unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lotone.errors import did_you_mean

from ..finite import BOOL_VALUES, Clause, FiniteModel, FiniteVar
from ._source import fail, read_text, span
from ._uvl_formula import Formula, Lit, parse_constraint, to_clauses

__all__ = ["load_uvl"]

FORMAT = "uvl"
GROUPS = frozenset({"mandatory", "optional", "alternative", "or"})
_NAME = re.compile(r'"([^"]+)"|([A-Za-z_][A-Za-z0-9_]*)')
_UNSUPPORTED_SECTIONS = {"imports": "imports", "include": "include sections"}


@dataclass(slots=True)
class _Feature:
    name: str
    line: int
    parent: int | None
    groups: list[tuple[str, int, list[int]]]  # (kind, line, children)


def load_uvl(path: Path | str) -> FiniteModel:
    """Read a UVL feature model into a :class:`FiniteModel` of Boolean variables and clauses.

    Raises
    ------
    ModelError
        At the line (and column) of the first problem: a misplaced or unknown keyword, bad
        indentation, a feature declared twice, an unknown feature in a constraint, a syntax error
        in a constraint, or an unsupported construct (imports, includes, typed features,
        cardinalities, numeric constraints).
    """
    path = Path(path)
    file = str(path)
    lines = read_text(path).splitlines()
    features: list[_Feature] = []
    index: dict[str, int] = {}
    constraints: list[tuple[int, int, str]] = []  # (line, column, text)
    namespace = ""
    section = ""
    # indentation stack of the features section: (width, kind, id) with kind "feature" | "group"
    stack: list[tuple[int, str, int]] = []
    for lineno, raw in enumerate(lines, 1):
        body = raw.strip()
        if not body or body.startswith("//"):
            continue
        width = len(raw) - len(raw.lstrip(" \t"))
        if width == 0:
            word, _, rest = body.partition(" ")
            if word == "namespace" and rest.strip():
                namespace = rest.strip()
            elif word in ("features", "constraints") and not rest.strip():
                if word == "constraints" and not features:
                    fail(file, lineno, "'constraints' comes before any feature")
                section = word
            elif word in _UNSUPPORTED_SECTIONS:
                fail(file, lineno, f"UVL {_UNSUPPORTED_SECTIONS[word]} are not supported")
            else:
                fail(
                    file,
                    lineno,
                    f"unexpected {body!r} at the start of a line",
                    hint="expected namespace, features or constraints; indent tree lines",
                )
            continue
        if section == "constraints":
            constraints.append((lineno, width + 1, body))
        elif section == "features":
            _tree_line(file, lineno, width, body, stack, features, index)
        else:
            fail(file, lineno, "indented line outside the features and constraints sections")
    if not features:
        fail(file, 1, "no features", hint="start with 'features' and one root feature")
    return _build(path, namespace, features, index, constraints)


def _tree_line(
    file: str,
    lineno: int,
    width: int,
    body: str,
    stack: list[tuple[int, str, int]],
    features: list[_Feature],
    index: dict[str, int],
) -> None:
    while stack and stack[-1][0] >= width:
        stack.pop()
    word = body.split(maxsplit=1)[0]
    if not stack or stack[-1][1] == "group":
        # a feature: the root (nothing above) or a member of the group above
        if not stack and features:
            fail(file, lineno, f"a second root feature {body!r}", hint="a UVL tree has one root")
        parent = stack[-1][2] if stack else None
        name = _feature_name(file, lineno, width, body)
        if name in index:
            first = features[index[name]].line
            fail(file, lineno, f"feature {name!r} is declared twice (first on line {first})")
        fid = len(features)
        index[name] = fid
        features.append(_Feature(name, lineno, parent, []))
        if parent is not None:
            group_owner = features[parent]
            group_owner.groups[-1][2].append(fid)
        stack.append((width, "feature", fid))
        return
    # under a feature: a group keyword
    owner = stack[-1][2]
    if word in GROUPS and body == word:
        features[owner].groups.append((word, lineno, []))
        stack.append((width, "group", owner))
        return
    if body.startswith("[") or word == "cardinality":
        fail(file, lineno, "group cardinalities ([n..m]) are not supported", column=width + 1)
    fail(
        file,
        lineno,
        f"expected a group keyword (mandatory, optional, alternative, or) under feature "
        f"{features[owner].name!r}, got {body!r}",
        column=width + 1,
    )


def _feature_name(file: str, lineno: int, width: int, body: str) -> str:
    first = body.split(maxsplit=1)[0]
    if first in ("Integer", "Real", "String"):
        fail(file, lineno, f"typed features ({first}) are not supported", column=width + 1)
    if first == "Boolean":
        body = body[len(first) :].lstrip()
    match = _NAME.match(body)
    if match is None:
        fail(file, lineno, f"expected a feature name, got {body!r}", column=width + 1)
    name = match.group(1) or match.group(2)
    rest = body[match.end() :].strip()
    if rest.startswith(("cardinality", "[")):
        fail(file, lineno, f"feature cardinalities are not supported ({name})", column=width + 1)
    if rest and not (rest.startswith("{") and rest.endswith("}")):
        fail(
            file,
            lineno,
            f"unexpected {rest!r} after feature {name!r}",
            column=width + 1 + body.find(rest),
            hint="only {attributes} may follow a feature name",
        )
    return name


def _build(
    path: Path,
    namespace: str,
    features: list[_Feature],
    index: dict[str, int],
    constraints: list[tuple[int, int, str]],
) -> FiniteModel:
    file = str(path)
    clauses: list[Clause] = []
    used: set[str] = set()

    def add(cid: str, lits: list[Lit], line: int) -> None:
        base, k = cid, 1
        while cid in used:  # two groups of one kind under one feature
            k += 1
            cid = f"{base} ({k})"
        used.add(cid)
        clauses.append(
            Clause(cid, tuple((v, 1 if pos else 0) for v, pos in lits), span(file, line))
        )

    root = features[0]
    add(f"root {root.name}", [(0, True)], root.line)
    for fid, feat in enumerate(features):
        if feat.parent is not None:
            parent = features[feat.parent].name
            add(f"parent {feat.name} -> {parent}", [(fid, False), (feat.parent, True)], feat.line)
        for kind, line, kids in feat.groups:
            if not kids:
                fail(file, line, f"the {kind} group of {feat.name!r} has no features")
            if kind == "mandatory":
                for kid in kids:
                    add(
                        f"mandatory {feat.name} -> {features[kid].name}",
                        [(fid, False), (kid, True)],
                        line,
                    )
            elif kind in ("or", "alternative"):
                add(f"{kind} {feat.name}", [(fid, False)] + [(k, True) for k in kids], line)
            if kind == "alternative":
                for i, a in enumerate(kids):
                    for b in kids[i + 1 :]:
                        add(
                            f"alternative {feat.name}: "
                            f"not {features[a].name} and {features[b].name}",
                            [(a, False), (b, False)],
                            line,
                        )
    names = [f.name for f in features]
    aux_names: list[str] = []

    def new_aux() -> int:
        aux_names.append(f"_tseitin{len(aux_names) + 1}")
        return len(features) + len(aux_names) - 1

    for n, (line, column, text) in enumerate(constraints, 1):

        def resolve(name: str, col: int, line: int = line) -> int:
            return _lookup(name, index, file, line, col)

        formula: Formula = parse_constraint(text, file, line, column, resolve)
        produced = to_clauses(formula, new_aux)
        for k, lits in enumerate(produced, 1):
            add(f"constraint {n}" if len(produced) == 1 else f"constraint {n}.{k}", lits, line)
    taken = set(names)
    aux_final: list[str] = []
    for aux in aux_names:
        while aux in taken:
            aux = "_" + aux
        taken.add(aux)
        aux_final.append(aux)
    variables = tuple(
        [FiniteVar(f.name, BOOL_VALUES, span(file, f.line)) for f in features]
        + [FiniteVar(aux, BOOL_VALUES) for aux in aux_final]
    )
    return FiniteModel(
        id=path.stem,
        name=namespace or root.name,
        format=FORMAT,
        variables=variables,
        clauses=tuple(clauses),
        hidden=frozenset(range(len(features), len(variables))),
        source=file,
    )


def _lookup(name: str, index: dict[str, int], file: str, line: int, column: int) -> int:
    fid = index.get(name)
    if fid is None:
        fail(
            file,
            line,
            f"unknown feature {name!r} in constraint",
            column=column,
            hint=did_you_mean(name, index),
        )
    return fid
