"""Nearest halls (exact against a brute-force scan), the open-now rules and the hall directory."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Mapping

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.halls import fixture
from tests.halls.fixture import ALWAYS, HERE, NEVER, OFFICE, REMOTE, moved
from yiwang.halls import directory, geo, hours, index, service
from yiwang.halls.models import HallException
from yiwang.kit.errors import InvalidMany, NotFound
from yiwang.kit.timeutil import CITY_TZ
from yiwang.kit.workdays import Calendar, CalendarOverride


def at(day: str, time: str) -> dt.datetime:
    """An instant given as city wall-clock time."""
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=CITY_TZ)


WEDNESDAY = "2025-10-15"  # an ordinary working Wednesday


# --- geometry ---


def test_haversine_matches_known_distances() -> None:
    # One degree of latitude on the mean sphere is 111.195 km.
    assert geo.haversine_m(36.0, 120.0, 37.0, 120.0) == pytest.approx(111_195, abs=1)
    assert geo.haversine_m(*HERE, *HERE) == 0
    # Antipodes: half the circumference.
    assert geo.haversine_m(0, 0, 0, 180) == pytest.approx(20_015_115, rel=1e-6)


def test_bounding_box_holds_the_whole_circle() -> None:
    rng = random.Random(7)
    for _ in range(500):
        lat, lng = rng.uniform(-80, 80), rng.uniform(-179, 179)
        radius = rng.choice([500.0, 2_000.0, 50_000.0, 900_000.0])
        min_lat, max_lat, min_lng, max_lng = geo.bounding_box(lat, lng, radius)
        for _ in range(20):
            # A point on the circle itself, in a random direction.
            bearing = rng.uniform(0, 360)
            p = _destination(lat, lng, bearing, radius * 0.999)
            assert min_lat <= p[0] <= max_lat
            if min_lng is not None and max_lng is not None:
                assert min_lng <= p[1] <= max_lng, (lat, lng, radius, bearing)


def test_bounding_box_drops_longitude_near_a_pole_and_across_the_antimeridian() -> None:
    assert geo.bounding_box(89.99, 0, 5_000)[2:] == (None, None)
    assert geo.bounding_box(0, 179.99, 5_000)[2:] == (None, None)
    assert geo.bounding_box(*HERE, 2_000)[2] is not None


def _destination(lat: float, lng: float, bearing: float, distance: float) -> tuple[float, float]:
    r = geo.EARTH_RADIUS_M
    p1, l1, b = math.radians(lat), math.radians(lng), math.radians(bearing)
    d = distance / r
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(
        math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2)
    )
    return math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180


# --- nearest ---


async def test_nearest_sorts_by_distance_and_skips_inactive_halls(session: AsyncSession) -> None:
    await fixture.standard(session)
    found = await service.nearest(session, lat=HERE[0], lng=HERE[1], item="T-ITEM-A", limit=5)
    assert [h.code for h in found] == ["T-H1", "T-H2", "T-H3", "T-H4"]
    assert [h.distance_m for h in found] == sorted(h.distance_m for h in found)
    assert found[0].distance_m == pytest.approx(300, abs=2)
    assert found[1].distance_m == pytest.approx(800, abs=2)
    assert found[0].level == "city" and found[0].phone == "0532-8000 0000"
    # Two within the first box: settled there, however the ranking would go on.
    two = await service.nearest(session, lat=HERE[0], lng=HERE[1], item="T-ITEM-A", limit=2)
    assert [h.code for h in two] == ["T-H1", "T-H2"]


async def test_a_rare_item_is_found_far_away(session: AsyncSession) -> None:
    await fixture.standard(session)
    found = await service.nearest(session, lat=HERE[0], lng=HERE[1], item="T-ITEM-B", limit=3)
    assert [h.code for h in found] == ["T-H1", "T-H4", "T-H6"]
    assert found[2].distance_m == pytest.approx(60_000, rel=0.002)


async def test_a_hall_just_outside_the_box_beats_one_in_its_corner(
    session: AsyncSession,
) -> None:
    f = await fixture.standard(session)
    c1, c2 = f.halls["T-C1"], f.halls["T-C2"]
    assert geo.haversine_m(*REMOTE, c1.lat, c1.lng) > service.FIRST_RADIUS_M
    lat_lo, lat_hi, lng_lo, lng_hi = geo.bounding_box(*REMOTE, service.FIRST_RADIUS_M)
    assert lat_lo <= c1.lat <= lat_hi and lng_lo is not None and lng_hi is not None
    assert lng_lo <= c1.lng <= lng_hi  # T-C1 is in the first box …
    assert not lat_lo <= c2.lat <= lat_hi  # … T-C2 is not, yet it is nearer
    for item in (None, "T-ITEM-CORNER"):
        found = await service.nearest(session, lat=REMOTE[0], lng=REMOTE[1], item=item, limit=1)
        assert [h.code for h in found] == ["T-C2"], item


async def test_the_flat_earth_guess_is_checked_by_true_distance(session: AsyncSession) -> None:
    """Far north, the database's flat-earth measure ranks S before NE; the truth is the other
    way round, and the exact search after the guess must say so."""
    items = await fixture.add_items(session)
    here = (60.0, 0.0)
    ne, s = (62.0, 4.0), (57.2, 0.0)
    cos2 = math.cos(math.radians(here[0])) ** 2

    def flat(p: tuple[float, float]) -> float:
        return (p[0] - here[0]) ** 2 + (p[1] - here[1]) ** 2 * cos2

    assert flat(s) < flat(ne) and geo.haversine_m(*here, *ne) < geo.haversine_m(*here, *s)
    for code, point in (("T-NE", ne), ("T-S", s)):
        await fixture.add_hall(session, code, point, [items["T-ITEM-FLAT"]])
    for n in range(index.FEW_HALLS):  # common, so it is ranked rather than read whole
        await fixture.add_hall(
            session, f"T-FF{n:02d}", (60.0, 90.0 + n / 100), [items["T-ITEM-FLAT"]]
        )
    found = await service.nearest(session, lat=here[0], lng=here[1], item="T-ITEM-FLAT", limit=1)
    assert [h.code for h in found] == ["T-NE"]


async def test_a_thinly_spread_common_item_is_not_fooled_by_the_wider_boxs_corner(
    session: AsyncSession,
) -> None:
    """A common item (more halls than the first look ranks) with one hall in the first box: a
    wider box follows, and its corner must not win over a hall just outside its edge."""
    items = await fixture.add_items(session)
    common = items["T-ITEM-R"]
    wide = service.FIRST_RADIUS_M * service.GROWTH
    here = (-40.0, 175.0)
    await fixture.add_hall(session, "T-W0", moved(here, 500, 0), [common])
    corner = await fixture.add_hall(session, "T-W1", moved(here, wide - 100, wide - 100), [common])
    edge = await fixture.add_hall(session, "T-W2", moved(here, wide + 500, 0), [common])
    assert geo.haversine_m(*here, edge.lat, edge.lng) < geo.haversine_m(
        *here, corner.lat, corner.lng
    )
    for n in range(index.FEW_HALLS + 1):  # common, far away
        await fixture.add_hall(session, f"T-WF{n:02d}", moved(here, 300_000, n * 100), [common])
    found = await service.nearest(session, lat=here[0], lng=here[1], item="T-ITEM-R", limit=2)
    assert [h.code for h in found] == ["T-W0", "T-W2"]
    # And with the limit-th inside the first box's corner: a slightly larger box settles it.
    await fixture.add_hall(session, "T-W3", moved(here, 1_900, 1_900), [common])
    await fixture.add_hall(session, "T-W4", moved(here, 2_300, 0), [common])
    found = await service.nearest(session, lat=here[0], lng=here[1], item="T-ITEM-R", limit=2)
    assert [h.code for h in found] == ["T-W0", "T-W4"]


@pytest.mark.parametrize("item", [None, "T-ITEM-R"])
async def test_nearest_equals_a_full_scan_for_random_points(
    session: AsyncSession, item: str | None
) -> None:
    items = await fixture.add_items(session)
    rng = random.Random(2026)
    points = {}
    for n in range(150):
        # Dense in a city centre, sparse across the county-level cities round it.
        spread = 4_000 if n < 100 else 60_000
        p = moved(REMOTE, rng.gauss(0, spread), rng.gauss(0, spread))
        code = f"T-R{n:03d}"
        await fixture.add_hall(session, code, p, [items["T-ITEM-R"]])
        points[code] = p
    for _ in range(40):
        q = moved(REMOTE, rng.uniform(-40_000, 40_000), rng.uniform(-40_000, 40_000))
        k = rng.choice([1, 3, 5, 12])
        found = await service.nearest(session, lat=q[0], lng=q[1], item=item, limit=k)
        expected = sorted(points, key=lambda c: geo.haversine_m(*q, *points[c]))[:k]
        assert [h.code for h in found] == expected


async def test_nearest_far_from_every_hall_still_answers(session: AsyncSession) -> None:
    f = await fixture.standard(session)
    handling_b = [f.halls[c] for c in ("T-H1", "T-H4", "T-H6")]
    for lat, lng in ((-45.0, 170.0), (90.0, 0.0), (-90.0, 180.0), (0.0, -180.0)):
        found = await service.nearest(session, lat=lat, lng=lng, item="T-ITEM-B", limit=2)
        by_scan = sorted(handling_b, key=lambda h: geo.haversine_m(lat, lng, h.lat, h.lng))
        assert [h.code for h in found] == [h.code for h in by_scan[:2]]
        assert found[0].distance_m > 1_000_000


async def test_an_item_no_hall_handles_gives_an_empty_list(session: AsyncSession) -> None:
    await fixture.standard(session)
    assert await service.nearest(session, lat=HERE[0], lng=HERE[1], item="T-ITEM-NONE") == []


async def test_unknown_item_is_not_found_naming_the_field(session: AsyncSession) -> None:
    with pytest.raises(NotFound) as caught:
        await service.nearest(session, lat=HERE[0], lng=HERE[1], item="NO-SUCH-ITEM")
    assert caught.value.field == "item" and caught.value.code == "unknown_item"


@pytest.mark.parametrize(
    ("lat", "lng", "limit", "fields"),
    [
        (90.5, 120.0, 5, ["lat"]),
        (-91.0, 120.0, 5, ["lat"]),
        (36.0, 180.01, 5, ["lng"]),
        (float("nan"), 120.0, 5, ["lat"]),
        (36.0, float("inf"), 5, ["lng"]),
        (36.0, 120.0, 0, ["limit"]),
        (36.0, 120.0, 51, ["limit"]),
        (100.0, -200.0, 99, ["lat", "lng", "limit"]),
    ],
)
async def test_out_of_range_input_names_each_field(
    session: AsyncSession, lat: float, lng: float, limit: int, fields: list[str]
) -> None:
    with pytest.raises(InvalidMany) as caught:
        await service.nearest(session, lat=lat, lng=lng, limit=limit)
    assert [e.field for e in caught.value.errors] == fields
    assert caught.value.status == 422


async def test_open_now_in_the_nearest_answer(session: AsyncSession) -> None:
    await fixture.standard(session)
    found = await service.nearest(
        session, lat=HERE[0], lng=HERE[1], item="T-ITEM-A", limit=3, now=at(WEDNESDAY, "10:00")
    )
    assert [(h.code, h.open_now) for h in found] == [
        ("T-H1", True),
        ("T-H2", False),
        ("T-H3", True),
    ]
    lunch = await service.nearest(
        session, lat=HERE[0], lng=HERE[1], item="T-ITEM-A", limit=3, now=at(WEDNESDAY, "12:30")
    )
    assert [h.open_now for h in lunch] == [True, False, False]


# --- the hours rules ---


def _open(
    weekly: Mapping[str, object],
    when: dt.datetime,
    *,
    cal: Calendar | None = None,
    holidays: bool = False,
    exception: object = None,
) -> bool:
    cal = cal or Calendar()
    day = when.date()
    today = hours.hours_for(weekly, holidays, day, hours.day_kind(cal, day), exception)
    return hours.is_open_at(today.periods, hours.minute_of_day(when))


def test_regular_hours_start_inclusive_end_exclusive() -> None:
    assert _open(OFFICE, at(WEDNESDAY, "09:00"))
    assert not _open(OFFICE, at(WEDNESDAY, "08:59"))
    assert _open(OFFICE, at(WEDNESDAY, "16:59"))
    assert not _open(OFFICE, at(WEDNESDAY, "17:00"))
    assert not _open(OFFICE, at(WEDNESDAY, "12:30"))
    assert _open(OFFICE, at("2025-10-18", "10:00"))  # an ordinary Saturday morning
    assert not _open(OFFICE, at("2025-10-19", "10:00"))  # Sunday
    assert _open(ALWAYS, at(WEDNESDAY, "23:59"))
    assert not _open(NEVER, at(WEDNESDAY, "10:00"))


def test_time_is_city_time_whatever_zone_the_clock_gives() -> None:
    utc = dt.datetime(2025, 10, 15, 1, 30, tzinfo=dt.UTC)  # 09:30 in Qingdao
    assert _open(OFFICE, hours.local_now(utc))
    with pytest.raises(ValueError, match="naive"):
        hours.local_now(dt.datetime(2025, 10, 15, 9, 30))


def test_public_holidays_close_unless_open_on_holidays() -> None:
    national_day = at("2025-10-01", "10:00")  # a Wednesday
    assert hours.day_kind(Calendar(), national_day.date()) == hours.HOLIDAY
    assert not _open(OFFICE, national_day)
    assert _open(OFFICE, national_day, holidays=True)  # that weekday's own hours
    assert not _open(OFFICE, at("2025-10-01", "12:30"), holidays=True)


def test_a_weekend_inside_a_holiday_is_a_holiday_too() -> None:
    saturday = at("2025-10-04", "10:00")  # Saturday in the National Day week
    assert hours.day_kind(Calendar(), saturday.date()) == hours.HOLIDAY
    assert not _open(OFFICE, saturday)
    assert _open(OFFICE, saturday, holidays=True)


def test_makeup_workday_uses_mondays_hours() -> None:
    makeup = "2025-10-11"  # 调休: a Saturday worked for National Day
    assert hours.day_kind(Calendar(), dt.date.fromisoformat(makeup)) == hours.MAKEUP
    assert _open(OFFICE, at(makeup, "08:45"))  # Monday opens at 08:30, Saturday at 09:00
    assert _open(OFFICE, at(makeup, "15:00"))  # Saturday would be closed in the afternoon
    assert not _open(OFFICE, at(makeup, "12:30"))
    assert not _open(OFFICE, at("2025-10-18", "15:00"))  # an ordinary Saturday afternoon


def test_an_exception_decides_alone() -> None:
    closed: dict[str, list[object]] = {"periods": []}
    special = {"periods": [["10:00", "11:00"]]}
    assert not _open(OFFICE, at(WEDNESDAY, "10:00"), exception=closed)
    assert not _open(ALWAYS, at(WEDNESDAY, "10:00"), exception=closed, holidays=True)
    assert _open(OFFICE, at("2025-10-01", "10:30"), exception=special)  # open on the holiday
    assert not _open(OFFICE, at(WEDNESDAY, "09:30"), exception=special)


def test_calendar_overrides_beyond_the_bundled_years() -> None:
    day = dt.date(2027, 2, 8)  # a Monday the bundled calendar does not know
    assert _open(OFFICE, at("2027-02-08", "10:00"))
    cal = Calendar({day: False})
    assert hours.day_kind(cal, day) == hours.HOLIDAY
    assert not _open(OFFICE, at("2027-02-08", "10:00"), cal=cal)
    sunday = dt.date(2027, 2, 14)
    makeup = Calendar({sunday: True})
    assert _open(OFFICE, at("2027-02-14", "08:45"), cal=makeup)


def test_malformed_stored_hours_are_skipped_not_fatal() -> None:
    weekly = {"wed": [["09:00", "12:00"], ["bad"], ["13:00", "12:00"], ["9:0", "10"], None]}
    assert hours.periods(weekly["wed"]) == (("09:00", "12:00"),)
    assert hours.periods("09:00-12:00") == ()
    assert hours.exception_periods(None) == ()
    assert _open(weekly, at(WEDNESDAY, "10:00"))
    assert not _open(weekly, at(WEDNESDAY, "12:30"))


async def test_overrides_and_exceptions_from_the_database(session: AsyncSession) -> None:
    f = await fixture.standard(session)
    h3 = f.halls["T-H3"]
    session.add(CalendarOverride(day=dt.date(2027, 3, 3), is_workday=False, note="test"))
    session.add(
        HallException(
            hall_id=h3.id, day=dt.date(2027, 3, 4), hours={"periods": []}, note="设备检修"
        )
    )
    await session.flush()
    for day, expected in (("2027-03-02", True), ("2027-03-03", False), ("2027-03-04", False)):
        found = await service.nearest(
            session, lat=h3.lat, lng=h3.lng, item="T-ITEM-A", limit=1, now=at(day, "10:00")
        )
        assert [(h.code, h.open_now) for h in found] == [("T-H3", expected)], day
    detail = await directory.hall_detail(session, "T-H3", now=at("2027-03-02", "10:00"))
    reasons = [(d.day.isoformat(), d.reason, d.closed, d.note) for d in detail.week[:3]]
    assert reasons == [
        ("2027-03-02", "regular", False, ""),
        ("2027-03-03", "holiday", True, ""),
        ("2027-03-04", "exception", True, "设备检修"),
    ]
    assert detail.open_now and detail.today.day == dt.date(2027, 3, 2)
    assert [i.code for i in detail.items] == ["T-ITEM-A"]
    assert detail.facilities == ["ramp", "toilet"]


# --- the directory ---


async def test_list_filters_by_item_level_district_and_text(session: AsyncSession) -> None:
    await fixture.standard(session)
    noon = at(WEDNESDAY, "10:00")

    async def codes(**kw: object) -> list[str]:
        page = await directory.list_halls(session, directory.HallFilters(**kw), now=noon)  # type: ignore[arg-type]
        return [h.code for h in page.halls]

    # City level first, then by district and code; the inactive T-H5 never shows.
    assert await codes(item="T-ITEM-A") == ["T-H1", "T-H4", "T-H3", "T-H2"]
    assert await codes(item="T-ITEM-B", level="street") == ["T-H6"]
    assert await codes(item="T-ITEM-A", district="370214") == ["T-H4"]
    assert await codes(item="T-ITEM-A", open_now=True) == ["T-H1", "T-H4", "T-H3"]
    assert await codes(q="测试T-H2") == ["T-H2"]
    assert await codes(q="test hall t-c") == ["T-C1", "T-C2"]
    assert await codes(q="%") == []  # a wildcard is a character, not a pattern


async def test_list_pages(session: AsyncSession) -> None:
    await fixture.standard(session)
    filters = directory.HallFilters(item="T-ITEM-A")
    first = await directory.list_halls(session, filters, page=1, page_size=3)
    second = await directory.list_halls(session, filters, page=2, page_size=3)
    assert (first.total, first.pages, len(first.halls), len(second.halls)) == (4, 2, 3, 1)
    opened = directory.HallFilters(item="T-ITEM-A", open_now=True)
    now = at(WEDNESDAY, "10:00")
    page2 = await directory.list_halls(session, opened, page=2, page_size=2, now=now)
    assert (page2.total, [h.code for h in page2.halls]) == (3, ["T-H3"])


async def test_bad_filters_name_their_fields(session: AsyncSession) -> None:
    bad = directory.HallFilters(level="province", district="110101", q="x" * 61)
    with pytest.raises(InvalidMany) as caught:
        await directory.list_halls(session, bad, page=0, page_size=500)
    assert [e.field for e in caught.value.errors] == ["level", "district", "q", "page", "page_size"]
    with pytest.raises(NotFound):
        await directory.list_halls(session, directory.HallFilters(item="NO-SUCH-ITEM"))
    # With other mistakes, an unknown item is one more field to correct.
    both = directory.HallFilters(item="NO-SUCH-ITEM", q="y" * 61, level="x")
    with pytest.raises(InvalidMany) as caught:
        await directory.list_halls(session, both)
    assert [e.field for e in caught.value.errors] == ["level", "item", "q"]


async def test_unknown_or_inactive_hall_is_not_found(session: AsyncSession) -> None:
    await fixture.standard(session)
    with pytest.raises(NotFound):
        await directory.hall_detail(session, "NO-SUCH-HALL")
    with pytest.raises(NotFound):
        await directory.hall_detail(session, "T-H5")


async def test_item_options_are_the_items_active_halls_handle(session: AsyncSession) -> None:
    await fixture.standard(session)
    codes = {i.code for i in await directory.item_options(session)}
    assert {"T-ITEM-A", "T-ITEM-B", "T-ITEM-CORNER"} <= codes
    assert "T-ITEM-NONE" not in codes
