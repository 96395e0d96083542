"""Price ranges in child processes, so that they never wait for the server's GIL.

An analysis computes the valid domains in Python while CP-SAT proves the price range. CP-SAT
releases the GIL while it searches, but the thread that runs it must take the GIL back between
and after its two searches; with the domains holding it, each hand-over waits for a switch
interval. Measured on the wardrobe (width and finish chosen, 60 queries, one thread): the
analysis took 29.4 ms (median) with the price in a pool thread, about the sum of the domains
(18 ms) and the price (15 ms), and 19.2 ms with the price in a child process
(``docs/benchmarks.md``).

:class:`PriceProcesses` keeps a few child processes (``spawn``: the server has threads), each
with a :class:`~lotone.configure.cp_price.CpPricer` per family it has been sent. A query takes an
idle child that has started, writes the choices to its pipe and returns at once; the engine
computes the domains and then reads the answer. When no child is idle or ready, or a child
fails or overruns, the engine prices in its own thread as before: the answer is the same.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
from collections.abc import Mapping
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from lotone.configure.answers import PriceRange
from lotone.configure.cp_price import PriceLost
from lotone.model.family import Family, Value

__all__ = ["PriceProcesses"]

log = logging.getLogger(__name__)

_READY = "ready"
_SPARE = 10.0  # seconds beyond the two searches' budgets: a child's first query builds a model


class _Child:
    """One child process and the parent's end of its pipe."""

    def __init__(self, ctx: multiprocessing.context.SpawnContext) -> None:
        self.conn, theirs = ctx.Pipe()
        self.process: BaseProcess = ctx.Process(
            target=_child_main, args=(theirs,), name="lotone-price", daemon=True
        )
        self.process.start()
        theirs.close()
        self.ready = False
        self.dead = False
        self.families: set[int] = set()  # tokens of the families sent to this child
        self._send = threading.Lock()  # one writer at a time: queries and warm-ups share the pipe

    def give(self, token: int, family: Family) -> None:
        """Send ``family`` unless this child has it (it builds the family's model at once)."""
        with self._send:
            self._give(token, family)

    def ask(
        self, token: int, family: Family, choices: Mapping[str, Value], budget: float | None
    ) -> None:
        """Send one query (and the family first, where the child lacks it)."""
        with self._send:
            self._give(token, family)
            self.conn.send(("price", token, dict(choices), budget))

    def _give(self, token: int, family: Family) -> None:
        if token not in self.families:
            self.conn.send(("family", token, family))
            self.families.add(token)

    def is_ready(self) -> bool:
        """Whether the child has started (it says so once, before its first query)."""
        if not self.ready and not self.dead:
            try:
                if self.conn.poll():
                    self.ready = self.conn.recv() == _READY
                    self.dead = not self.ready
            except (EOFError, OSError):  # it could not start (say, a script without a
                self.dead = True  # ``__main__`` guard, which ``spawn`` re-runs)
        return self.ready

    def stop(self) -> None:
        self.conn.close()
        self.process.terminate()
        self.process.join(2.0)


class _Pending:
    """A price range being proved in a child; :meth:`result` waits for it."""

    def __init__(self, pool: PriceProcesses, child: _Child, token: int, timeout: float) -> None:
        self._pool = pool
        self._child = child
        self._token = token
        self._timeout = timeout

    def result(self) -> PriceRange | None:
        """The child's answer. Raises :class:`PriceLost` when it failed or overran."""
        child = self._child
        try:
            if not child.conn.poll(self._timeout):
                raise PriceLost(f"no answer within {self._timeout:.1f} s")
            kind, answer = child.conn.recv()
        except PriceLost:
            self._pool.replace(child)
            raise
        except (EOFError, OSError) as exc:  # the child died
            self._pool.replace(child)
            raise PriceLost(f"the price process ended: {exc!r}") from exc
        self._pool.release(child)
        if kind != "ok":
            child.families.discard(self._token)  # sent again next time
            raise PriceLost(str(answer))
        assert answer is None or isinstance(answer, PriceRange)
        return answer


