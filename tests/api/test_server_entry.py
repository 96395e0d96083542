"""The server's entry point takes its process-wide thread switch interval from the settings."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from lotone.api.server import app_from_env
from lotone.api.settings import Settings
from lotone.errors import LotoneError


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
