"""A real ``lotone serve --demo`` on a free localhost port and Debian's Chromium under Playwright.

The browser is Debian's ``chromium`` package (``/usr/bin/chromium``), installed here with
``apt-get`` when it is missing; Playwright never downloads a browser. Without Playwright,
Chromium or a way to install it, the tests skip and say why. Screenshots go to
``test-artifacts/e2e/`` (git-ignored).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = Path(os.environ.get("LOTONE_CHROMIUM", "/usr/bin/chromium"))
# the flags this machine's closed network needs (no background calls to Google's hosts)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> Path | None:
    """Debian's Chromium, installed with apt when missing and possible; else None."""
    if CHROMIUM.exists():
        return CHROMIUM
    if shutil.which("apt-get") is None or (hasattr(os, "geteuid") and os.geteuid() != 0):
        return None
    subprocess.run(
        ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
        capture_output=True,
        check=False,
        timeout=600,
    )
    return CHROMIUM if CHROMIUM.exists() else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"lotone serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"lotone serve did not answer {url} within {seconds} s")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of ``lotone serve --demo`` on a temporary SQLite database."""
    data = tmp_path_factory.mktemp("e2e-serve")
    env = {
        **os.environ,
        "LOTONE_DATA_DIR": str(data),
        "LOTONE_DATABASE_URL": f"sqlite:///{data / 'lotone.db'}",
        "LOTONE_MASTER_KEY": "11" * 32,
    }
    port = _free_port()
    log = (data / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "lotone", "serve", "--demo", "--catalog", str(ROOT / "catalog"),
         "--port", str(port), "--log-level", "warning"],
        cwd=data, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/health", process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')"
    )
    chromium = _chromium()
    if chromium is None:
        pytest.skip(f"Debian's Chromium is missing at {CHROMIUM} and apt-get could not install it")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def shots() -> Path:
    """The folder for screenshots (git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
