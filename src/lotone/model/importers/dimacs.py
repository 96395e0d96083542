"""DIMACS CNF feature models: ``c <index> <name> [type ...]`` lines name the variables.

Each variable becomes a Boolean :class:`FiniteVar` (values ``("false", "true")``); literal ``-5``
is ``(4, 0)`` and ``5`` is ``(4, 1)``. Variables without a ``c`` line are called ``x<index>``.
FeatureIDE writes ``c 137$ _X1`` for variables it generated; they are read like the others and
stay visible (nothing says they are functions of the features). A clause may span lines; it ends
with ``0``. Clause ids are ``clause <n>`` (1-based, in file order) and their span is the line the
clause starts on.
"""

from __future__ import annotations

from pathlib import Path

from lotone.errors import SourceSpan

from ..finite import BOOL_VALUES, Clause, FiniteModel, FiniteVar
from ._source import fail, read_text, span

__all__ = ["load_dimacs"]

FORMAT = "dimacs"

# type words the KConfig extractions put after a feature name; names may contain spaces
# ("Compare(Name('X'), [('!=', Const(''))]) hidden_bool"), so the name runs up to the first one
_TYPES = frozenset(
    {"bool", "choice_bool", "hidden_bool", "nonbool", "tristate", "int", "hex", "string"}
)


def load_dimacs(path: Path | str) -> FiniteModel:
    """Read a DIMACS CNF file into a :class:`FiniteModel` of Boolean variables and clauses.

    Raises
    ------
    ModelError
        At the line of the first problem: a missing or malformed ``p cnf V C`` header, a token
        that is not an integer, a literal beyond ``V``, a clause count different from ``C``, an
        unterminated last clause, a variable named twice or two variables with one name.
    """
    path = Path(path)
    file = str(path)
    names: dict[int, tuple[str, int]] = {}
    n_vars = -1
    n_clauses = 0
    header_line = 0
    clauses: list[Clause] = []
    pending: list[tuple[int, int]] = []
    pending_line = 0
    by_text: dict[str, tuple[int, int]] = {}
    lines = read_text(path).splitlines()
    for lineno, line in enumerate(lines, 1):
        if not line or line[0] == "c":
            if line.startswith("c "):
                _name(line, lineno, file, names)
            continue
        if line[0] == "p":
            if n_vars >= 0:
                fail(file, lineno, f"a second 'p' header (the first is on line {header_line})")
            n_vars, n_clauses = _header(line, lineno, file)
            header_line = lineno
            by_text = {str(i): (i - 1, 1) for i in range(1, n_vars + 1)}
            by_text.update({f"-{i}": (i - 1, 0) for i in range(1, n_vars + 1)})
            continue
        if line[0] == "%":  # SATLIB files end with '%' and a stray 0
            break
        if n_vars < 0:
            if not line.strip():
                continue
            fail(file, lineno, "a clause before the 'p cnf VARS CLAUSES' header")
        tokens = line.split()
        if not tokens:
            continue
        if not pending and tokens[-1] == "0":
            # fast path: one whole clause on this line, every literal written plainly
            try:
                lits = tuple(map(by_text.__getitem__, tokens[:-1]))
            except KeyError:
                pass
            else:
                clauses.append(
                    Clause(f"clause {len(clauses) + 1}", lits, SourceSpan(file, lineno, 1))
                )
                continue
        pending_line = _slow_line(
            line, tokens, lineno, file, n_vars, clauses, pending, pending_line
        )
    if n_vars < 0:
        fail(
            file, 1, "no 'p cnf VARS CLAUSES' header", hint="DIMACS files declare their size first"
        )
    if pending:
        fail(file, pending_line, "the last clause is not terminated by 0")
    if len(clauses) != n_clauses:
        fail(
            file,
            header_line,
            f"the header declares {n_clauses} clauses but the file has {len(clauses)}",
        )
    for index, (_, line_no) in names.items():
        if index > n_vars:
            fail(file, line_no, f"variable {index} is named, but the header declares {n_vars}")
    variables = _variables(n_vars, names, file)
    return FiniteModel(
        id=path.stem,
        name=path.stem,
        format=FORMAT,
        variables=variables,
        clauses=tuple(clauses),
        source=file,
    )


