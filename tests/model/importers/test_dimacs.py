"""DIMACS CNF: named Boolean variables from comment lines, clauses ending in 0."""

from __future__ import annotations

from pathlib import Path

import pytest
from importer_helpers import DATA, error_of, solutions

from lotone.errors import ModelError
from lotone.model.finite import BOOL_VALUES
from lotone.model.importers import load_dimacs

TINY = DATA / "tiny.cnf"
TINY_CLAUSES = [[1], [-2, 1], [2, 3, -5], [-3, -4]]


def test_tiny_file_names_variables_and_numbers_clauses() -> None:
    """Names come from ``c`` lines (up to the type word); unnamed variables are ``x<index>``."""
    model = load_dimacs(TINY)
    assert [v.name for v in model.variables] == [
        "root",
        "engine",
        "Compare(Name('X'), [('!=', Const(''))])",
        "x4",
        "DEFAULT_PATH",
    ]
    assert all(v.values == BOOL_VALUES for v in model.variables)
    assert [c.id for c in model.clauses] == ["clause 1", "clause 2", "clause 3", "clause 4"]
    assert model.clauses[1].lits == ((1, 0), (0, 1))
    # clause 3 spans two lines; its span is where it starts
    assert model.clauses[2].lits == ((1, 1), (2, 1), (4, 0))
    assert [c.span.line for c in model.clauses if c.span] == [7, 8, 9, 11]


def test_tiny_solutions_are_the_satisfying_assignments() -> None:
    """Brute force: the model's solutions are exactly the assignments satisfying the CNF."""
    expected = {}
    for bits in range(32):
        values = [(bits >> i) & 1 for i in range(5)]
        if all(any(values[abs(x) - 1] == (x > 0) for x in c) for c in TINY_CLAUSES):
            expected[tuple(BOOL_VALUES[b] for b in values)] = 1
    assert solutions(load_dimacs(TINY)) == expected


def _cnf(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.cnf"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("1 0\n", 1, "before the 'p cnf"),
        ("c 1 a\n", 1, "no 'p cnf"),
        ("p cnf 2\n1 0\n", 1, "expected 'p cnf VARS CLAUSES'"),
        ("p cnf two 1\n1 0\n", 1, "two integers"),
        ("p cnf 2 1\n1 0\np cnf 2 1\n", 3, "a second 'p' header"),
        ("p cnf 2 2\n1 -2 0\n1 x 0\n", 3, "'x' is not an integer"),
        ("p cnf 2 1\n1 -3 0\n", 2, "literal -3 refers to variable 3"),
        ("p cnf 2 1\n1\n 5 0\n", 3, "literal 5"),
        ("p cnf 2 2\n1 0\n", 1, "declares 2 clauses but the file has 1"),
        ("p cnf 2 1\n1 0\n2\n", 3, "not terminated by 0"),
        ("c 1 a\nc 1 b\np cnf 2 1\n1 0\n", 2, "named twice"),
        ("c 1 a\nc 2 a\np cnf 2 1\n1 0\n", 2, "both named 'a'"),
        ("c 3 a\np cnf 2 1\n1 0\n", 1, "header declares 2"),
        ("c 0 a\np cnf 2 1\n1 0\n", 1, "numbered from 1"),
    ],
)
def test_malformed_files_name_the_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    """Header, literal, count and naming errors are ModelErrors at the right line."""
    with pytest.raises(ModelError) as exc:
        load_dimacs(_cnf(tmp_path, text))
    name, at, message = error_of(exc)
    assert (name, at) == ("m.cnf", line), message
    assert words in message


def test_several_clauses_on_a_line_and_free_comments(tmp_path: Path) -> None:
    """Free comments are ignored; one line may hold several clauses; SATLIB's '%' ends input."""
    path = _cnf(tmp_path, "c a comment\np cnf 3 3\n1 -2 0 2 0\n+3 0\n%\n0\n")
    model = load_dimacs(path)
    assert [c.lits for c in model.clauses] == [((0, 1), (1, 0)), ((1, 1),), ((2, 1),)]
