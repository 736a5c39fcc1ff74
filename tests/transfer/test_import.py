"""Imports and exports of the catalogue and the halls, through the service, in the test's
transaction: every error by row and column, nothing changed on any error, exact round trips."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.transfer import fixture
from yiwang.audit.models import AuditEvent
from yiwang.catalog.models import HandlingItem, ImplItem, Material, Scenario, ScenarioItem
from yiwang.halls.models import Hall, HallItem
from yiwang.kit.tabular import BOM, ImportReport
from yiwang.transfer import service

HALL_HEADER = (
    "code,name,name_en,level,region_code,district_code,address,lat,lng,phone,windows,"
    "accessibility,mon,tue,wed,thu,fri,sat,sun,open_on_holidays,notes,active"
)


def _hall_row(n: int, region: str = "370202010001", **over: str) -> str:
    cells = {
        "code": f"X-N{n}",
        "name": f"新站点{n}",
        "name_en": "",
        "level": "community",
        "region_code": region,
        "district_code": "",
        "address": f"测试路{n}号",
        "lat": "36.07",
        "lng": "120.39",
        "phone": "",
        "windows": "2",
        "accessibility": "ramp|toilet",
        "mon": "09:00-12:00,13:30-17:00",
        "tue": "09:00-17:00",
        "wed": "",
        "thu": "",
        "fri": "",
        "sat": "",
        "sun": "",
        "open_on_holidays": "false",
        "notes": "",
        "active": "true",
    } | over
    return ",".join(f'"{v}"' for v in cells.values())


def _halls_csv(*rows: str, bom: bool = True) -> bytes:
    text = HALL_HEADER + "\r\n" + "".join(r + "\r\n" for r in rows)
    return (BOM + text if bom else text).encode()


def _where(report: ImportReport) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.code) for e in report.sorted_errors()]


async def _audit_count(session: AsyncSession) -> int:
    return len(list(await session.scalars(select(AuditEvent.seq))))


async def test_csv_with_one_bad_row_names_row_and_column_and_changes_nothing(
    session: AsyncSession,
) -> None:
    await fixture.catalogue(session)
    await fixture.halls(session)
    before, audits = await fixture.counts(session), await _audit_count(session)
    rows = [_hall_row(n) for n in range(1, 6)] + [_hall_row(6, region="379999010001")]
    report = await service.import_bytes(session, "halls", _halls_csv(*rows), "csv")
    assert _where(report) == [(7, "region_code", "id_unknown_region")]
    error = report.errors[0]
    assert error.text("zh_CN") == "行政区划代码 379999 不存在。"
    assert error.text("en") == "Unknown region code 379999."
    assert service.error_lines(report) == [
        "row 7 第7行, region_code: 行政区划代码 379999 不存在。 / Unknown region code 379999."
    ]
    assert await fixture.counts(session) == before
    assert await _audit_count(session) == audits
    # The same file with the row corrected goes in whole.
    rows[-1] = _hall_row(6)
    report = await service.import_bytes(session, "halls", _halls_csv(*rows), "csv")
    assert report.ok, report.errors
    assert (report.inserted, report.updated, report.unchanged) == (6, 0, 0)
    after = await fixture.counts(session)
    assert after["halls"] == before["halls"] + 6
    assert await _audit_count(session) == audits + 1
    hall = (await session.scalars(select(Hall).where(Hall.code == "X-N6"))).one()
    assert hall.district_code == "370202"
    assert hall.weekly_hours["mon"] == [["09:00", "12:00"], ["13:30", "17:00"]]
    assert hall.weekly_hours["sun"] == []
    assert hall.accessibility == {"facilities": ["ramp", "toilet"]}


async def test_a_file_with_several_errors_reports_them_all(session: AsyncSession) -> None:
    await fixture.catalogue(session)
    before = await fixture.counts(session)
    rows: list[dict[str, Any]] = [
        {"code": "X-NEW1", "department": "nosuch"},
        {"code": "X-NEW2", "domain_code": "no-domain", "statutory_unit": "weeks"},
        {"code": "X-NEW1", "promised_limit": "30"},
        {"code": "X-NEW4", "region_code": "370285", "basic_name": "另一个名字"},
        {"code": "X-NEW5", "region_code": "110101", "handling_kinds": "new|later"},
    ]
    base = {
        "name": "新事项",
        "basic_code": "X-B-NEW",
        "basic_name": "新基本事项",
        "item_type": "行政确认",
        "exercise_level": "县级",
        "domain_code": "x-food",
        "department": "xzsp",
        "region_code": "370202",
        "statutory_limit": "20",
        "statutory_unit": "working",
        "promised_limit": "5",
        "promised_unit": "working",
        "handling_kinds": "new",
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*base, "code"])
    writer.writeheader()
    for r in rows:
        writer.writerow(base | r)
    report = await service.import_bytes(session, "items", out.getvalue().encode(), "csv")
    assert _where(report) == [
        (2, "department", "unknown_department"),
        (3, "domain_code", "basic_conflict"),
        (3, "domain_code", "unknown_domain"),
        (3, "statutory_unit", "bad_choice"),
        (4, "code", "duplicate"),
        (4, "promised_limit", "limit"),
        (5, "basic_name", "basic_conflict"),
        (6, "handling_kinds", "bad_choice"),
        (6, "region_code", "unknown_region"),
    ]
    texts = {(e.row, e.column): e.text("en") for e in report.errors}
    assert texts[(2, "department")] == "No department nosuch in region 370202."
    assert texts[(4, "code")] == "This appears more than once in the file (first in row 2)."
    assert texts[(5, "basic_name")] == (
        "Rows of basic item X-B-NEW disagree on this column (see row 2)."
    )
    assert texts[(6, "region_code")] == "Region 110101 is not one of the city's regions."
    assert await fixture.counts(session) == before


async def _export_all(session: AsyncSession) -> dict[str, bytes]:
    out = {}
    for name, kind in service.KINDS.items():
        for fmt in kind.formats:
            out[f"{name}.{fmt}"] = await service.export_bytes(session, name, fmt)
    return out


async def _import(session: AsyncSession, name: str, data: bytes, fmt: str) -> ImportReport:
    report = await service.import_bytes(session, name, data, fmt)
    assert report.ok, service.error_lines(report)
    return report


async def _scenario_items(session: AsyncSession, code: str) -> list[str]:
    q = (
        select(HandlingItem.code)
        .join(ScenarioItem, ScenarioItem.handling_item_id == HandlingItem.id)
        .join(Scenario, Scenario.id == ScenarioItem.scenario_id)
        .where(Scenario.code == code)
        .order_by(HandlingItem.code)
    )
    return list(await session.scalars(q))


async def _handling_items(session: AsyncSession) -> list[tuple[str, str, str]]:
    """(code, item code, kind) of every handling item: what a CSV file of items carries."""
    q = (
        select(HandlingItem.code, ImplItem.code, HandlingItem.kind)
        .join(ImplItem, ImplItem.id == HandlingItem.impl_item_id)
        .order_by(HandlingItem.code)
    )
    return [(code, item, kind) for code, item, kind in (await session.execute(q)).all()]


def _without_csv_losses(items_json: bytes) -> list[dict[str, Any]]:
    """The JSON export of items less what a CSV file does not carry."""
    items: list[dict[str, Any]] = json.loads(items_json)
    for item in items:
        for key in ("fees", "faqs", "results"):
            del item[key]
        item["handling_items"] = [(h["code"], h["kind"]) for h in item["handling_items"]]
    return items


async def test_json_round_trip_reproduces_everything(session: AsyncSession) -> None:
    await fixture.catalogue(session)
    await fixture.halls(session)
    first = await _export_all(session)
    counts = await fixture.counts(session)
    items = json.loads(first["items.json"])
    # The whole catalogue goes round, the demo data the session loaded as well as ours.
    assert len(items) == counts["catalog_impl_items"] > 3
    food = next(i for i in items if i["code"] == "X-FOOD")
    assert [m["name"] for m in food["materials"]] == [
        "营业执照",
        "食品经营许可证正副本",
        "=经营场所平面图",
    ]
    assert food["handling_items"][1] == {
        "code": "X-FOOD04",
        "kind": "cancel",
        "name": "食品经营许可注销",
        "name_en": "Cancel a food business licence",
    }
    assert food["results"] == [
        {"name": "食品经营许可证", "kind": "licence", "licence_type_code": "FOOD-LICENCE"}
    ]
    await fixture.wipe(session)
    assert (await fixture.counts(session))["catalog_impl_items"] == 0
    for name in ("items", "scenarios", "halls", "hall_items"):
        await _import(session, name, first[f"{name}.json"], "json")
    assert await fixture.counts(session) == counts
    assert await _export_all(session) == first
    # The scenario's item rows follow its tree again.
    assert await _scenario_items(session, "x-open-shop") == ["X-FOOD01", "X-FOOD04", "X-SIGN01"]


async def test_csv_round_trip_of_items_materials_halls_and_links(session: AsyncSession) -> None:
    await fixture.catalogue(session)
    await fixture.halls(session)
    first = await _export_all(session)
    assert all(first[k].startswith(BOM.encode()) for k in first if k.endswith(".csv"))
    counts = await fixture.counts(session)
    handling = await _handling_items(session)
    scenarios = first["scenarios.json"]
    await fixture.wipe(session)
    for name in ("items", "materials", "halls", "hall_items"):
        await _import(session, name, first[f"{name}.csv"], "csv")
    await _import(session, "scenarios", scenarios, "json")
    again = await _export_all(session)
    # CSV carries no fees, FAQs or results and only the kinds of the handling items:
    # everything else comes back exactly.
    assert {k: v for k, v in again.items() if k != "items.json"} == {
        k: v for k, v in first.items() if k != "items.json"
    }
    assert _without_csv_losses(again["items.json"]) == _without_csv_losses(first["items.json"])
    lost = counts | {"catalog_fees": 0, "catalog_faqs": 0, "catalog_results": 0}
    assert await fixture.counts(session) == lost
    # The handling items came back from the list of kinds, with codes from the item code.
    assert await _handling_items(session) == handling
    assert [h for h in handling if h[0].startswith("X-")] == [
        ("X-FOOD01", "X-FOOD", "new"),
        ("X-FOOD04", "X-FOOD", "cancel"),
        ("X-SIGN01", "X-SIGN", "new"),
    ]
    assert await _scenario_items(session, "x-open-shop") == ["X-FOOD01", "X-FOOD04", "X-SIGN01"]


async def _hall_rows(session: AsyncSession) -> dict[str, dict[str, str]]:
    export = (await service.export_bytes(session, "halls", "csv")).decode("utf-8-sig")
    return {r["code"]: r for r in csv.DictReader(io.StringIO(export))}


async def test_import_upserts_by_code_and_deletes_nothing(session: AsyncSession) -> None:
    await fixture.catalogue(session)
    await fixture.halls(session)
    before_rows = await _hall_rows(session)
    assert len(before_rows) > 4  # the demo halls are there too, none of them in the file
    rows = [dict(before_rows[f"X-H{n}"]) for n in (1, 2, 3)]
    rows[0]["name"] = "改名后的中心"
    rows[1]["sat"] = "08:30-12:00"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)  # X-H4 left out of the file: it stays as it is
    before = await fixture.counts(session)
    report = await _import(session, "halls", out.getvalue().encode("gb18030"), "csv")
    assert (report.inserted, report.updated, report.unchanged) == (0, 2, 1)
    assert await fixture.counts(session) == before
    # Every hall is still there and only the two edited cells changed.
    expected = before_rows | {r["code"]: r for r in rows}
    assert await _hall_rows(session) == expected
    halls = {h.code: h for h in await session.scalars(select(Hall))}
    assert halls["X-H1"].name == "改名后的中心"
    assert halls["X-H2"].weekly_hours["sat"] == [["08:30", "12:00"]]
    assert halls["X-H2"].weekly_hours["mon"] == fixture.WEEK["mon"]
    assert "X-H4" in halls


async def test_a_partial_file_updates_only_its_columns(session: AsyncSession) -> None:
    await fixture.catalogue(session)
    data = json.dumps(
        [
            {
                "code": "X-FOOD",
                "name": "食品经营许可（市南区）",
                "basic_code": "X-B-FOOD",
                "basic_name": "食品经营许可",
                "item_type": "行政许可",
                "exercise_level": "县级",
                "domain_code": "x-food",
                "department": "xzsp",
                "region_code": "370202",
                "statutory_limit": 20,
                "statutory_unit": "working",
                "promised_limit": 3,
                "promised_unit": "working",
                "materials": [
                    {
                        "name": "营业执照",
                        "requirement": "required",
                        "form": "copy",
                        "source": "upload",
                    },
                    {
                        "name": "健康证明",
                        "requirement": "required",
                        "form": "copy",
                        "source": "upload",
                    },
                ],
            }
        ],
        ensure_ascii=False,
    ).encode()
    report = await _import(session, "items", data, "json")
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 0)
    item = (await session.scalars(select(ImplItem).where(ImplItem.code == "X-FOOD"))).one()
    assert (item.name, item.promised_limit) == ("食品经营许可（市南区）", 3)
    # Columns the file lacks keep their values.
    assert item.where_to_apply == "市南区政务服务中心\n二楼 12 号窗口" and item.online_depth == 4
    materials = {
        m.name: m
        for m in await session.scalars(select(Material).where(Material.impl_item_id == item.id))
    }
    assert materials["营业执照"].form == "copy" and materials["营业执照"].source == "upload"
    assert "健康证明" in materials and "=经营场所平面图" in materials
    again = await _import(session, "items", data, "json")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 1)


async def test_references_between_kinds_are_checked(session: AsyncSession) -> None:
    await fixture.catalogue(session)
    await fixture.halls(session)
    before = await fixture.counts(session)
    links = (
        "hall_code,item_codes\r\nX-H1,X-FOOD|X-NOPE\r\nX-NOHALL,X-SIGN\r\nX-H2,X-SIGN；X-FOOD\r\n"
    )
    report = await service.import_bytes(session, "hall_items", links.encode(), "csv")
    assert _where(report) == [(2, "item_codes", "unknown_item"), (3, "hall_code", "unknown_hall")]
    materials = (
        "item_code,handling_kind,name,requirement,form,source\r\n"
        "X-SIGN,cancel,注销申请,required,copy,upload\r\n"
        "X-NONE,,申请书,required,copy,upload\r\n"
    )
    report = await service.import_bytes(session, "materials", materials.encode(), "csv")
    assert _where(report) == [
        (2, "handling_kind", "unknown_kind"),
        (3, "item_code", "unknown_item"),
    ]
    assert await fixture.counts(session) == before
    report = await _import(
        session,
        "hall_items",
        links.encode().replace(b"|X-NOPE", b"").replace(b"X-NOHALL", b"X-H3"),
        "csv",
    )
    # X-H1 handled X-FOOD already: nothing new for it.
    assert (report.updated, report.unchanged) == (2, 1)
    assert (await fixture.counts(session))["hall_items"] == before["hall_items"] + 3


async def test_scenario_trees_are_checked_like_the_editor_does(session: AsyncSession) -> None:
    await fixture.catalogue(session)
    tree = json.loads(json.dumps(fixture.TREE))
    tree["outcomes"]["close"]["items"] = ["X-GONE"]
    tree["questions"]["q1"]["choices"][0]["outcome"] = "nowhere"
    doc = [
        {"code": "x-open-shop", "name": "开店", "domain_code": "x-food", "tree": tree},
        {"code": "x-second", "name": "第二个", "domain_code": "x-food", "tree": "none"},
    ]
    before = await fixture.counts(session)
    report = await service.import_bytes(session, "scenarios", json.dumps(doc).encode(), "json")
    assert _where(report) == [(1, "tree", "bad_tree"), (1, "tree", "bad_tree"), (2, "tree", "tree")]
    assert {e.text("en") for e in report.errors if e.row == 1} == {
        "Question q1 leads to outcome nowhere, which does not exist.",
        "Outcome close names unknown item X-GONE.",
    }
    assert await fixture.counts(session) == before
    csv_report = await service.import_bytes(session, "scenarios", b"code\r\nx\r\n", "csv")
    assert csv_report.errors[0].text("en") == "This kind cannot be imported from CSV files."


async def test_administrators_import_only_inside_their_region(session: AsyncSession) -> None:
    await fixture.catalogue(session)
    await fixture.halls(session)
    before = await fixture.counts(session)
    rows = [_hall_row(1), _hall_row(2, region="370203000001"), _hall_row(3).replace("X-N3", "X-H4")]
    shinan = service.scope(["370202"])
    report = await service.import_bytes(
        session, "halls", _halls_csv(*rows), "csv", allowed=shinan, actor="person:1"
    )
    # Row 4 names a hall of 市北区 (X-H4): moving it into 市南区 needs both districts.
    assert _where(report) == [(3, "region_code", "scope"), (4, "region_code", "scope")]
    assert report.errors[0].text("en") == "This region is outside your administration scope."
    assert await fixture.counts(session) == before
    city = service.scope(["370200"])
    ok = await service.import_bytes(session, "halls", _halls_csv(*rows), "csv", allowed=city)
    assert ok.ok and (ok.inserted, ok.updated) == (2, 1)


async def test_hall_links_file_adds_links_and_keeps_the_others(session: AsyncSession) -> None:
    await fixture.catalogue(session)
    await fixture.halls(session)
    before = await _links(session)
    assert ("X-H1", "X-FOOD") in before and len(before) > 1  # the demo halls' links too
    report = await _import(session, "hall_items", b"hall_code,item_codes\r\nX-H1,X-SIGN\r\n", "csv")
    assert (report.updated, report.unchanged) == (1, 0)
    # X-H1 keeps X-FOOD, which the file leaves out, and every other hall keeps its links.
    assert await _links(session) == sorted([*before, ("X-H1", "X-SIGN")])


async def _links(session: AsyncSession) -> list[tuple[str, str]]:
    """(hall code, item code) of every link between a hall and an item, duplicates kept."""
    q = (
        select(Hall.code, ImplItem.code)
        .join(HallItem, HallItem.hall_id == Hall.id)
        .join(ImplItem, ImplItem.id == HallItem.impl_item_id)
    )
    return sorted((hall, item) for hall, item in (await session.execute(q)).all())


async def test_the_demo_catalogue_and_halls_round_trip_exactly(session: AsyncSession) -> None:
    from yiwang.catalog import demo as catalog_demo
    from yiwang.halls import demo as halls_demo

    await catalog_demo.load(session, scale="demo")
    await halls_demo.load(session, scale="demo")
    first = await _export_all(session)
    counts = await fixture.counts(session)
    assert counts["catalog_impl_items"] > 50 and counts["halls"] > 50
    await fixture.wipe(session)
    for name in ("items", "scenarios", "halls", "hall_items"):
        report = await _import(session, name, first[f"{name}.json"], "json")
        # Links count as updates of their hall; everything else comes in as new.
        assert (report.inserted + report.updated, report.unchanged) == (report.rows, 0)
    assert await _export_all(session) == first
    # Special days are no kind of their own: only they stay behind after the wipe.
    assert await fixture.counts(session) == counts | {"hall_exceptions": 0}


async def test_a_district_administrator_cannot_change_shared_basic_items(
    session: AsyncSession,
) -> None:
    await fixture.catalogue(session)
    items = json.loads(await service.export_bytes(session, "items", "json"))
    sign = next(i for i in items if i["code"] == "X-SIGN")
    shinan = service.scope(["370202"])
    unchanged = await service.import_bytes(
        session, "items", json.dumps([sign]).encode(), "json", allowed=shinan
    )
    assert unchanged.ok and unchanged.unchanged == 1
    sign["basic_name"] = "户外招牌设置（改）"
    sign["name"] = "户外招牌设置备案（改）"
    report = await service.import_bytes(
        session, "items", json.dumps([sign]).encode(), "json", allowed=shinan
    )
    assert _where(report) == [(1, "basic_name", "scope")]
    assert report.errors[0].text("en") == (
        "Only a city-wide administrator can change basic item X-B-SIGN."
    )
    city = await service.import_bytes(
        session, "items", json.dumps([sign]).encode(), "json", allowed=service.scope(["370200"])
    )
    assert city.ok and city.updated == 1
