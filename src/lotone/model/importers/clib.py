"""CLib positive tables: a folder with ``domains.txt`` and one ``*.pm`` table per file.

``domains.txt`` lists one variable per line (``Var1 : B64, D64, E64``). Each ``.pm`` file holds one
positive table: lines of ``Var = Value`` terms joined by ``and`` between ``or(`` and ``or)``; nested
``or(`` blocks are a plain disjunction and are flattened. The tables sit in the folder itself or in
its ``rules/`` subfolder; a table's id is its file stem (``renault_rule074``).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lotone.errors import did_you_mean

from ..finite import FiniteModel, FiniteVar, Table
from ._source import fail, read_text, span

__all__ = ["load_clib", "table_files"]

FORMAT = "clib"


def table_files(folder: Path) -> list[Path]:
    """The ``*.pm`` tables of a CLib folder (in the folder itself, else in ``rules/``), sorted."""
    files = sorted(folder.glob("*.pm"))
    if not files and (folder / "rules").is_dir():
        files = sorted((folder / "rules").glob("*.pm"))
    return files


def load_clib(folder: Path | str) -> FiniteModel:
    """Read a CLib folder (``domains.txt`` + ``*.pm`` tables) into a :class:`FiniteModel`.

    Raises
    ------
    ModelError
        With the file and line of the first problem: a malformed domain line, an unknown variable
        or value, a table line whose variables differ from the table's first line, unbalanced
        ``or(`` / ``or)``, or a table without rows.
    """
    folder = Path(folder)
    domains = folder / "domains.txt"
    if not folder.is_dir():
        fail(str(folder), 1, "a CLib model is a folder with domains.txt and *.pm tables")
    if not domains.is_file():
        fail(
            str(domains), 1, f"no domains.txt in {folder}", hint="list one 'Var : v1, v2' per line"
        )
    variables = _read_domains(domains)
    files = table_files(folder)
    if not files:
        fail(str(folder), 1, f"no *.pm tables in {folder} or {folder / 'rules'}")
    index = {v.name: i for i, v in enumerate(variables)}
    values = [{label: k for k, label in enumerate(v.values)} for v in variables]
    tables = tuple(_read_table(path, variables, index, values) for path in files)
    return FiniteModel(
        id=folder.name,
        name=folder.name,
        format=FORMAT,
        variables=variables,
        tables=tables,
        source=str(folder),
    )


def _read_domains(path: Path) -> tuple[FiniteVar, ...]:
    file = str(path)
    seen: dict[str, int] = {}
    out: list[FiniteVar] = []
    for lineno, raw in enumerate(read_text(path).splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith(("#", "//")):
            continue
        name, colon, rest = line.partition(":")
        name = name.strip()
        if not colon or not name:
            fail(file, lineno, f"expected 'Name : value, value, ...', got {line!r}")
        labels = tuple(v.strip() for v in rest.split(","))
        if not rest.strip() or any(not v for v in labels):
            fail(
                file, lineno, f"variable {name} has an empty value", hint="separate values by ', '"
            )
        if len(set(labels)) != len(labels):
            twice = sorted({v for v in labels if labels.count(v) > 1})
            fail(file, lineno, f"variable {name} lists {', '.join(twice)} twice")
        if name in seen:
            fail(file, lineno, f"variable {name} is declared twice (first on line {seen[name]})")
        seen[name] = lineno
        out.append(FiniteVar(name, labels, span(file, lineno)))
    if not out:
        fail(file, 1, "domains.txt declares no variables")
    return tuple(out)


def _read_table(
    path: Path,
    variables: tuple[FiniteVar, ...],
    index: dict[str, int],
    values: list[dict[str, int]],
) -> Table:
    file = str(path)
    # "Var = Value" -> (variable, value); the same terms repeat across thousands of rows
    terms: dict[str, tuple[int, int]] = {}
    scope: tuple[int, ...] = ()
    order: dict[int, int] = {}
    rows: list[tuple[int, ...]] = []
    first_line = 0
    depth = 0
    lineno = 1
    for lineno, raw in enumerate(read_text(path).splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line == "or(":
            depth += 1
            continue
        if line == "or)":
            depth -= 1
            if depth < 0:
                fail(file, lineno, "'or)' without a matching 'or('")
            continue
        row: dict[int, int] = {}
        for part in line.split(" and "):
            hit = terms.get(part)
            if hit is None:
                hit = _term(part, file, lineno, raw, variables, index, values)
                terms[part] = hit
            var, val = hit
            if var in row:
                fail(file, lineno, f"variable {variables[var].name} appears twice in one row")
            row[var] = val
        if not rows:
            scope = tuple(row)
            order = {v: i for i, v in enumerate(scope)}
            first_line = lineno
        elif len(row) != len(scope) or any(v not in order for v in row):
            fail(
                file,
                lineno,
                f"this row's variables ({_names(row, variables)}) differ from the table's scope "
                f"({_names(scope, variables)}, line {first_line})",
                hint="every row of a table must test the same variables",
            )
        rows.append(tuple(row[v] for v in scope))
    if depth != 0:
        fail(file, lineno, f"{depth} 'or(' block(s) are not closed with 'or)'")
    if not rows:
        fail(file, 1, "the table has no rows", hint="list allowed combinations, one per line")
    return Table(path.stem, scope, tuple(rows), span(file, first_line))


def _term(
    part: str,
    file: str,
    lineno: int,
    raw: str,
    variables: tuple[FiniteVar, ...],
    index: dict[str, int],
    values: list[dict[str, int]],
) -> tuple[int, int]:
    column = raw.find(part.strip()) + 1
    name, eq, label = part.partition("=")
    name, label = name.strip(), label.strip()
    if not eq or not name or not label:
        fail(file, lineno, f"expected 'Var = Value', got {part.strip()!r}", column=column)
    var = index.get(name)
    if var is None:
        fail(
            file,
            lineno,
            f"unknown variable {name!r} (not in domains.txt)",
            column=column,
            hint=did_you_mean(name, index),
        )
    val = values[var].get(label)
    if val is None:
        shown = ", ".join(variables[var].values[:12])
        fail(
            file,
            lineno,
            f"unknown value {label!r} for {name} (expected one of {shown})",
            column=column,
            hint=did_you_mean(label, values[var]),
        )
    return var, val


def _names(vars_: Iterable[int], variables: tuple[FiniteVar, ...]) -> str:
    return ", ".join(variables[v].name for v in vars_)
