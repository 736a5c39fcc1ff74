"""Halls and items of the halls tests, with codes of their own (T-…), so that whatever else the
database holds (the demo halls) stays out of the way when a test filters on them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tests.support import impl_item
from yiwang.accounts import service as accounts
from yiwang.catalog.models import BasicItem, Domain
from yiwang.halls import index
from yiwang.halls.models import Hall, HallItem

# The user stands near 五四广场 in 市南区.
HERE = (36.0620, 120.3840)
# Far from any demo hall, for the searches that take every hall into account.
REMOTE = (-45.0, 170.0)
ALWAYS = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
NEVER: dict[str, Any] = {d: [] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
OFFICE = {
    "mon": [["08:30", "12:00"], ["13:30", "17:00"]],
    "tue": [["09:00", "12:00"], ["13:30", "17:00"]],
    "wed": [["09:00", "12:00"], ["13:30", "17:00"]],
    "thu": [["09:00", "12:00"], ["13:30", "17:00"]],
    "fri": [["09:00", "12:00"], ["13:30", "17:00"]],
    "sat": [["09:00", "12:00"]],
    "sun": [],
}
ITEMS = ("T-ITEM-A", "T-ITEM-B", "T-ITEM-CORNER", "T-ITEM-NONE", "T-ITEM-R", "T-ITEM-FLAT")


def moved(point: tuple[float, float], north_m: float, east_m: float) -> tuple[float, float]:
    lat, lng = point
    dlat = north_m / 111_195.0
    dlng = east_m / (111_195.0 * math.cos(math.radians(lat)))
    return lat + dlat, lng + dlng


@dataclass(frozen=True)
class Fixture:
    items: dict[str, int]
    halls: dict[str, Hall]


async def add_items(session: AsyncSession) -> dict[str, int]:
    session.add(Domain(code="t-halls", name="场所测试", name_en="Halls test", sort=97))
    await session.flush()
    basic = BasicItem(
        code="T-HALLS-01",
        name="测试事项",
        item_type="公共服务",
        exercise_level="区级",
        domain_code="t-halls",
    )
    session.add(basic)
    await session.flush()
    dept = await accounts.department_by_code(session, "xzsp", "370202")
    out = {}
    for n, code in enumerate(ITEMS):
        item = impl_item(
            code,
            basic.id,
            dept.id,
            name=f"测试事项{n}",
            name_en=f"Test item {n}",
        )
        session.add(item)
        await session.flush()
        out[code] = item.id
    return out


async def add_hall(
    session: AsyncSession,
    code: str,
    point: tuple[float, float],
    items: list[int],
    *,
    level: str = "community",
    district: str = "370202",
    weekly: dict[str, Any] | None = None,
    open_on_holidays: bool = False,
    active: bool = True,
    name: str | None = None,
) -> Hall:
    hall = Hall(
        code=code,
        name=name or f"测试{code}便民服务站",
        name_en=f"Test hall {code}",
        level=level,
        region_code=district + "001001",
        district_code=district,
        address=f"青岛市测试路{len(code)}号",
        lat=point[0],
        lng=point[1],
        phone="0532-8000 0000",
        windows=3,
        accessibility={"facilities": ["ramp", "toilet"]},
        weekly_hours=OFFICE if weekly is None else weekly,
        open_on_holidays=open_on_holidays,
        active=active,
    )
    session.add(hall)
    await session.flush()
    session.add_all([HallItem(hall_id=hall.id, impl_item_id=i) for i in items])
    await session.flush()
    index.invalidate()
    return hall


async def standard(session: AsyncSession) -> Fixture:
    """A handful of halls around HERE; item B is rare (nearest ones 0.3, 25 and 60 km away)."""
    items = await add_items(session)
    a, b = items["T-ITEM-A"], items["T-ITEM-B"]
    corner = items["T-ITEM-CORNER"]
    halls = {
        "T-H1": await add_hall(
            session,
            "T-H1",
            moved(HERE, 300, 0),
            [a, b],
            level="city",
            weekly=ALWAYS,
            open_on_holidays=True,
        ),
        "T-H2": await add_hall(session, "T-H2", moved(HERE, 0, 800), [a], weekly=NEVER),
        "T-H3": await add_hall(session, "T-H3", moved(HERE, -2100, -2100), [a], level="street"),
        "T-H4": await add_hall(
            session, "T-H4", moved(HERE, 25_000, 0), [a, b], level="district", district="370214"
        ),
        "T-H5": await add_hall(session, "T-H5", moved(HERE, 100, 0), [a, b], active=False),
        "T-H6": await add_hall(
            session, "T-H6", moved(HERE, 0, 60_000), [b], level="street", district="370215"
        ),
        # Round REMOTE: in the first search box's corner (2.55 km), just outside its edge (2.2 km).
        "T-C1": await add_hall(session, "T-C1", moved(REMOTE, 1800, 1800), [corner]),
        "T-C2": await add_hall(session, "T-C2", moved(REMOTE, 2200, 0), [corner]),
    }
    return Fixture(items, halls)
