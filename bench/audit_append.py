"""Audit append cost against its limit: a raw INSERT of the same row in the same transaction shape.

    .venv/bin/python bench/audit_append.py [sqlite|postgresql] [N]

Each variant writes N events, one transaction per event (as requests do), into a fresh
database built by the migrations. Prints events per second and the ratio to the raw INSERT.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable

os.environ.setdefault("YIWANG_SECRET_KEY", "bench-secret")

import psycopg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang import migrate
from yiwang.audit import service as audit
from yiwang.db import Database, create_engine_for, utcnow

DETAILS = {"role": "clerk", "department": 12, "region": "370202", "assignment": 7}


def fresh_url(kind: str) -> str:
    if kind == "postgresql":
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute('DROP DATABASE IF EXISTS "yiwang_bench" WITH (FORCE)')
            c.execute('CREATE DATABASE "yiwang_bench"')
        return "postgresql://postgres@127.0.0.1:5432/yiwang_bench"
    return f"sqlite:///{tempfile.mkdtemp()}/bench.db"


async def raw_insert(session: AsyncSession, i: int) -> None:
    await session.execute(
        text(
            "INSERT INTO audit_events (seq, at, actor, action, object, details, prev_hash, hash) "
            "VALUES (:s, :at, 'person:1', 'bench.raw', 'thing:1', :d, :p, :h)"
        ),
        {
            "s": 10_000_000 + i,
            "at": utcnow().replace(tzinfo=None),
            "d": '{"role": "clerk"}',
            "p": "0" * 64,
            "h": "0" * 64,
        },
    )


async def chained(session: AsyncSession, i: int) -> None:
    await audit.record(session, "person:1", "bench.chain", "thing:1", DETAILS)


async def timed(
    db: Database, n: int, work: Callable[[AsyncSession, int], Awaitable[None]]
) -> float:
    start = time.perf_counter()
    for i in range(n):
        async with db.transaction() as session:
            await work(session, i)
    return time.perf_counter() - start


async def main(kind: str, n: int) -> None:
    url = fresh_url(kind)
    migrate.upgrade(url)
    db = Database(create_engine_for(url))
    await timed(db, 50, chained)  # warm-up: connections, statement caches
    raw = await timed(db, n, raw_insert)
    chain = await timed(db, n, chained)
    async with db.transaction() as session:
        # The raw rows stand outside the chain; remove them so the chain verifies.
        await session.execute(text("DELETE FROM audit_events WHERE action = 'bench.raw'"))
    async with db.transaction() as session:
        verify_start = time.perf_counter()
        result = await audit.verify(session)
        verify = time.perf_counter() - verify_start
    await db.engine.dispose()
    if not result.ok:
        raise SystemExit(f"audit chain broken: {result}")
    print(f"database: {kind}, events per variant: {n}")
    print(f"{'variant':<28}{'events/s':>12}{'ratio to raw':>14}")
    print(f"{'raw INSERT (limit)':<28}{n / raw:>12.0f}{1.0:>14.2f}")
    print(f"{'audit.record (chained)':<28}{n / chain:>12.0f}{chain / raw:>14.2f}")
    print(f"{'audit.verify':<28}{result.checked / verify:>12.0f}{'':>14}")


if __name__ == "__main__":
    asyncio.run(
        main(
            sys.argv[1] if len(sys.argv) > 1 else "sqlite",
            int(sys.argv[2]) if len(sys.argv) > 2 else 2000,
        )
    )
