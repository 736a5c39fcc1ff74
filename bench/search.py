"""Catalogue search latency against its limit: a raw FTS query and a raw primary-key SELECT on
the same index, measured in the same run.

    .venv/bin/python bench/search.py [sqlite|postgresql] [rounds]

Builds a fresh database with the migrations, loads the city-scale demo catalogue (1,614 items,
45 scenarios), indexes it and times `search.search` over a set of citizen queries; then adds
generated items (city-scale items with varied names) up to 20,000, re-indexes and times again.
Targets: p95 ≤ 10 ms at city scale, ≤ 25 ms at 20,000 items.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable

os.environ.setdefault("YIWANG_SECRET_KEY", "bench-secret")

import psycopg
from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang import migrate
from yiwang.accounts import reference
from yiwang.catalog import search
from yiwang.catalog.models import BasicItem, ImplItem
from yiwang.db import Database, create_engine_for

BENCH_DB = "yiwang_bench_search"
QUERIES = (
    "开饭店",
    "我想开个小吃店",
    "开公司",
    "生孩子",
    "换驾照",
    "营业执照",
    "食品经营许可",
    "企业注销",
    "二手房过户",
    "退休",
    "办退休手续",
    "开出租车公司",
    "道路运输经营许可",
    "医保报销",
    "公积金提取",
    "身份证丢了",
    "户口迁移",
    "结婚登记",
    "残疾证",
    "建设工程规划许可",
    "施工许可证",
    "排污许可",
    "药品经营许可",
    "社保卡",
    "失业金",
    "驶证换",
    "消防",
    "卫生许可",
    "出生医学证明",
    "危险货物运输",
)
QUALIFIERS = (
    "临时",
    "跨区域",
    "特殊情形",
    "告知承诺制",
    "延续",
    "补办",
    "简易程序",
    "分支机构",
    "个体",
    "外商投资",
    "涉外",
    "农村",
    "城镇",
    "集体",
    "小微企业",
    "港澳台",
)
TARGET_P95_MS = {"city": 10.0, "20k": 25.0}


def fresh_url(kind: str) -> str:
    if kind == "postgresql":
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{BENCH_DB}"')
        return f"postgresql://postgres@127.0.0.1:5432/{BENCH_DB}"
    return f"sqlite:///{tempfile.mkdtemp()}/bench.db"


async def grow_to(session: AsyncSession, target: int) -> None:
    """Copies of the existing items, each with a qualifier in its name, up to `target`."""
    items = list((await session.execute(select(ImplItem).order_by(ImplItem.id))).scalars())
    basics = {b.id: b for b in (await session.execute(select(BasicItem))).scalars()}
    n, round_ = len(items), 0
    while n < target:
        batch_basic, batch_impl = [], []
        qualifier = QUALIFIERS[round_ % len(QUALIFIERS)]
        for item in items[: target - n]:
            basic = basics[item.basic_item_id]
            code = f"G{round_:03d}{item.id:06d}"
            batch_basic.append(
                {
                    "code": code[:12],
                    "name": f"{basic.name}（{qualifier}）"[:120],
                    "name_en": basic.name_en,
                    "item_type": basic.item_type,
                    "legal_basis": "",
                    "exercise_level": basic.exercise_level,
                    "domain_code": basic.domain_code,
                }
            )
            batch_impl.append((code, item))
        await session.execute(insert(BasicItem), batch_basic)
        ids = dict(
            (
                await session.execute(
                    select(BasicItem.code, BasicItem.id).where(
                        BasicItem.code.in_([b["code"] for b in batch_basic])
                    )
                )
            ).all()
        )
        await session.execute(
            insert(ImplItem),
            [
                {
                    "code": code,
                    "basic_item_id": ids[code[:12]],
                    "name": f"{item.name}（{qualifier}）"[:120],
                    "name_en": item.name_en,
                    "department_id": item.department_id,
                    "region_code": item.region_code,
                    "statutory_limit": item.statutory_limit,
                    "statutory_unit": item.statutory_unit,
                    "promised_limit": item.promised_limit,
                    "promised_unit": item.promised_unit,
                    "online_depth": item.online_depth,
                    "applicant_types": item.applicant_types,
                    "topics": item.topics,
                }
                for code, item in batch_impl
            ],
        )
        n += len(batch_impl)
        round_ += 1


async def match_of(session: AsyncSession, q: str) -> str:
    """The match expression search.search sends for this query (its rarest terms)."""
    terms = await search.match_terms(session, q) or ["x"]
    if session.get_bind().dialect.name == "postgresql":
        return " | ".join(f"'{t}'" for t in terms)
    return " OR ".join(f'"{t}"' for t in terms)


def raw_fts(matches: dict[str, str]) -> Callable[[AsyncSession, str], Awaitable[None]]:
    """The limit: one FTS query on the same index with the same match expression, ranked by
    the database, ten rows; no synonyms, no grouping, no scoring."""

    async def run(session: AsyncSession, q: str) -> None:
        if session.get_bind().dialect.name == "postgresql":
            sql = (
                "SELECT d.id, d.name, ts_rank(d.tsv, q) AS r FROM catalog_search_docs d, "
                "to_tsquery('simple', :m) q WHERE d.tsv @@ q ORDER BY r DESC LIMIT 10"
            )
        else:
            sql = (
                "SELECT d.id, d.name, f.rank FROM catalog_search_fts f "
                "JOIN catalog_search_docs d ON d.id = f.rowid "
                "WHERE catalog_search_fts MATCH :m ORDER BY f.rank LIMIT 10"
            )
        (await session.execute(text(sql), {"m": matches[q]})).all()

    return run


async def raw_pk(session: AsyncSession, q: str) -> None:
    (await session.execute(text("SELECT * FROM catalog_search_docs WHERE id = 1"))).all()


async def full(session: AsyncSession, q: str) -> None:
    await search.search(session, q, 10)


async def timings(
    db: Database,
    rounds: int,
    work: Callable[[AsyncSession, str], Awaitable[None]],
    queries: tuple[str, ...] = QUERIES,
) -> list[float]:
    out = []
    async with db.transaction() as session:
        for q in queries:  # warm-up: statement caches, pages
            await work(session, q)
        for _ in range(rounds):
            for q in queries:
                start = time.perf_counter()
                await work(session, q)
                out.append((time.perf_counter() - start) * 1000)
    return out


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


async def measure(db: Database, scale: str, rounds: int, kind: str) -> list[str]:
    async with db.transaction() as session:
        start = time.perf_counter()
        docs = await search.reindex(session)
        reindex_s = time.perf_counter() - start
        items = await session.scalar(select(func.count()).select_from(ImplItem))
    async with db.transaction() as session:
        matches = {q: await match_of(session, q) for q in QUERIES}
    pk = await timings(db, rounds, raw_pk)
    fts = await timings(db, rounds, raw_fts(matches))
    got = await timings(db, rounds, full)
    limit95 = pct(fts, 95)
    p50, p95 = pct(got, 50), pct(got, 95)
    target = TARGET_P95_MS[scale]
    print(f"\n{kind}, {scale}: {items} items, {docs} documents, reindex {reindex_s:.1f} s")
    print(f"{'variant':<30}{'p50 ms':>9}{'p95 ms':>9}{'ratio p95':>11}")
    print(f"{'raw PK SELECT':<30}{pct(pk, 50):>9.2f}{pct(pk, 95):>9.2f}{'':>11}")
    print(f"{'raw FTS query (limit)':<30}{pct(fts, 50):>9.2f}{limit95:>9.2f}{1.0:>11.2f}")
    print(f"{'search.search':<30}{p50:>9.2f}{p95:>9.2f}{p95 / limit95:>11.2f}")
    verdict = "met" if p95 <= target else "MISSED"
    print(f"target p95 ≤ {target:g} ms: {verdict}")
    if kind == "sqlite":
        await substring_choice(db, rounds)
    return [
        f"| {kind} | {scale} | {items} | {pct(pk, 95):.2f} | {limit95:.2f} | {p50:.2f} | "
        f"{p95:.2f} | {p95 / limit95:.1f} | {target:g} ms {verdict} |"
    ]


SUBSTRINGS = ("驾驶证", "营业执", "一件事", "许可证", "经营许", "户名变", "网络预约", "医疗费用")


async def substring_choice(db: Database, rounds: int) -> None:
    """SQLite's substring fallback: the FTS5 trigram table against a LIKE scan of names."""

    async def trigram(session: AsyncSession, q: str) -> None:
        sql = "SELECT rowid FROM catalog_search_tri WHERE catalog_search_tri MATCH :m LIMIT 400"
        (await session.execute(text(sql), {"m": f'"{q}"'})).all()

    async def like(session: AsyncSession, q: str) -> None:
        sql = "SELECT id FROM catalog_search_docs WHERE name LIKE :m LIMIT 400"
        (await session.execute(text(sql), {"m": f"%{q}%"})).all()

    for label, work in (("FTS5 trigram MATCH", trigram), ("LIKE scan of names", like)):
        got = await timings(db, rounds, work, SUBSTRINGS)
        print(f"{'substring: ' + label:<30}{pct(got, 50):>9.2f}{pct(got, 95):>9.2f}")


async def main(kind: str, rounds: int) -> None:
    from yiwang.catalog import demo

    url = fresh_url(kind)
    migrate.upgrade(url)
    db = Database(create_engine_for(url))
    async with db.transaction() as session:
        await reference.load(session)
        await demo.load(session, scale="city")
    rows = await measure(db, "city", rounds, kind)
    async with db.transaction() as session:
        await grow_to(session, 20_000)
    rows += await measure(db, "20k", rounds, kind)
    await db.engine.dispose()
    print(
        "\n| database | scale | items | PK SELECT p95 | raw FTS p95 (limit) | search p50 | "
        "search p95 | ratio | target |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    asyncio.run(
        main(
            sys.argv[1] if len(sys.argv) > 1 else "sqlite",
            int(sys.argv[2]) if len(sys.argv) > 2 else 20,
        )
    )
