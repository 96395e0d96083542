"""Random small finite-domain models (tables and clauses) and brute-force answers for them."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence

from hypothesis import strategies as st

from lotone.model.finite import BOOL_VALUES, Clause, FiniteModel, FiniteVar, Table


@st.composite
def finite_models(draw: st.DrawFn, max_vars: int = 5) -> FiniteModel:
    """A model of 1..max_vars variables (2..4 values), a few tables and clauses."""
    n = draw(st.integers(1, max_vars))
    sizes = [draw(st.integers(1, 4)) for _ in range(n)]
    variables = tuple(
        FiniteVar(f"v{i}", BOOL_VALUES if s == 2 else tuple(f"a{k}" for k in range(s)))
        for i, s in enumerate(sizes)
    )
    tables = []
    for t in range(draw(st.integers(0, 3))):
        scope = tuple(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3, unique=True)))
        space = list(itertools.product(*(range(sizes[v]) for v in scope)))
        rows = draw(st.lists(st.sampled_from(space), min_size=0, max_size=len(space), unique=True))
        tables.append(Table(f"t{t}", scope, tuple(rows)))
    clauses = []
    for c in range(draw(st.integers(0, 3))):
        lits = draw(
            st.lists(
                st.integers(0, n - 1).flatmap(
                    lambda v: st.tuples(st.just(v), st.integers(0, sizes[v] - 1))
                ),
                min_size=1,
                max_size=3,
            )
        )
        clauses.append(Clause(f"c{c}", tuple(lits)))
    return FiniteModel("random", "random", "test", variables, tuple(tables), tuple(clauses))


def assignments(model: FiniteModel) -> Iterator[tuple[int, ...]]:
    """Every full assignment (value index per variable)."""
    return itertools.product(*(range(len(v.values)) for v in model.variables))


def solutions(
    model: FiniteModel, choices: Mapping[int, int], rules: Sequence[str] | None = None
) -> list[tuple[int, ...]]:
    """The assignments keeping ``choices`` that satisfy ``rules`` (all constraints if None)."""
    keep = set(model.constraint_ids if rules is None else rules)
    out = []
    for a in assignments(model):
        if any(a[v] != k for v, k in choices.items()):
            continue
        broken = set(model.violated(a)) & keep
        if not broken:
            out.append(a)
    return out


def projections(model: FiniteModel, choices: Mapping[int, int]) -> list[frozenset[int]] | None:
    """Brute-force valid domains: the values each variable takes in some solution."""
    sols = solutions(model, choices)
    if not sols:
        return None
    return [frozenset(s[v] for s in sols) for v in range(len(model.variables))]
