"""Materials as a kind of their own: one row per material, keyed by its item's code, so a CSV
file can carry them (in JSON they can also come nested in their item)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.catalog.models import HandlingItem, ImplItem, Material
from yiwang.catalog.transfer_columns import (
    CHILD_DEFAULTS,
    CHILDREN,
    MATERIAL_COLUMNS,
    MATERIAL_FIELDS,
    by_code,
    child_row,
    children,
    natural_key,
    present,
    scope_error,
)
from yiwang.db import utcnow
from yiwang.kit.i18n import N_
from yiwang.kit.tabular import Allowed, ImportReport, Parsed, TableKind, assign, check_unique


@dataclass
class _MaterialPlan:
    rows: list[tuple[dict[str, Any], ImplItem]]
    have: dict[int, list[Material]]


async def check_materials(
    session: AsyncSession, parsed: list[Parsed], report: ImportReport, allowed: Allowed | None
) -> _MaterialPlan:
    for p in parsed:
        p.values["handling_kind"] = p.values.get("handling_kind") or None
    check_unique(
        report,
        parsed,
        lambda p: (
            (p.values["item_code"], p.values["handling_kind"], p.values["name"])
            if "item_code" in p.values and "name" in p.values
            else None
        ),
        "name",
    )
    items = await by_code(session, ImplItem, present(parsed, "item_code"))
    kinds: dict[int, set[str]] = {
        i: {h.kind for h in hs}
        for i, hs in (
            await children(session, HandlingItem, (it.id for it in items.values()))
        ).items()
    }
    plan = _MaterialPlan([], await children(session, Material, (it.id for it in items.values())))
    for p in parsed:
        v = p.values
        if "item_code" not in v:
            continue
        item = items.get(v["item_code"])
        if item is None:
            report.add(
                p.row, "item_code", N_("Unknown item {code}."), "unknown_item", code=v["item_code"]
            )
            continue
        if allowed and not allowed(item.region_code):
            scope_error(report, p.row, "item_code")
        if v["handling_kind"] and v["handling_kind"] not in kinds.get(item.id, set()):
            report.add(
                p.row,
                "handling_kind",
                N_("The item has no handling item of kind {kind}."),
                "unknown_kind",
                kind=v["handling_kind"],
            )
        plan.rows.append((v, item))
    return plan


async def apply_materials(session: AsyncSession, plan: _MaterialPlan) -> tuple[int, int, int]:
    inserted = updated = 0
    natural = CHILDREN["materials"][2]
    existing = {(i, natural_key(m, natural)): m for i, ms in plan.have.items() for m in ms}
    new: list[dict[str, Any]] = []
    for v, item in plan.rows:
        values = {k: x for k, x in v.items() if k != "item_code"}
        row = existing.get((item.id, (v["handling_kind"], v["name"])))
        if row is None:
            new.append({**CHILD_DEFAULTS[Material], **values, "impl_item_id": item.id})
            inserted += 1
        elif assign(row, values):
            updated += 1
        else:
            continue
        item.updated_at = utcnow()
    if new:
        await session.execute(insert(Material), new)
    await session.flush()
    return inserted, updated, len(plan.rows) - inserted - updated


async def export_materials(session: AsyncSession, fmt: str) -> list[dict[str, Any]]:
    q = select(Material, ImplItem.code).join(ImplItem, ImplItem.id == Material.impl_item_id)
    q = q.order_by(ImplItem.code, Material.sort, Material.id)
    return [
        {"item_code": code, **child_row(m, MATERIAL_FIELDS)}
        for m, code in (await session.execute(q)).all()
    ]


KIND = TableKind(
    "materials",
    N_("Materials"),
    MATERIAL_COLUMNS,
    check_materials,
    apply_materials,
    export_materials,
)
