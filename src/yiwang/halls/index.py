"""The nearest-hall search from memory: an immutable snapshot of the active halls, their items,
exceptions and the calendar round today, so that a warm search touches no database.

Halls are reference data that change rarely. Each process keeps its own snapshot per database
and rebuilds it after TTL_S seconds, or at once after invalidate(), which this process calls
whenever it changes halls or hall items (the halls import, the demo load). Other processes see
such a change within TTL_S; hall exceptions and calendar overrides edited elsewhere likewise.

It reads the catalogue's implementation-item table directly (item id → code) rather than
through the catalogue service: the snapshot is built for the hot path of every map search.
"""

from __future__ import annotations

import asyncio
import bisect
import datetime as dt
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.catalog.models import ImplItem
from yiwang.halls import hours
from yiwang.halls.geo import bounding_box, haversine_m
from yiwang.halls.models import Hall, HallException, HallItem
from yiwang.kit.workdays import Calendar, CalendarOverride

TTL_S = 60.0
# Exceptions and overrides kept round the day of the build: a search "now" stays inside them
# until the snapshot expires, even across midnight; a day outside them forces a rebuild.
DAYS_BEFORE, DAYS_AFTER = 1, 8
# An item handled by at most this many halls is scanned whole: cheaper than any search.
FEW_HALLS = 64
# Round a point in the built-up city (demo, city scale) 16 halls lie within 2 km (median), 42
# at the 90th percentile; out in the country a couple of growth steps.
FIRST_RADIUS_M = 2_000.0
GROWTH = 4.0
# Beyond this the box would hold the whole city anyway: scan every hall.
UNBOUNDED_FROM_M = 1_000_000.0

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class IndexedHall:
    code: str
    name: str
    name_en: str
    level: str
    address: str
    lat: float
    lng: float
    phone: str
    weekly_hours: Any
    open_on_holidays: bool


@dataclass(frozen=True, slots=True)
class Group:
    """Halls (positions in HallIndex.halls) sorted by latitude, for a band search by bisect."""

    lats: tuple[float, ...]
    positions: tuple[int, ...]


def _group(halls: Sequence[IndexedHall], positions: Sequence[int]) -> Group:
    ordered = sorted(positions, key=lambda p: halls[p].lat)
    return Group(tuple(halls[p].lat for p in ordered), tuple(ordered))


Found = list[tuple[float, int]]  # (metres, position), nearest first


@dataclass(frozen=True, slots=True)
class HallIndex:
    halls: tuple[IndexedHall, ...]
    every: Group
    by_item: dict[str, Group]
    # (position, day) → the exception's hours; only the days first..last.
    exceptions: dict[tuple[int, dt.date], Any]
    kinds: dict[dt.date, str]  # hours.day_kind() of each day first..last
    first: dt.date
    last: dt.date
    built_at: float
    generation: int

    def covers(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    def nearest(self, lat: float, lng: float, limit: int, item: str | None = None) -> Found | None:
        """The `limit` halls nearest first (ties by code); None when no hall handles `item`."""
        if item is None:
            return self._search(self.every, lat, lng, limit)
        group = self.by_item.get(item)
        return None if group is None else self._search(group, lat, lng, limit)

    def _search(self, group: Group, lat: float, lng: float, limit: int) -> Found:
        """Boxes of FIRST_RADIUS_M growing GROWTH-fold until they hold `limit` halls. An answer
        is final only when the limit-th distance is within the box's inscribed circle: a hall in
        a box's corner can be farther than one just outside its edge."""
        if len(group.positions) <= FEW_HALLS:
            return self._by_distance(group.positions, lat, lng)[:limit]
        radius = FIRST_RADIUS_M
        while radius < UNBOUNDED_FROM_M:
            found = self._within(group, lat, lng, radius)
            if len(found) >= limit:
                if found[limit - 1][0] <= radius:
                    return found[:limit]
                radius = found[limit - 1][0] + 1.0  # a metre of slack against rounding
            else:
                radius *= GROWTH
        return self._by_distance(group.positions, lat, lng)[:limit]

    def _within(self, group: Group, lat: float, lng: float, radius: float) -> Found:
        min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, radius)
        lo = bisect.bisect_left(group.lats, min_lat)
        hi = bisect.bisect_right(group.lats, max_lat)
        band = group.positions[lo:hi]
        if min_lng is not None and max_lng is not None:
            halls = self.halls
            band = tuple(p for p in band if min_lng <= halls[p].lng <= max_lng)
        return self._by_distance(band, lat, lng)

    def _by_distance(self, positions: Sequence[int], lat: float, lng: float) -> Found:
        halls = self.halls
        found = [(haversine_m(lat, lng, halls[p].lat, halls[p].lng), p) for p in positions]
        found.sort(key=lambda pair: (pair[0], halls[pair[1]].code))
        return found

    def hours_on(self, position: int, day: dt.date) -> hours.DayHours:
        """The hall's hours on `day` (within first..last), by the rules of halls/hours.py."""
        hall = self.halls[position]
        return hours.hours_for(
            hall.weekly_hours,
            hall.open_on_holidays,
            day,
            self.kinds[day],
            self.exceptions.get((position, day)),
        )


