"""Catalogue import and export: implementation items and their materials (CSV or JSON) and
scenarios (JSON only, since a question tree is no table).

An item row carries its basic item's columns too (rows sharing a basic item must agree). In
JSON an item also nests its handling items, materials, fees, FAQs and results; in CSV its
handling items are a list of kinds ("new|change") and materials are a kind of their own.

Imports upsert by code and delete nothing. Records without a code are matched inside their item
by a natural key: materials by (handling kind, name), fees and results by name, FAQs by question.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import service as accounts
from yiwang.catalog import search, transfer_materials, transfer_scenarios
from yiwang.catalog.models import BasicItem, Domain, HandlingItem, ImplItem
from yiwang.catalog.transfer_columns import (
    BASIC_FIELDS,
    CHILD_DEFAULTS,
    CHILDREN,
    ITEM_COLUMNS,
    ITEM_FIELDS,
    KIND_NAMES,
    by_code,
    check_basic_unchanged,
    check_basics_agree,
    child_row,
    children,
    handling_code,
    natural_key,
    present,
    promise_too_long,
    scope_error,
    unique_children,
)
from yiwang.config import get_settings
from yiwang.db import utcnow
from yiwang.kit.i18n import N_
from yiwang.kit.tabular import (
    Allowed,
    ImportReport,
    Parsed,
    TableKind,
    assign,
    check_unique,
    chunks,
    parse_objects,
)


async def item_ids_by_code(session: AsyncSession, codes: Iterable[str]) -> dict[str, int]:
    """For other domains' imports (halls link to items by code)."""
    out: dict[str, int] = {}
    for batch in chunks(sorted(set(codes))):
        q = select(ImplItem.code, ImplItem.id).where(ImplItem.code.in_(batch))
        out.update({code: i for code, i in (await session.execute(q)).all()})
    return out


async def item_codes_by_id(session: AsyncSession) -> dict[int, str]:
    return {i: code for i, code in (await session.execute(select(ImplItem.id, ImplItem.code)))}


@dataclass
class _ItemRow:
    row: int
    values: dict[str, Any]
    department_id: int
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    new_kinds: list[str] = field(default_factory=list)  # from a CSV list, not there yet


@dataclass
class _ItemPlan:
    rows: list[_ItemRow]
    items: dict[str, ImplItem]
    basics: dict[str, BasicItem]
    handling: dict[str, HandlingItem]


async def check_items(
    session: AsyncSession, parsed: list[Parsed], report: ImportReport, allowed: Allowed | None
) -> _ItemPlan:
    check_unique(report, parsed, lambda p: p.values.get("code"), "code")
    check_basics_agree(parsed, report)
    domains = set(await session.scalars(select(Domain.code)))
    regions = {r.code for r in await accounts.list_regions(session)}
    departments = {(d.code, d.region_code): d.id for d in await accounts.list_departments(session)}
    items = await by_code(session, ImplItem, present(parsed, "code"))
    plan = _ItemPlan(
        [], items, await by_code(session, BasicItem, present(parsed, "basic_code")), {}
    )
    existing_kinds = {
        i: {h.kind for h in hs}
        for i, hs in (
            await children(session, HandlingItem, (it.id for it in items.values()))
        ).items()
    }
    for p in parsed:
        v, row = p.values, p.row
        region, code = v.get("region_code"), v.get("code")
        old = items.get(code) if code else None
        dept = None
        if region is not None and region not in regions:
            report.add(
                row,
                "region_code",
                N_("Region {code} is not one of the city's regions."),
                "unknown_region",
                code=region,
            )
        elif region is not None:
            if allowed and not (allowed(region) and (old is None or allowed(old.region_code))):
                scope_error(report, row, "region_code")
            dept = departments.get((v.get("department", ""), region))
            if dept is None and "department" in v:
                report.add(
                    row,
                    "department",
                    N_("No department {department} in region {region}."),
                    "unknown_department",
                    department=v["department"],
                    region=region,
                )
        if "domain_code" in v and v["domain_code"] not in domains:
            report.add(
                row,
                "domain_code",
                N_("Unknown domain {code}."),
                "unknown_domain",
                code=v["domain_code"],
            )
        if allowed and not allowed(get_settings().region_code):
            check_basic_unchanged(report, row, v, plan.basics.get(v.get("basic_code", "")))
        if promise_too_long(v):
            report.add(
                row,
                "promised_limit",
                N_("The promised time limit is longer than the statutory one."),
                "limit",
            )
        item = _ItemRow(row, v, dept or 0)
        for key, (cols, _model, natural) in CHILDREN.items():
            if key in v:
                objs = parse_objects(row, key, v.pop(key), cols, report)
                if objs is not None:
                    unique_children(report, row, key, objs, natural)
                    item.children[key] = objs
        have = {h["kind"] for h in item.children.get("handling_items", [])}
        have |= existing_kinds.get(old.id, set()) if old else set()
        item.new_kinds = [k for k in v.get("handling_kinds", []) if k not in have]
        kinds = have | set(item.new_kinds)
        for n, m in enumerate(item.children.get("materials", []), start=1):
            m["handling_kind"] = m.get("handling_kind") or None
            if m["handling_kind"] and m["handling_kind"] not in kinds:
                report.add(
                    row,
                    f"materials[{n}].handling_kind",
                    N_("The item has no handling item of kind {kind}."),
                    "unknown_kind",
                    kind=m["handling_kind"],
                )
        if code is not None:
            plan.rows.append(item)
    await _check_handling_codes(session, plan, report)
    return plan


