"""Helpers of the personalize tests: random small finite models (tables only, brute-force
checkable) and JSON configurations read back as typed values."""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping

from hypothesis import strategies as st

from lotone.configure.engine import Engine
from lotone.configure.session import parse_value
from lotone.model.family import Value
from lotone.model.finite import FiniteModel, FiniteVar, Table


def typed(engine: Engine, config: Mapping[str, object]) -> dict[str, Value]:
    """A JSON-shaped configuration (as a recommendation gives it) as the engine's values."""
    return {k: parse_value(engine, k, json.dumps(v) if isinstance(v, bool) else str(v))
            for k, v in config.items()}  # fmt: skip


@st.composite
def small_models(draw: st.DrawFn, max_vars: int = 5) -> FiniteModel:
    """A model of 1..max_vars variables (1..5 values) and up to three random tables."""
    n = draw(st.integers(1, max_vars))
    sizes = [draw(st.integers(1, 5)) for _ in range(n)]
    variables = tuple(
        FiniteVar(f"v{i}", tuple(f"a{k}" for k in range(s))) for i, s in enumerate(sizes)
    )
    tables = []
    for t in range(draw(st.integers(0, 3))):
        scope = tuple(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True)))
        space = list(itertools.product(*(range(sizes[v]) for v in scope)))
        rows = draw(st.lists(st.sampled_from(space), min_size=0, max_size=len(space), unique=True))
        tables.append(Table(f"t{t}", scope, tuple(rows)))
    return FiniteModel("random", "random", "test", variables, tuple(tables))
