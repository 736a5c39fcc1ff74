"""Demo catalogue that reads like Qingdao's: the 15 domains, basic and implementation items with
their materials, the 一件事 scenarios with question trees, and everyday synonyms.

`load(session, "demo")` gives a few hundred items; `load(session, "city")` the seed's scale
(1,614 implementation items, 45 scenarios) for benchmarks. Both are idempotent by code, run
after `accounts.reference.load` (departments), and insert in bulk: the city scale is thousands of
rows, and one ORM object per row would take most of a minute.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import service as accounts
from yiwang.catalog import search
from yiwang.catalog import tree as trees
from yiwang.catalog.demo_plan import (
    DOMAINS,
    Planned,
    basic_of,
    basic_row,
    children,
    impl_row,
    plan,
    resolve,
)
from yiwang.catalog.demo_scenarios import DEMO_COUNT, SCENARIOS, SYNONYMS
from yiwang.catalog.demo_trees import build
from yiwang.catalog.models import (
    BasicItem,
    Domain,
    Faq,
    Fee,
    HandlingItem,
    ImplItem,
    Material,
    Result,
    Scenario,
    ScenarioItem,
    Synonym,
)
from yiwang.db import utcnow

SCALES = ("demo", "city")
CITY_SCENARIOS = 45
_CHUNK = 500  # IN-lists and insert batches stay well under SQLite's variable limit


@dataclass(frozen=True)
class ItemReach:
    """What the halls demo needs to know of an implementation item."""

    id: int
    code: str
    region_code: str
    department: str
    key: str  # the demo basic item's key ("passport" …); "" for items not from the demo
    reach: str  # "", street or community
    online_depth: int


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


async def _codes(session: AsyncSession, column: Any, codes: Iterable[str]) -> dict[str, int]:
    """code → id of the rows among codes that exist (column is Model.code; its table has id)."""
    out: dict[str, int] = {}
    model = column.class_
    for batch in _chunks(sorted(set(codes))):
        q = select(column, model.id).where(column.in_(batch))
        out.update({code: id_ for code, id_ in (await session.execute(q))})
    return out


async def _insert(session: AsyncSession, model: Any, rows: list[dict[str, Any]]) -> int:
    for batch in _chunks(rows):
        await session.execute(insert(model), list(batch))
    return len(rows)


async def _departments(session: AsyncSession, planned: list[Planned]) -> dict[tuple[str, str], int]:
    ids = {(d.code, d.region_code): d.id for d in await accounts.list_departments(session)}
    for p in planned:
        if (p.basic.dept, p.region) not in ids:
            # Raises the catalogued "No such department in this region." error.
            await accounts.department_by_code(session, p.basic.dept, p.region)
    return ids


async def _load_items(session: AsyncSession, planned: list[Planned]) -> dict[str, int]:
    added: dict[str, int] = {}
    have = {code for (code,) in (await session.execute(select(Domain.code)))}
    added["catalog_domains"] = await _insert(
        session,
        Domain,
        [
            {"code": code, "name": name, "name_en": name_en, "sort": n}
            for n, (code, name, name_en, _) in enumerate(DOMAINS, start=1)
            if code not in have
        ],
    )
    basics = {p.basic_code: basic_row(p) for p in planned}
    existing = await _codes(session, BasicItem.code, basics)
    added["catalog_basic_items"] = await _insert(
        session, BasicItem, [row for code, row in basics.items() if code not in existing]
    )
    basic_ids = await _codes(session, BasicItem.code, basics)

    existing = await _codes(session, ImplItem.code, (p.code for p in planned))
    new = [p for p in planned if p.code not in existing]
    departments = await _departments(session, new)
    now = utcnow()
    rows = []
    for p in new:
        row = impl_row(p, departments[(p.basic.dept, p.region)], now)
        rows.append({**row, "basic_item_id": basic_ids[p.basic_code]})
    added["catalog_impl_items"] = await _insert(session, ImplItem, rows)
    impl_ids = await _codes(session, ImplItem.code, (p.code for p in new))

    kids: dict[str, list[dict[str, Any]]] = {
        "handling": [],
        "materials": [],
        "fees": [],
        "faqs": [],
        "results": [],
    }
    for p in new:
        for key, values in children(p, impl_ids[p.code]).items():
            kids[key] += values
    for key, model in (
        ("handling", HandlingItem),
        ("materials", Material),
        ("fees", Fee),
        ("faqs", Faq),
        ("results", Result),
    ):
        added[model.__tablename__] = await _insert(session, model, kids[key])
    return added


async def _load_scenarios(session: AsyncSession, scale: str) -> dict[str, int]:
    wanted = SCENARIOS[: CITY_SCENARIOS if scale == "city" else DEMO_COUNT]
    existing = await _codes(session, Scenario.code, (s.code for s in wanted))
    new = [s for s in wanted if s.code not in existing]
    built = {s.code: build(s, resolve) for s in new}
    handling = await _codes(
        session, HandlingItem.code, {c for t in built.values() for c in trees.all_items(t)}
    )
    for code, tree in built.items():
        errors = trees.validate(tree, handling)
        if errors:  # a data bug, never a user's: fail loudly
            raise RuntimeError(f"demo scenario {code}: {[(e.msgid, e.params) for e in errors]}")
    now = utcnow()
    sort_of = {s.code: n for n, s in enumerate(SCENARIOS, start=1)}
    rows = [
        {
            "code": s.code,
            "name": s.name,
            "name_en": s.name_en,
            "summary": s.summary,
            "summary_en": s.summary_en,
            "domain_code": s.domain,
            "applicant_types": {
                "types": [t for c, t in (("p", "person"), ("e", "enterprise")) if c in s.who]
            },
            "tree": built[s.code],
            # One-go services are received at the 行政审批服务局's 综合受理 window.
            "lead_department": "xzsp",
            "join_rule": "all",
            "published": True,
            "sort": sort_of[s.code],
            "updated_at": now,
        }
        for s in new
    ]
    added = {"catalog_scenarios": await _insert(session, Scenario, rows)}
    ids = await _codes(session, Scenario.code, built)
    links = [
        {"scenario_id": ids[code], "handling_item_id": handling[item]}
        for code, tree in built.items()
        for item in sorted(trees.all_items(tree))
    ]
    added["catalog_scenario_items"] = await _insert(session, ScenarioItem, links)
    have = {p for (p,) in (await session.execute(select(Synonym.phrase)))}
    added["catalog_synonyms"] = await _insert(
        session,
        Synonym,
        [{"phrase": p, "expansion": e} for p, e in SYNONYMS if p not in have],
    )
    return added


async def load(session: AsyncSession, scale: str = "demo") -> dict[str, int]:
    """Rows added per table; all zero when the scale is already loaded."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: one of {SCALES}")
    planned = plan(scale)
    existing = await _codes(session, ImplItem.code, (p.code for p in planned))
    scenarios = await _codes(session, Scenario.code, (s.code for s in SCENARIOS))
    added = await _load_items(session, planned)
    added.update(await _load_scenarios(session, scale))
    await session.flush()
    # Bulk inserts bypass the search index: index what this call added, as imports do.
    items = await _codes(session, ImplItem.code, (p.code for p in planned))
    await search.index_items(session, [i for c, i in items.items() if c not in existing])
    now = await _codes(session, Scenario.code, (s.code for s in SCENARIOS))
    await search.index_scenarios(session, [i for c, i in now.items() if c not in scenarios])
    return added


async def item_reach(session: AsyncSession) -> list[ItemReach]:
    """Every active implementation item with its region, department and how far down the halls
    it reaches; items not from the demo data reach district halls only."""
    departments = {d.id: d.code for d in await accounts.list_departments(session)}
    q = (
        select(
            ImplItem.id,
            ImplItem.code,
            ImplItem.region_code,
            ImplItem.department_id,
            ImplItem.online_depth,
        )
        .where(ImplItem.active.is_(True))
        .order_by(ImplItem.id)
    )
    out = []
    for id_, code, region, dept, depth in await session.execute(q):
        b = basic_of(code)
        key, reach = (b.key, b.reach) if b else ("", "")
        out.append(ItemReach(id_, code, region, departments.get(dept, ""), key, reach, depth))
    return out


async def counts(session: AsyncSession) -> dict[str, int]:
    """Rows per catalogue table, for the command line's summary."""
    out = {}
    for model in (Domain, BasicItem, ImplItem, HandlingItem, Material, Scenario, Synonym):
        out[model.__tablename__] = int(
            (await session.execute(select(func.count()).select_from(model))).scalar_one()
        )
    return out