class PriceProcesses:
    """``size`` child processes proving price ranges, started on first use; thread-safe."""

    def __init__(self, size: int = 2) -> None:
        if size < 1:
            raise ValueError(f"at least one price process, got {size}")
        self.size = size
        self._ctx = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._idle: list[_Child] = []
        self._all: list[_Child] = []
        self._tokens: dict[int, Family] = {}  # id -> family: keeps each family (and id) alive
        self._closed = False
        self.spare = _SPARE  # seconds a child may take beyond the two searches' budgets
        self.answered = 0  # queries the children answered

    def start(
        self, family: Family, choices: Mapping[str, Value], budget: float | None
    ) -> _Pending | None:
        """Send the query to an idle, started child; None when there is none (the caller
        prices in its own thread)."""
        child = self._checkout()
        if child is None:
            return None
        token = self._token(family)
        try:
            child.ask(token, family, choices, budget)
        except (OSError, ValueError):  # a broken pipe: the child died while idle
            self.replace(child)
            return None
        return _Pending(self, child, token, 2 * (budget or 60.0) + self.spare)

    def warm(self, family: Family) -> None:
        """Send ``family`` to every child in the background, so that no query waits for a
        child to build its model (about 0.1 s on the wardrobe)."""
        token = self._token(family)
        with self._lock:
            self._spawn()
            children = list(self._all)
        _background(children, [(token, family)])

    def _token(self, family: Family) -> int:
        with self._lock:
            self._tokens.setdefault(id(family), family)
        return id(family)

    def open(self) -> None:
        """Start the missing children (without waiting for them); queries do it too.
        Opens the pool again after :meth:`close`."""
        with self._lock:
            self._closed = False
            self._spawn()

    def wait_ready(self, timeout: float) -> bool:
        """Start the children and wait until every idle one has started (True) or
        ``timeout`` seconds have passed (False)."""
        self.open()
        with self._lock:
            idle = list(self._idle)
        deadline = time.monotonic() + timeout
        for child in idle:
            while not child.is_ready():
                left = deadline - time.monotonic()
                if child.dead or left <= 0 or not child.conn.poll(left):
                    return False
        return True

    def _spawn(self) -> None:
        while not self._closed and len(self._all) < self.size:
            child = _Child(self._ctx)
            self._all.append(child)
            self._idle.append(child)
            known = list(self._tokens.items())  # a replacement gets every family at once
            if known:
                _background([child], known)

    def _checkout(self) -> _Child | None:
        with self._lock:
            self._spawn()  # started on first use, never waited for
            for i, child in enumerate(self._idle):
                if child.is_ready():
                    return self._idle.pop(i)
            dead = [c for c in self._idle if c.dead]
            for child in dead:  # not restarted: what stopped it would stop the next one too
                self._idle.remove(child)
                log.warning("price process %s did not start: pricing in threads", child.process.pid)
                child.stop()
        return None

    def release(self, child: _Child) -> None:
        """Give a child back after it answered."""
        with self._lock:
            self.answered += 1
            if self._closed:
                child.stop()
            else:
                self._idle.append(child)

    def replace(self, child: _Child) -> None:
        """Drop a child that failed (stopped here); a new one starts on the next query."""
        log.warning("price process %s replaced", child.process.pid)
        child.stop()
        with self._lock:
            if child in self._all:
                self._all.remove(child)

    def close(self) -> None:
        """Stop every child (idle ones at once, busy ones when they answer)."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for child in idle:
            child.stop()

    @property
    def pids(self) -> list[int]:
        """The process ids of the children started so far (for tests and monitoring)."""
        with self._lock:
            return [c.process.pid for c in self._all if c.process.pid is not None]


def _child_main(conn: Connection) -> None:
    """A child's loop: build a family's pricer once, then answer queries until the pipe
    closes."""
    from lotone.configure.cp_price import CpPricer

    pricers: dict[int, CpPricer | str] = {}  # a family's pricer, or why it could not be built
    conn.send(_READY)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] == "family":  # no answer: queries come after it on the same pipe
            _, token, family = message
            try:
                pricers[token] = CpPricer(family)
            except Exception as exc:  # told to the parent with the family's next query
                pricers[token] = f"{type(exc).__name__}: {exc}"
            continue
        _, token, choices, budget = message
        pricer = pricers.pop(token, "internal: family never sent")
        if isinstance(pricer, str):
            conn.send(("error", pricer))
            continue
        pricers[token] = pricer
        try:
            conn.send(("ok", pricer.price_range(choices, budget)))
        except Exception as exc:  # reported to the parent, which then prices itself
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


def _background(children: list[_Child], families: list[tuple[int, Family]]) -> None:
    """Send ``families`` to ``children`` from a thread of its own (a send can wait for a child
    that is still starting)."""

    def give() -> None:
        for child in children:
            for token, family in families:
                try:
                    child.give(token, family)
                except (OSError, ValueError):  # the child ended: a query will replace it
                    break

    threading.Thread(target=give, name="lotone-price-warm", daemon=True).start()
