"""Connecting to the database and migrating it (Alembic scripts ship inside the package).

SQLite (a file, the default) and PostgreSQL (``postgresql+psycopg://...``) are the two supported
back ends. :func:`connect` sets each one up for concurrent use by the service's worker threads;
:func:`migrate` brings a database to the newest schema from any older one, or from empty.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

__all__ = ["alembic_config", "connect", "migrate"]

log = logging.getLogger(__name__)


def connect(url: str, *, pool_size: int = 20) -> Engine:
    """A SQLAlchemy engine for ``url``, tuned for its back end.

    SQLite: foreign keys on, write-ahead log, writers wait up to 30 s for each other.
    PostgreSQL: a pool checked before use, connections that give up after 3 s.
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
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=pool_size,
        max_overflow=pool_size // 2,  # overflow connections are closed on return: kept few
        pool_timeout=10,
        connect_args={"connect_timeout": 3},
    )


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