async def _check_handling_codes(
    session: AsyncSession, plan: _ItemPlan, report: ImportReport
) -> None:
    """A handling item code is unique in the whole catalogue, not just in one item."""
    wanted: dict[str, tuple[int, str]] = {}  # code -> (row, item code)
    seen_items: set[str] = set()
    for item in plan.rows:
        if item.values["code"] in seen_items:
            continue  # a repeated item code is reported already, and would repeat here
        seen_items.add(item.values["code"])
        # Repeats inside one item's list are reported by unique_children already.
        codes = list(dict.fromkeys(h["code"] for h in item.children.get("handling_items", [])))
        codes += [handling_code(item.values["code"], k) for k in item.new_kinds]
        for code in codes:
            if code in wanted:
                report.add(
                    item.row,
                    "handling_items",
                    N_("Handling item {code} appears more than once in the file."),
                    "duplicate",
                    code=code,
                )
            wanted.setdefault(code, (item.row, item.values["code"]))
    plan.handling = await by_code(session, HandlingItem, wanted)
    owners = {i.id: code for code, i in plan.items.items()}
    others = {h.impl_item_id for h in plan.handling.values()} - set(owners)
    if others:
        q = select(ImplItem.id, ImplItem.code).where(ImplItem.id.in_(others))
        owners.update({i: code for i, code in (await session.execute(q)).all()})
    for code, h in plan.handling.items():
        row, item_code = wanted[code]
        if owners[h.impl_item_id] != item_code:
            report.add(
                row,
                "handling_items",
                N_("Handling item {code} belongs to item {item}."),
                "handling_owner",
                code=code,
                item=owners[h.impl_item_id],
            )


ITEM_DEFAULTS: dict[str, Any] = {
    "name_en": "",
    "department_credit_code": "",
    "acceptance_conditions": "",
    "has_fee": False,
    "where_to_apply": "",
    "when_to_apply": "",
    "online_depth": 1,
    "max_visits": 1,
    "applicant_types": {"types": []},
    "topics": {"topics": []},
    "active": True,
}


async def apply_items(session: AsyncSession, plan: _ItemPlan) -> tuple[int, int, int]:
    touched: set[str] = set()  # codes of existing items that changed
    changed_basics: set[int] = set()
    for item in plan.rows:
        v = item.values
        fields = {BASIC_FIELDS[k]: v[k] for k in BASIC_FIELDS if k in v}
        basic = plan.basics.get(v["basic_code"])
        if basic is None:
            basic = BasicItem(code=v["basic_code"], **{"name_en": "", "legal_basis": "", **fields})
            session.add(basic)
            plan.basics[basic.code] = basic
        elif assign(basic, fields):
            touched.add(v["code"])
            changed_basics.add(basic.id)
    await session.flush()
    existed: dict[str, bool] = {}
    for item in plan.rows:
        v = item.values
        fields = {k: v[k] for k in ITEM_FIELDS if k in v}
        fields |= {
            "basic_item_id": plan.basics[v["basic_code"]].id,
            "department_id": item.department_id,
            "region_code": v["region_code"],
        }
        if "applicant_types" in v:
            fields["applicant_types"] = {"types": v["applicant_types"]}
        if "topics" in v:
            fields["topics"] = {"topics": v["topics"]}
        obj = plan.items.get(v["code"])
        existed[v["code"]] = obj is not None
        if obj is None:
            obj = ImplItem(code=v["code"], **{**ITEM_DEFAULTS, **fields})
            session.add(obj)
            plan.items[obj.code] = obj
        elif assign(obj, fields):
            touched.add(obj.code)
    await session.flush()
    ids = [plan.items[i.values["code"]].id for i in plan.rows]
    have: dict[str, dict[int, dict[tuple[Any, ...], Any]]] = {}
    for key, (_, model, natural) in CHILDREN.items():
        # Handling item codes are unique catalogue-wide (one group, 0); the rest per item.
        found = (
            {0: list(plan.handling.values())}
            if key == "handling_items"
            else await children(session, model, ids)
        )
        have[key] = {i: {natural_key(o, natural): o for o in os} for i, os in found.items()}
    new: dict[type[Any], list[dict[str, Any]]] = {m: [] for _, m, _ in CHILDREN.values()}
    for item in plan.rows:
        obj = plan.items[item.values["code"]]
        if _apply_children(item, obj, have, new):
            touched.add(obj.code)
    for model, rows in new.items():
        if rows:
            # Plain rows in one executemany: a city's items bring tens of thousands of children.
            await session.execute(insert(model), rows)
    inserted = sum(1 for e in existed.values() if not e)
    updated = 0
    for code in touched:
        if existed[code]:
            plan.items[code].updated_at = utcnow()
            updated += 1
    await session.flush()
    # The search index holds basic item names too: items outside the file may share one.
    reindex = {plan.items[code].id for code, e in existed.items() if not e or code in touched}
    if changed_basics:
        q = select(ImplItem.id).where(ImplItem.basic_item_id.in_(changed_basics))
        reindex.update(await session.scalars(q))
    if reindex:
        await search.index_items(session, reindex)
    return inserted, updated, len(plan.rows) - inserted - updated


