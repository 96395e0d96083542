"""Connecting to the database and migrating it (Alembic scripts ship inside the package).

SQLite (a file, the default) and PostgreSQL (``postgresql+psycopg://...``) are the two supported
back ends. :func:`connect` sets each one up for concurrent use by the service's worker threads;
:func:`migrate` brings a database to the newest schema from any older one, or from empty.
"""

from __future__ import annotations

import logging
import time
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InvalidatePoolError
from sqlalchemy.pool import ConnectionPoolEntry

__all__ = ["alembic_config", "connect", "migrate"]

log = logging.getLogger(__name__)

_LAST_USED = "lotone_last_used"  # key in a pooled connection's ``info``: monotonic seconds


def connect(url: str, *, pool_size: int = 20, ping_idle_s: float = 1.0) -> Engine:
    """A SQLAlchemy engine for ``url``, tuned for its back end.

    SQLite: foreign keys on, write-ahead log, writers wait up to 30 s for each other.
    PostgreSQL: pooled connections checked before use once they sat unused for more than
    ``ping_idle_s`` seconds (:func:`_ping_when_idle`), connections that give up after 3 s.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, pool_pre_ping=True
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size // 2,  # overflow connections are closed on return: kept few
        pool_timeout=10,
        connect_args={"connect_timeout": 3},
    )
    _ping_when_idle(engine, ping_idle_s)
    return engine


def _ping_when_idle(engine: Engine, idle_s: float) -> None:
    """Check a pooled connection before use when it sat unused for more than ``idle_s`` seconds.

    ``pool_pre_ping`` costs a round trip on every checkout; a connection goes stale unnoticed
    (a server restart, an idle timeout) only while it sits unused, and under load each one is
    back in use within milliseconds. As with ``pool_pre_ping``, a connection that fails its
    check is replaced, and with it every connection opened before it (the server restarted).
    One that breaks in use fails its request (503, nothing stored) and also renews the pool.
    """
    dialect = engine.dialect

    def stamp(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_LAST_USED] = time.monotonic()

    def check(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: object) -> None:
        if time.monotonic() - record.info.get(_LAST_USED, 0.0) <= idle_s:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            if dialect.is_disconnect(exc, dbapi_connection, None):
                raise InvalidatePoolError("a pooled connection was dropped") from exc
            raise

    event.listen(engine, "connect", stamp)  # a new connection needs no check
    event.listen(engine, "checkin", stamp)
    event.listen(engine, "checkout", check)


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration whose scripts are the package's own ``store/migrations``."""
    cfg = Config()
    location = resources.files("lotone.store").joinpath("migrations")
    cfg.set_main_option("script_location", str(location))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` (the newest by default); safe to run every start."""
    log.info("migrating %s to %s", engine.url.render_as_string(hide_password=True), revision)
    command.upgrade(alembic_config(engine), revision)
