"""``Server-Timing`` headers: where a request's time went, for browsers' developer tools and
for the load benchmark.

:class:`ServerTiming` (ASGI middleware) stamps the moment the app receives a request and adds
``app;dur=`` (milliseconds from then to the response's start) to every response. A route adds
its own parts with :class:`Timing`: the configure route names the thread hop before it ran
(``hop``), the family lookup (``db``), the wait for the engine's lock (``wait``), the engine's
work (``engine``, or ``memo`` when the answer was remembered) and the shaping of the answer
(``shape``). Durations are in milliseconds, as the W3C Server Timing specification says.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ServerTiming", "Timing", "parse_server_timing", "received_at"]

_STAMP = "lotone_received"


class ServerTiming:
    """ASGI middleware: ``app;dur=`` on every HTTP response, and the arrival stamp routes read."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        scope.setdefault("state", {})[_STAMP] = start

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                took = (time.perf_counter() - start) * 1000.0
                headers = list(message.get("headers", []))
                headers.append((b"server-timing", f"app;dur={took:.2f}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, stamped)


def received_at(request: Request) -> float | None:
    """When :class:`ServerTiming` received ``request`` (``time.perf_counter``), if it did."""
    stamp = request.scope.get("state", {}).get(_STAMP)
    return stamp if isinstance(stamp, float) else None


@dataclass
class Timing:
    """Named parts of a request's time, in seconds, in the order they were marked."""

    parts: dict[str, float] = field(default_factory=dict)
    last: float = field(default_factory=time.perf_counter)

    def mark(self, name: str) -> None:
        """Close the part ``name``: the time since the previous mark (or since creation)."""
        now = time.perf_counter()
        self.parts[name] = self.parts.get(name, 0.0) + now - self.last
        self.last = now

    def add(self, name: str, seconds: float) -> None:
        """Add ``seconds`` to the part ``name`` (measured elsewhere)."""
        self.parts[name] = self.parts.get(name, 0.0) + seconds

    def header(self) -> str:
        """The parts as a ``Server-Timing`` value: ``db;dur=0.41, engine;dur=20.12``."""
        return ", ".join(f"{name};dur={s * 1000.0:.2f}" for name, s in self.parts.items())


def parse_server_timing(value: str) -> dict[str, float]:
    """A ``Server-Timing`` value (repeated headers joined with ``, ``) as milliseconds by name:
    ``"app;dur=21.30, engine;dur=20.12"`` -> ``{"app": 21.3, "engine": 20.12}``."""
    out: dict[str, float] = {}
    for part in value.split(","):
        name, _, dur = part.strip().partition(";dur=")
        if dur:
            out[name] = float(dur)
    return out
