"""The halls JSON API: nearest, the list and one hall; errors name their field in zh and en."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.halls import fixture
from tests.halls.fixture import HERE

NEAREST = "/api/v1/halls/nearest"


async def test_nearest_answers_halls_nearest_first(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await fixture.standard(session)
    r = await client.get(NEAREST, params={"lat": HERE[0], "lng": HERE[1], "item": "T-ITEM-A"})
    assert r.status_code == 200
    body = r.json()
    assert [h["code"] for h in body] == ["T-H1", "T-H2", "T-H3", "T-H4"]
    first = body[0]
    assert set(first) == {
        "code", "name", "name_en", "level", "address", "lat", "lng", "distance_m", "open_now",
        "phone",
    }  # fmt: skip
    assert first["level"] == "city" and first["distance_m"] == pytest.approx(300, abs=2)
    # T-H1 is open around the clock and on holidays, T-H2 never: both whatever the time now.
    assert first["open_now"] is True and body[1]["open_now"] is False
    assert first["lat"] == pytest.approx(fixture.moved(HERE, 300, 0)[0])


async def test_nearest_limit(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await fixture.standard(session)
    params: dict[str, str | float] = {
        "lat": HERE[0],
        "lng": HERE[1],
        "item": "T-ITEM-B",
        "limit": 2,
    }
    r = await client.get(NEAREST, params=params)
    assert [h["code"] for h in r.json()] == ["T-H1", "T-H4"]


@pytest.mark.parametrize(
    ("params", "field", "zh"),
    [
        ({"lat": 91, "lng": 120}, "lat", "纬度"),
        ({"lat": -90.5, "lng": 120}, "lat", "纬度"),
        ({"lat": 36, "lng": 181}, "lng", "经度"),
        ({"lat": 36, "lng": -180.1}, "lng", "经度"),
        ({"lat": 36, "lng": 120, "limit": 0}, "limit", "1"),
        ({"lat": 36, "lng": 120, "limit": 51}, "limit", "50"),
        ({"lng": 120}, "lat", "必填"),
        ({"lat": 36}, "lng", "必填"),
        ({"lat": "north", "lng": 120}, "lat", ""),
    ],
)
async def test_nearest_bad_input_is_422_naming_the_field(
    client: httpx.AsyncClient, params: dict[str, str | float], field: str, zh: str
) -> None:
    r = await client.get(NEAREST, params=params)
    assert r.status_code == 422
    body = r.json()
    assert body["field"] == field
    assert [e["field"] for e in body["errors"]] == [field]
    assert zh in body["message"]["zh"] and body["message"]["en"]


async def test_nearest_unknown_item_is_404(client: httpx.AsyncClient) -> None:
    r = await client.get(NEAREST, params={"lat": HERE[0], "lng": HERE[1], "item": "NO-SUCH"})
    assert r.status_code == 404
    body = r.json()
    assert body["code"] == "unknown_item" and body["field"] == "item"
    assert "NO-SUCH" in body["message"]["zh"] and "NO-SUCH" in body["message"]["en"]


async def test_bad_range_is_checked_before_the_item(client: httpx.AsyncClient) -> None:
    r = await client.get(NEAREST, params={"lat": 99, "lng": 120, "item": "NO-SUCH"})
    assert r.status_code == 422 and r.json()["field"] == "lat"


async def test_list_with_filters_and_paging(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await fixture.standard(session)
    r = await client.get("/api/v1/halls", params={"item": "T-ITEM-A", "page_size": 3})
    body = r.json()
    assert r.status_code == 200
    assert (body["total"], body["pages"], body["page"]) == (4, 2, 1)
    assert [h["code"] for h in body["items"]] == ["T-H1", "T-H4", "T-H3"]
    first = body["items"][0]
    assert first["region_code"] == "370202001001" and len(first["region_code"]) == 12
    assert first["today"]["periods"] == [{"start": "00:00", "end": "24:00"}]
    r = await client.get("/api/v1/halls", params={"item": "T-ITEM-A", "district": "370214"})
    assert [h["code"] for h in r.json()["items"]] == ["T-H4"]
    r = await client.get("/api/v1/halls", params={"item": "T-ITEM-A", "level": "community"})
    assert [h["code"] for h in r.json()["items"]] == ["T-H2"]
    r = await client.get("/api/v1/halls", params={"q": "T-C", "open_now": "false"})
    assert [h["code"] for h in r.json()["items"]] == ["T-C1", "T-C2"]


async def test_list_open_now_keeps_only_open_halls(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await fixture.standard(session)
    params = {"item": "T-ITEM-A", "open_now": "true", "level": "city"}
    r = await client.get("/api/v1/halls", params=params)
    assert [h["code"] for h in r.json()["items"]] == ["T-H1"]
    params = {"item": "T-ITEM-A", "open_now": "true", "level": "community"}
    r = await client.get("/api/v1/halls", params=params)
    assert r.json() == {"items": [], "total": 0, "page": 1, "page_size": 20, "pages": 1}


async def test_list_bad_filters(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/halls", params={"level": "province", "district": "999999"})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["level", "district"]
    r = await client.get("/api/v1/halls", params={"item": "NO-SUCH"})
    assert r.status_code == 404 and r.json()["field"] == "item"


async def test_one_hall_in_full(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await fixture.standard(session)
    r = await client.get("/api/v1/halls/T-H3")
    assert r.status_code == 200
    h = r.json()
    assert h["coordinate_system"] == "WGS-84"
    assert h["level"] == "street" and h["windows"] == 3
    assert h["weekly_hours"]["mon"] == [
        {"start": "08:30", "end": "12:00"},
        {"start": "13:30", "end": "17:00"},
    ]
    assert h["weekly_hours"]["sun"] == []
    assert len(h["week"]) == 7 and h["week"][0] == h["today"]
    assert h["accessibility"] == ["ramp", "toilet"]
    assert h["items"] == [
        {"code": "T-ITEM-A", "name": "测试事项0", "name_en": "Test item 0", "region_code": "370202"}
    ]
    assert (await client.get("/api/v1/halls/NO-SUCH")).status_code == 404
    assert (await client.get("/api/v1/halls/T-H5")).status_code == 404  # inactive


async def test_openapi_documents_the_coordinate_system(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/api/v1/openapi.json")).json()
    params = {p["name"]: p for p in spec["paths"][NEAREST]["get"]["parameters"]}
    assert "WGS-84" in params["lat"]["description"] and "WGS-84" in params["lng"]["description"]
