"""Alembic environment: one sync connection, batch mode so SQLite can ALTER."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from yiwang.db import install_sqlite_hooks, sync_url
from yiwang.migrate import include_object
from yiwang.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_with(connection)
        return
    engine = create_engine(
        sync_url(config.get_main_option("sqlalchemy.url") or ""), poolclass=pool.NullPool
    )
    install_sqlite_hooks(engine)
    with engine.connect() as conn:
        _run_with(conn)
    engine.dispose()


def _run_with(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
