"""Opening hours: the week's hours, bent by official holidays, 调休 and a hall's own exceptions.

All times are wall-clock times in the city (Asia/Shanghai). The rules, in order:
1. a HallException row for the day decides alone (no periods: closed);
2. an official holiday closes the hall unless it is open on holidays (then the weekday's hours);
3. a 调休 make-up weekend workday uses Monday's hours;
4. otherwise the weekday's hours.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import chinese_calendar
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.kit.i18n import N_
from yiwang.kit.timeutil import CITY_TZ
from yiwang.kit.workdays import Calendar, CalendarOverride

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_LABELS = {
    "mon": N_("Monday"),
    "tue": N_("Tuesday"),
    "wed": N_("Wednesday"),
    "thu": N_("Thursday"),
    "fri": N_("Friday"),
    "sat": N_("Saturday"),
    "sun": N_("Sunday"),
}
REGULAR, HOLIDAY, MAKEUP, EXCEPTION = "regular", "holiday", "makeup", "exception"
REASON_LABELS = {
    REGULAR: N_("Regular hours"),
    HOLIDAY: N_("Public holiday"),
    MAKEUP: N_("Make-up working day: Monday's hours"),
    EXCEPTION: N_("Special arrangement"),
}

Period = tuple[str, str]


def _minutes(text: str) -> int | None:
    try:
        hours, minutes = text.split(":")
        value = int(hours) * 60 + int(minutes)
    except (AttributeError, ValueError):
        return None
    return value if 0 <= value <= 24 * 60 and len(minutes) == 2 else None


def periods(raw: Any) -> tuple[Period, ...]:
    """Well-formed [start, end) periods only: one bad entry in stored data must not break a page."""
    if not isinstance(raw, list):
        return ()
    out: list[Period] = []
    for entry in raw:
        if not isinstance(entry, list | tuple) or len(entry) != 2:
            continue
        start, end = _minutes(entry[0]), _minutes(entry[1])
        if start is not None and end is not None and start < end:
            out.append((str(entry[0]), str(entry[1])))
    return tuple(out)


def exception_periods(hours: Any) -> tuple[Period, ...]:
    return periods(hours.get("periods")) if isinstance(hours, Mapping) else ()


def is_open_at(day_periods: Iterable[Period], minute: int) -> bool:
    for start, end in day_periods:
        s, e = _minutes(start), _minutes(end)
        if s is not None and e is not None and s <= minute < e:
            return True
    return False


def is_holiday(cal: Calendar, day: dt.date) -> bool:
    """An official day off, including the Saturdays and Sundays inside a holiday period (a hall
    open on ordinary weekends is still closed on 国庆's Saturday)."""
    if cal.is_holiday(day):
        return True
    if day.weekday() < 5 or cal.is_workday(day):
        return False
    try:
        _, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return False  # beyond the bundled years only overrides speak, and they said nothing
    return name is not None


def day_kind(cal: Calendar, day: dt.date) -> str:
    if is_holiday(cal, day):
        return HOLIDAY
    if cal.is_makeup_workday(day):
        return MAKEUP
    return REGULAR


@dataclass(frozen=True, slots=True)
class DayHours:
    day: dt.date
    periods: tuple[Period, ...]
    reason: str
    note: str = ""

    @property
    def closed(self) -> bool:
        return not self.periods

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.day.weekday()]


def hours_for(
    weekly: Any,
    open_on_holidays: bool,
    day: dt.date,
    kind: str,
    exception: Any = None,
    note: str = "",
) -> DayHours:
    """`kind` comes from day_kind(), computed once per day rather than once per hall."""
    if exception is not None:
        return DayHours(day, exception_periods(exception), EXCEPTION, note)
    week = weekly if isinstance(weekly, Mapping) else {}
    if kind == HOLIDAY:
        own = periods(week.get(WEEKDAYS[day.weekday()])) if open_on_holidays else ()
        return DayHours(day, own, HOLIDAY)
    key = "mon" if kind == MAKEUP else WEEKDAYS[day.weekday()]
    return DayHours(day, periods(week.get(key)), kind)


def local_now(now: dt.datetime | None = None) -> dt.datetime:
    if now is not None and now.tzinfo is None:
        raise ValueError("naive datetime given for the current time")
    return (now or dt.datetime.now(dt.UTC)).astimezone(CITY_TZ)


def minute_of_day(local: dt.datetime) -> int:
    return local.hour * 60 + local.minute


async def load_calendar_for(session: AsyncSession, first: dt.date, last: dt.date) -> Calendar:
    """Only the overrides of the days asked about: the nearest-hall path needs one day, not all."""
    rows = await session.execute(
        select(CalendarOverride.day, CalendarOverride.is_workday).where(
            CalendarOverride.day >= first, CalendarOverride.day <= last
        )
    )
    return Calendar({d: w for d, w in rows.all()})
