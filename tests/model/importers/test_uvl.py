"""UVL feature models: the tree and cross-tree constraints as clauses over Boolean features."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from importer_helpers import DATA, error_of, solutions

from lotone.errors import ModelError
from lotone.model.importers import load_uvl
from lotone.model.importers._uvl_formula import (
    And,
    Formula,
    Iff,
    Implies,
    Not,
    Or,
    Var,
    to_clauses,
)

TINY = DATA / "tiny.uvl"
FEATURES = ["Bike", "Frame", "Steel", "Carbon", "29er", "Lights", "Front", "Rear", "Rack"]


def _valid_bike(f: dict[str, bool]) -> bool:
    """What tiny.uvl means, written out by hand."""
    tree = (
        f["Bike"]
        and all(not f[c] or f["Bike"] for c in ("Frame", "Lights", "Rack"))
        and all(f["Frame"] or not f[c] for c in ("Steel", "Carbon", "29er"))
        and all(f["Lights"] or not f[c] for c in ("Front", "Rear"))
        and f["Frame"] == f["Bike"]
        and (not f["Frame"] or f["Steel"] + f["Carbon"] + f["29er"] == 1)
        and (not f["Lights"] or f["Front"] or f["Rear"])
    )
    cross = (
        (not f["Carbon"] or not f["Rack"])
        and f["29er"] == (f["Lights"] and f["Rear"])
        and (not (f["Front"] and f["Rack"]) or f["Steel"])
        and (
            (f["Steel"] and f["Front"])
            or (f["Carbon"] and f["Rear"])
            or (f["Rack"] and f["Lights"])
            or (f["Frame"] and f["Rear"])
            or (f["29er"] and f["Front"])
        )
    )
    return bool(tree and cross)


def test_tiny_model_loads_features_in_tree_order() -> None:
    """Features keep tree order; quoted names lose their quotes; attributes are ignored."""
    model = load_uvl(TINY)
    assert model.name == "Bike"
    assert [model.variables[i].name for i in model.visible] == FEATURES
    assert all(v.is_bool for v in model.variables)
    ids = {c.id for c in model.clauses}
    assert {"root Bike", "alternative Frame", "or Lights", "mandatory Bike -> Frame"} <= ids
    assert len(ids) == len(model.clauses)


def test_tiny_solutions_match_the_hand_written_meaning() -> None:
    """Brute force: the projection on the features is exactly the UVL meaning; aux are defined."""
    model = load_uvl(TINY)
    assert model.hidden, "constraint 4 is big enough to need Tseitin variables"
    expected = {}
    for bits in itertools.product([False, True], repeat=len(FEATURES)):
        f = dict(zip(FEATURES, bits, strict=True))
        if _valid_bike(f):
            expected[tuple("true" if b else "false" for b in bits)] = 1
    assert expected
    # multiplicity 1 everywhere: every hidden variable is a function of the features
    assert solutions(model) == expected


def _uvl(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.uvl"
    path.write_text(text)
    return path


HEAD = "features\n\tA\n\t\toptional\n\t\t\tB\n\t\t\tC\n"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("imports\n\tX as Y\n" + HEAD, 1, "imports are not supported"),
        ("include\n\tArithmetic.*\n" + HEAD, 1, "include"),
        ("features\n\tA\n\t\toptional\n\t\t\tInteger B\n", 4, "typed features"),
        ("features\n\tA\n\t\t[1..2]\n\t\t\tB\n", 3, "cardinalities"),
        ("features\n\tA\n\t\toptional\n\t\t\tB cardinality [0..3]\n", 4, "cardinalities"),
        ("features\n\tA\n\t\tmandatoryy\n\t\t\tB\n", 3, "expected a group keyword"),
        ("features\n\tA\n\tB\n", 3, "second root"),
        ("features\n\tA\n\t\toptional\n\t\t\tB\n\t\t\tB\n", 5, "declared twice"),
        ("features\n\tA\n\t\toptional\n\t\t\tB extra\n", 4, "unexpected 'extra'"),
        ("features\n\tA\n\t\tor\n", 3, "has no features"),
        ("bogus\n" + HEAD, 1, "unexpected 'bogus'"),
        ("\tA\n", 1, "outside the features"),
        (HEAD + "constraints\n\tB => D\n", 7, "unknown feature 'D'"),
        (HEAD + "constraints\n\tB & \n", 7, "ends too early"),
        (HEAD + "constraints\n\t(B | C\n", 7, "missing ')'"),
        (HEAD + "constraints\n\tB C\n", 7, "unexpected 'C'"),
        (HEAD + "constraints\n\tB => C\n\tB > 3\n", 8, "numeric constraints"),
        (HEAD + "constraints\n\tsum(B) == 1\n", 7, "numeric constraints"),
        (HEAD + "constraints\n\tB # C\n", 7, "unexpected character '#'"),
        ("constraints\n\tA\n", 1, "before any feature"),
        ("namespace N\n", 1, "no features"),
    ],
)
def test_malformed_models_name_the_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    """Unsupported constructs and mistakes are ModelErrors naming file and line."""
    with pytest.raises(ModelError) as exc:
        load_uvl(_uvl(tmp_path, text))
    name, at, message = error_of(exc)
    assert (name, at) == ("m.uvl", line), message
    assert words in message


def test_constraint_errors_point_at_the_column(tmp_path: Path) -> None:
    """An unknown feature in a constraint is pointed at, with a did-you-mean hint."""
    with pytest.raises(ModelError) as exc:
        load_uvl(_uvl(tmp_path, HEAD + "constraints\n\tB => Cc\n"))
    diag = exc.value.diagnostics[0]
    assert diag.span is not None
    assert diag.span.column == 7
    assert diag.hint == "did you mean 'C'?"


def test_space_indentation_and_precedence(tmp_path: Path) -> None:
    """Spaces indent as well as tabs; ``&`` binds tighter than ``|`` than ``=>`` than ``<=>``."""
    text = "features\n  A\n    optional\n      B\n      C\n      D\nconstraints\n  B | C & D => B\n"
    model = load_uvl(_uvl(tmp_path, text))
    # (B | (C & D)) => B  ==  !C | !D | B
    cross = [c for c in model.clauses if c.id.startswith("constraint")]
    assert [sorted(c.lits) for c in cross] == [[(1, 1), (2, 0), (3, 0)]]


# --- the formula translation, on random formulas -----------------------------------------

N_VARS = 4


def _formulas() -> st.SearchStrategy[Formula]:
    leaves: st.SearchStrategy[Formula] = st.builds(Var, st.integers(0, N_VARS - 1))

    def grow(children: st.SearchStrategy[Formula]) -> st.SearchStrategy[Formula]:
        pair = st.lists(children, min_size=2, max_size=3).map(tuple)
        return st.one_of(
            st.builds(Not, children),
            st.builds(And, pair),
            st.builds(Or, pair),
            st.builds(Implies, children, children),
            st.builds(Iff, children, children),
        )

    return st.recursive(leaves, grow, max_leaves=6)


def _truth(f: Formula, values: tuple[bool, ...]) -> bool:
    if isinstance(f, Var):
        return values[f.index]
    if isinstance(f, Not):
        return not _truth(f.arg, values)
    if isinstance(f, And):
        return all(_truth(a, values) for a in f.args)
    if isinstance(f, Or):
        return any(_truth(a, values) for a in f.args)
    if isinstance(f, Implies):
        return not _truth(f.left, values) or _truth(f.right, values)
    return _truth(f.left, values) == _truth(f.right, values)


@settings(max_examples=150, deadline=None)
@given(_formulas(), st.sampled_from([1, 4, 16]))
def test_clauses_are_equivalent_and_aux_variables_are_defined(formula: Formula, limit: int) -> None:
    """For every assignment of the features: the formula holds iff exactly one extension of
    the auxiliary variables satisfies the clauses (and none exists otherwise)."""
    count = [N_VARS]

    def new_aux() -> int:
        count[0] += 1
        return count[0] - 1

    clauses = to_clauses(formula, new_aux, limit)
    n_aux = count[0] - N_VARS
    assume(n_aux <= 10)  # the brute force below is exponential in the auxiliary variables
    for visible in itertools.product([False, True], repeat=N_VARS):
        extensions = 0
        for aux in itertools.product([False, True], repeat=n_aux):
            values = visible + aux
            if all(any(values[v] == p for v, p in c) for c in clauses):
                extensions += 1
        assert extensions == (1 if _truth(formula, visible) else 0)
