"""The hall directory: filtered lists, one hall in full, and the choices the map's filters offer.

Not the hot path (that is service.nearest): pages of at most a hundred halls, read as columns.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import reference
from yiwang.catalog.models import ImplItem
from yiwang.halls import hours
from yiwang.halls.models import Hall, HallException, HallItem
from yiwang.halls.service import DISTRICT_NAMES, FACILITY_LABELS, LEVELS, item_id
from yiwang.kit.errors import AppError, Invalid, InvalidMany, NotFound
from yiwang.kit.i18n import N_

PAGE_SIZE_MAX = 100
FIELDS = ("level", "district", "item", "q", "page", "page_size")  # the order errors are shown in

_halls = Hall.__table__
_items = HallItem.__table__
_exceptions = HallException.__table__


@dataclass(frozen=True, slots=True)
class HallFilters:
    level: str = ""
    district: str = ""
    item: str = ""
    open_now: bool = False
    q: str = ""


@dataclass(frozen=True, slots=True)
class HallSummary:
    code: str
    name: str
    name_en: str
    level: str
    district_code: str
    region_code: str
    address: str
    lat: float
    lng: float
    phone: str
    windows: int
    today: hours.DayHours
    open_now: bool


@dataclass(frozen=True, slots=True)
class HallPage:
    halls: list[HallSummary]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


@dataclass(frozen=True, slots=True)
class ItemRef:
    code: str
    name: str
    name_en: str
    region_code: str


@dataclass(frozen=True, slots=True)
class HallDetail:
    hall: Hall
    today: hours.DayHours
    open_now: bool
    week: list[hours.DayHours]  # today and the six days after it
    items: list[ItemRef]
    facilities: list[str]


def filter_errors(filters: HallFilters, page: int = 1, page_size: int = 20) -> list[AppError]:
    errors: list[AppError] = []
    if filters.level and filters.level not in LEVELS:
        errors.append(
            Invalid(N_("Choose a level from the list."), field="level", error_code="bad_level")
        )
    if filters.district and filters.district not in reference_districts():
        errors.append(
            Invalid(
                N_("Choose a district from the list."), field="district", error_code="bad_district"
            )
        )
    if len(filters.q) > 60:
        errors.append(
            Invalid(N_("Enter at most {n} characters."), field="q", error_code="too_long", n=60)
        )
    if page < 1:
        errors.append(
            Invalid(N_("The page must be 1 or more."), field="page", error_code="bad_page")
        )
    if not 1 <= page_size <= PAGE_SIZE_MAX:
        errors.append(
            Invalid(
                N_("The page size must be between 1 and {max}."),
                field="page_size",
                error_code="bad_page_size",
                max=PAGE_SIZE_MAX,
            )
        )
    return errors


def reference_districts() -> dict[str, tuple[str, str]]:
    return {code: names for code, names in DISTRICT_NAMES.items() if code != reference.CITY[0]}


_LEVEL_ORDER = case(
    {level: rank for rank, level in enumerate(LEVELS)}, value=_halls.c.level, else_=len(LEVELS)
)
_SUMMARY_COLUMNS = (
    _halls.c.code,
    _halls.c.name,
    _halls.c.name_en,
    _halls.c.level,
    _halls.c.district_code,
    _halls.c.region_code,
    _halls.c.address,
    _halls.c.lat,
    _halls.c.lng,
    _halls.c.phone,
    _halls.c.windows,
    _halls.c.weekly_hours,
    _halls.c.open_on_holidays,
    _exceptions.c.hours,
)


async def list_halls(
    session: AsyncSession,
    filters: HallFilters,
    *,
    page: int = 1,
    page_size: int = 20,
    now: dt.datetime | None = None,
) -> HallPage:
    """Active halls matching the filters, city level first, then by district and code."""
    errors = filter_errors(filters, page, page_size)
    wanted: int | None = None
    if filters.item:
        try:
            wanted = await item_id(session, filters.item)
        except NotFound as exc:
            if not errors:
                raise
            # With other mistakes on the same form, the item is one more of them to correct.
            errors.append(Invalid(exc.msgid, field="item", error_code=exc.code, **exc.params))
    if errors:
        raise InvalidMany(sorted(errors, key=lambda e: FIELDS.index(e.field or "")))
    where: list[Any] = [_halls.c.active.is_(True)]
    if filters.level:
        where.append(_halls.c.level == filters.level)
    if filters.district:
        where.append(_halls.c.district_code == filters.district)
    if wanted is not None:
        handled = select(_items.c.hall_id).where(_items.c.impl_item_id == wanted)
        where.append(_halls.c.id.in_(handled))
    if filters.q:
        q = filters.q
        where.append(
            or_(
                _halls.c.name.contains(q, autoescape=True),
                _halls.c.address.contains(q, autoescape=True),
                func.lower(_halls.c.name_en).contains(q.lower(), autoescape=True),
            )
        )
    local = hours.local_now(now)
    today = local.date()
    cal = await hours.load_calendar_for(session, today, today)
    kind, minute = hours.day_kind(cal, today), hours.minute_of_day(local)
    stmt = (
        select(*_SUMMARY_COLUMNS)
        .select_from(
            _halls.outerjoin(
                _exceptions,
                and_(_exceptions.c.hall_id == _halls.c.id, _exceptions.c.day == today),
            )
        )
        .where(*where)
        .order_by(_LEVEL_ORDER, _halls.c.district_code, _halls.c.code)
    )
    offset = (page - 1) * page_size
    if filters.open_now:
        # Opening depends on JSON hours and the calendar, so it is decided here, not in SQL.
        rows = [r for r in await session.execute(stmt)]
        summaries = [_summary(r, today, kind, minute) for r in rows]
        matching = [s for s in summaries if s.open_now]
        return HallPage(matching[offset : offset + page_size], len(matching), page, page_size)
    total = (
        await session.execute(select(func.count()).select_from(_halls).where(*where))
    ).scalar_one()
    rows = list(await session.execute(stmt.limit(page_size).offset(offset)))
    return HallPage([_summary(r, today, kind, minute) for r in rows], total, page, page_size)


def _summary(r: Any, today: dt.date, kind: str, minute: int) -> HallSummary:
    day = hours.hours_for(r.weekly_hours, r.open_on_holidays, today, kind, r.hours)
    return HallSummary(
        code=r.code,
        name=r.name,
        name_en=r.name_en,
        level=r.level,
        district_code=r.district_code,
        region_code=r.region_code,
        address=r.address,
        lat=r.lat,
        lng=r.lng,
        phone=r.phone,
        windows=r.windows,
        today=day,
        open_now=hours.is_open_at(day.periods, minute),
    )


async def hall_detail(
    session: AsyncSession, code: str, now: dt.datetime | None = None
) -> HallDetail:
    hall = (await session.execute(select(Hall).where(Hall.code == code))).scalar()
    if hall is None or not hall.active:
        raise NotFound(N_("There is no service hall with the code {code}."), code=code)
    local = hours.local_now(now)
    today = local.date()
    last = today + dt.timedelta(days=6)
    cal = await hours.load_calendar_for(session, today, last)
    exceptions = {
        day: (raw, note)
        for day, raw, note in await session.execute(
            select(HallException.day, HallException.hours, HallException.note).where(
                HallException.hall_id == hall.id, HallException.day.between(today, last)
            )
        )
    }
    week = []
    for offset in range(7):
        day = today + dt.timedelta(days=offset)
        raw, note = exceptions.get(day, (None, ""))
        week.append(
            hours.hours_for(
                hall.weekly_hours, hall.open_on_holidays, day, hours.day_kind(cal, day), raw, note
            )
        )
    # The items a hall handles are a join with the catalogue's table, read here for the names.
    items = [
        ItemRef(*row)
        for row in await session.execute(
            select(ImplItem.code, ImplItem.name, ImplItem.name_en, ImplItem.region_code)
            .join(HallItem, HallItem.impl_item_id == ImplItem.id)
            .where(HallItem.hall_id == hall.id)
            .order_by(ImplItem.region_code, ImplItem.code)
        )
    ]
    raw_facilities = (hall.accessibility or {}).get("facilities", [])
    facilities = [str(f) for f in raw_facilities] if isinstance(raw_facilities, list) else []
    return HallDetail(
        hall=hall,
        today=week[0],
        open_now=hours.is_open_at(week[0].periods, hours.minute_of_day(local)),
        week=week,
        items=items,
        facilities=facilities,
    )


async def item_options(session: AsyncSession) -> list[ItemRef]:
    """The implementation items at least one active hall handles, for the map's item filter."""
    rows = await session.execute(
        select(ImplItem.code, ImplItem.name, ImplItem.name_en, ImplItem.region_code)
        .where(
            ImplItem.id.in_(
                select(_items.c.impl_item_id)
                .join(_halls, _halls.c.id == _items.c.hall_id)
                .where(_halls.c.active.is_(True))
            )
        )
        .order_by(ImplItem.region_code, ImplItem.code)
    )
    return [ItemRef(*row) for row in rows]


def facility_label(key: str) -> str:
    """The msgid for a facility key; an unknown key is shown as it is stored."""
    return FACILITY_LABELS.get(key, key)
