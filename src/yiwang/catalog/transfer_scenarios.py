"""Scenario (一件事) import and export, in JSON only: a question tree is no table. A tree is
checked exactly as the editor checks it, each error naming its question."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.catalog import search
from yiwang.catalog import tree as trees
from yiwang.catalog.models import Domain, HandlingItem, Scenario, ScenarioItem
from yiwang.config import get_settings
from yiwang.db import utcnow
from yiwang.kit import columns as c
from yiwang.kit.columns import Column
from yiwang.kit.i18n import N_
from yiwang.kit.tabular import Allowed, ImportReport, Parsed, TableKind, assign, check_unique

LONG = 20_000
# How many of the departments reviewing in parallel must agree: all, any, or at least n.
JOIN_RULES = ("all", "any", *(str(n) for n in range(1, 10)))
COLUMNS = (
    Column("code", c.code(40), required=True),
    Column("name", c.text(120), required=True),
    Column("name_en", c.text(240)),
    Column("summary", c.text(LONG)),
    Column("summary_en", c.text(LONG)),
    Column("domain_code", c.code(30), required=True),
    Column("applicant_types", c.choice("person", "enterprise"), many=True, default=[]),
    Column("published", c.boolean(), default=True),
    Column("sort", c.integer(0, 99_999), default=0),
    Column("lead_department", c.code(40), default=""),
    Column("join_rule", c.choice(*JOIN_RULES), default="all"),
)
FIELDS = (
    "name",
    "name_en",
    "summary",
    "summary_en",
    "domain_code",
    "published",
    "sort",
    "lead_department",
    "join_rule",
)
DEFAULTS: dict[str, Any] = {
    "name_en": "",
    "summary": "",
    "summary_en": "",
    "published": True,
    "sort": 0,
    "applicant_types": {"types": []},
    "lead_department": "",
    "join_rule": "all",
}


async def check(
    session: AsyncSession, parsed: list[Parsed], report: ImportReport, allowed: Allowed | None
) -> tuple[list[Parsed], dict[str, Scenario]]:
    check_unique(report, parsed, lambda p: p.values.get("code"), "code")
    domains = set(await session.scalars(select(Domain.code)))
    codes = set(await session.scalars(select(HandlingItem.code)))
    # Scenarios span departments and districts: only a city-wide administrator changes them.
    city_wide = allowed is None or allowed(get_settings().region_code)
    for p in parsed:
        v = p.values
        if not city_wide:
            report.add(
                p.row, "code", N_("This region is outside your administration scope."), "scope"
            )
        if "domain_code" in v and v["domain_code"] not in domains:
            report.add(
                p.row,
                "domain_code",
                N_("Unknown domain {code}."),
                "unknown_domain",
                code=v["domain_code"],
            )
        tree = v.get("tree")
        if not isinstance(tree, dict):
            report.add(p.row, "tree", N_("A question tree (a JSON object) is expected."), "tree")
            continue
        for e in trees.validate(tree, codes):
            report.add(p.row, "tree", e.msgid, e.code, **e.params)
    q = select(Scenario).where(Scenario.code.in_([p.values.get("code", "") for p in parsed]))
    return parsed, {s.code: s for s in await session.scalars(q)}


async def apply(
    session: AsyncSession, plan: tuple[list[Parsed], dict[str, Scenario]]
) -> tuple[int, int, int]:
    parsed, existing = plan
    inserted = updated = 0
    changed: list[Scenario] = []
    for p in parsed:
        v = p.values
        fields = {k: v[k] for k in FIELDS if k in v} | {"tree": v["tree"]}
        if "applicant_types" in v:
            fields["applicant_types"] = {"types": v["applicant_types"]}
        s = existing.get(v["code"])
        if s is None:
            s = Scenario(code=v["code"], **{**DEFAULTS, **fields})
            session.add(s)
            inserted += 1
        elif assign(s, fields):
            s.updated_at = utcnow()
            updated += 1
        else:
            continue
        changed.append(s)
    await session.flush()
    await _sync_items(session, changed)
    if changed:
        await search.index_scenarios(session, [s.id for s in changed])
    return inserted, updated, len(parsed) - inserted - updated


async def _sync_items(session: AsyncSession, scenarios: list[Scenario]) -> None:
    """The scenario's item rows follow its tree: the union of its outcomes' items."""
    if not scenarios:
        return
    ids = {
        code: i
        for code, i in (await session.execute(select(HandlingItem.code, HandlingItem.id))).all()
    }
    have: dict[int, set[int]] = {}
    q = select(ScenarioItem).where(ScenarioItem.scenario_id.in_([s.id for s in scenarios]))
    rows = list(await session.scalars(q))
    for si in rows:
        have.setdefault(si.scenario_id, set()).add(si.handling_item_id)
    for s in scenarios:
        want = {ids[code] for code in trees.all_items(s.tree) if code in ids}
        for si in rows:
            if si.scenario_id == s.id and si.handling_item_id not in want:
                await session.delete(si)
        for hid in want - have.get(s.id, set()):
            session.add(ScenarioItem(scenario_id=s.id, handling_item_id=hid))
    await session.flush()


async def export(session: AsyncSession, fmt: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for s in await session.scalars(select(Scenario).order_by(Scenario.code)):
        row: dict[str, Any] = {"code": s.code, **{k: getattr(s, k) for k in FIELDS}}
        row["applicant_types"] = list(s.applicant_types.get("types", []))
        row["tree"] = s.tree
        out.append(row)
    return out


KIND = TableKind(
    "scenarios",
    N_("Scenarios and their question trees"),
    COLUMNS,
    check,
    apply,
    export,
    formats=("json",),
    nested=frozenset({"tree"}),
)
