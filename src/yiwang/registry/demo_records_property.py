"""Driving licences, vehicles and real estate: people's, and the builders of records that
enterprises' vehicles and premises share."""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Iterator
from typing import Any

from yiwang.kit import identifiers
from yiwang.registry import demo_enterprises as ents
from yiwang.registry import demo_names as names
from yiwang.registry import demo_people as pp
from yiwang.registry.demo_base import (
    COUNTY_CITIES,
    DISTRICT_NAMES,
    LONG_TERM,
    Ctx,
    RecordRow,
    add_years,
    age_on,
    between,
    iso,
    licence,
    rng,
)
from yiwang.registry.demo_people import SynthPerson

VEHICLE_OFFICE = "青岛市公安局交通警察支队车辆管理所"
# How likely people of each occupation are to hold a driving licence.
_DRIVES = {
    "driver": 1.0,
    "manager": 0.9,
    "office": 0.8,
    "public": 0.8,
    "self": 0.8,
    "builder": 0.7,
    "pharmacist": 0.6,
    "farmer": 0.55,
    "food": 0.5,
    "retail": 0.5,
    "retired": 0.45,
    "unemployed": 0.4,
    "student": 0.3,
}
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_VIN_YEARS = "ABCDEFGHJKLMNPRSTVWXY123456789"  # 2010 is A, and every 30 years again
_VIN_VALUES = dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ", map(int, "12345678123457923456789"), strict=True))
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def property_records(p: SynthPerson, ctx: Ctx) -> Iterator[RecordRow]:
    r = rng("property", p.id_number)
    key = ctx.hash_id(p.id_number)
    holder = (p.name, identifiers.mask_id(p.id_number))
    yield from driving(p, r, ctx, key, holder)
    for data in _estates(ctx.today).get(p.index, ()):
        yield RecordRow("real_estate", key, data["unit_no"], data, "A")
        issuer = estate_office(data["region"])
        number, issued = data["certificate_no"], data["registration_date"]
        yield licence(key, "real_estate", number, holder, issuer, issued)


def driving(
    p: SynthPerson, r: random.Random, ctx: Ctx, key: str, holder: tuple[str, str]
) -> Iterator[RecordRow]:
    age = age_on(p.born, ctx.today)
    expired = "driver_licence" in p.expired
    if not expired and not (18 <= age <= 75 and r.random() < _DRIVES.get(p.occupation, 0.0)):
        return
    adult = add_years(p.born, 18)
    if expired:  # the licence ran out a few weeks or months ago and was not renewed
        until = ctx.today - dt.timedelta(days=r.randint(20, 200))
        first = max(add_years(until, -16 if age >= 40 else -6), adult)
        valid_until = iso(until)
    else:
        first = between(r, max(adult, dt.date(1995, 1, 1)), ctx.today - dt.timedelta(days=400))
        # Six years at first, then ten, then for life.
        six, sixteen = add_years(first, 6), add_years(first, 16)
        valid_until = LONG_TERM
        if sixteen > ctx.today:
            valid_until = iso(six if six > ctx.today else sixteen)
    truck = p.occupation == "driver"
    data: dict[str, Any] = {
        "licence_class": r.choice(("B2", "A2")) if truck else r.choices(("C1", "C2"), (9, 1))[0],
        "first_issue": iso(first),
        "valid_until": valid_until,
        "points": 0 if p.login or r.random() < 0.7 else r.randint(1, 9),
        "status": "expired" if expired else "valid",
        "file_no": f"3702{r.randrange(10**8):08d}",
    }
    yield RecordRow("driver_licence", key, "", data, "A")
    yield licence(
        key,
        "driving",
        data["file_no"],
        holder,
        VEHICLE_OFFICE,
        iso(first),
        valid_until,
        data["status"],
    )
    if not truck and r.random() < 0.8:
        for n in range(2 if r.random() < 0.1 else 1):
            since = between(r, max(first, dt.date(2008, 1, 1)), ctx.today - dt.timedelta(days=30))
            serial = 2 * p.index + n
            yield from vehicle(r, ctx, key, holder, since, serial, truck=False, clean=bool(p.login))


def vehicle(
    r: random.Random,
    ctx: Ctx,
    key: str,
    holder: tuple[str, str],
    registered: dt.date,
    serial: int,
    *,
    truck: bool,
    clean: bool = False,
) -> Iterator[RecordRow]:
    """A vehicle and its e-licence (行驶证), owned by a person or an enterprise. `serial`
    (below 10,000, one per vehicle) makes the number plate unique: its digits are the serial
    scrambled by a multiplication that is one-to-one modulo 10,000."""
    electric = not truck and registered.year >= 2018 and r.random() < 0.3
    if electric:
        plate = f"鲁B{r.choice('DF')}{serial * 7919 % 10**5:05d}"
    else:
        plate = f"鲁B{r.choice(_PLATE_LETTERS)}{serial * 7919 % 10**4:04d}"
    make, model = r.choice(names.TRUCKS if truck else names.CARS)
    years = (ctx.today - registered).days // 365
    if truck:  # working vehicles are inspected every year
        inspection = add_years(registered, years + 1)
    else:  # private cars: at six and ten years, then yearly
        inspection = add_years(registered, 6 if years < 6 else 10 if years < 10 else years + 1)
    data = {
        "plate_no": plate,
        "vehicle_type": r.choice(("H11", "H31")) if truck else r.choices(("K33", "K31"), (9, 1))[0],
        "brand_model": f"{make}{model}",
        "vin": vin(r, registered.year),
        "registration_date": iso(registered),
        "inspection_until": iso(inspection),
        "status": "A" if clean or r.random() < 0.95 else "G",
    }
    yield RecordRow("vehicle", key, plate, data, "A")
    yield licence(
        key, "vehicle_licence", plate, holder, VEHICLE_OFFICE, iso(registered), iso(inspection)
    )


