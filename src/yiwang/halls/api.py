"""JSON routes for service halls under /api/v1/halls. Coordinates are WGS-84 degrees."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from yiwang.halls import directory, hours, service
from yiwang.halls.schemas import (
    DayHoursOut,
    HallDetailOut,
    HallOut,
    HallPageOut,
    ItemRefOut,
    NearHallOut,
    PeriodOut,
)
from yiwang.web.deps import DbSession

router = APIRouter(prefix="/api/v1/halls", tags=["halls"])


@router.get("/nearest")
async def nearest(
    session: DbSession,
    lat: Annotated[float, Query(description="Latitude, WGS-84 degrees, -90 to 90")],
    lng: Annotated[float, Query(description="Longitude, WGS-84 degrees, -180 to 180")],
    item: Annotated[
        str | None, Query(description="Implementation item code; only halls handling it")
    ] = None,
    limit: Annotated[int, Query(description="How many halls, 1 to 50")] = 5,
) -> list[NearHallOut]:
    """The nearest active halls, nearest first, by great-circle distance in metres.

    422 naming the field when lat, lng or limit is missing or out of range; 404 for an unknown item.
    """
    found = await service.nearest(session, lat=lat, lng=lng, item=item, limit=limit)
    return [NearHallOut.model_validate(h, from_attributes=True) for h in found]


# The fields a hall summary and a full hall share, read by name from either.
SHARED = (
    "code",
    "name",
    "name_en",
    "level",
    "region_code",
    "district_code",
    "address",
    "lat",
    "lng",
    "phone",
    "windows",
)


def _shared(h: object, open_now: bool, today: hours.DayHours) -> dict[str, Any]:
    return {
        **{f: getattr(h, f) for f in SHARED},
        "open_now": open_now,
        "today": DayHoursOut.of(today),
    }


def _hall_out(h: directory.HallSummary) -> HallOut:
    return HallOut(**_shared(h, h.open_now, h.today))


@router.get("")
async def list_halls(
    session: DbSession,
    level: Annotated[str, Query(description="city | district | street | community")] = "",
    district: Annotated[str, Query(description="6-digit district code, e.g. 370202")] = "",
    item: Annotated[str, Query(description="Implementation item code")] = "",
    open_now: bool = False,
    q: Annotated[str, Query(description="Part of the name or address")] = "",
    page: int = 1,
    page_size: int = 20,
) -> HallPageOut:
    filters = directory.HallFilters(
        level=level, district=district, item=item, open_now=open_now, q=q.strip()
    )
    result = await directory.list_halls(session, filters, page=page, page_size=page_size)
    return HallPageOut(
        items=[_hall_out(h) for h in result.halls],
        total=result.total,
        page=result.page,
        page_size=result.page_size,
        pages=result.pages,
    )


@router.get("/{code}")
async def hall(session: DbSession, code: str) -> HallDetailOut:
    d = await directory.hall_detail(session, code)
    h = d.hall
    weekly = h.weekly_hours if isinstance(h.weekly_hours, dict) else {}
    return HallDetailOut(
        **_shared(h, d.open_now, d.today),
        weekly_hours={
            day: [PeriodOut(start=s, end=e) for s, e in hours.periods(weekly.get(day))]
            for day in hours.WEEKDAYS
        },
        open_on_holidays=h.open_on_holidays,
        accessibility=d.facilities,
        week=[DayHoursOut.of(day) for day in d.week],
        items=[
            ItemRefOut(code=i.code, name=i.name, name_en=i.name_en, region_code=i.region_code)
            for i in d.items
        ],
    )