async def build(
    session: AsyncSession, today: dt.date, *, built_at: float = 0.0, generation: int = 0
) -> HallIndex:
    """One pass of four column-only SELECTs."""
    first = today - dt.timedelta(days=DAYS_BEFORE)
    last = today + dt.timedelta(days=DAYS_AFTER)
    rows = await session.execute(
        select(
            Hall.id,
            Hall.code,
            Hall.name,
            Hall.name_en,
            Hall.level,
            Hall.address,
            Hall.lat,
            Hall.lng,
            Hall.phone,
            Hall.weekly_hours,
            Hall.open_on_holidays,
        ).where(Hall.active.is_(True))
    )
    position: dict[int, int] = {}
    halls: list[IndexedHall] = []
    for r in rows:
        position[r.id] = len(halls)
        halls.append(
            IndexedHall(
                code=r.code,
                name=r.name,
                name_en=r.name_en,
                level=r.level,
                address=r.address,
                lat=r.lat,
                lng=r.lng,
                phone=r.phone,
                weekly_hours=r.weekly_hours or {},
                open_on_holidays=bool(r.open_on_holidays),
            )
        )
    links = await session.execute(
        select(ImplItem.code, HallItem.hall_id).join(ImplItem, ImplItem.id == HallItem.impl_item_id)
    )
    members: dict[str, list[int]] = {}
    for code, hall_id in links:
        if hall_id in position:
            members.setdefault(code, []).append(position[hall_id])
    exceptions: dict[tuple[int, dt.date], Any] = {}
    q = select(HallException.hall_id, HallException.day, HallException.hours).where(
        HallException.day >= first, HallException.day <= last
    )
    for hall_id, day, raw in await session.execute(q):
        if hall_id in position and raw is not None:
            exceptions[(position[hall_id], day)] = raw
    overrides = await session.execute(
        select(CalendarOverride.day, CalendarOverride.is_workday).where(
            CalendarOverride.day >= first, CalendarOverride.day <= last
        )
    )
    cal = Calendar({d: bool(w) for d, w in overrides})
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    frozen = tuple(halls)
    return HallIndex(
        halls=frozen,
        every=_group(frozen, range(len(frozen))),
        by_item={code: _group(frozen, ps) for code, ps in members.items()},
        exceptions=exceptions,
        kinds={d: hours.day_kind(cal, d) for d in days},
        first=first,
        last=last,
        built_at=built_at,
        generation=generation,
    )


@dataclass
class _Slot:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    snapshot: HallIndex | None = None


# Keyed by what the session is bound to: the engine in the app (one snapshot per database),
# the test's own connection in the tests (a snapshot built inside a rolled-back transaction
# dies with it). Weak keys: a disposed engine or closed connection takes its snapshot along.
_slots: weakref.WeakKeyDictionary[Any, _Slot] = weakref.WeakKeyDictionary()
_generation = 0


def invalidate() -> None:
    """Every snapshot of this process is rebuilt on its next use."""
    global _generation
    _generation += 1


def _fresh(snap: HallIndex, now: float) -> bool:
    return snap.generation == _generation and now - snap.built_at < TTL_S


async def current(
    session: AsyncSession, today: dt.date | None = None, *, clock: Clock = time.monotonic
) -> HallIndex:
    """The snapshot for the session's database, rebuilt when stale or not covering `today`.
    One rebuild at a time; meanwhile the others keep using the stale one."""
    day = today or hours.local_now().date()
    key = session.bind
    slot = _slots.get(key)
    if slot is None:
        slot = _slots.setdefault(key, _Slot())
    snap = slot.snapshot
    if snap is not None and snap.covers(day) and (_fresh(snap, clock()) or slot.lock.locked()):
        return snap
    async with slot.lock:
        snap = slot.snapshot
        if snap is not None and snap.covers(day) and _fresh(snap, clock()):
            return snap
        generation = _generation
        snap = await build(session, day, built_at=clock(), generation=generation)
        slot.snapshot = snap
        return snap
