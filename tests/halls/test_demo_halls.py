"""The demo halls: four levels in every district, inside the district's boundary, sensible hours
and the right items."""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import reference
from yiwang.catalog import demo as catalog_demo
from yiwang.catalog.models import ImplItem
from yiwang.halls import demo
from yiwang.halls.models import Hall, HallItem

LEVELS = {"city", "district", "street", "community"}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TIME = re.compile(r"([01]\d|2[0-4]):[0-5]\d")


def winding_inside(polygons: list[list[list[list[float]]]], lng: float, lat: float) -> bool:
    """Winding numbers (independent of the loader's ray casting): inside an outer ring and in
    none of its holes."""

    def winding(ring: list[list[float]]) -> int:
        total = 0
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = (b[0] - a[0]) * (lat - a[1]) - (lng - a[0]) * (b[1] - a[1])
            if a[1] <= lat < b[1] and cross > 0:
                total += 1
            elif b[1] <= lat < a[1] and cross < 0:
                total -= 1
        return total

    return any(
        winding(poly[0]) != 0 and not any(winding(hole) for hole in poly[1:]) for poly in polygons
    )


def boundaries() -> dict[str, list[list[list[list[float]]]]]:
    out = {}
    for f in json.loads(reference.boundaries_geojson())["features"]:
        g = f["geometry"]
        out[str(f["properties"]["adcode"])] = (
            g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        )
    return out


@pytest.fixture
async def halls(session: AsyncSession) -> list[Hall]:
    await catalog_demo.load(session)
    await demo.load(session)
    return [
        h for h in (await session.execute(select(Hall))).scalars() if not h.code.startswith("T")
    ]


async def test_at_least_200_halls_on_four_levels_in_every_district(halls: list[Hall]) -> None:
    assert len(halls) >= 200
    levels: dict[str, set[str]] = defaultdict(set)
    for h in halls:
        levels[h.district_code].add(h.level)
    assert set(levels) == {code for code, _, _ in reference.DISTRICTS}
    for district, seen in levels.items():
        assert seen == LEVELS, district
    assert len({h.code for h in halls}) == len(halls)


async def test_every_hall_lies_inside_its_district(halls: list[Hall]) -> None:
    shapes = boundaries()
    # The check itself: open sea south of 市南区 is in no district, 崂山区's hall is in 崂山区.
    assert not any(winding_inside(shape, 120.40, 35.98) for shape in shapes.values())
    assert winding_inside(shapes["370212"], 120.4686, 36.1076)
    for h in halls:
        assert winding_inside(shapes[h.district_code], h.lng, h.lat), h.code
        others = [d for d in shapes if d != h.district_code]
        assert not any(winding_inside(shapes[d], h.lng, h.lat) for d in others), h.code


async def test_codes_names_and_contact_details(halls: list[Hall]) -> None:
    by_code = {h.code: h for h in halls}
    badaguan = by_code["370202010000-01"]
    assert badaguan.name == "八大关街道便民服务中心" and badaguan.level == "street"
    assert by_code["370202010001-01"].name == "太平角社区便民服务站"
    assert by_code["370212000000-01"].name == "崂山区政务服务中心"
    for h in halls:
        assert re.fullmatch(r"\d{12}", h.region_code), h.code
        if h.level == "city":
            assert h.region_code == "370200000000"
        else:
            assert h.region_code.startswith(h.district_code)
        if h.level == "district":
            assert h.region_code.endswith("000000")
        if h.level == "street":
            assert h.region_code.endswith("000") and not h.region_code.endswith("000000")
        if h.level == "community":
            assert not h.region_code.endswith("000")
        assert re.fullmatch(r"0532-\d{8}", h.phone), h.phone
        assert h.name_en and h.address.startswith("青岛市")
        assert h.accessibility["facilities"] is not None


async def test_weekly_hours_are_well_formed_and_varied(halls: list[Hall]) -> None:
    saturday = all_day = holidays = 0
    for h in halls:
        assert set(h.weekly_hours) == set(DAYS), h.code
        for periods in h.weekly_hours.values():
            for start, end in periods:
                assert TIME.fullmatch(start) and TIME.fullmatch(end) and start < end
        assert h.weekly_hours["mon"], h.code
        saturday += bool(h.weekly_hours["sat"])
        all_day += h.weekly_hours["sun"] == [["00:00", "24:00"]]
        holidays += h.open_on_holidays
    assert saturday >= 10 and all_day >= 10 and 0 < holidays < len(halls) // 2


async def test_halls_handle_items_of_their_region(session: AsyncSession, halls: list[Hall]) -> None:
    rows = await session.execute(
        select(HallItem.hall_id, ImplItem.region_code, ImplItem.code).join(
            ImplItem, ImplItem.id == HallItem.impl_item_id
        )
    )
    items: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for hall_id, region, code in rows:
        items[hall_id].append((region, code))
    reach = {i.id: i.reach for i in await catalog_demo.item_reach(session)}
    codes = {c: i for i, c in (await session.execute(select(ImplItem.id, ImplItem.code)))}
    for h in halls:
        mine = items[h.id]
        if h.level in ("street", "community") or h.code.endswith("-01"):
            assert mine, h.code  # every main hall and every local hall has something to offer
        region = "370200" if h.level == "city" else h.district_code
        assert all(r == region for r, _ in mine), h.code
        if h.level == "community":
            assert all(reach[codes[c]] == "community" for _, c in mine), h.code
        if h.level == "street":
            assert all(reach[codes[c]] in ("street", "community") for _, c in mine), h.code
    main = next(h for h in halls if h.code == "370202000000-01")
    street = next(h for h in halls if h.code == "370202010000-01")
    assert len(items[main.id]) > len(items[street.id]) > 5


async def test_loading_twice_adds_nothing(session: AsyncSession) -> None:
    await catalog_demo.load(session)
    await demo.load(session)
    assert await demo.load(session) == {"halls": 0, "hall_items": 0}
