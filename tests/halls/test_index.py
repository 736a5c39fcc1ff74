"""The in-memory nearest-hall snapshot: same answers as a full scan, fresh after invalidate() or
its TTL, and the same opening hours as computing them from the database rows."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.halls import fixture
from tests.halls.fixture import ALWAYS, HERE, OFFICE, moved
from yiwang.catalog.models import ImplItem
from yiwang.halls import geo, hours, index, service
from yiwang.halls.models import Hall, HallException, HallItem
from yiwang.kit.timeutil import CITY_TZ
from yiwang.kit.workdays import Calendar, CalendarOverride


def at(day: str, time: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=CITY_TZ)


async def _scan(session: AsyncSession, item: str | None) -> list[tuple[str, float, float]]:
    """Every active hall (handling `item`), straight from the tables."""
    q = select(Hall.code, Hall.lat, Hall.lng).where(Hall.active.is_(True))
    if item is not None:
        q = q.join(HallItem, HallItem.hall_id == Hall.id).join(
            ImplItem, ImplItem.id == HallItem.impl_item_id
        )
        q = q.where(ImplItem.code == item)
    return [(c, lat, lng) for c, lat, lng in (await session.execute(q)).all()]


async def test_results_equal_a_full_scan_for_random_points(session: AsyncSession) -> None:
    items = await fixture.add_items(session)
    rng = random.Random(7)
    for n in range(index.FEW_HALLS + 40):  # common: searched by boxes, not scanned whole
        spread = 3_000 if n < 60 else 40_000
        p = moved(HERE, rng.gauss(0, spread), rng.gauss(0, spread))
        await fixture.add_hall(session, f"T-X{n:03d}", p, [items["T-ITEM-R"]])
    await fixture.add_hall(session, "T-XOFF", HERE, [items["T-ITEM-R"]], active=False)
    for n in range(5):  # rare: scanned whole
        p = moved(HERE, rng.uniform(-30_000, 30_000), rng.uniform(-30_000, 30_000))
        await fixture.add_hall(session, f"T-Y{n}", p, [items["T-ITEM-B"]])
    demo_items = sorted(
        set(
            (
                await session.execute(
                    select(ImplItem.code).join(HallItem, HallItem.impl_item_id == ImplItem.id)
                )
            ).scalars()
        )
    )
    pool = ["T-ITEM-R", "T-ITEM-B", *rng.sample(demo_items, min(8, len(demo_items)))]
    scans: dict[str | None, list[tuple[str, float, float]]] = {}
    for key in (None, *pool):
        scans[key] = await _scan(session, key)
    assert len(scans["T-ITEM-R"]) > index.FEW_HALLS
    assert "T-XOFF" not in {c for c, _, _ in scans[None]}
    for _ in range(200):
        spread = rng.choice([2_000, 10_000, 80_000])
        q = moved(HERE, rng.gauss(0, spread), rng.gauss(0, spread))
        for item in (None, rng.choice(pool)):
            k = rng.randint(1, 10)
            found = await service.nearest(session, lat=q[0], lng=q[1], item=item, limit=k)
            ranked = sorted((geo.haversine_m(*q, lat, lng), c) for c, lat, lng in scans[item])
            assert [(h.code, h.distance_m) for h in found] == [
                (c, round(d)) for d, c in ranked[:k]
            ], (q, item, k)


async def test_invalidate_makes_a_new_hall_appear(session: AsyncSession) -> None:
    items = await fixture.add_items(session)
    here = (-41.0, 174.0)
    await fixture.add_hall(session, "T-OLD", moved(here, 1_000, 0), [items["T-ITEM-A"]])
    before = await service.nearest(session, lat=here[0], lng=here[1], limit=1)
    assert [h.code for h in before] == ["T-OLD"]
    # Inserted behind the snapshot's back: the cached snapshot does not know it yet …
    session.add(
        Hall(
            code="T-NEW",
            name="测试新站",
            name_en="Test new hall",
            level="community",
            region_code="370202001001",
            district_code="370202",
            address="青岛市测试路1号",
            lat=here[0],
            lng=here[1],
            accessibility={"facilities": []},
            weekly_hours=OFFICE,
        )
    )
    await session.flush()
    stale = await service.nearest(session, lat=here[0], lng=here[1], limit=1)
    assert [h.code for h in stale] == ["T-OLD"]
    index.invalidate()  # … until this process says the halls changed
    fresh = await service.nearest(session, lat=here[0], lng=here[1], limit=1)
    assert [(h.code, h.distance_m) for h in fresh] == [("T-NEW", 0)]


async def test_a_snapshot_older_than_the_ttl_is_rebuilt(session: AsyncSession) -> None:
    items = await fixture.add_items(session)
    here = (-42.0, 173.0)
    await fixture.add_hall(session, "T-T1", moved(here, 500, 0), [items["T-ITEM-A"]])
    today = dt.date(2026, 11, 18)
    t = 1_000.0
    first = await index.current(session, today, clock=lambda: t)
    assert first.nearest(here[0], here[1], 1, "T-ITEM-A") is not None
    session.add(HallItem(hall_id=(await _hall_id(session, "T-T1")), impl_item_id=items["T-ITEM-B"]))
    await session.flush()
    almost = await index.current(session, today, clock=lambda: t + index.TTL_S - 1)
    assert almost is first
    assert almost.nearest(here[0], here[1], 1, "T-ITEM-B") is None
    later = await index.current(session, today, clock=lambda: t + index.TTL_S + 1)
    assert later is not first
    found = later.nearest(here[0], here[1], 1, "T-ITEM-B")
    assert found is not None and later.halls[found[0][1]].code == "T-T1"
    # A day outside the snapshot's days is not answered from it either.
    far = await index.current(session, dt.date(2027, 3, 1), clock=lambda: t + index.TTL_S + 2)
    assert far is not later and far.covers(dt.date(2027, 3, 1))


async def _hall_id(session: AsyncSession, code: str) -> int:
    return int((await session.execute(select(Hall.id).where(Hall.code == code))).scalar_one())


async def _old_open_now(session: AsyncSession, code: str, now: dt.datetime) -> bool:
    """What the database path computed: the day's override and exception read for the hall."""
    local = hours.local_now(now)
    today = local.date()
    hall = (await session.execute(select(Hall).where(Hall.code == code))).scalar_one()
    override = (
        await session.execute(
            select(CalendarOverride.is_workday).where(CalendarOverride.day == today)
        )
    ).scalar()
    exception: Any = (
        await session.execute(
            select(HallException.hours).where(
                HallException.hall_id == hall.id, HallException.day == today
            )
        )
    ).scalar()
    kind = hours.day_kind(Calendar({} if override is None else {today: override}), today)
    day = hours.hours_for(hall.weekly_hours, hall.open_on_holidays, today, kind, exception)
    return hours.is_open_at(day.periods, hours.minute_of_day(local))


