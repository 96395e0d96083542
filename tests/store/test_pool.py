"""The PostgreSQL pool: a connection dropped while it sat idle is replaced before use."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from lotone.store import connect


@pytest.fixture
def engine(fresh_database_url: str) -> Iterator[Engine]:
    """A PostgreSQL engine of one pooled connection, checked after 50 ms unused."""
    if not fresh_database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only (SQLite checks every connection before use)")
    e = connect(fresh_database_url, pool_size=1, ping_idle_s=0.05)
    yield e
    e.dispose()


def _backend(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_connection_dropped_while_idle_is_replaced(engine: Engine) -> None:
    """The server ends an idle pooled connection: the next use gets a new one, no error."""
    first = _backend(engine)
    assert _backend(engine) == first  # back in use at once
    admin = connect(engine.url.render_as_string(hide_password=False))
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
    admin.dispose()
    time.sleep(0.2)
    assert _backend(engine) != first
