"""Hall import and export (CSV or JSON): halls one row each with the week's hours in one column
per weekday, and the items each hall handles as a second kind, one row per hall with a list of
item codes. Imports upsert by code and delete nothing: an item missing from a hall's list
stays linked (unlinking is an editor's act, not a side effect of a file)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import service as accounts
from yiwang.catalog import transfer as catalog_transfer
from yiwang.halls import index
from yiwang.halls.models import Hall, HallItem
from yiwang.halls.service import FACILITY_LABELS, LEVELS
from yiwang.kit import columns as c
from yiwang.kit.columns import WEEKDAYS, Column, format_hours
from yiwang.kit.i18n import N_
from yiwang.kit.tabular import (
    Allowed,
    ImportReport,
    Parsed,
    TableKind,
    assign,
    check_unique,
    chunks,
)

HALL_COLUMNS = (
    Column("code", c.code(40), required=True),
    Column("name", c.text(120), required=True),
    Column("name_en", c.text(240)),
    Column("level", c.choice(*LEVELS), required=True),
    Column("region_code", c.region_code((6, 9, 12)), required=True),
    Column("district_code", c.region_code((6,))),
    Column("address", c.text(200), required=True),
    Column("lat", c.latitude(), required=True),
    Column("lng", c.longitude(), required=True),
    Column("phone", c.text(40)),
    Column("windows", c.integer(0, 1000), default=1),
    Column("accessibility", c.choice(*FACILITY_LABELS), many=True, default=[]),
    *(Column(day, c.hours(), default=[]) for day in WEEKDAYS),
    Column("open_on_holidays", c.boolean(), default=False),
    Column("notes", c.text(20_000)),
    Column("active", c.boolean(), default=True),
)
FIELDS = (
    "name",
    "name_en",
    "level",
    "region_code",
    "address",
    "lat",
    "lng",
    "phone",
    "windows",
    "open_on_holidays",
    "notes",
    "active",
)
DEFAULTS: dict[str, Any] = {
    "name_en": "",
    "phone": "",
    "windows": 1,
    "accessibility": {"facilities": []},
    "open_on_holidays": False,
    "notes": "",
    "active": True,
}
LINK_COLUMNS = (
    Column("hall_code", c.code(40), required=True),
    Column("item_codes", c.code(36), required=True, many=True),
)


def _scope_error(report: ImportReport, row: int, column: str) -> None:
    report.add(row, column, N_("This region is outside your administration scope."), "scope")


async def _halls_by_code(session: AsyncSession, codes: list[str]) -> dict[str, Hall]:
    out: dict[str, Hall] = {}
    for batch in chunks(sorted(set(codes))):
        out.update(
            {h.code: h for h in await session.scalars(select(Hall).where(Hall.code.in_(batch)))}
        )
    return out


@dataclass
class _HallPlan:
    rows: list[dict[str, Any]]
    existing: dict[str, Hall]


async def check_halls(
    session: AsyncSession, parsed: list[Parsed], report: ImportReport, allowed: Allowed | None
) -> _HallPlan:
    check_unique(report, parsed, lambda p: p.values.get("code"), "code")
    regions = {r.code: r.level for r in await accounts.list_regions(session)}
    existing = await _halls_by_code(session, [p.values.get("code", "") for p in parsed])
    for p in parsed:
        v = p.values
        region = v.get("region_code")
        if region is None:
            continue
        district = v.get("district_code") or region[:6]
        v["district_code"] = district
        old = existing.get(v.get("code", ""))
        if region[:6] not in regions:
            report.add(
                p.row,
                "region_code",
                N_("Region {code} is not one of the city's regions."),
                "unknown_region",
                code=region[:6],
            )
        elif district not in regions:
            report.add(
                p.row,
                "district_code",
                N_("Region {code} is not one of the city's regions."),
                "unknown_region",
                code=district,
            )
        elif regions.get(region[:6]) == "district" and region[:6] != district:
            # A city-wide centre sits in some district; a district's own place sits in it.
            report.add(
                p.row,
                "region_code",
                N_("The region code does not lie in district {district}."),
                "outside_district",
                district=district,
            )
        if allowed and not (allowed(region) and (old is None or allowed(old.region_code))):
            _scope_error(report, p.row, "region_code")
    return _HallPlan([p.values for p in parsed], existing)


async def apply_halls(session: AsyncSession, plan: _HallPlan) -> tuple[int, int, int]:
    updated = 0
    new: list[dict[str, Any]] = []
    for v in plan.rows:
        fields = {k: v[k] for k in FIELDS if k in v} | {"district_code": v["district_code"]}
        if "accessibility" in v:
            fields["accessibility"] = {"facilities": v["accessibility"]}
        hall = plan.existing.get(v["code"])
        week = dict(hall.weekly_hours) if hall else {d: [] for d in WEEKDAYS}
        week.update({d: v[d] for d in WEEKDAYS if d in v})
        fields["weekly_hours"] = week
        if hall is None:
            new.append({**DEFAULTS, **fields, "code": v["code"]})
        elif assign(hall, fields):
            updated += 1
    if new:
        await session.execute(insert(Hall), new)
    await session.flush()
    index.invalidate()  # this process's nearest-hall snapshot; others see it within its TTL
    inserted = len(new)
    return inserted, updated, len(plan.rows) - inserted - updated


async def export_halls(session: AsyncSession, fmt: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for h in await session.scalars(select(Hall).order_by(Hall.code)):
        row: dict[str, Any] = {"code": h.code, **{k: getattr(h, k) for k in FIELDS}}
        row["district_code"] = h.district_code
        row["accessibility"] = list(h.accessibility.get("facilities", []))
        for day in WEEKDAYS:
            row[day] = format_hours(h.weekly_hours.get(day) or [])
        rows.append(row)
    return rows


@dataclass
class _LinkPlan:
    rows: list[tuple[Hall, list[int]]]


async def check_links(
    session: AsyncSession, parsed: list[Parsed], report: ImportReport, allowed: Allowed | None
) -> _LinkPlan:
    check_unique(report, parsed, lambda p: p.values.get("hall_code"), "hall_code")
    halls = await _halls_by_code(session, [p.values.get("hall_code", "") for p in parsed])
    items = await catalog_transfer.item_ids_by_code(
        session, (code for p in parsed for code in p.values.get("item_codes", []))
    )
    plan = _LinkPlan([])
    for p in parsed:
        if "hall_code" not in p.values or "item_codes" not in p.values:
            continue
        hall = halls.get(p.values["hall_code"])
        if hall is None:
            report.add(
                p.row,
                "hall_code",
                N_("Unknown hall {code}."),
                "unknown_hall",
                code=p.values["hall_code"],
            )
        elif allowed and not allowed(hall.region_code):
            _scope_error(report, p.row, "hall_code")
        for code in p.values["item_codes"]:
            if code not in items:
                report.add(
                    p.row, "item_codes", N_("Unknown item {code}."), "unknown_item", code=code
                )
        if hall is not None:
            plan.rows.append(
                (hall, [items[code] for code in p.values["item_codes"] if code in items])
            )
    return plan


async def apply_links(session: AsyncSession, plan: _LinkPlan) -> tuple[int, int, int]:
    have: set[tuple[int, int]] = set()
    for batch in chunks([hall.id for hall, _ in plan.rows]):
        q = select(HallItem.hall_id, HallItem.impl_item_id).where(HallItem.hall_id.in_(batch))
        have.update((h, i) for h, i in (await session.execute(q)).all())
    updated = 0
    new: list[dict[str, int]] = []
    for hall, item_ids in plan.rows:
        links = [i for i in dict.fromkeys(item_ids) if (hall.id, i) not in have]
        new += [{"hall_id": hall.id, "impl_item_id": i} for i in links]
        updated += bool(links)
    if new:
        # Plain rows in one executemany: a city's links run to tens of thousands.
        await session.execute(insert(HallItem), new)
        index.invalidate()
    return 0, updated, len(plan.rows) - updated


async def export_links(session: AsyncSession, fmt: str) -> list[dict[str, Any]]:
    # The codes come from the catalogue's transfer module, not its tables.
    codes = await catalog_transfer.item_codes_by_id(session)
    q = select(Hall.code, HallItem.impl_item_id).join(HallItem, HallItem.hall_id == Hall.id)
    lists: dict[str, list[str]] = {}
    for hall_code, item_id in (await session.execute(q.order_by(Hall.code))).all():
        lists.setdefault(hall_code, []).append(codes[item_id])
    return [{"hall_code": h, "item_codes": sorted(items)} for h, items in lists.items()]


KINDS = (
    TableKind("halls", N_("Halls"), HALL_COLUMNS, check_halls, apply_halls, export_halls),
    TableKind(
        "hall_items",
        N_("Items handled in each hall"),
        LINK_COLUMNS,
        check_links,
        apply_links,
        export_links,
    ),
)
