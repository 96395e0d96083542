"""Loaders for the public configuration benchmarks, for the counting tests and benchmark only.

Stand-ins until ``lotone.model.importers.load_model`` lands: :func:`load_benchmark` uses it when it
exists and falls back to the small readers here (XCSP 2.1 positive tables, the CLib ``.pm`` folder,
DIMACS CNF). They trust their input: these files are fixed, checksummed benchmark data.
"""

from __future__ import annotations

import importlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from lotone.model.finite import BOOL_VALUES, Clause, FiniteModel, FiniteVar, Table

BENCH = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "configuration"
RENAULT = BENCH / "renault_br4cp"
MEDIUM = RENAULT / "medium_domainsorted.xml"
BIG = RENAULT / "big_domainsorted.xml"
MEGANE = BENCH / "renault_megane_clib"
DIMACS = BENCH / "feature_models" / "dimacs"


def load_benchmark(path: Path) -> FiniteModel:
    """The model in ``path``, by the project's importer when present, else by the readers here."""
    try:
        importers = importlib.import_module("lotone.model.importers")
    except ImportError:
        importers = None
    if importers is not None and hasattr(importers, "load_model"):
        model: FiniteModel = importers.load_model(path)
        return model
    if path.is_dir():
        return load_clib(path)
    if path.suffix == ".xml":
        return load_xcsp(path)
    return load_dimacs(path)


def _values(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split():
        if ".." in part:
            lo, hi = part.split("..")
            out.extend(range(int(lo), int(hi) + 1))
        else:
            out.append(int(part))
    return out


def load_xcsp(path: Path) -> FiniteModel:
    """An XCSP 2.1 instance made only of positive tables (the Renault BR4CP files)."""
    root = ET.parse(path).getroot()
    domains = {d.get("name"): _values(d.text or "") for d in root.iter("domain")}
    variables: list[FiniteVar] = []
    value_pos: list[dict[int, int]] = []
    for v in root.iter("variable"):
        vals = domains[v.get("domain")]
        variables.append(FiniteVar(str(v.get("name")), tuple(str(x) for x in vals)))
        value_pos.append({x: k for k, x in enumerate(vals)})
    index = {var.name: i for i, var in enumerate(variables)}
    relations = {r.get("name"): r.text or "" for r in root.iter("relation")}
    tables: list[Table] = []
    for c in root.iter("constraint"):
        scope = tuple(index[n] for n in (c.get("scope") or "").split())
        rows: list[tuple[int, ...]] = []
        for chunk in relations[c.get("reference")].split("|"):
            if chunk.strip():
                vals = [int(x) for x in chunk.split()]
                rows.append(tuple(value_pos[v][x] for v, x in zip(scope, vals, strict=True)))
        tables.append(Table(str(c.get("name")), scope, tuple(rows)))
    return FiniteModel(path.stem, path.stem, "xcsp", tuple(variables), tuple(tables))


def load_clib(folder: Path) -> FiniteModel:
    """The CLib Renault Megane folder: ``domains.txt`` plus one positive table per ``.pm`` file."""
    variables: list[FiniteVar] = []
    for line in (folder / "domains.txt").read_text().splitlines():
        if line.strip():
            name, _, vals = line.partition(" : ")
            variables.append(FiniteVar(name.strip(), tuple(v.strip() for v in vals.split(", "))))
    index = {v.name: i for i, v in enumerate(variables)}
    value_pos = [{x: k for k, x in enumerate(v.values)} for v in variables]
    tables: list[Table] = []
    for pm in sorted((folder / "rules").glob("*.pm")):
        scope: tuple[int, ...] | None = None
        rows: set[tuple[int, ...]] = set()
        for line in pm.read_text().splitlines():
            line = line.strip()
            if not line or line in ("or(", "or)"):
                continue
            terms = [t.split(" = ") for t in re.split(r"\s+and\s+", line)]
            row_scope = tuple(index[n.strip()] for n, _ in terms)
            if scope is None:
                scope = row_scope
            if row_scope != scope:
                raise ValueError(f"{pm}: rows with different scopes")
            rows.add(tuple(value_pos[v][x.strip()] for v, (_, x) in zip(scope, terms, strict=True)))
        tables.append(Table(pm.stem, scope or (), tuple(sorted(rows))))
    return FiniteModel("megane", "megane", "clib", tuple(variables), tuple(tables))


def load_dimacs(path: Path) -> FiniteModel:
    """A DIMACS CNF: one Boolean variable per CNF variable, one clause per CNF clause."""
    n = 0
    clauses: list[Clause] = []
    lits: list[tuple[int, int]] = []
    for line in path.read_text(errors="replace").splitlines():
        if not line or line[0] in "c%":
            continue
        if line.startswith("p"):
            n = int(line.split()[2])
            continue
        for tok in line.split():
            x = int(tok)
            if x == 0:
                clauses.append(Clause(f"c{len(clauses) + 1}", tuple(lits)))
                lits = []
            else:
                lits.append((abs(x) - 1, 1 if x > 0 else 0))
    variables = tuple(FiniteVar(f"x{i + 1}", BOOL_VALUES) for i in range(n))
    return FiniteModel(path.stem, path.stem, "dimacs", variables, clauses=tuple(clauses))
