"""Fixtures of the importer tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from importer_helpers import BENCH


@pytest.fixture(scope="session")
def bench() -> Path:
    """The shared configuration benchmarks (skipped where they are not checked out)."""
    if not BENCH.is_dir():
        pytest.skip(f"benchmarks not found at {BENCH}")
    return BENCH