def _slow_line(
    line: str,
    tokens: list[str],
    lineno: int,
    file: str,
    n_vars: int,
    clauses: list[Clause],
    pending: list[tuple[int, int]],
    pending_line: int,
) -> int:
    """Add the literals of a line that continues, ends or holds several clauses; checks them."""
    try:
        ints = [int(t) for t in tokens]
    except ValueError:
        bad = next(t for t in tokens if not _is_int(t))
        fail(file, lineno, f"{bad!r} is not an integer literal", column=line.find(bad) + 1)
    for lit in ints:
        if lit == 0:
            clauses.append(
                Clause(f"clause {len(clauses) + 1}", tuple(pending), span(file, pending_line))
            )
            pending.clear()
            continue
        if abs(lit) > n_vars:
            fail(
                file,
                lineno,
                f"literal {lit} refers to variable {abs(lit)}, but the header declares "
                f"{n_vars} variables",
                column=_column(line, lit),
            )
        if not pending:
            pending_line = lineno
        pending.append((abs(lit) - 1, 1 if lit > 0 else 0))
    return pending_line


def _is_int(token: str) -> bool:
    try:
        int(token)
    except ValueError:
        return False
    return True


def _column(line: str, lit: int) -> int:
    for pos, token in _tokens(line):
        if _is_int(token) and int(token) == lit:
            return pos + 1
    return 1


def _tokens(line: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for token in line.split():
        pos = line.index(token, pos)
        out.append((pos, token))
        pos += len(token)
    return out


def _header(line: str, lineno: int, file: str) -> tuple[int, int]:
    parts = line.split()
    if len(parts) != 4 or parts[0] != "p" or parts[1] != "cnf":
        fail(file, lineno, f"expected 'p cnf VARS CLAUSES', got {line.strip()!r}")
    try:
        n_vars, n_clauses = int(parts[2]), int(parts[3])
    except ValueError:
        fail(file, lineno, f"expected two integers in 'p cnf VARS CLAUSES', got {line.strip()!r}")
    if n_vars < 0 or n_clauses < 0:
        fail(file, lineno, "the header's counts must not be negative")
    return n_vars, n_clauses


def _name(line: str, lineno: int, file: str, names: dict[int, tuple[str, int]]) -> None:
    """Record ``c <index>[$] <name> [type ...]``; any other comment is ignored."""
    parts = line.split()
    # FeatureIDE marks generated variables with a '$' after the index: "c 137$ _X1"
    number = parts[1].removesuffix("$") if len(parts) > 1 else ""
    if len(parts) < 3 or not number.isdigit():
        return
    index = int(number)
    words = parts[2:]
    end = next((i for i, w in enumerate(words) if i > 0 and w in _TYPES), len(words))
    name = " ".join(words[:end])
    if index == 0:
        fail(file, lineno, "variables are numbered from 1; 'c 0 ...' names none")
    if index in names:
        fail(file, lineno, f"variable {index} is named twice (first on line {names[index][1]})")
    names[index] = (name, lineno)


def _variables(n_vars: int, names: dict[int, tuple[str, int]], file: str) -> tuple[FiniteVar, ...]:
    out: list[FiniteVar] = []
    seen: dict[str, int] = {}
    for index in range(1, n_vars + 1):
        named = names.get(index)
        if named is None:
            out.append(FiniteVar(f"x{index}", BOOL_VALUES))
            continue
        name, line = named
        if name in seen:
            fail(
                file,
                line,
                f"variables {seen[name]} and {index} are both named {name!r}",
                hint="feature names must be unique",
            )
        seen[name] = index
        out.append(FiniteVar(name, BOOL_VALUES, span(file, line)))
    for index in range(1, n_vars + 1):
        if index not in names and f"x{index}" in seen:
            fail(
                file,
                names[seen[f"x{index}"]][1],
                f"the name x{index} is taken by variable "
                f"{seen[f'x{index}']} but variable {index} is unnamed",
            )
    return tuple(out)
