"""Where the shared benchmark instances are, and a skip when they are absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "benchmarks" / "scheduling"


def instance(rel: str) -> Path:
    """A benchmark file under the shared data, or a skip with the reason."""
    path = DATA / rel
    if not path.exists():
        pytest.skip(f"shared benchmark data not found: {path}")
    return path


FT06 = "jobshop/text/FisherThompson1963/ft06.txt"
FT10 = "jobshop/text/FisherThompson1963/ft10.txt"
TA01 = "jobshop/text/Taillard1993/ta01js.txt"
MK01 = "flexible-jobshop/fjsp/Brandimarte1993/mk01.txt"
JIT5 = "jobshop-sdst-jit/I-5x10-equal-loose-0"
JIT10 = "jobshop-sdst-jit/I-10x10-tard-tight-0"
