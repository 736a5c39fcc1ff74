"""Engines, the declarative base and the unit of work owned by each request or job."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar, cast

import orjson
import psycopg
from sqlalchemy import (
    JSON,
    ClauseElement,
    ColumnDefault,
    DateTime,
    Executable,
    MetaData,
    Table,
    event,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection, Dialect, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.types import TypeDecorator

from yiwang.kit.errors import NotFound

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on both databases (SQLite keeps no zone, so store naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UTCDateTime(),
        dict[str, Any]: JSONType,
    }


M = TypeVar("M", bound=Base)


async def get_or_404(session: AsyncSession, model: type[M], key: object) -> M:
    row = await session.get(model, key)
    if row is None:
        raise NotFound()
    return row


def table(model: type[Base]) -> Table:
    """A mapped class's table, for Core writes: rows nobody reads back need no unit of work."""
    return cast(Table, model.__table__)


def is_postgresql(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


Rows = dict[str, Any] | list[dict[str, Any]]


class Writes:
    """Statements whose results nobody reads, sent together by `send`: on PostgreSQL in one
    pipeline, so that all of them cost one round trip; on SQLite one after another. Errors come
    as SQLAlchemy's, as from `session.execute`. Has `execute` as a session has, so that a
    function writing rows can take either."""

    def __init__(self) -> None:
        self._pending: list[tuple[Executable, list[dict[str, Any]]]] = []

    async def execute(self, statement: Executable, rows: Rows) -> None:
        self._pending.append((statement, rows if isinstance(rows, list) else [rows]))

    async def send(self, session: AsyncSession) -> None:
        pending, self._pending = self._pending, []
        if not is_postgresql(session):
            for statement, rows in pending:
                await session.execute(statement, rows)
            return
        conn = await session.connection()
        driver = cast(
            psycopg.AsyncConnection[Any], (await conn.get_raw_connection()).driver_connection
        )
        batches = [(_compiled(s, tuple(rows[0]), conn.dialect), rows) for s, rows in pending]
        try:
            async with driver.pipeline(), driver.cursor() as cursor:
                for compiled, rows in batches:
                    args = [compiled.bind(row) for row in rows]
                    if len(args) == 1:
                        await cursor.execute(compiled.sql, args[0])
                    else:
                        await cursor.executemany(compiled.sql, args)
        except psycopg.Error as exc:
            # A pipeline reports its first error when it ends, without saying which statement.
            sql = ";\n".join(c.sql for c, _ in batches)
            raise DBAPIError.instance(sql, None, exc, psycopg.Error, dialect=conn.dialect) from exc


# Where a function that writes rows nobody reads back sends its statements.
Executor = AsyncSession | Writes


@dataclass(frozen=True)
class _Compiled:
    sql: str
    compiled: SQLCompiler
    processors: Mapping[str, Callable[[Any], Any]]
    defaults: dict[str, ColumnDefault]

    def bind(self, row: dict[str, Any]) -> dict[str, Any]:
        for key, default in self.defaults.items():
            if key not in row:
                row = {**row, key: default.arg(None) if default.is_callable else default.arg}
        params = dict(self.compiled.construct_params(row) or {})
        for name, process in self.processors.items():
            params[name] = process(params[name])
        return params


@functools.lru_cache(maxsize=256)
def _compiled(statement: Executable, keys: tuple[str, ...], dialect: Dialect) -> _Compiled:
    compiled = cast(
        SQLCompiler,
        cast(ClauseElement, statement).compile(
            dialect=dialect, column_keys=list(keys), for_executemany=True
        ),
    )
    processors: dict[str, Callable[[Any], Any]] = {}
    for param, name in compiled.bind_names.items():
        process = param.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            processors[name] = process
    prefetch = [*compiled.insert_prefetch, *compiled.update_prefetch]
    defaults = {c.key: c.default for c in prefetch if isinstance(c.default, ColumnDefault)}
    return _Compiled(compiled.string, compiled, processors, defaults)


def sync_url(url: str) -> str:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return str(u.set(drivername="sqlite"))
    return u.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def async_url(url: str) -> str:
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return str(u.set(drivername="sqlite+aiosqlite"))
    return u.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def _sqlite_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # Let SQLAlchemy emit BEGIN itself, so SAVEPOINT and transactional DDL behave.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # IMMEDIATE takes the write lock up front: a deferred read that later writes can fail
    # with SQLITE_BUSY under WAL without waiting for busy_timeout.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def install_sqlite_hooks(sync_engine: Any) -> None:
    if sync_engine.dialect.name == "sqlite":
        event.listen(sync_engine, "connect", _sqlite_connect)
        event.listen(sync_engine, "begin", _sqlite_begin)


def json_dumps(value: Any) -> str:
    # orjson: JSON columns are written on every submission and autosave, several times a request.
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def create_engine_for(url: str, echo: bool = False) -> AsyncEngine:
    engine = create_async_engine(
        async_url(url),
        echo=echo,
        pool_pre_ping=True,
        json_serializer=json_dumps,
        json_deserializer=orjson.loads,
    )
    install_sqlite_hooks(engine.sync_engine)
    return engine


class Database:
    """One engine and the session factory bound to it (or to a test's outer connection)."""

    def __init__(self, engine: AsyncEngine, bind: AsyncConnection | None = None) -> None:
        self.engine = engine
        # SQLite has one writer and every transaction begins IMMEDIATE; its waiters poll with
        # back-off, so under load some wait past the busy timeout while later ones go first.
        # Queuing this process's transactions in arrival order keeps the wait fair and short.
        self._queued = bind is None and engine.dialect.name == "sqlite"
        self._queues: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}
        if bind is None:
            self.sessionmaker = async_sessionmaker(engine, expire_on_commit=False)
        else:
            self.sessionmaker = async_sessionmaker(
                bind=bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
            )

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """The unit of work: commits once at the end, rolls back on any error."""
        async with self._writer_queue(), self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    def _writer_queue(self) -> contextlib.AbstractAsyncContextManager[object]:
        if not self._queued:
            return contextlib.nullcontext()
        loop = asyncio.get_running_loop()  # a lock belongs to one event loop
        if loop not in self._queues:
            self._queues = {k: v for k, v in self._queues.items() if not k.is_closed()}
            self._queues[loop] = asyncio.Lock()
        return self._queues[loop]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name
