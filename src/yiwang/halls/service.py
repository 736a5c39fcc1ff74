"""一张地图: the nearest halls for an item, hall lists with filters, and one hall in full.

The nearest-hall path is hot: it selects columns (never entities), pre-filters on the (lat, lng)
index with a bounding box and computes exact great-circle distances in Python for the few rows
inside. It joins the catalogue's implementation-item table directly (the item code given) rather
than going through the catalogue service, because it runs on every map search.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Float, Select, Text, and_, bindparam, cast, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import reference
from yiwang.catalog.models import ImplItem
from yiwang.halls import hours
from yiwang.halls.models import Hall, HallException, HallItem
from yiwang.kit.errors import AppError, Invalid, InvalidMany, NotFound
from yiwang.kit.i18n import N_
from yiwang.kit.workdays import Calendar, CalendarOverride

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

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG); the WGS-84 ellipsoid differs by < 0.5 %
# Round a point in the built-up city (demo, city scale) 16 halls lie within 2 km (median), 42 at
# the 90th percentile: one query for most searches, a couple of growth steps out in the country.
FIRST_RADIUS_M = 2_000.0
GROWTH = 4.0
# Beyond this the box would hold the whole city anyway: drop it and read every hall.
UNBOUNDED_FROM_M = 1_000_000.0

_halls = Hall.__table__
_items = HallItem.__table__
_exceptions = HallException.__table__
_impl = ImplItem.__table__


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(
    lat: float, lng: float, radius_m: float
) -> tuple[float, float, float | None, float | None]:
    """A box holding every point within radius_m of (lat, lng); no longitude bounds when the
    circle reaches a pole or crosses the antimeridian (a superset is still correct)."""
    angle = radius_m / EARTH_RADIUS_M
    dlat = math.degrees(angle)
    min_lat, max_lat = lat - dlat, lat + dlat
    if min_lat <= -90 or max_lat >= 90:
        return max(min_lat, -90.0), min(max_lat, 90.0), None, None
    ratio = math.sin(angle) / math.cos(math.radians(lat))
    if ratio >= 1:
        return min_lat, max_lat, None, None
    dlng = math.degrees(math.asin(ratio))
    if lng - dlng < -180 or lng + dlng > 180:
        return min_lat, max_lat, None, None
    return min_lat, max_lat, lng - dlng, lng + dlng


# The day's calendar override rides along as a column: one round trip fewer than asking apart.
_OVERRIDE = (
    select(CalendarOverride.is_workday)
    .where(CalendarOverride.day == bindparam("today"))
    .scalar_subquery()
)
# JSON as text: only the few halls that make the answer have their hours parsed.
_CANDIDATE_COLUMNS = (
    _halls.c.lat,
    _halls.c.lng,
    _halls.c.code,
    _halls.c.name,
    _halls.c.name_en,
    _halls.c.level,
    _halls.c.address,
    _halls.c.phone,
    cast(_halls.c.weekly_hours, Text).label("weekly_hours"),
    _halls.c.open_on_holidays,
    cast(_exceptions.c.hours, Text).label("exception_hours"),
    _OVERRIDE.label("override"),
)


def _base() -> Select[Any]:
    return (
        select(*_CANDIDATE_COLUMNS)
        .select_from(
            _halls.outerjoin(
                _exceptions,
                and_(_exceptions.c.hall_id == _halls.c.id, _exceptions.c.day == bindparam("today")),
            )
        )
        .where(_halls.c.active.is_(True))
    )


@cache
def _in_box(item: str, lng_box: bool) -> Select[Any]:
    """Halls in a lat/lng box; item: "" (any), "probe" or "drive". Built once per shape with
    bind parameters, so each call only binds values."""
    stmt = _base().where(_halls.c.lat.between(bindparam("min_lat"), bindparam("max_lat")))
    if lng_box:
        stmt = stmt.where(_halls.c.lng.between(bindparam("min_lng"), bindparam("max_lng")))
    if item == "probe":
        # A small box: walk the (lat, lng) index and probe each hall for the item. As a join,
        # SQLite would start from every hall handling the item, however far away.
        stmt = stmt.where(
            select(_items.c.hall_id)
            .where(_items.c.hall_id == _halls.c.id, _items.c.impl_item_id == bindparam("item_id"))
            .exists()
        )
    elif item == "drive":
        # A large box: start from the item's halls rather than from every hall in the box.
        stmt = stmt.join(
            _items,
            and_(_items.c.hall_id == _halls.c.id, _items.c.impl_item_id == bindparam("item_id")),
        )
    return stmt


_ALL = _base()
_lat, _lng = bindparam("lat", type_=Float), bindparam("lng", type_=Float)
# The item's halls nearest by a flat-earth measure, ranked by the database over that item's
# halls only (narrow rows; the wide columns are read for the `limit` winners alone): good
# enough to find halls close by, whose farthest true distance then bounds an exact box search.
_RANKED = (
    select(_halls.c.id, _items.c.impl_item_id)
    .join(_items, _items.c.hall_id == _halls.c.id)
    .join(_impl, and_(_impl.c.id == _items.c.impl_item_id, _impl.c.code == bindparam("code")))
    .where(_halls.c.active.is_(True))
    .order_by(
        (_halls.c.lat - _lat) * (_halls.c.lat - _lat)
        + (_halls.c.lng - _lng) * (_halls.c.lng - _lng) * bindparam("cos2", type_=Float)
    )
    .limit(bindparam("limit"))
    .subquery("ranked")
)
_BY_ITEM = _base().add_columns(_RANKED.c.impl_item_id).join(_RANKED, _RANKED.c.id == _halls.c.id)
_ITEM = select(_impl.c.id).where(_impl.c.code == bindparam("code"))


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
    found = (await session.execute(_ITEM, {"code": code})).scalar()
    if found is None:
        raise _unknown_item(code)
    return int(found)


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

    With an item: the database picks the item's `limit` halls nearest by a flat-earth measure
    (one query over that item's halls, usually a handful); the farthest of them, by true
    distance, bounds a second, exact box search. Fewer than `limit` means that was all of them.
    Without: a box of FIRST_RADIUS_M around the point, growing GROWTH-fold until it holds
    `limit` halls. A hall in a box's corner can be farther than one just outside its edge, so
    a box answer is only final when the limit-th distance is within the box's inscribed
    radius; if not, one more search with exactly that radius settles it.
    """
    check_nearest_query(lat, lng, limit)
    local = hours.local_now(now)
    today = local.date()
    bind: dict[str, Any] = {"today": today}
    if item is None:
        found = await _nearest_any(session, lat, lng, limit, bind)
    else:
        cos2 = math.cos(math.radians(lat)) ** 2
        params = {**bind, "code": item, "lat": lat, "lng": lng, "cos2": cos2, "limit": limit}
        rows = list(await session.execute(_BY_ITEM, params))
        if not rows:
            await item_id(session, item)  # unknown → 404; known but handled nowhere → []
            return []
        found = _by_distance(lat, lng, rows)
        if len(found) == limit:
            reach = found[-1][0] + 1.0  # a metre of slack against rounding at the box's edge
            bind["item_id"] = rows[0].impl_item_id
            found = await _within(session, lat, lng, reach, bind)
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


