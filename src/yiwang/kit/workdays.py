"""Working days (工作日): the official calendar, with an override table for later years."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
from sqlalchemy import Boolean, Date, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from yiwang.db import Base


class CalendarOverride(Base):
    """An administrator's word on one day, beating the bundled calendar (and covering years it
    does not know)."""

    __tablename__ = "calendar_overrides"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(120), default="")


class Calendar:
    """Answers from memory: overrides are loaded once per use, not queried per day."""

    def __init__(self, overrides: dict[dt.date, bool] | None = None) -> None:
        self.overrides = overrides or {}

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            # Beyond the bundled calendar's years: weekdays work until an override says otherwise.
            return day.weekday() < 5

    def is_holiday(self, day: dt.date) -> bool:
        """An official day off that is not an ordinary weekend."""
        return day.weekday() < 5 and not self.is_workday(day)

    def is_makeup_workday(self, day: dt.date) -> bool:
        """调休: a Saturday or Sunday that is worked."""
        return day.weekday() >= 5 and self.is_workday(day)

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after start (start itself does not count)."""
        day, left = start, n
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day


async def load_calendar(session: AsyncSession) -> Calendar:
    rows = await session.execute(select(CalendarOverride.day, CalendarOverride.is_workday))
    return Calendar({d: w for d, w in rows.all()})