async def test_open_now_equals_the_database_computation(session: AsyncSession) -> None:
    items = await fixture.add_items(session)
    a = items["T-ITEM-A"]
    here = (-43.0, 172.0)
    office = await fixture.add_hall(session, "T-O1", moved(here, 100, 0), [a])
    await fixture.add_hall(
        session, "T-O2", moved(here, 200, 0), [a], weekly=ALWAYS, open_on_holidays=True
    )
    await fixture.add_hall(session, "T-O3", moved(here, 300, 0), [a], weekly=ALWAYS)
    special = await fixture.add_hall(session, "T-O4", moved(here, 400, 0), [a])
    session.add_all(
        [
            # Closed on an ordinary Wednesday, special hours on a holiday.
            HallException(hall_id=office.id, day=dt.date(2025, 10, 15), hours={"periods": []}),
            HallException(
                hall_id=special.id,
                day=dt.date(2026, 10, 1),
                hours={"periods": [["10:00", "11:00"]]},
            ),
            # An administrator's override: a made-up holiday beyond the bundled years.
            CalendarOverride(day=dt.date(2099, 6, 3), is_workday=False, note="test"),
        ]
    )
    await session.flush()
    index.invalidate()
    cases = {
        ("2025-10-15", "10:30"): [False, True, True, True],  # T-O1's exception: closed
        ("2026-10-01", "10:30"): [False, True, False, True],  # 国庆: holiday rules, T-O4's hours
        ("2026-10-10", "08:45"): [True, True, True, True],  # 调休 Saturday: Monday's 08:30
        ("2026-10-17", "08:45"): [False, True, True, False],  # an ordinary Saturday: 09:00
        ("2099-06-03", "10:30"): [False, True, False, False],  # the override's holiday
    }
    for (day, time), expected in cases.items():
        now = at(day, time)
        found = await service.nearest(session, lat=here[0], lng=here[1], item="T-ITEM-A", now=now)
        assert [h.code for h in found] == ["T-O1", "T-O2", "T-O3", "T-O4"]
        old = [await _old_open_now(session, h.code, now) for h in found]
        assert [h.open_now for h in found] == old == expected, (day, time)