def vin(r: random.Random, year: int) -> str:
    """A vehicle identification number with a correct check digit (ISO 3779, GB 16735)."""
    body = (
        r.choice(names.WMI)
        + "".join(r.choice(_VIN_CHARS) for _ in range(5))
        + "0"
        + _VIN_YEARS[(year - 2010) % 30]
        + r.choice(_VIN_CHARS)
        + f"{r.randrange(10**6):06d}"
    )
    total = sum(
        (int(c) if c.isdigit() else _VIN_VALUES[c]) * w
        for c, w in zip(body, _VIN_WEIGHTS, strict=True)
    )
    return body[:8] + ("X" if total % 11 == 10 else str(total % 11)) + body[9:]


def estate_office(region: str) -> str:
    if region in COUNTY_CITIES:
        return f"{DISTRICT_NAMES[region]}自然资源局"
    return "青岛市自然资源和规划局"


def estate(
    r: random.Random,
    today: dt.date,
    region: str,
    location: str,
    *,
    usage: str = "residential",
    rural: bool = False,
    joint: bool = False,
    since: dt.date = dt.date(1998, 1, 1),
    clean: bool = False,
    area: float | None = None,
    registered: dt.date | None = None,
) -> dict[str, Any]:
    """One property's register entry."""
    if registered is None:
        registered = between(r, max(since, dt.date(1998, 1, 1)), today - dt.timedelta(days=60))
    where = DISTRICT_NAMES[region] if region in COUNTY_CITIES else f"青岛市{DISTRICT_NAMES[region]}"
    land = "JC" if rural else "GB"  # collective or state-owned land
    unit = (
        f"{region}{r.randint(1, 30):03d}{r.randint(1, 20):03d}{land}{r.randrange(1, 10**5):05d}"
        f"F{r.randint(1, 60):04d}{r.randint(1, 30):02d}{r.randint(1, 4):02d}"
    )
    floor_area = area or round(r.uniform(120, 260) if rural else r.uniform(45, 150), 2)
    if usage != "residential" and area is None:
        floor_area = round(r.uniform(60, 1200), 2)
    return {
        "certificate_no": f"鲁（{registered.year}）{where}不动产权第{r.randrange(1, 10**7):07d}号",
        "unit_no": unit,
        "location": location,
        "region": region,
        "usage": usage,
        "floor_area": floor_area,
        "land_right_type": "allocated" if rural or r.random() < 0.1 else "granted",
        "ownership": "joint" if joint else "sole",
        "registration_date": iso(registered),
        "mortgaged": not clean and registered.year >= 2008 and r.random() < 0.35,
        "seized": not clean and r.random() < 0.005,
        "land_area": round(r.uniform(150, 400) if rural else r.uniform(3000, 60000), 2),
        "structure": "mixed" if rural else r.choices(("steel_concrete", "mixed"), (8, 2))[0],
        "completed_year": r.randint(max(1980, registered.year - 25), registered.year),
    }


@functools.cache
def _estates(today: dt.date) -> dict[int, tuple[dict[str, Any], ...]]:
    """Properties by owner: a household's flat belongs to the head, or jointly to a couple."""
    found: dict[int, list[dict[str, Any]]] = {}
    for head in (p for p in pp.people() if p.relation == "02"):
        r = rng("estate", head.household_no)
        owners = [head.index] + ([head.spouse] if head.spouse is not None else [])
        joint, clean = len(owners) > 1, bool(head.login)
        chance = 0.15 if not head.native else 0.6 if head.household_type == "rural" else 0.8
        if not clean and (age_on(head.born, today) < 28 or r.random() >= chance):
            continue
        since = add_years(head.born, 25)
        rural = head.household_type == "rural"
        homes = [
            estate(
                r,
                today,
                head.residence_region,
                head.address,
                rural=rural,
                joint=joint,
                since=since,
                clean=clean,
            )
        ]
        if head.login == "13800000001":  # the demo citizen's restaurant is his own premises
            shop = ents.enterprises()[1]
            homes.append(
                estate(
                    r,
                    today,
                    shop.region,
                    shop.address,
                    usage="commercial",
                    clean=True,
                    area=86.4,
                    registered=dt.date(2022, 11, 8),
                )
            )
        elif head.native and not clean and r.random() < 0.15:
            other = r.choice(list(DISTRICT_NAMES))
            homes.append(estate(r, today, other, pp.flat(r, other), joint=joint, since=since))
        for owner in owners:
            found.setdefault(owner, []).extend(homes)
    return {owner: tuple(homes) for owner, homes in found.items()}
