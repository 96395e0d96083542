"""Databases for the service tests (tests/store, tests/api): a SQLite file and PostgreSQL.

``database_url`` is parametrized over both back ends. PostgreSQL runs in a schema of its own per
test session (dropped afterwards), so runs never collide. When no server answers, its tests
skip with the reason, unless ``LOTONE_REQUIRE_POSTGRES=1`` (CI), when they fail.
Server: ``LOTONE_TEST_POSTGRES_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# CI (``HYPOTHESIS_PROFILE=ci`` in .ci/run) draws the same examples every run, so a red build is
# reproducible and not luck; local runs draw new ones and keep finding what CI has not seen.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

PG_URL = os.environ.get(
    "LOTONE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ["sqlite", "postgresql"]


def _pg_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None when it answers."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL)
    try:
        with psycopg.connect(
            host=url.host, port=url.port or 5432, user=url.username, dbname=url.database,
            password=url.password, connect_timeout=3,
        ):  # fmt: skip
            return None
    except psycopg.Error as exc:
        return f"no PostgreSQL server answers at {url.host}:{url.port or 5432} ({exc})"


def pg_schema_url(schema: str) -> str:
    """The test server's URL with ``schema`` first on the search path."""
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


def _pg_admin(sql: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL)
    with psycopg.connect(
        host=url.host, port=url.port or 5432, user=url.username, dbname=url.database,
        password=url.password, autocommit=True, connect_timeout=3,
    ) as conn:  # fmt: skip
        conn.execute(sql.encode())


def require_postgres() -> None:
    """Skip (or fail under ``LOTONE_REQUIRE_POSTGRES=1``) when PostgreSQL is unreachable."""
    problem = _pg_problem()
    if problem is None:
        return
    if os.environ.get("LOTONE_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"LOTONE_REQUIRE_POSTGRES=1 but {problem}")
    pytest.skip(f"{problem}; start one (see README) or set LOTONE_TEST_POSTGRES_URL")


def empty_database(backend: str, tmp: Path) -> Iterator[str]:
    """An empty database of ``backend``: a new SQLite file or a new PostgreSQL schema."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp / f'lotone-{uuid.uuid4().hex[:8]}.db'}"
        return
    require_postgres()
    schema = f"lotone_test_{uuid.uuid4().hex[:12]}"
    _pg_admin(f'CREATE SCHEMA "{schema}"')
    try:
        yield pg_schema_url(schema)
    finally:
        _pg_admin(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database shared by one session's tests, per back end (not migrated)."""
    yield from empty_database(request.param, tmp_path_factory.mktemp("db"))


@pytest.fixture(params=BACKENDS)
def fresh_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database for one test, per back end."""
    yield from empty_database(request.param, tmp_path)