def _apply_children(
    item: _ItemRow,
    obj: ImplItem,
    have: dict[str, dict[int, dict[tuple[Any, ...], Any]]],
    new: dict[type[Any], list[dict[str, Any]]],
) -> bool:
    """Updates the item's existing children in place and collects the new ones in `new`."""
    changed = False
    for key, objs in item.children.items():
        _cols, model, natural = CHILDREN[key]
        by_key = have[key].get(0 if key == "handling_items" else obj.id, {})
        for values in objs:
            row = by_key.get(tuple(values.get(f) or None for f in natural))
            if row is None:
                new[model].append({**CHILD_DEFAULTS[model], **values, "impl_item_id": obj.id})
                changed = True
            else:
                changed = assign(row, values) or changed
    for kind in item.new_kinds:
        zh, en = KIND_NAMES[kind]
        new[HandlingItem].append(
            {
                "code": handling_code(obj.code, kind),
                "impl_item_id": obj.id,
                "kind": kind,
                "name": f"{obj.name}（{zh}）",
                "name_en": f"{obj.name_en} ({en})" if obj.name_en else "",
            }
        )
        changed = True
    return changed


def _ordered(key: str, rows: list[Any]) -> list[Any]:
    if key in ("materials", "faqs"):
        return sorted(rows, key=lambda r: (r.sort, r.id))
    return rows


async def export_items(session: AsyncSession, fmt: str) -> list[dict[str, Any]]:
    items = list(await session.scalars(select(ImplItem).order_by(ImplItem.code)))
    basics = {b.id: b for b in await session.scalars(select(BasicItem))}
    depts = {d.id: d for d in await accounts.list_departments(session)}
    ids = [i.id for i in items]
    kids = {key: await children(session, m, ids) for key, (_, m, _) in CHILDREN.items()}
    rows: list[dict[str, Any]] = []
    for it in items:
        b = basics[it.basic_item_id]
        row: dict[str, Any] = {
            "code": it.code,
            "basic_code": b.code,
            "basic_name": b.name,
            "basic_name_en": b.name_en,
            "item_type": b.item_type,
            "exercise_level": b.exercise_level,
            "legal_basis": b.legal_basis,
            "domain_code": b.domain_code,
            "department": depts[it.department_id].code,
            "region_code": it.region_code,
            **{f: getattr(it, f) for f in ITEM_FIELDS},
            "applicant_types": list(it.applicant_types.get("types", [])),
            "topics": list(it.topics.get("topics", [])),
        }
        if fmt == "csv":
            row["handling_kinds"] = [h.kind for h in kids["handling_items"].get(it.id, [])]
        else:
            for key, (cols, _m, _n) in CHILDREN.items():
                row[key] = [child_row(o, cols) for o in _ordered(key, kids[key].get(it.id, []))]
        rows.append(row)
    return rows


KINDS = (
    TableKind(
        "items",
        N_("Implementation items"),
        ITEM_COLUMNS,
        check_items,
        apply_items,
        export_items,
        nested=frozenset(CHILDREN),
    ),
    transfer_materials.KIND,
    transfer_scenarios.KIND,
)
