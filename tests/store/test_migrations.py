"""Migrations: upgrade an empty database to head, match the models, and go down and up again."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from lotone.store import connect, migrate
from lotone.store.database import alembic_config
from lotone.store.tables import Base


def test_upgrade_from_empty_matches_the_models(fresh_database_url: str) -> None:
    """From an empty database, head has every table and no difference from the models."""
    engine = connect(fresh_database_url)
    try:
        migrate(engine)
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
        migrate(engine)  # a second run is a no-op
    finally:
        engine.dispose()


def test_downgrade_to_base_and_back(fresh_database_url: str) -> None:
    """Every migration can be reverted, and the schema rebuilt."""
    engine = connect(fresh_database_url)
    try:
        migrate(engine)
        command.downgrade(alembic_config(engine), "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate(engine)
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
