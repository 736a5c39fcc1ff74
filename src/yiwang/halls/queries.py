"""The statements of the nearest-hall search, built once with bind parameters so that each search
only binds values (and PostgreSQL can keep them prepared).

They read columns, never entities, and join the catalogue's implementation-item table by code
directly rather than through the catalogue service: this runs on every map search.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Float,
    Select,
    Text,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    select,
    union_all,
)

from yiwang.catalog.models import ImplItem
from yiwang.halls.models import Hall, HallException, HallItem
from yiwang.kit.workdays import CalendarOverride

# An item handled by at most this many halls comes whole with the first look.
FEW_HALLS = 64

_halls = Hall.__table__
_items = HallItem.__table__
_exceptions = HallException.__table__
_impl = ImplItem.__table__

# The day's calendar override rides along as a column: one round trip fewer than asking apart.
_OVERRIDE = (
    select(CalendarOverride.is_workday)
    .where(CalendarOverride.day == bindparam("today"))
    .scalar_subquery()
)
# Evaluated once per statement (it does not depend on the row).
_ITEM_ID = select(_impl.c.id).where(_impl.c.code == bindparam("code")).scalar_subquery()
# JSON as text: only the few halls that make the answer have their hours parsed.
COLUMNS = (
    _halls.c.lat,
    _halls.c.lng,
    _halls.c.code,
    _halls.c.name,
    _halls.c.name_en,
    _halls.c.level,
    _halls.c.address,
    _halls.c.phone,
    cast(_halls.c.weekly_hours, Text).label("weekly_hours"),
    _halls.c.open_on_holidays,
    cast(_exceptions.c.hours, Text).label("exception_hours"),
    _OVERRIDE.label("override"),
)


def _base(*extra: Any) -> Select[Any]:
    return (
        select(*COLUMNS, *extra)
        .select_from(
            _halls.outerjoin(
                _exceptions,
                and_(_exceptions.c.hall_id == _halls.c.id, _exceptions.c.day == bindparam("today")),
            )
        )
        .where(_halls.c.active.is_(True))
    )


@cache
def in_box(item: str, lng_box: bool) -> Select[Any]:
    """Halls in a lat/lng box (binds min_lat, max_lat, min_lng, max_lng); item: "" (any),
    "probe" (a small box) or "drive" (a large one), both binding the item's code."""
    lat: ColumnElement[float] = _halls.c.lat
    lng: ColumnElement[float] = _halls.c.lng
    if item == "drive":
        # "+ 0" hides the (lat, lng) index, so neither database can choose it: a prepared
        # statement's generic plan on PostgreSQL would, not knowing the box is city-sized.
        lat, lng = lat + literal_column("0"), lng + literal_column("0")
    stmt = _base(literal_column("'box'").label("via"))
    stmt = stmt.where(lat.between(bindparam("min_lat"), bindparam("max_lat")))
    if lng_box:
        stmt = stmt.where(lng.between(bindparam("min_lng"), bindparam("max_lng")))
    if item == "probe":
        # Walk the (lat, lng) index and probe each hall for the item. As a join, SQLite would
        # start from every hall handling the item, however far away.
        stmt = stmt.where(
            select(_items.c.hall_id)
            .where(_items.c.hall_id == _halls.c.id, _items.c.impl_item_id == _ITEM_ID)
            .exists()
        )
    elif item == "drive":
        # Start from the item's halls rather than from every hall in the box.
        stmt = stmt.join(
            _items, and_(_items.c.hall_id == _halls.c.id, _items.c.impl_item_id == _ITEM_ID)
        )
    return stmt


def _every_hall_of_a_rare_item() -> Select[Any]:
    """All the halls of an item that at most FEW_HALLS halls handle (most items: the district
    centres' own); nothing for a common item. Counting stops past FEW_HALLS, and the condition
    is the same for every row, so the databases decide it once."""
    counted = (
        select(_items.c.hall_id)
        .where(_items.c.impl_item_id == _ITEM_ID)
        .limit(FEW_HALLS + 1)
        .subquery()
    )
    return (
        _base(literal_column("'every'").label("via"))
        .join(_items, and_(_items.c.hall_id == _halls.c.id, _items.c.impl_item_id == _ITEM_ID))
        .where(select(func.count()).select_from(counted).scalar_subquery() <= FEW_HALLS)
    )


def _ranked() -> Select[Any]:
    """A common item's `limit` halls nearest by a flat-earth measure, ranked by the database
    over that item's halls only, with the wide columns read for the winners alone. Close
    enough to find halls nearby, whose farthest true distance then bounds an exact box search."""
    lat, lng = bindparam("lat", type_=Float), bindparam("lng", type_=Float)
    ranked = (
        select(_halls.c.id)
        .join(_items, _items.c.hall_id == _halls.c.id)
        .where(_halls.c.active.is_(True), _items.c.impl_item_id == _ITEM_ID)
        .order_by(
            (_halls.c.lat - lat) * (_halls.c.lat - lat)
            + (_halls.c.lng - lng) * (_halls.c.lng - lng) * bindparam("cos2", type_=Float)
        )
        .limit(bindparam("limit"))
        .subquery("ranked")
    )
    return _base(literal_column("'rank'").label("via")).join(ranked, ranked.c.id == _halls.c.id)


@cache
def first_look(lng_box: bool) -> CompoundSelect[Any]:
    """One round trip for an item: its halls in the first box, and every one of its halls when
    few handle it."""
    return union_all(in_box("probe", lng_box), _every_hall_of_a_rare_item())


RANKED = _ranked()
ALL = _base(literal_column("'all'").label("via"))
ITEM_EXISTS = select(_impl.c.id).where(_impl.c.code == bindparam("code"))
