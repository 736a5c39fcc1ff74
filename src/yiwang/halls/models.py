"""一张地图: service places on four levels, their hours and the items each handles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from yiwang.db import Base


class Hall(Base):
    __tablename__ = "halls"
    __table_args__ = (Index("ix_halls_lat_lng", "lat", "lng"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(240), default="")
    level: Mapped[str] = mapped_column(
        String(12), index=True
    )  # city | district | street | community
    # 12-digit extended region code (GB/T 2260 + street + community digits).
    region_code: Mapped[str] = mapped_column(String(12), index=True)
    district_code: Mapped[str] = mapped_column(String(6), index=True)
    address: Mapped[str] = mapped_column(String(200))
    # WGS-84 degrees.
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    phone: Mapped[str] = mapped_column(String(40), default="")
    windows: Mapped[int] = mapped_column(Integer, default=1)
    accessibility: Mapped[dict[str, Any]]  # {"facilities": ["ramp", "toilet", ...]}
    # {"mon": [["09:00", "12:00"], ["13:30", "17:00"]], ..., "sun": []}
    weekly_hours: Mapped[dict[str, Any]]
    open_on_holidays: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class HallException(Base):
    """A day with other hours than the week's: closed, or special hours."""

    __tablename__ = "hall_exceptions"
    __table_args__ = (UniqueConstraint("hall_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    hours: Mapped[dict[str, Any]]  # {"periods": [["09:00", "12:00"]]}; empty: closed
    note: Mapped[str] = mapped_column(String(200), default="")


class HallItem(Base):
    __tablename__ = "hall_items"
    __table_args__ = (UniqueConstraint("hall_id", "impl_item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("halls.id"), index=True)
    impl_item_id: Mapped[int] = mapped_column(ForeignKey("catalog_impl_items.id"), index=True)
