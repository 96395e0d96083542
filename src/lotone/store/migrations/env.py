"""Alembic environment: runs on the engine handed over by :func:`lotone.store.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from lotone.store.tables import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    """Run the migrations online, on the caller's engine."""
    engine = config.attributes.get("engine")
    if not isinstance(engine, Engine):
        raise RuntimeError("run migrations with lotone.store.migrate(engine)")
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()


run()
