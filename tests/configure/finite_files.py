"""Where the public configuration benchmarks are, and how tests and benchmarks read them."""

from __future__ import annotations

from pathlib import Path

from lotone.model.finite import FiniteModel
from lotone.model.importers import load_model

SHARED = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "configuration"
MEDIUM = SHARED / "renault_br4cp" / "medium_domainsorted.xml"
BIG = SHARED / "renault_br4cp" / "big_domainsorted.xml"
MEGANE = SHARED / "renault_megane_clib"
DIMACS = SHARED / "feature_models" / "dimacs"


def load(path: Path) -> FiniteModel:
    """Read a model file or folder with the project's importers."""
    return load_model(path)
