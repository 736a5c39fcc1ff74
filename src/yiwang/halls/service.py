"""一张地图: the nearest halls, with or without an item, and the labels and limits halls share.

The nearest-hall path is hot: it searches the in-memory snapshot of halls/index.py, so a warm
search touches no database (only an item no hall handles is looked up, to tell 404 from none).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import reference
from yiwang.catalog.models import ImplItem
from yiwang.halls import hours, index
from yiwang.kit.errors import AppError, Invalid, InvalidMany, NotFound
from yiwang.kit.i18n import N_

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
FIRST_RADIUS_M = index.FIRST_RADIUS_M
GROWTH = index.GROWTH


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
    found = (await session.execute(select(ImplItem.id).where(ImplItem.code == code))).scalar()
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
    """The `limit` active halls nearest to (lat, lng) that handle `item`, nearest first (ties
    by code); 404 for an unknown item, none when no active hall handles it."""
    check_nearest_query(lat, lng, limit)
    local = hours.local_now(now)
    today = local.date()
    snap = await index.current(session, today)
    found = snap.nearest(lat, lng, limit, item)
    if found is None:  # no hall handles the item: 404 when there is no such item at all
        await item_id(session, str(item))
        return []
    minute = hours.minute_of_day(local)
    out = []
    for distance, position in found:
        h = snap.halls[position]
        out.append(
            NearHall(
                code=h.code,
                name=h.name,
                name_en=h.name_en,
                level=h.level,
                address=h.address,
                lat=h.lat,
                lng=h.lng,
                distance_m=round(distance),
                open_now=hours.is_open_at(snap.hours_on(position, today).periods, minute),
                phone=h.phone,
            )
        )
    return out
