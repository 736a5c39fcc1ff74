"""Import and export at city scale, against a raw bulk INSERT of the same rows.

    .venv/bin/python bench/transfer.py [sqlite|postgresql]

Builds a database by the migrations and loads the catalogue and halls demo at scale="city"
(a synthetic city of 1,614 items and 3,000 halls when the demo loaders are not there yet),
exports every kind, then imports the files into a second, empty database: first as inserts,
then the same files again (every row matched and unchanged), then through the job runner
(progress committed every 250 rows). The limit: one Core INSERT … executemany of the same
hall rows into an empty table.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import random
import sys
import tempfile
import time
from typing import Any

os.environ.setdefault("YIWANG_SECRET_KEY", "bench-secret")
os.environ.setdefault("YIWANG_VAR_DIR", tempfile.mkdtemp())

import psycopg
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang import migrate
from yiwang.accounts import reference
from yiwang.accounts import service as accounts
from yiwang.catalog.models import BasicItem, Domain, HandlingItem, ImplItem, Material
from yiwang.config import get_settings
from yiwang.db import Database, create_engine_for
from yiwang.halls.models import Hall, HallItem
from yiwang.jobs import service as jobs
from yiwang.transfer import service, tasks

ORDER = (("items", "json"), ("scenarios", "json"), ("halls", "csv"), ("hall_items", "csv"))
WEEK = {d: [["09:00", "12:00"], ["13:30", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def fresh_url(kind: str, name: str) -> str:
    if kind == "postgresql":
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:5432/{name}"
    return f"sqlite:///{tempfile.mkdtemp()}/{name}.db"


async def load_source(session: AsyncSession) -> str:
    try:
        catalog_demo = importlib.import_module("yiwang.catalog.demo")
        halls_demo = importlib.import_module("yiwang.halls.demo")
    except ModuleNotFoundError:
        await synthetic_city(session, random.Random(1614))
        return "synthetic"
    await catalog_demo.load(session, scale="city")
    await halls_demo.load(session, scale="city")
    return 'demo, scale="city"'


async def synthetic_city(session: AsyncSession, rng: random.Random) -> None:
    session.add(Domain(code="bench", name="基准", name_en="Bench"))
    await session.flush()
    depts = [d for d in await accounts.list_departments(session) if len(d.region_code) == 6]
    basics = [
        BasicItem(
            code=f"B{n:05d}",
            name=f"基本事项{n}",
            name_en=f"Basic item {n}",
            item_type="行政许可",
            legal_basis="《中华人民共和国行政许可法》",
            exercise_level="县级",
            domain_code="bench",
        )
        for n in range(200)
    ]
    session.add_all(basics)
    await session.flush()
    items = []
    for n in range(1614):
        dept = depts[n % len(depts)]
        items.append(
            ImplItem(
                code=f"I{n:05d}{dept.region_code}",
                basic_item_id=basics[n % len(basics)].id,
                name=f"实施事项{n}（{dept.name}）",
                name_en=f"Item {n}",
                department_id=dept.id,
                region_code=dept.region_code,
                acceptance_conditions="符合法定条件",
                statutory_limit=20,
                statutory_unit="working",
                promised_limit=rng.randint(1, 10),
                promised_unit="working",
                where_to_apply="政务服务中心",
                when_to_apply="工作日",
                online_depth=rng.randint(1, 4),
                applicant_types={"types": ["enterprise"]},
                topics={"topics": ["开店"]},
            )
        )
    session.add_all(items)
    await session.flush()
    for item in items:
        for kind, suffix in (("new", "01"), ("change", "02")):
            session.add(
                HandlingItem(
                    code=f"{item.code}{suffix}", impl_item_id=item.id, kind=kind, name=item.name
                )
            )
        for m in range(5):
            session.add(
                Material(
                    impl_item_id=item.id,
                    name=f"材料{m}",
                    requirement="required",
                    form="copy",
                    source="upload",
                    sort=m,
                )
            )
    districts = [code for code, _, _ in reference.DISTRICTS]
    halls = [
        Hall(
            code=f"H{n:05d}",
            name=f"便民服务站{n}",
            level="community",
            region_code=f"{districts[n % 10]}{n % 900 + 1:03d}{n % 999 + 1:03d}",
            district_code=districts[n % 10],
            address=f"青岛市测试路{n}号",
            lat=36.0 + rng.random() * 0.8,
            lng=120.0 + rng.random() * 0.6,
            windows=rng.randint(1, 8),
            accessibility={"facilities": ["ramp"]},
            weekly_hours=WEEK,
        )
        for n in range(3000)
    ]
    session.add_all(halls)
    await session.flush()
    for n, hall in enumerate(halls):
        for item in items[n % 50 :: 200]:
            session.add(HallItem(hall_id=hall.id, impl_item_id=item.id))
    await session.flush()


async def timed(label: str, rows: int, work: Any, out: list[tuple[str, int, float]]) -> Any:
    started = time.perf_counter()
    result = await work
    out.append((label, rows, time.perf_counter() - started))
    return result


async def main(kind: str) -> None:
    source_url, target_url = (
        fresh_url(kind, "yiwang_bench_xfer_a"),
        fresh_url(kind, "yiwang_bench_xfer_b"),
    )
    for url in (source_url, target_url):
        migrate.upgrade(url)
    source = Database(create_engine_for(source_url))
    target = Database(create_engine_for(target_url))
    results: list[tuple[str, int, float]] = []
    async with source.transaction() as s:
        await reference.load(s)
        what = await load_source(s)
    async with source.transaction() as s:
        domains = [(d.code, d.name, d.name_en, d.sort) for d in await s.scalars(select(Domain))]
    async with target.transaction() as s:
        await reference.load(s)
        # Domains are reference data, not one of the kinds a file carries.
        s.add_all(Domain(code=c, name=n, name_en=e, sort=o) for c, n, e, o in domains)
    files: dict[str, bytes] = {}
    async with source.transaction() as s:
        for name, fmt in (
            ("items", "json"),
            ("items", "csv"),
            ("materials", "csv"),
            ("scenarios", "json"),
            ("halls", "csv"),
            ("hall_items", "csv"),
        ):
            data = await timed(
                f"export {name}.{fmt}", 0, service.export_bytes(s, name, fmt), results
            )
            files[f"{name}.{fmt}"] = data
            records = service.read(service.get_kind(name), data, fmt)[1]
            results[-1] = (results[-1][0], len(records), results[-1][2])
    n_halls = len(service.read(service.get_kind("halls"), files["halls.csv"], "csv")[1])

    async def load(name: str, fmt: str) -> Any:
        async with target.transaction() as s:
            report = await service.import_bytes(s, name, files[f"{name}.{fmt}"], fmt)
        if not report.ok:
            raise SystemExit("\n".join(service.error_lines(report)[:5]))
        return report

    steps = [(n, f, p) for p in ("insert", "unchanged") for n, f in ORDER]
    steps += [("items", "csv", "unchanged"), ("materials", "csv", "unchanged")]
    for name, fmt, phase in steps:
        if files[f"{name}.{fmt}"] in (b"[]", b""):
            continue  # the synthetic city has no scenarios
        report = await timed(f"import {name}.{fmt} ({phase})", 0, load(name, fmt), results)
        results[-1] = (results[-1][0], report.rows, results[-1][2])
    # The job runner: the same halls file, progress committed every 250 rows.
    path = get_settings().var_dir / "bench-halls.csv"
    path.write_bytes(files["halls.csv"])
    async with target.transaction() as s:
        run = await jobs.create_run(
            s,
            "import.halls",
            {"kind": "halls", "format": "csv", "path": str(path), "scope": ["370200"]},
        )
    await timed(
        "import halls.csv via job runner", n_halls, tasks.run_import(target, run.id), results
    )
    async with target.transaction() as s:
        if (await jobs.get_run(s, run.id)).status != "done":
            raise SystemExit("the job run did not finish")
    # The limit: a raw executemany INSERT of the same hall rows into an empty table.
    async with target.transaction() as s:
        rows = [
            {c.name: getattr(h, c.name) for c in Hall.__table__.columns if c.name != "id"}
            for h in await s.scalars(select(Hall))
        ]
    async with target.transaction() as s:
        await s.execute(delete(HallItem))
        await s.execute(delete(Hall))
        await timed("raw INSERT halls (limit)", len(rows), s.execute(insert(Hall), rows), results)
    await source.engine.dispose()
    await target.engine.dispose()
    limit = results[-1][2]
    print(f"\nimport/export at city scale on {kind} ({what})\n")
    print(f"{'step':<40} {'rows':>6} {'seconds':>8} {'× raw INSERT':>13}")
    for label, rows_n, secs in results:
        print(f"{label:<40} {rows_n:>6} {secs:>8.2f} {secs / limit:>13.1f}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "sqlite"))
