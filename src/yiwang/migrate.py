"""Alembic driven from code, so `yiwang db upgrade` needs no alembic.ini."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from yiwang.db import sync_url

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
# Derived search-index tables: written by hand-made, dialect-specific DDL (FTS5 virtual tables,
# tsvector columns), rebuilt from the catalogue at will, so they stand outside the ORM metadata.
HAND_MANAGED_PREFIXES = ("catalog_search_",)


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object | None
) -> bool:
    """Autogenerate leaves the hand-managed tables alone instead of proposing to drop them."""
    return not (
        type_ == "table"
        and reflected
        and compare_to is None
        and (name or "").startswith(HAND_MANAGED_PREFIXES)
    )


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", sync_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    _ensure_sqlite_dir(url)
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def heads(url: str) -> list[str]:
    return list(ScriptDirectory.from_config(alembic_config(url)).get_heads())


def _ensure_sqlite_dir(url: str) -> None:
    if url.startswith("sqlite") and ":///" in url and ":memory:" not in url:
        Path(url.split(":///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
