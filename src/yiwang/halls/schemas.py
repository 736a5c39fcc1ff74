"""What the halls API answers. Coordinates are WGS-84 degrees throughout."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from yiwang.halls.hours import DayHours

LAT = "Latitude, WGS-84 degrees"
LNG = "Longitude, WGS-84 degrees"


class NearHallOut(BaseModel):
    code: str
    name: str
    name_en: str
    level: str = Field(description="city | district | street | community")
    address: str
    lat: float = Field(description=LAT)
    lng: float = Field(description=LNG)
    distance_m: int = Field(description="Great-circle distance from the point asked about, metres")
    open_now: bool = Field(description="Open at this moment, city time (Asia/Shanghai)")
    phone: str


class PeriodOut(BaseModel):
    start: str = Field(description="HH:MM, city time")
    end: str = Field(description="HH:MM, city time; the period ends before this minute")


class DayHoursOut(BaseModel):
    date: dt.date
    weekday: str = Field(description="mon … sun")
    closed: bool
    periods: list[PeriodOut]
    reason: str = Field(
        description="regular | holiday (official day off) | makeup (调休 workday: Monday's hours) "
        "| exception (the hall's own arrangement for that day)"
    )
    note: str

    @classmethod
    def of(cls, day: DayHours) -> DayHoursOut:
        return cls(
            date=day.day,
            weekday=day.weekday,
            closed=day.closed,
            periods=[PeriodOut(start=s, end=e) for s, e in day.periods],
            reason=day.reason,
            note=day.note,
        )


class HallOut(BaseModel):
    code: str
    name: str
    name_en: str
    level: str
    region_code: str = Field(description="12-digit extended region code (GB/T 2260 + 3 + 3)")
    district_code: str
    address: str
    lat: float = Field(description=LAT)
    lng: float = Field(description=LNG)
    phone: str
    windows: int
    open_now: bool
    today: DayHoursOut


class HallPageOut(BaseModel):
    items: list[HallOut]
    total: int
    page: int
    page_size: int
    pages: int


class ItemRefOut(BaseModel):
    code: str
    name: str
    name_en: str
    region_code: str


class HallDetailOut(HallOut):
    weekly_hours: dict[str, list[PeriodOut]] = Field(description="mon … sun; empty: closed")
    open_on_holidays: bool
    accessibility: list[str] = Field(description="Facility keys, e.g. ramp, toilet, lift")
    week: list[DayHoursOut] = Field(description="Today and the six days after it")
    items: list[ItemRefOut] = Field(description="Implementation items handled here")
    coordinate_system: str = "WGS-84"
