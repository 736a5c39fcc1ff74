"""Demo service halls on the four levels: city centres, each district's 政务服务中心 and branch
halls, every street's and town's 便民服务中心, and community and village 便民服务站.

Street and town names are real; community and village names are generated in the local style,
and the three-digit street and community codes are illustrative, not the official statistical
codes (see demo_places). Addresses and phone numbers are plausible, not real. Every point lies
inside its district's boundary (the shipped GeoJSON), found by seeded sampling, so the data is
the same on every run.

Run after the catalogue demo: halls are linked to the implementation items of their region.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import reference
from yiwang.catalog import demo as catalog_demo
from yiwang.halls import demo_places as places
from yiwang.halls import index as hall_index
from yiwang.halls.demo_geo import districts, place
from yiwang.halls.models import Hall, HallItem

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
OFFICE = [["09:00", "12:00"], ["13:30", "17:00"]]
RURAL = [["08:30", "11:30"], ["13:30", "17:00"]]
ALL_DAY = [["00:00", "24:00"]]
CORE = ("370202", "370203", "370213")  # the old city: communities only, fewer per street
_CHUNK = 500


@dataclass(frozen=True)
class Planned:
    row: dict[str, Any]
    # Which of the region's items the hall handles: all, some departments, or a reach.
    region: str
    depts: tuple[str, ...] = ()
    reach: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    online_only: bool = False


# --- the halls --------------------------------------------------------------------------------


def _hours(
    weekday: list[list[str]], saturday: bool = False, every_day: bool = False
) -> dict[str, Any]:
    days = {d: weekday for d in WEEKDAYS}
    days["sat"] = weekday if every_day else ([["09:00", "12:00"]] if saturday else [])
    days["sun"] = weekday if every_day else []
    return days


def _hall(
    code: str,
    name: str,
    name_en: str,
    level: str,
    region: str,
    district: str,
    address: str,
    point: tuple[float, float],
    rng: random.Random,
    *,
    windows: int,
    facilities: Sequence[str],
    hours: dict[str, Any],
    holidays: bool = False,
    notes: str = "",
) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "name_en": name_en,
        "level": level,
        "region_code": region,
        "district_code": district,
        "address": address,
        "lng": point[0],
        "lat": point[1],
        "phone": f"0532-{rng.choice('5688')}{rng.randrange(10**7):07d}",
        "windows": windows,
        "accessibility": {"facilities": list(facilities)},
        "weekly_hours": hours,
        "open_on_holidays": holidays,
        "notes": notes,
        "active": True,
    }


FULL = (
    "ramp",
    "toilet",
    "lift",
    "parking",
    "wheelchair",
    "hearing_loop",
    "braille",
    "sign_language",
    "low_counter",
    "priority_window",
    "nursing_room",
)
LOCAL = ("ramp", "toilet", "wheelchair", "low_counter", "priority_window")


def _city_halls() -> Iterator[Planned]:
    for n, name, name_en, district, street_address, depts, keys in places.CITY_HALLS:
        code = f"370200000000-{n}"
        rng = random.Random(code)  # noqa: S311
        centre = districts()[district][1]["center"]
        main = not depts
        row = _hall(
            code,
            name,
            name_en,
            "city",
            "370200000000",
            district,
            f"青岛市{_district_name(district)}{street_address}",
            place(district, code, centre, 0.008 if n < "05" else 0.03),
            rng,
            windows=120 if main else rng.randint(20, 60),
            facilities=FULL,
            hours=_hours(OFFICE, saturday=main or bool(keys)),
            notes="周六上午9:00—12:00提供延时服务。" if main or keys else "",
        )
        yield Planned(row, "370200", depts, keys=keys)


def _district_name(code: str) -> str:
    return next(name for c, name, _ in reference.DISTRICTS if c == code)


def _district_en(code: str) -> str:
    return next(en for c, _, en in reference.DISTRICTS if c == code).split(" (")[0]


def _district_halls(district: str) -> Iterator[Planned]:
    name, en = _district_name(district), _district_en(district)
    roads = places.PLACES[district][2]
    centre = districts()[district][1]["center"]
    for n, suffix, suffix_en, depts, self_service in places.DISTRICT_HALLS:
        code = f"{district}000000-{n}"
        rng = random.Random(code)  # noqa: S311
        if self_service:
            hours, windows, holidays = _hours(ALL_DAY, every_day=True), 0, True
            notes = "自助终端可办理社保医保查询打印、不动产登记资料查询、营业执照自助打印等业务。"
        else:
            hours, windows, holidays = (
                _hours(OFFICE, saturday=n == "01"),
                rng.randint(15, 90),
                False,
            )
            notes = "周六上午9:00—12:00提供延时服务。" if n == "01" else ""
        row = _hall(
            code,
            f"{name}{suffix}",
            f"{en} {suffix_en}",
            "district",
            f"{district}000000",
            district,
            f"青岛市{name}{rng.choice(roads)}{rng.randint(1, 300)}号",
            place(district, code, centre, 0.004 if n == "01" else 0.012),
            rng,
            windows=windows,
            facilities=FULL if n != "04" else ("ramp", "toilet", "lift"),
            hours=hours,
            holidays=holidays,
            notes=notes,
        )
        yield Planned(row, district, depts, online_only=self_service)


def streets(district: str) -> list[tuple[str, str, str, bool]]:
    """(9-digit code, name, English name, is a town) of every street and town."""
    s, t, _ = places.PLACES[district]
    out = [
        (f"{district}{n:03d}", f"{zh}街道", f"{en} Subdistrict", False)
        for n, (zh, en) in enumerate(s, start=1)
    ]
    out += [
        (f"{district}{100 + n:03d}", f"{zh}镇", f"{en} Town", True)
        for n, (zh, en) in enumerate(t, start=1)
    ]
    return out


def communities(district: str, street: str, town: bool) -> list[tuple[str, str, str]]:
    """(12-digit code, name, English name) of a street's communities and villages, city scale."""
    rng = random.Random(f"communities:{street}")  # noqa: S311
    if town:
        count, urban = rng.randint(28, 46), rng.randint(1, 2)
    elif district in CORE:
        count, urban = rng.randint(8, 16), 99
    else:
        count = rng.randint(14, 26)
        urban = count * 2 // 5
    fixed = list(places.FIRST_COMMUNITIES.get(street, ()))
    seen = {zh for zh, _ in fixed}
    out: list[tuple[str, str, str]] = []
    for n in range(count):
        if n < len(fixed):
            zh, en = fixed[n]
        while n >= len(fixed):
            if n < urban:
                (h, he), (t, te) = rng.choice(places.HEAD), rng.choice(places.TAIL)
                zh, en = h + t, he + te
            else:
                (s, se), (f, fe), (e, ee) = (
                    rng.choice(places.SIDES),
                    rng.choice(places.SURNAMES),
                    rng.choice(places.PLACE_ENDS),
                )
                zh, en = f"{s}{f}家{e}", f"{se}{fe}jia{ee}"
            if zh not in seen:
                break
        seen.add(zh)
        en = en[0].upper() + en[1:]
        if n < urban:
            out.append((f"{street}{len(out) + 1:03d}", f"{zh}社区", f"{en} Community"))
        else:
            out.append((f"{street}{200 + n - urban + 1:03d}", f"{zh}村", f"{en} Village"))
    return out


