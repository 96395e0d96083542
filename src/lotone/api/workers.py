"""Several server processes on one port, each with a listening socket of its own.

uvicorn's ``--workers`` shares one listening socket between its processes. Under keep-alive the
process that wakes first drains the whole accept queue, so one worker ends up holding most of
the connections: measured with the service benchmark, 44 of 50 client connections on one of two
workers, one core busy and the other idle. Here every worker binds its own socket in a
``SO_REUSEPORT`` group, and the kernel spreads new connections over the group by a hash of their
addresses (as gunicorn's ``--reuse-port`` and nginx's ``reuseport`` do).

Linux only (other systems either lack ``SO_REUSEPORT`` or do not balance it);
:func:`supported` says whether it applies, and ``lotone serve`` falls back to uvicorn's own
workers elsewhere. A worker that dies is restarted; one that dies within ``_EARLY`` seconds of
its start (a bad configuration, a port in use) stops the whole server with an error.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import sys
import time
from multiprocessing.process import BaseProcess
from types import FrameType

__all__ = ["WorkersFailed", "serve", "supported"]

log = logging.getLogger(__name__)

APP = "lotone.api.server:app_from_env"
_EARLY = 10.0  # seconds: a worker dying sooner than this after its start is a failure
_STOP_WAIT = 20.0  # seconds given to the workers to finish their requests on shutdown


class WorkersFailed(RuntimeError):
    """A worker process failed right after starting."""


def supported() -> bool:
    """True where one socket per worker is balanced by the kernel (Linux)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` in the port's reuse-port group (not yet listening)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _probe(host: str, port: int) -> None:
    """Bind ``host:port`` once *outside* any reuse-port group, so that a port held by another
    server fails here, even one that is itself a group of ``lotone serve`` workers (a socket
    with ``SO_REUSEPORT`` would silently join that group and share its connections)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))


def _worker(host: str, port: int, log_level: str) -> None:  # pragma: no cover - subprocess
    import uvicorn

    sock = listening_socket(host, port)
    config = uvicorn.Config(APP, factory=True, host=host, port=port, log_level=log_level)
    uvicorn.Server(config).run(sockets=[sock])


def serve(host: str, port: int, workers: int, log_level: str = "info") -> None:
    """Run ``workers`` server processes on ``host:port`` until SIGINT or SIGTERM.

    Raises :class:`OSError` when the port cannot be bound and :class:`WorkersFailed` when a
    worker dies right after its start.
    """
    _probe(host, port)  # a clear error now when the port is taken
    ctx = multiprocessing.get_context("spawn")
    stopping: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        stopping.append(signum)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}

    def start() -> tuple[BaseProcess, float]:
        p = ctx.Process(target=_worker, args=(host, port, log_level), name="lotone-worker")
        p.start()
        return p, time.monotonic()

    procs = [start() for _ in range(workers)]
    failed: str | None = None
    try:
        while not stopping and failed is None:
            for i, (p, born) in enumerate(procs):
                if p.is_alive() or stopping:
                    continue
                if time.monotonic() - born < _EARLY:
                    failed = f"worker {p.pid} exited with code {p.exitcode} right after its start"
                    break
                log.warning("worker %s exited with code %s; starting another", p.pid, p.exitcode)
                procs[i] = start()
            time.sleep(0.2)
    finally:
        for p, _ in procs:
            if p.is_alive():
                p.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        deadline = time.monotonic() + _STOP_WAIT
        for p, _ in procs:
            p.join(max(0.0, deadline - time.monotonic()))
            if p.is_alive():  # pragma: no cover - a worker stuck past the grace period
                p.kill()
                p.join()
        for s, handler in previous.items():
            signal.signal(s, handler)
    if failed is not None:
        raise WorkersFailed(failed)
