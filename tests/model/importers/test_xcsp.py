"""XCSP 2.1 positive tables: domains, variables, relations and constraints, read in a stream."""

from __future__ import annotations

from pathlib import Path

import pytest
from importer_helpers import DATA, error_of, solutions

from lotone.errors import ModelError
from lotone.model.importers import load_xcsp

TINY = DATA / "tiny.xml"


def test_tiny_file_loads_domains_ranges_and_tables() -> None:
    """Ranges expand, labels are the integers as written, constraint ids are their names."""
    model = load_xcsp(TINY)
    assert model.name == "tiny"
    assert [v.name for v in model.variables] == ["size", "colour", "tow_bar"]
    assert model.variables[0].values == ("0", "1", "2")
    assert model.variables[2].values == ("-1", "0", "1")
    assert [t.id for t in model.tables] == ["c_size_colour", "c_size_tow"]
    assert model.tables[1].tuples == ((0, 0), (1, 0), (2, 2))
    assert model.stats() == {
        "variables": 3,
        "values": 9,
        "tables": 2,
        "tuples": 7,
        "clauses": 0,
    }


def test_tiny_solutions_are_what_the_relations_mean() -> None:
    """Brute force: the valid assignments are those matching a supported tuple of each table."""
    expected = {("0", "0", "-1"), ("0", "1", "-1"), ("1", "1", "-1"), ("2", "2", "1")}
    assert solutions(load_xcsp(TINY)) == dict.fromkeys(expected, 1)


def _xml(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "m.xml"
    path.write_text(body)
    return path


GOOD_HEAD = """<instance>
<domains><domain name="D" nbValues="2">0 1</domain></domains>
<variables><variable name="a" domain="D"/><variable name="b" domain="D"/></variables>
"""


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        (
            GOOD_HEAD + '<relations><relation name="r" arity="2" semantics="conflicts">0 0'
            "</relation></relations></instance>",
            4,
            "semantics='conflicts'",
        ),
        (
            GOOD_HEAD + '<predicates>\n<predicate name="p"/></predicates></instance>',
            4,
            "<predicates> is not supported",
        ),
        (
            GOOD_HEAD + '<relations><relation name="r" arity="2">0 0|\n1 1 1|</relation>'
            "</relations></instance>",
            5,
            "tuple 2 has 3 values",
        ),
        (
            GOOD_HEAD + '<relations><relation name="r" arity="2" nbTuples="3">0 0|1 1'
            "</relation></relations></instance>",
            4,
            "nbTuples=3",
        ),
        (
            GOOD_HEAD + '<relations><relation name="r" arity="2">\n0 0|\n1 7|</relation>'
            '</relations>\n<constraints><constraint name="c" scope="a b" reference="r"/>'
            "</constraints></instance>",
            6,
            "value '7' is not in the domain of b",
        ),
        (
            GOOD_HEAD + '<relations><relation name="r" arity="2">0 0</relation></relations>\n'
            '<constraints><constraint name="c" scope="a zz" reference="r"/>'
            "</constraints></instance>",
            5,
            "unknown variable 'zz'",
        ),
        (
            GOOD_HEAD + '<constraints>\n<constraint name="c" scope="a b" reference="p"/>'
            "</constraints></instance>",
            5,
            "unknown relation 'p'",
        ),
        (
            GOOD_HEAD
            + '<constraints>\n<constraint name="c" scope="a b" reference="global:allDifferent"/>'
            "</constraints></instance>",
            5,
            "global constraint",
        ),
        (
            GOOD_HEAD + '<relations><relation name="r" arity="1">0</relation></relations>\n'
            '<constraints><constraint name="c" scope="a b" reference="r"/>'
            "</constraints></instance>",
            5,
            "arity 1",
        ),
        (
            '<instance>\n<domains><domain name="D" nbValues="3">0 1</domain></domains>',
            2,
            "nbValues=3",
        ),
        (
            '<instance>\n<domains><domain name="D">0 x</domain></domains></instance>',
            2,
            "'x' is neither an integer nor a range",
        ),
        (
            '<instance>\n<variables>\n<variable name="a" domain="E"/></variables></instance>',
            3,
            "unknown domain 'E'",
        ),
        ("<instance>\n<domains>\n</instance>", 3, "malformed XML"),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
            "<instance>&e;</instance>",
            2,
            "DOCTYPE",
        ),
        ("<instance/>", 1, "no <variable>"),
        ('<?xml version="1.0" encoding="nope"?>\n<instance/>', 1, "cannot decode"),
    ],
)
def test_malformed_files_name_the_line(tmp_path: Path, body: str, line: int, words: str) -> None:
    """Each defect is a ModelError at its line; conflicts and predicates are refused clearly."""
    with pytest.raises(ModelError) as exc:
        load_xcsp(_xml(tmp_path, body))
    name, at, message = error_of(exc)
    assert (name, at) == ("m.xml", line), message
    assert words in message


def test_values_written_differently_still_match(tmp_path: Path) -> None:
    """A tuple value written as "+1" or "01" is the integer 1 of the domain."""
    path = _xml(
        tmp_path,
        GOOD_HEAD + '<relations><relation name="r" arity="2">+1 01|0 0</relation></relations>'
        '<constraints><constraint name="c" scope="a b" reference="r"/></constraints></instance>',
    )
    assert load_xcsp(path).tables[0].tuples == ((1, 1), (0, 0))
