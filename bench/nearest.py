"""Nearest hall at city scale against its limits, measured in the same run.

    .venv/bin/python bench/nearest.py [sqlite|postgresql] [N]

Builds a fresh database by the migrations, loads the catalogue and halls demo at scale="city"
(≥ 3,000 halls), then runs N queries per variant.
Each query starts within a few kilometres of a random hall (people search from where people
live, not from the sea); items are drawn from the items some hall handles, so most
are handled by a few district centres and some by hundreds of community stations. "Local item"
is an item of a hall near the point (what someone nearby is likely to look for); "any item" is
any item from anywhere, so often only halls in another district handle it.
Limits: a raw SELECT of one hall by primary key, and the bounding-box query alone.
Target: nearest p95 ≤ 2 ms.

The search runs on the per-process snapshot of halls/index.py: the timed queries are the warm
path (no database round trip), and the snapshot's cold build is timed apart (COLD_BUILDS runs).

Two ways: one transaction per query (what a request pays, BEGIN and COMMIT included), and all
queries inside one open transaction (the search's own work, as bench/search.py measures).
The machine is shared: the queries run in ROUNDS rounds, each variant taking turns query by
query; every round's p95s are printed and the quietest round (lowest limit p95) in full, since
a neighbour's test run inflates every p95 of a round alike.
"""

from __future__ import annotations

import asyncio
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from typing import Any

os.environ.setdefault("YIWANG_SECRET_KEY", "bench-secret")

import psycopg
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang import migrate
from yiwang.accounts import reference
from yiwang.catalog import demo as catalog_demo
from yiwang.catalog.models import ImplItem
from yiwang.db import Database, create_engine_for
from yiwang.halls import demo as halls_demo
from yiwang.halls import geo, index, service
from yiwang.halls.models import Hall, HallItem

TARGET_P95_MS = 2.0
ROUNDS = 5
COLD_BUILDS = 7
M_PER_DEGREE = 111_195.0


def fresh_url(kind: str) -> str:
    if kind == "postgresql":
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute('DROP DATABASE IF EXISTS "yiwang_bench_nearest" WITH (FORCE)')
            c.execute('CREATE DATABASE "yiwang_bench_nearest"')
        return "postgresql://postgres@127.0.0.1:5432/yiwang_bench_nearest"
    return f"sqlite:///{tempfile.mkdtemp()}/bench.db"


def quantiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[94], cuts[98]


async def timed(
    db: Database,
    n: int,
    variants: list[Callable[[AsyncSession, int], Awaitable[Any]]],
    offset: int = 0,
    shared: AsyncSession | None = None,
) -> list[list[float]]:
    """Milliseconds per query: in a transaction of its own each, as a request does, or all
    in the `shared` open transaction. The variants take turns query by query, so a noisy
    neighbour on the machine slows them all alike and the ratios stay fair."""
    out: list[list[float]] = [[] for _ in variants]
    for i in range(offset, offset + n):
        for samples, work in zip(out, variants, strict=True):
            start = time.perf_counter()
            if shared is not None:
                await work(shared, i)
            else:
                async with db.transaction() as session:
                    await work(session, i)
            samples.append((time.perf_counter() - start) * 1000)
    return out


Result = list[tuple[str, tuple[float, float, float]]]


def report(title: str, rounds: list[Result]) -> None:
    print(f"{title}: p95 per round (ms), limits first")
    for r, results in enumerate(rounds):
        print(f"  round {r + 1}: " + "  ".join(f"{q[1]:.3f}" for _, q in results))
    results = min(rounds, key=lambda res: res[0][1][1])
    pk95, box95 = results[0][1][1], results[1][1][1]
    print(f"{title}, quietest round:")
    print(f"{'variant':<28}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'p95/PK':>9}{'p95/box':>9}")
    for name, (p50, p95, p99) in results:
        print(f"{name:<28}{p50:>9.3f}{p95:>9.3f}{p99:>9.3f}{p95 / pk95:>9.2f}{p95 / box95:>9.2f}")
    for name, (_, p95, _) in results[2:]:
        verdict = "met" if p95 <= TARGET_P95_MS else "MISSED"
        print(f"  target p95 <= {TARGET_P95_MS} ms, {name}: {verdict}")


