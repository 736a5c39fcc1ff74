from __future__ import annotations

from sqlalchemy import create_engine, inspect

from tests.conftest import fresh_database_url
from yiwang import migrate
from yiwang.db import sync_url
from yiwang.models import Base


def test_single_head(database_url: str) -> None:
    assert len(migrate.heads(database_url)) == 1


def test_upgrade_downgrade_round_trip() -> None:
    url = fresh_database_url("yiwang_roundtrip")
    migrate.upgrade(url)
    engine = create_engine(sync_url(url))
    try:
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        migrate.downgrade(url, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(url)
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_models_match_migrations(database_url: str) -> None:
    """Autogenerate on the migrated database finds nothing: models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(sync_url(database_url))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_object": migrate.include_object}
            )
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == []
