"""Local dates of the city (Asia/Shanghai) and their instants in UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from yiwang.kit.errors import Invalid
from yiwang.kit.i18n import N_

CITY_TZ = ZoneInfo("Asia/Shanghai")


def local_today() -> dt.date:
    return dt.datetime.now(CITY_TZ).date()


def parse_date(value: str, *, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(
            N_("Enter a date like 2026-12-31."), field=field, error_code="bad_date"
        ) from None


def end_of_local_day(value: str, *, field: str) -> dt.datetime:
    """The last instant of that calendar day in the city, as an aware UTC datetime."""
    day = parse_date(value, field=field)
    return dt.datetime.combine(day, dt.time.max, CITY_TZ).astimezone(dt.UTC)


def format_local(value: dt.datetime, seconds: bool = False) -> str:
    return value.astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
