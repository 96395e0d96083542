"""The public benchmark models load and reproduce the facts their README states.

The data is read from ``../shared/benchmarks/configuration`` (not copied: it is unlicensed);
the tests skip where it is absent. Loads are session fixtures so each file is read once.
"""

from __future__ import annotations

from pathlib import Path
from statistics import median

import pytest

from lotone.model.finite import FiniteModel
from lotone.model.importers import load_model

DIMACS_FACTS = {
    "automotive01_Kowal2016.dimacs": (2513, 10300),
    "linux_2.6.33.3_Knueppel2017.dimacs": (6467, 40121),
    "uClinux-config.cnf": (11254, 31637),
    "embtoolkit.cnf": (2128, 15483),
    "ecos-icse11.cnf": (1244, 3146),
    "busybox_1_28_0.cnf": (998, 962),
    "financial.cnf": (771, 7241),
    "buildroot.cnf": (565, 1164),
    "toybox.cnf": (544, 1020),
    "axtls.cnf": (94, 190),
}
SLOW_DIMACS = {"automotive02_v1_Knueppel2017.dimacs": (14010, 237685)}  # 1.3 s to load


@pytest.fixture(scope="session")
def megane(bench: Path) -> FiniteModel:
    return load_model(bench / "renault_megane_clib")


@pytest.fixture(scope="session")
def medium(bench: Path) -> FiniteModel:
    return load_model(bench / "renault_br4cp" / "medium_domainsorted.xml")


@pytest.fixture(scope="session")
def big(bench: Path) -> FiniteModel:
    return load_model(bench / "renault_br4cp" / "big_domainsorted.xml")


def _arities(model: FiniteModel) -> tuple[int, int]:
    sizes = [len(t.scope) for t in model.tables]
    return min(sizes), max(sizes)


def _domain_sizes(model: FiniteModel) -> tuple[int, int]:
    sizes = [len(v.values) for v in model.variables]
    return min(sizes), max(sizes)


def test_megane_clib_facts(megane: FiniteModel) -> None:
    """CLib Megane: 99 variables, 396 values, 111 tables, 112,680 tuples, rule074 the largest."""
    stats = megane.stats()
    assert (stats["variables"], stats["values"]) == (99, 396)
    assert (stats["tables"], stats["tuples"]) == (111, 112_680)
    assert {"Var37", "Var38"}.isdisjoint(megane.index)
    assert _domain_sizes(megane) == (1, 42)
    assert median(len(v.values) for v in megane.variables) == 2
    assert sum(len(v.values) == 1 for v in megane.variables) == 6
    assert sum(x.startswith("Autre") for v in megane.variables for x in v.values) == 11
    assert _arities(megane) == (2, 10)
    largest = max(megane.tables, key=lambda t: len(t.tuples))
    assert (largest.id, len(largest.tuples)) == ("renault_rule074", 32_072)


def test_renault_medium_facts(medium: FiniteModel) -> None:
    """Renault medium: 148 / 426, domains 2..20, 98 optional, 174 tables / 9,532 tuples."""
    stats = medium.stats()
    assert (stats["variables"], stats["values"]) == (148, 426)
    assert (stats["tables"], stats["tuples"]) == (174, 9_532)
    assert _domain_sizes(medium) == (2, 20)
    assert sum("-1" in v.values for v in medium.variables) == 98
    assert _arities(medium) == (2, 10)


@pytest.mark.slow  # ~0.7 s alone, 2 s on a busy machine
def test_renault_big_facts(big: FiniteModel) -> None:
    """Renault big: 268 / 1,273, domains 2..324, 178 optional, 332 tables / 225,989 tuples."""
    stats = big.stats()
    assert (stats["variables"], stats["values"]) == (268, 1_273)
    assert (stats["tables"], stats["tuples"]) == (332, 225_989)
    assert _domain_sizes(big) == (2, 324)
    assert sum("-1" in v.values for v in big.variables) == 178
    assert _arities(big) == (2, 12)
    assert max(len(t.tuples) for t in big.tables) == 26_881


def _check_sales(model: FiniteModel, history: Path, expected_rows: int) -> None:
    """Each sold configuration agrees with every table whose scope it fully covers."""
    lines = history.read_text().splitlines()
    header = [model.var(name) for name in lines[0].split()]
    position = {v: i for i, v in enumerate(header)}
    covered = [t for t in model.tables if all(v in position for v in t.scope)]
    assert covered, "the history covers some table's whole scope"
    # value label -> index per header column, so a row is read once
    labels = [{label: k for k, label in enumerate(model.variables[v].values)} for v in header]
    picks = [(t, [position[v] for v in t.scope]) for t in covered]
    rows = 0
    for lineno, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        rows += 1
        values = [labels[i][x] for i, x in enumerate(line.split())]
        for table, cols in picks:
            assert tuple(values[c] for c in cols) in table.rows, (
                f"{history.name}:{lineno} {table.id}"
            )
    assert rows == expected_rows


def test_medium_sales_history_is_consistent(medium: FiniteModel, bench: Path) -> None:
    """All 8,252 sold cars of Renault medium satisfy each table their variables cover."""
    _check_sales(medium, bench / "renault_br4cp" / "config_medium_filtered.txt", 8_252)


@pytest.mark.slow
def test_big_sales_history_is_consistent(big: FiniteModel, bench: Path) -> None:
    """All 8,337 sold cars of Renault big satisfy each table their variables cover."""
    _check_sales(big, bench / "renault_br4cp" / "config_big_filtered.txt", 8_337)


def _check_dimacs(path: Path, n_vars: int, n_clauses: int) -> None:
    model = load_model(path)
    assert (len(model.variables), len(model.clauses)) == (n_vars, n_clauses)
    assert all(v.is_bool for v in model.variables)
    assert all(v.span is not None for v in model.variables), "every variable has a c line"


@pytest.mark.parametrize(("name", "facts"), sorted(DIMACS_FACTS.items()))
def test_dimacs_counts(bench: Path, name: str, facts: tuple[int, int]) -> None:
    """Each DIMACS file has the README's variables and clauses, every variable named."""
    _check_dimacs(bench / "feature_models" / "dimacs" / name, *facts)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "facts"), sorted(SLOW_DIMACS.items()))
def test_dimacs_counts_large(bench: Path, name: str, facts: tuple[int, int]) -> None:
    """automotive02: 14,010 variables and 237,685 clauses."""
    _check_dimacs(bench / "feature_models" / "dimacs" / name, *facts)


@pytest.mark.parametrize(
    "stem",
    [
        "automotive01_Kowal2016",
        pytest.param("linux_2.6.33.3_Knueppel2017", marks=pytest.mark.slow),
    ],
)
def test_uvl_loads_with_the_features_of_its_dimacs_twin(bench: Path, stem: str) -> None:
    """The UVL files load; their visible features are exactly the DIMACS twin's variables."""
    uvl = load_model(bench / "feature_models" / "uvl" / f"{stem}.uvl")
    twin = load_model(bench / "feature_models" / "dimacs" / f"{stem}.dimacs")
    assert {uvl.variables[i].name for i in uvl.visible} == set(twin.index)
    assert all(uvl.variables[i].name.startswith("_tseitin") for i in uvl.hidden)