async def _nearest_any(
    session: AsyncSession, lat: float, lng: float, limit: int, bind: dict[str, Any]
) -> list[tuple[float, Any]]:
    radius: float | None = FIRST_RADIUS_M
    while radius is not None:
        found = await _within(session, lat, lng, radius, bind)
        if len(found) >= limit:
            kth = found[limit - 1][0]
            if kth <= radius:
                return found
            radius = kth + 1.0
            continue
        radius = radius * GROWTH if radius * GROWTH < UNBOUNDED_FROM_M else None
    return _by_distance(lat, lng, await session.execute(_ALL, bind))


async def _within(
    session: AsyncSession, lat: float, lng: float, radius: float, params: dict[str, Any]
) -> list[tuple[float, Any]]:
    """(distance, row) of the halls in the box around the circle, nearest first."""
    bind = dict(params)
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, radius)
    bind.update(min_lat=min_lat, max_lat=max_lat, min_lng=min_lng, max_lng=max_lng)
    mode = "" if "item_id" not in bind else "probe" if radius <= FIRST_RADIUS_M else "drive"
    stmt = _in_box(mode, min_lng is not None)
    return _by_distance(lat, lng, await session.execute(stmt, bind))


def _by_distance(lat: float, lng: float, rows: Iterable[Any]) -> list[tuple[float, Any]]:
    found = [(haversine_m(lat, lng, r.lat, r.lng), r) for r in rows]
    found.sort(key=_distance_then_code)
    return found


def _distance_then_code(pair: tuple[float, Any]) -> tuple[float, str]:
    return pair[0], pair[1].code
