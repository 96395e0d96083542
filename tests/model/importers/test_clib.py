"""CLib folders: domains.txt plus positive tables, with nested or-blocks flattened."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from importer_helpers import DATA, error_of, solutions

from lotone.errors import ModelError
from lotone.model.importers import load_clib

TINY = DATA / "clib_tiny"


def test_tiny_folder_loads_variables_and_tables() -> None:
    """Variables keep file order and labels; a table's id is its file stem; rows follow scope."""
    model = load_clib(TINY)
    assert [v.name for v in model.variables] == ["Body", "Engine", "Roof"]
    assert model.variables[2].values == ("none", "glass")
    assert [t.id for t in model.tables] == ["body_engine", "roof"]
    body_engine = model.tables[0]
    assert body_engine.scope == (0, 1)
    # "Engine = petrol and Body = estate" is reordered to the table's scope (Body, Engine)
    assert (1, 0) in body_engine.rows
    assert len(body_engine.tuples) == 5
    assert model.format == "clib"
    assert body_engine.span is not None
    assert body_engine.span.line == 2


def test_tiny_solutions_are_what_the_tables_mean() -> None:
    """Brute force: the valid products are exactly the combinations both tables allow."""
    expected = {
        ("sedan", "petrol", "glass"),
        ("sedan", "petrol", "none"),
        ("sedan", "ev", "glass"),
        ("sedan", "ev", "none"),
        ("estate", "diesel", "glass"),
        ("estate", "petrol", "glass"),
        ("van", "diesel", "none"),
    }
    assert solutions(load_clib(TINY)) == dict.fromkeys(expected, 1)


def test_tables_directly_in_the_folder(tmp_path: Path) -> None:
    """Tables may sit next to domains.txt instead of in rules/."""
    shutil.copy(TINY / "domains.txt", tmp_path)
    shutil.copy(TINY / "rules" / "roof.pm", tmp_path)
    assert [t.id for t in load_clib(tmp_path).tables] == ["roof"]


def _folder(tmp_path: Path, table: str, domains: str | None = None) -> Path:
    (tmp_path / "domains.txt").write_text(
        domains if domains is not None else (TINY / "domains.txt").read_text()
    )
    (tmp_path / "t.pm").write_text(table)
    return tmp_path


@pytest.mark.parametrize(
    ("table", "line", "words"),
    [
        (
            "or(\nBody = sedan and Engine = petrol\nBody = van\nor)\n",
            3,
            "differ from the table's scope",
        ),
        ("or(\nBody = sedan and Engine = petrol\nBody = van and Roof = none\nor)\n", 3, "scope"),
        ("or(\nBody = sedan and Engin = petrol\nor)\n", 2, "unknown variable 'Engin'"),
        ("or(\nBody = sedan and Engine = steam\nor)\n", 2, "unknown value 'steam' for Engine"),
        ("or(\nBody = sedan and Engine\nor)\n", 2, "expected 'Var = Value'"),
        ("or(\nBody = sedan and Body = van\nor)\n", 2, "appears twice"),
        ("or(\nBody = sedan\nor)\nor)\n", 4, "without a matching 'or('"),
        ("or(\nBody = sedan\n", 2, "not closed"),
        ("or(\nor)\n", 1, "no rows"),
    ],
)
def test_malformed_tables_name_file_and_line(
    tmp_path: Path, table: str, line: int, words: str
) -> None:
    """Each defect in a .pm table is reported at its own line of that file."""
    with pytest.raises(ModelError) as exc:
        load_clib(_folder(tmp_path, table))
    name, at, message = error_of(exc)
    assert (name, at) == ("t.pm", line)
    assert words in message


@pytest.mark.parametrize(
    ("domains", "line", "words"),
    [
        ("Body : a, b\nEngine a, b\n", 2, "expected 'Name : value"),
        ("Body : a, b\nBody : c\n", 2, "declared twice"),
        ("Body : a, , b\n", 1, "empty value"),
        ("Body : a, b, a\n", 1, "twice"),
        ("\n", 1, "no variables"),
    ],
)
def test_malformed_domains_name_the_line(
    tmp_path: Path, domains: str, line: int, words: str
) -> None:
    """A bad domains.txt line is reported at that line."""
    with pytest.raises(ModelError) as exc:
        load_clib(_folder(tmp_path, "or(\nBody = a\nor)\n", domains))
    assert error_of(exc)[:2] == ("domains.txt", line)
    assert words in error_of(exc)[2]


def test_missing_pieces_are_refused(tmp_path: Path) -> None:
    """A folder without domains.txt, or without tables, says what is missing."""
    with pytest.raises(ModelError, match=r"no domains\.txt"):
        load_clib(tmp_path)
    (tmp_path / "domains.txt").write_text("A : x\n")
    with pytest.raises(ModelError, match=r"no \*\.pm tables"):
        load_clib(tmp_path)
