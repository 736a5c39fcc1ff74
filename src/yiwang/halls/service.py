"""一张地图: the nearest halls, with or without an item, and the labels and limits halls share.

The nearest-hall path is hot: its statements (queries.py) read columns, never entities,
pre-filter on the (lat, lng) index with a bounding box and leave the exact great-circle
distances to Python for the few rows that come back.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import reference
from yiwang.halls import hours, queries
from yiwang.halls.geo import bounding_box, haversine_m
from yiwang.kit.errors import AppError, Invalid, InvalidMany, NotFound
from yiwang.kit.i18n import N_
from yiwang.kit.workdays import Calendar

LEVELS = ("city", "district", "street", "community")
LEVEL_LABELS = {
    "city": N_("City service centre"),
    "district": N_("District service centre"),
    "street": N_("Street or town service centre"),
    "community": N_("Community or village service station"),
}
FACILITY_LABELS = {
    "ramp": N_("Step-free ramp"),
    "toilet": N_("Accessible toilet"),
    "lift": N_("Lift"),
    "elevator": N_("Lift"),
    "parking": N_("Accessible parking"),
    "wheelchair": N_("Wheelchairs to borrow"),
    "hearing_loop": N_("Hearing loop"),
    "braille": N_("Braille materials"),
    "sign_language": N_("Sign-language service"),
    "low_counter": N_("Low counter"),
    "priority_window": N_("Priority window for older and disabled people"),
    "guide_dog": N_("Guide dogs welcome"),
    "nursing_room": N_("Nursing room"),
}
DISTRICT_NAMES: dict[str, tuple[str, str]] = {
    code: (name, name_en) for code, name, name_en in (reference.CITY, *reference.DISTRICTS)
}
NEAREST_MAX = 50

# Round a point in the built-up city (demo, city scale) 16 halls lie within 2 km (median), 42 at
# the 90th percentile: one query for most searches, a couple of growth steps out in the country.
FIRST_RADIUS_M = 2_000.0
GROWTH = 4.0
# Beyond this the box would hold the whole city anyway: drop it and read every hall.
UNBOUNDED_FROM_M = 1_000_000.0


@dataclass(frozen=True, slots=True)
class NearHall:
    code: str
    name: str
    name_en: str
    level: str
    address: str
    lat: float
    lng: float
    distance_m: int
    open_now: bool
    phone: str


def check_nearest_query(lat: float, lng: float, limit: int) -> None:
    errors: list[AppError] = []
    if not -90 <= lat <= 90:  # also false for NaN
        errors.append(
            Invalid(
                N_("Latitude must be between -90 and 90 degrees (WGS-84)."),
                field="lat",
                error_code="lat_out_of_range",
            )
        )
    if not -180 <= lng <= 180:
        errors.append(
            Invalid(
                N_("Longitude must be between -180 and 180 degrees (WGS-84)."),
                field="lng",
                error_code="lng_out_of_range",
            )
        )
    if not 1 <= limit <= NEAREST_MAX:
        errors.append(
            Invalid(
                N_("The number of halls must be between 1 and {max}."),
                field="limit",
                error_code="limit_out_of_range",
                max=NEAREST_MAX,
            )
        )
    if errors:
        raise InvalidMany(errors)


def _unknown_item(code: str) -> NotFound:
    return NotFound(
        N_("There is no service item with the code {code}."),
        field="item",
        error_code="unknown_item",
        code=code,
    )


async def item_id(session: AsyncSession, code: str) -> int:
    found = (await session.execute(queries.ITEM_EXISTS, {"code": code})).scalar()
    if found is None:
        raise _unknown_item(code)
    return int(found)


Found = list[tuple[float, Any]]  # (metres, row), nearest first


async def nearest(
    session: AsyncSession,
    *,
    lat: float,
    lng: float,
    item: str | None = None,
    limit: int = 5,
    now: dt.datetime | None = None,
) -> list[NearHall]:
    """The `limit` active halls nearest to (lat, lng) that handle `item`, nearest first.

    A box answer is final only when the limit-th distance is within the box's inscribed
    circle: a hall in a box's corner can be farther than one just outside its edge.
    """
    check_nearest_query(lat, lng, limit)
    local = hours.local_now(now)
    today = local.date()
    bind: dict[str, Any] = {"today": today, "lat": lat, "lng": lng, "limit": limit}
    if item is None:
        found = await _any_item(session, bind)
    else:
        bind["code"] = item
        bind["cos2"] = math.cos(math.radians(lat)) ** 2
        found = await _for_item(session, bind)
    top = found[:limit]
    if not top:
        return []
    override = top[0][1].override
    cal = Calendar({} if override is None else {today: bool(override)})
    kind = hours.day_kind(cal, today)
    minute = hours.minute_of_day(local)
    out = []
    for distance, r in top:
        weekly = json.loads(r.weekly_hours) if r.weekly_hours else {}
        exception = json.loads(r.exception_hours) if r.exception_hours else None
        day = hours.hours_for(weekly, r.open_on_holidays, today, kind, exception)
        out.append(
            NearHall(
                code=r.code,
                name=r.name,
                name_en=r.name_en,
                level=r.level,
                address=r.address,
                lat=r.lat,
                lng=r.lng,
                distance_m=round(distance),
                open_now=hours.is_open_at(day.periods, minute),
                phone=r.phone,
            )
        )
    return out


def _settled(found: Found, limit: int, radius: float) -> bool:
    return len(found) >= limit and found[limit - 1][0] <= radius


async def _any_item(session: AsyncSession, bind: dict[str, Any]) -> Found:
    """A box of FIRST_RADIUS_M round the point, growing GROWTH-fold until it holds `limit`
    halls; when the limit-th lies beyond the inscribed circle, one more box of that radius."""
    limit = bind["limit"]
    radius: float | None = FIRST_RADIUS_M
    while radius is not None:
        found = await _within(session, radius, bind, "")
        if _settled(found, limit, radius):
            return found
        if len(found) >= limit:
            radius = found[limit - 1][0] + 1.0  # a metre of slack against rounding at the edge
        else:
            radius = radius * GROWTH if radius * GROWTH < UNBOUNDED_FROM_M else None
    return _by_distance(bind, await session.execute(queries.ALL, bind))


async def _for_item(session: AsyncSession, bind: dict[str, Any]) -> Found:
    """First look, one round trip: the item's halls in the first box and, when few halls handle
    it (most items: the district centres' own), every one of them, which settles it exactly.
    A full first box settles a common item near where people live; a thinly spread one gets a
    larger box; failing that, a flat-earth ranking of its halls whose farthest true distance
    bounds an exact box search (the flat earth only has to be close).
    """
    limit = bind["limit"]
    rows = list(await session.execute(queries.first_look(_lng_box(bind, FIRST_RADIUS_M)), bind))
    boxed = _by_distance(bind, (r for r in rows if r.via == "box"))
    if _settled(boxed, limit, FIRST_RADIUS_M):
        return boxed
    every = [r for r in rows if r.via == "every"]
    if every:
        return _by_distance(bind, every)
    if len(boxed) >= limit:  # the limit-th in a corner: a box a little larger settles it
        return await _within(session, boxed[limit - 1][0] + 1.0, bind, "probe")
    if boxed:  # handled round here, only more thinly: one larger box
        wider = await _within(session, FIRST_RADIUS_M * GROWTH, bind, "probe")
        if _settled(wider, limit, FIRST_RADIUS_M * GROWTH):
            return wider
    ranked = _by_distance(bind, await session.execute(queries.RANKED, bind))
    if not ranked:
        await item_id(session, bind["code"])  # no such item: 404; else no hall handles it
    if len(ranked) < limit:
        return ranked  # every hall that handles it
    return await _within(session, ranked[-1][0] + 1.0, bind, "drive")


def _lng_box(bind: dict[str, Any], radius: float) -> bool:
    min_lat, max_lat, min_lng, max_lng = bounding_box(bind["lat"], bind["lng"], radius)
    bind.update(min_lat=min_lat, max_lat=max_lat, min_lng=min_lng, max_lng=max_lng)
    return min_lng is not None


async def _within(session: AsyncSession, radius: float, bind: dict[str, Any], item: str) -> Found:
    """The halls in the box round the circle of `radius` metres, nearest first."""
    stmt = queries.in_box(item, _lng_box(bind, radius))
    return _by_distance(bind, await session.execute(stmt, bind))


def _by_distance(bind: dict[str, Any], rows: Iterable[Any]) -> Found:
    lat, lng = bind["lat"], bind["lng"]
    found = [(haversine_m(lat, lng, r.lat, r.lng), r) for r in rows]
    found.sort(key=_distance_then_code)
    return found


def _distance_then_code(pair: tuple[float, Any]) -> tuple[float, str]:
    return pair[0], pair[1].code
