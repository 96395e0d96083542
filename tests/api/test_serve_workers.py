"""``lotone serve --workers 2``: both processes take connections, and SIGTERM stops them cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from lotone.api import workers

pytestmark = pytest.mark.skipif(not workers.supported(), reason="SO_REUSEPORT balancing: Linux")

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                out.append(int(entry))
    return out


def _established_to(port: int) -> dict[int, int]:
    """socket inode -> 1 for every established TCP connection whose local port is ``port``."""
    found = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        cols = line.split()
        if int(cols[1].split(":")[1], 16) == port and cols[3] == "01":
            found[int(cols[9])] = 1
    return found


def _held(pid: int, inodes: dict[int, int]) -> int:
    held = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:[") and int(target[8:-1]) in inodes:
            held += 1
    return held


def test_two_workers_share_the_connections_and_stop_on_sigterm(tmp_path: Path) -> None:
    """40 keep-alive clients connecting at once: each worker holds some of them.

    (Idle workers share even uvicorn's single socket; the imbalance it has under load, 44 of
    50 benchmark connections on one worker, shows in ``bench_service.py``, not here.)
    """
    port = _free_port()
    env = {**os.environ, "LOTONE_DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}"}
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "lotone", "serve", "--port", str(port), "--workers", "2",
             "--catalog", str(ROOT / "catalog"), "--log-level", "warning"],
            env=env, stdout=subprocess.DEVNULL, stderr=sink,
        )  # fmt: skip
    clients: list[socket.socket] = []
    try:
        deadline = time.monotonic() + 90
        ready = 0
        while ready < 1 and time.monotonic() < deadline:
            try:
                ready = int(httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200)
            except httpx.HTTPError:
                time.sleep(0.3)
        assert ready, "the server did not come up"
        time.sleep(3)  # the second worker may still be importing
        # 40 connections at once (as 40 browsers after a deploy), then one request on each
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
        for c in clients:
            c.sendall(b"GET /health HTTP/1.1\r\nHost: test\r\n\r\n")
        for c in clients:
            assert c.recv(4096).startswith(b"HTTP/1.1 200")
        kids = _children(server.pid)
        assert len(kids) >= 2
        inodes = _established_to(port)
        held = sorted(_held(k, inodes) for k in kids)
        assert sum(held) == 40
        assert held[-2] >= 5, f"connections per worker: {held}"  # P(< 5 of 40) ~ 1e-7
    finally:
        for c in clients:
            c.close()
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
    assert code == 0, log.read_text()


@pytest.mark.parametrize("reuse_port", [False, True], ids=["plain", "reuse-port-group"])
def test_a_port_in_use_is_a_clear_error(tmp_path: Path, reuse_port: bool) -> None:
    """Another program on the port: exit 1 and a message naming the address. Also when that
    program is itself a reuse-port group (another ``lotone serve --workers``): the new server
    must not join it silently and share its clients."""
    with socket.socket() as taken:
        if reuse_port:
            taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "LOTONE_DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}"}
        out = subprocess.run(
            [sys.executable, "-m", "lotone", "serve", "--port", str(port), "--workers", "2"],
            env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path,
        )  # fmt: skip
    assert out.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in out.stderr
