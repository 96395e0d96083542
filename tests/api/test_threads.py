"""Orders are taken in as many threads at once as the store has pooled connections."""

from __future__ import annotations

from pathlib import Path

from anyio import CapacityLimiter
from fastapi.testclient import TestClient

from lotone.api import Settings, create_app


def test_intake_threads_match_the_pool_size(tmp_path: Path) -> None:
    """More intake threads than connections would open (and close again) overflow connections."""
    url = f"sqlite:///{tmp_path / 't.db'}"
    settings = Settings(database_url=url, master_key=bytes(32), pool_size=7)
    with TestClient(create_app(settings)) as client:
        threads = client.app.state.intake_threads  # type: ignore[attr-defined]
        assert isinstance(threads, CapacityLimiter)
        assert threads.total_tokens == 7
