"""Real databases built by the migrations, one transaction per test, a real app over ASGI.

YIWANG_TEST_DATABASE picks the database: sqlite (default) or postgresql.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

_VAR = Path(tempfile.mkdtemp(prefix="yiwang-test-"))
os.environ.update(
    {
        "YIWANG_SECRET_KEY": "test-secret-key-not-for-production-0123456789",
        "YIWANG_VERIFIER_KEY": "test-verifier-key",
        "YIWANG_VAR_DIR": str(_VAR),
        "YIWANG_LOG_JSON": "true",
    }
)

import httpx  # noqa: E402
import psycopg  # noqa: E402
import pytest  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from tests.support import OUTPUTS, Captured, app_client  # noqa: E402
from yiwang import migrate  # noqa: E402
from yiwang.app import create_app  # noqa: E402
from yiwang.config import get_settings  # noqa: E402
from yiwang.db import Database, create_engine_for  # noqa: E402

KIND = os.environ.get("YIWANG_TEST_DATABASE", "sqlite")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def fresh_database_url(name: str) -> str:
    """A new, empty database of the kind under test."""
    if KIND == "postgresql":
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:5432/{name}"
    path = _VAR / f"{name}.db"
    path.unlink(missing_ok=True)
    return f"sqlite:///{path}"


def pytest_report_header() -> str:
    return f"yiwang test database: {KIND}"


@pytest.fixture(scope="session")
def database_url() -> str:
    url = fresh_database_url(f"yiwang_test_{os.getpid()}")
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[object]:
    from yiwang import demo
    from yiwang.accounts import reference

    eng = create_engine_for(database_url)
    async with Database(eng).transaction() as session:
        await reference.load(session)
        await demo.load(session)
    yield eng
    await eng.dispose()


@pytest.fixture
async def db(engine: object) -> AsyncIterator[Database]:
    """Everything a test writes, through any number of requests, is rolled back at its end."""
    from sqlalchemy.ext.asyncio import AsyncEngine

    assert isinstance(engine, AsyncEngine)
    async with engine.connect() as conn:
        outer = await conn.begin()
        yield Database(engine, bind=conn)
        await outer.rollback()


@pytest.fixture
async def session(db: Database) -> AsyncIterator[AsyncSession]:
    async with db.sessionmaker() as s:
        yield s


@pytest.fixture
async def client(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(create_app(get_settings(), db)) as c:
        yield c


@pytest.fixture(autouse=True)
def _capture_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    yield
    for record in caplog.get_records("setup") + caplog.get_records("call"):
        OUTPUTS.append(Captured(f"log:{record.name}", caplog.handler.format(record)))
