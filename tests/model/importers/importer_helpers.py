"""Helpers of the importer tests: where the fixtures are, brute-force solutions, error places."""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import pytest

from lotone.errors import ModelError
from lotone.model.finite import FiniteModel

DATA = Path(__file__).parent / "data"
BENCH = Path(__file__).resolve().parents[4] / "shared" / "benchmarks" / "configuration"


def solutions(model: FiniteModel) -> Counter[tuple[str, ...]]:
    """Every valid full assignment, projected on the visible variables, with its multiplicity.

    A multiplicity other than 1 means a hidden variable is not a function of the visible ones.
    """
    domains = [range(len(v.values)) for v in model.variables]
    visible = model.visible
    out: Counter[tuple[str, ...]] = Counter()
    for assignment in itertools.product(*domains):
        if model.holds(assignment):
            out[tuple(model.variables[i].values[assignment[i]] for i in visible)] += 1
    return out


def error_of(exc: pytest.ExceptionInfo[ModelError]) -> tuple[str, int, str]:
    """``(file name, line, message)`` of the first diagnostic of a raised ModelError."""
    diag = exc.value.diagnostics[0]
    assert diag.span is not None, str(exc.value)
    return Path(diag.span.file).name, diag.span.line, diag.message
