"""The server's process-wide settings: the thread switch interval and the frozen collector."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lotone.api import create_app
from lotone.api.server import app_from_env
from lotone.api.settings import Settings
from lotone.errors import LotoneError
from lotone.store import connect, migrate


@pytest.fixture
def interval() -> Iterator[None]:
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


def test_the_server_entry_sets_the_gil_switch_interval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interval: None
) -> None:
    """``LOTONE_GIL_SWITCH_S`` becomes the interpreter's switch interval; 1 ms by default."""
    monkeypatch.setenv("LOTONE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LOTONE_DATABASE_URL", raising=False)
    monkeypatch.setenv("LOTONE_GIL_SWITCH_S", "0.002")
    app_from_env()
    assert sys.getswitchinterval() == pytest.approx(0.002)
    monkeypatch.delenv("LOTONE_GIL_SWITCH_S")
    app_from_env()
    assert sys.getswitchinterval() == pytest.approx(0.001)


@pytest.mark.parametrize("text", ["0", "-1", "2", "fast"])
def test_a_bad_gil_switch_interval_is_refused_with_its_name(tmp_path: Path, text: str) -> None:
    """Out of (0, 1] or not a number: an error that names the setting."""
    env = {"LOTONE_DATA_DIR": str(tmp_path), "LOTONE_GIL_SWITCH_S": text}
    with pytest.raises(LotoneError, match=r"GIL switch|LOTONE_GIL_SWITCH_S"):
        Settings.from_env(env)


def test_servers_freeze_the_collector_after_the_warm_start_and_tests_do_not(tmp_path: Path) -> None:
    """``LOTONE_GC_FREEZE`` is on for servers (``0`` turns it off), off for a bare Settings;
    with it on, what is alive once the app has started is out of the collector's reach."""
    assert Settings.from_env({"LOTONE_DATA_DIR": str(tmp_path)}).gc_freeze is True
    env = {"LOTONE_DATA_DIR": str(tmp_path), "LOTONE_GC_FREEZE": "0"}
    assert Settings.from_env(env).gc_freeze is False
    assert Settings(database_url="sqlite://", master_key=bytes(32)).gc_freeze is False

    url = f"sqlite:///{tmp_path / 'frozen.db'}"
    migrate(connect(url))
    settings = Settings(database_url=url, master_key=bytes(32), price_processes=0, gc_freeze=True)
    gc.unfreeze()
    try:
        with TestClient(create_app(settings)) as client:
            assert gc.get_freeze_count() > 0
            assert client.get("/health").status_code == 200
    finally:
        gc.unfreeze()