async def main(kind: str, n: int) -> None:
    url = fresh_url(kind)
    migrate.upgrade(url)
    db = Database(create_engine_for(url))
    async with db.transaction() as session:
        await reference.load(session)
        await catalog_demo.load(session, scale="city")
        await halls_demo.load(session, scale="city")
    if kind == "postgresql":  # what autovacuum would have done by now on a live database
        with psycopg.connect(url, autocommit=True) as c:
            c.execute("VACUUM ANALYZE")
    async with db.transaction() as session:
        halls = (await session.execute(select(func.count()).select_from(Hall))).scalar_one()
        spots = list((await session.execute(select(Hall.id, Hall.lat, Hall.lng))).all())
        pairs = (
            await session.execute(select(HallItem.hall_id, ImplItem.code).join(ImplItem))
        ).all()
    by_hall: dict[int, list[str]] = {}
    for hall_id, code in pairs:
        by_hall.setdefault(hall_id, []).append(code)
    handled = sorted({code for _, code in pairs})
    rng = random.Random(42)
    points, local_items = [], []
    for _ in range(n):
        hall_id, lat0, lng0 = rng.choice(spots)
        cos = math.cos(math.radians(lat0))
        points.append(
            (
                lat0 + rng.gauss(0, 1500) / M_PER_DEGREE,
                lng0 + rng.gauss(0, 1500) / (M_PER_DEGREE * cos),
            )
        )
        # An item of a hall near the point: someone looking for where to do a local item.
        local_items.append(rng.choice(by_hall[hall_id]) if hall_id in by_hall else None)
    pick_ids = [rng.choice(spots)[0] for _ in range(n)]
    # Any item from anywhere: items are per district, so often the nearest are far away.
    pick_items = [rng.choice(handled) for _ in range(n)]
    builds = []
    for _ in range(COLD_BUILDS):
        index.invalidate()
        start = time.perf_counter()
        async with db.transaction() as session:
            snap = await index.current(session)
        builds.append((time.perf_counter() - start) * 1000)
    box = text(
        "SELECT id, lat, lng FROM halls WHERE lat BETWEEN :a AND :b AND lng BETWEEN :c AND :d"
    )

    async def raw_pk(s: AsyncSession, i: int) -> Any:
        stmt = text("SELECT id, code, lat, lng FROM halls WHERE id = :id")
        return (await s.execute(stmt, {"id": pick_ids[i]})).all()

    async def box_only(s: AsyncSession, i: int) -> Any:
        a, b, c, d = geo.bounding_box(*points[i], service.FIRST_RADIUS_M)
        return (await s.execute(box, {"a": a, "b": b, "c": c, "d": d})).all()

    async def nearest_any(s: AsyncSession, i: int) -> Any:
        return await service.nearest(s, lat=points[i][0], lng=points[i][1], limit=5)

    async def nearest_local(s: AsyncSession, i: int) -> Any:
        lat, lng = points[i]
        return await service.nearest(s, lat=lat, lng=lng, item=local_items[i], limit=5)

    async def nearest_random(s: AsyncSession, i: int) -> Any:
        lat, lng = points[i]
        return await service.nearest(s, lat=lat, lng=lng, item=pick_items[i], limit=5)

    async def nearest_50(s: AsyncSession, i: int) -> Any:
        lat, lng = points[i]
        return await service.nearest(s, lat=lat, lng=lng, item=local_items[i], limit=50)

    variants: list[tuple[str, Callable[[AsyncSession, int], Awaitable[Any]]]] = [
        ("raw SELECT by primary key", raw_pk),
        ("bounding-box query alone", box_only),
        ("nearest, no item, 5", nearest_any),
        ("nearest, local item, 5", nearest_local),
        ("nearest, local item, 50", nearest_50),
        ("nearest, any item, 5", nearest_random),
    ]
    works = [work for _, work in variants]
    per_round = max(1, n // ROUNDS)
    print(
        f"database: {kind}, halls: {halls}, items handled somewhere: {len(handled)}, "
        f"queries: {ROUNDS} rounds of {per_round} per variant"
    )
    print(
        f"snapshot cold build ({len(snap.halls)} halls, {len(snap.by_item)} items, "
        f"{COLD_BUILDS} runs): median {statistics.median(builds):.1f} ms, "
        f"min {min(builds):.1f} ms, max {max(builds):.1f} ms"
    )
    await timed(db, min(200, n), works)  # warm-up: connections, statement caches
    rounds: list[Result] = []
    for r in range(ROUNDS):
        samples = await timed(db, per_round, works, offset=r * per_round)
        rounds.append([(v[0], quantiles(s)) for v, s in zip(variants, samples, strict=True)])
    report("one transaction per query (BEGIN … COMMIT included)", rounds)
    rounds = []
    async with db.transaction() as shared:
        for r in range(ROUNDS):
            samples = await timed(db, per_round, works, offset=r * per_round, shared=shared)
            rounds.append([(v[0], quantiles(s)) for v, s in zip(variants, samples, strict=True)])
    report("inside one open transaction (the query work alone)", rounds)
    await db.engine.dispose()


if __name__ == "__main__":
    asyncio.run(
        main(
            sys.argv[1] if len(sys.argv) > 1 else "sqlite",
            int(sys.argv[2]) if len(sys.argv) > 2 else 5000,
        )
    )