def _local_halls(district: str, scale: str) -> Iterator[Planned]:
    dname = _district_name(district)
    roads = places.PLACES[district][2]
    for index, (street, sname, sname_en, town) in enumerate(streets(district)):
        code = f"{street}000-01"
        rng = random.Random(code)  # noqa: S311
        centre = place(district, code, None, 0)
        saturday = rng.random() < 0.25
        row = _hall(
            code,
            f"{sname}便民服务中心",
            f"{sname_en} Convenience Service Centre",
            "street",
            f"{street}000",
            district,
            f"青岛市{dname}{sname}{rng.choice(roads)}{rng.randint(1, 400)}号",
            centre,
            rng,
            windows=rng.randint(4, 12),
            facilities=LOCAL,
            hours=_hours(RURAL if town else OFFICE, saturday=saturday),
            holidays=rng.random() < 0.05,
            notes="周六上午9:00—12:00提供延时服务。" if saturday else "",
        )
        yield Planned(row, district, reach=("street", "community"))
        members = communities(district, street, town)
        if scale != "city":
            members = members[:1] if index < 5 or street in places.FIRST_COMMUNITIES else []
        for ccode, cname, cname_en in members:
            hcode = f"{ccode}-01"
            crng = random.Random(hcode)  # noqa: S311
            village = cname.endswith("村")
            address = (
                f"青岛市{dname}{sname}{cname}村委会"
                if village
                else f"青岛市{dname}{sname}{cname}{crng.choice(roads)}{crng.randint(1, 200)}号"
            )
            crow = _hall(
                hcode,
                f"{cname}便民服务站",
                f"{cname_en} Service Station",
                "community",
                ccode,
                district,
                address,
                place(district, hcode, centre, 0.01 if village else 0.005),
                crng,
                windows=crng.randint(1, 3),
                facilities=[
                    f for f in ("ramp", "priority_window", "toilet") if crng.random() < 0.7
                ],
                hours=_hours(RURAL if village else OFFICE),
            )
            yield Planned(crow, district, reach=("community",))


