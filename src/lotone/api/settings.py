"""The service's settings: read once from the environment, then passed to ``create_app``."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lotone.errors import LotoneError

__all__ = ["DEFAULT_DATA_DIR", "Settings"]

DEFAULT_DATA_DIR = Path(".lotone")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything ``create_app`` needs; nothing is read from the environment afterwards.

    Parameters
    ----------
    database_url
        SQLAlchemy URL: ``sqlite:///path.db`` (default, a file under ``data_dir``) or
        ``postgresql+psycopg://user@host:5432/db``.
    master_key
        32 bytes that wrap every customer's data key (``LOTONE_MASTER_KEY``, 64 hex digits).
    max_body_bytes
        Larger request bodies are refused with 413.
    factories
        Site files or directories of the factory network (eligible sites on release).
    pool_size
        Database connections kept open (PostgreSQL), and the orders each server process takes
        at once (``LOTONE_POOL_SIZE``, default 20).
    demo
        The server runs with ``--demo`` (``LOTONE_DEMO=1``): the web page offers the demo
        customer key.
    price_budget_s
        Seconds each engine may spend proving a price range (min and max each) or the best
        completion; past it the answer is a proven bound marked ``price_exact: false``
        (``LOTONE_PRICE_BUDGET_S``, default 0.2: a configurator answers while the customer waits).
    key_cache_s
        Seconds a process trusts an API key it checked before asking the database again
        (``LOTONE_KEY_CACHE_S``, default 2; 0: every request looks its key up). An erased
        customer's keys are refused at once by the process that erased them, by the others
        within this time.
    price_processes
        Child processes per server process that prove price ranges while the server computes
        the valid domains (``LOTONE_PRICE_PROCESSES``, default 2; 0: a thread of the server
        process, which must share its GIL). Started on the first configure request; queries
        that find none idle are priced in the server's own thread.
    gil_switch_s
        The interpreter's thread switch interval in a ``lotone serve`` process
        (``LOTONE_GIL_SWITCH_S``, default 0.001; Python's own is 0.005): a short request that
        arrives while another thread computes a long analysis gets the GIL sooner. Measured
        with people-paced clients: configure p99 132-137 ms at 0.001 against 158-167 ms at
        0.005 (``docs/benchmarks.md``).
    gc_freeze
        After the warm start, move every object then alive out of the cyclic garbage
        collector's reach (:func:`gc.freeze`), so that its full collections no longer walk the
        engines, price models and libraries (200,000 objects: a 30-60 ms pause of every request
        in the process). On in a ``lotone serve`` process (``LOTONE_GC_FREEZE``, default 1);
        off by default here, since it is process-wide and apps made in tests come and go.
    """

    database_url: str
    master_key: bytes = field(repr=False)
    max_body_bytes: int = 256 * 1024
    factories: tuple[Path, ...] = ()
    pool_size: int = 20
    demo: bool = False
    price_budget_s: float = 0.2
    key_cache_s: float = 2.0
    gil_switch_s: float = 0.001
    price_processes: int = 2
    gc_freeze: bool = False

    def __post_init__(self) -> None:
        if not 0 < self.gil_switch_s <= 1:
            raise LotoneError(
                f"the GIL switch interval must be between 0 and 1 second, got {self.gil_switch_s}"
            )
        if not 0 <= self.key_cache_s <= 60:
            raise LotoneError(
                f"the key cache time must be between 0 and 60 seconds, got {self.key_cache_s}"
            )
        if not 0 < self.price_budget_s <= 60:
            raise LotoneError(
                f"the price budget must be between 0 and 60 seconds, got {self.price_budget_s}"
            )
        if not 0 <= self.price_processes <= 64:
            raise LotoneError(
                f"the price processes must be between 0 and 64, got {self.price_processes}"
            )
        if len(self.master_key) != 32:
            raise LotoneError("the master key must be 32 bytes (64 hex digits)")
        if self.max_body_bytes < 1024:
            raise LotoneError(f"max_body_bytes {self.max_body_bytes} is too small (>= 1024)")

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, data_dir: Path | None = None
    ) -> Settings:
        """Settings from ``LOTONE_*`` variables, with defaults for a local start.

        ``LOTONE_DATABASE_URL`` (default: SQLite file ``<data dir>/lotone.db``),
        ``LOTONE_MASTER_KEY`` (default: read or create ``<data dir>/master.key``, mode 0600),
        ``LOTONE_DATA_DIR`` (default ``.lotone``), ``LOTONE_FACTORIES`` (``:``-separated
        paths), ``LOTONE_MAX_BODY_BYTES``, ``LOTONE_POOL_SIZE``, ``LOTONE_DEMO`` (``1`` under
        ``--demo``), ``LOTONE_PRICE_BUDGET_S``, ``LOTONE_KEY_CACHE_S``, ``LOTONE_GIL_SWITCH_S``,
        ``LOTONE_PRICE_PROCESSES``, ``LOTONE_GC_FREEZE`` (``0`` leaves the collector alone).
        """
        env = os.environ if env is None else env
        base = data_dir or Path(env.get("LOTONE_DATA_DIR", str(DEFAULT_DATA_DIR)))
        url = env.get("LOTONE_DATABASE_URL") or f"sqlite:///{base / 'lotone.db'}"
        hex_key = env.get("LOTONE_MASTER_KEY") or _key_file(base / "master.key")
        try:
            key = bytes.fromhex(hex_key.strip())
        except ValueError:
            raise LotoneError("LOTONE_MASTER_KEY must be 64 hex digits") from None
        factories = tuple(Path(p) for p in env.get("LOTONE_FACTORIES", "").split(":") if p)
        return cls(
            database_url=url,
            master_key=key,
            max_body_bytes=int(env.get("LOTONE_MAX_BODY_BYTES", str(256 * 1024))),
            factories=factories,
            pool_size=int(env.get("LOTONE_POOL_SIZE", "20")),
            demo=env.get("LOTONE_DEMO", "") == "1",
            price_budget_s=_seconds(
                "LOTONE_PRICE_BUDGET_S", env.get("LOTONE_PRICE_BUDGET_S", "0.2")
            ),
            key_cache_s=_seconds("LOTONE_KEY_CACHE_S", env.get("LOTONE_KEY_CACHE_S", "2")),
            gil_switch_s=_seconds("LOTONE_GIL_SWITCH_S", env.get("LOTONE_GIL_SWITCH_S", "0.001")),
            price_processes=_count(
                "LOTONE_PRICE_PROCESSES", env.get("LOTONE_PRICE_PROCESSES", "2")
            ),
            gc_freeze=env.get("LOTONE_GC_FREEZE", "1") != "0",
        )


def _seconds(name: str, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise LotoneError(f"{name} must be a number of seconds, got {text!r}") from None


def _key_file(path: Path) -> str:
    """The hex master key kept in ``path``; a new random one is written on first use."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text + "\n")
    return text


def _count(name: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise LotoneError(f"{name} must be a whole number, got {text!r}") from None