def plan(scale: str) -> list[Planned]:
    if scale not in ("demo", "city"):
        raise ValueError(f"unknown scale {scale!r}: demo or city")
    out = list(_city_halls())
    for district, _, _ in reference.DISTRICTS:
        out += _district_halls(district)
        out += _local_halls(district, scale)
    return out


# --- loading ---------------------------------------------------------------------------------


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _items_for(p: Planned, by_region: dict[str, list[catalog_demo.ItemReach]]) -> Iterator[int]:
    for item in by_region.get(p.region, ()):
        if p.depts and item.department not in p.depts:
            continue
        if p.reach and item.reach not in p.reach:
            continue
        if p.keys and item.key not in p.keys:
            continue
        if p.online_only and item.online_depth < 4:
            continue
        yield item.id


async def load(session: AsyncSession, scale: str = "demo") -> dict[str, int]:
    """Rows added per table; all zero when the scale is already loaded and no items were added."""
    planned = plan(scale)
    codes = [p.row["code"] for p in planned]
    ids: dict[str, int] = {}
    for batch in _chunks(codes):
        q = select(Hall.code, Hall.id).where(Hall.code.in_(batch))
        ids.update(dict((await session.execute(q)).all()))
    new_rows = [p.row for p in planned if p.row["code"] not in ids]
    for batch in _chunks(new_rows):
        await session.execute(insert(Hall), list(batch))
    for batch in _chunks([r["code"] for r in new_rows]):
        q = select(Hall.code, Hall.id).where(Hall.code.in_(batch))
        ids.update(dict((await session.execute(q)).all()))

    by_region: dict[str, list[catalog_demo.ItemReach]] = {}
    for item in await catalog_demo.item_reach(session):
        by_region.setdefault(item.region_code, []).append(item)
    have: set[tuple[int, int]] = set()
    hall_ids = sorted(ids.values())
    for batch in _chunks(hall_ids):
        pairs = select(HallItem.hall_id, HallItem.impl_item_id).where(HallItem.hall_id.in_(batch))
        have.update((await session.execute(pairs)).all())
    links = [
        {"hall_id": ids[p.row["code"]], "impl_item_id": item}
        for p in planned
        for item in _items_for(p, by_region)
        if (ids[p.row["code"]], item) not in have
    ]
    for batch in _chunks(links):
        await session.execute(insert(HallItem), list(batch))
    await session.flush()
    hall_index.invalidate()  # this process's nearest-hall snapshot; others see it within its TTL
    return {"halls": len(new_rows), "hall_items": len(links)}
