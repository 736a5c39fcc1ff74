"""A synthetic person's civil records: identity, household, residence permit, marriage, births
and deaths in the family, school, health and social assistance."""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Iterator
from typing import Any

from yiwang.accounts import demo as accounts_demo
from yiwang.halls import demo_places
from yiwang.kit import identifiers
from yiwang.registry import demo_names as names
from yiwang.registry import demo_people as pp
from yiwang.registry.demo_base import (
    LONG_TERM,
    Ctx,
    RecordRow,
    add_years,
    age_on,
    between,
    in_qingdao,
    iso,
    licence,
    office,
    place,
    police_bureau,
    protected,
    rng,
)
from yiwang.registry.demo_people import SynthPerson

_LEVEL_CODES = {"doctor": "10", "master": "10", "bachelor": "20", "college": "30"}
_GRADUATES_AT = {"doctor": 28, "master": 25, "bachelor": 22, "college": 21, "secondary": 18}
_CHINESE_DIGITS = "一二三四五六"
# Deaths registered since then are in the shared death records; older ones predate the system.
_DEATHS_SINCE = "2023-01-01"


def civil_records(p: SynthPerson, ctx: Ctx) -> Iterator[RecordRow]:
    r = rng("civil", p.id_number)
    key = ctx.hash_id(p.id_number)
    yield RecordRow("population", key, "", population(p, r, ctx), "A")
    yield RecordRow("household", key, "", household(p), "A")
    if p.relation == "02":
        issued = str(household(p)["moved_in_date"])
        holder = (p.name, identifiers.mask_id(p.id_number))
        bureau = police_bureau(p.household_region)
        yield licence(key, "household_booklet", p.household_no, holder, bureau, issued)
    yield from residence_permit(p, r, ctx, key)
    yield from marriage(p, ctx, key)
    yield from birth_certificates(p, ctx, key)
    yield from deaths(p, ctx, key)
    yield from school(p, r, ctx, key)
    yield from education(p, r, key)
    yield from welfare(p, r, ctx, key)


def population(p: SynthPerson, r: random.Random, ctx: Ctx) -> dict[str, Any]:
    age = age_on(p.born, ctx.today)
    period = 5 if age < 16 else 10 if age < 26 else 20 if age < 46 else 0
    if period:
        issued, until = ctx.validity(r, period)
    else:  # from 46 a card is valid for life (长期)
        issued, until = iso(between(r, add_years(p.born, 46), ctx.today)), LONG_TERM
    level = _LEVEL_CODES.get(p.education, "")
    if p.education == "" and age >= 15:  # still at school, or just left it
        level = "40" if age >= 18 else "70"
    elif p.education == "secondary":
        level = "70" if p.born.year < 1960 else r.choice(("40", "70"))
    former = ""
    if r.random() < 0.02:
        former = p.name[0] + r.choice(
            names.GIVEN["mid" if p.born.year < 1980 else "young", p.gender]
        )
    return {
        "name": p.name,
        "former_name": former if former != p.name else "",
        "gender": p.gender,
        "ethnicity": p.ethnicity,
        "birth_date": p.birth_date,
        "birth_region": p.birth_region,
        "nationality": "CHN",
        "household_region": p.household_region,
        "household_address": p.household_address,
        "residence_address": p.address,
        "id_valid_until": until,
        "marital_status": p.marital_status,
        "education_level": level,
        "mobile": p.mobile,
        "photo_taken_on": issued,
    }


@functools.cache
def _household(head_index: int) -> tuple[str, str]:
    """(police station, the date the head moved in), shared by every member of a household."""
    head = pp.people()[head_index]
    r = rng("household", head.household_no)
    streets, towns, roads = (
        demo_places.PLACES[head.household_region]
        if head.native
        else ((), (), tuple((road, "") for road in names.OUTSIDE_ROADS))
    )
    where = r.choice(streets or towns or roads)[0]
    station = f"{police_bureau(head.household_region)}{where.removesuffix('路')}派出所"
    if head.native and head.birth_region == head.household_region and r.random() < 0.3:
        moved_in = head.born + dt.timedelta(days=r.randint(5, 40))  # registered here at birth
    elif head.native:
        moved_in = between(r, add_years(head.born, 20), dt.date(2025, 12, 31))
    else:
        moved_in = head.born + dt.timedelta(days=r.randint(5, 40))
    return station, iso(moved_in)


def household(p: SynthPerson) -> dict[str, Any]:
    station, head_moved_in = _household(p.head)
    r = rng("moved", p.id_number)
    if p.relation == "20":  # registered after birth, or with the parents when they moved
        moved_in = max(iso(p.born + dt.timedelta(days=r.randint(5, 60))), head_moved_in)
    elif p.relation == "02":
        moved_in = head_moved_in
    else:
        start = max(dt.date.fromisoformat(head_moved_in), add_years(p.born, 20))
        moved_in = iso(between(r, start, dt.date(2025, 12, 31)))
    return {
        "household_no": p.household_no,
        "head_name": pp.people()[p.head].name,
        "relation_to_head": p.relation,
        "household_type": p.household_type,
        "moved_in_date": moved_in,
        "police_station": station,
        "members": pp.household_size(p.household_no),
    }


def residence_permit(p: SynthPerson, r: random.Random, ctx: Ctx, key: str) -> Iterator[RecordRow]:
    if p.native or p.occupation == "child":
        return
    expired = "residence_permit" in p.expired
    issued, until = ctx.validity(r, 1, expired)
    status = "expired" if expired else "valid"
    region = p.residence_region
    number = f"QD{region}{issued[:4]}{r.randrange(10**6):06d}"
    reason = (
        "study" if p.occupation == "student" else "live" if p.occupation == "retired" else "work"
    )
    data = {
        "permit_no": number,
        "address": p.address,
        "reason": reason,
        "issue_date": issued,
        "valid_until": until,
        "status": status,
    }
    yield RecordRow("residence_permit", key, "", data, "A")
    holder = (p.name, identifiers.mask_id(p.id_number))
    bureau = police_bureau(region)
    yield licence(key, "residence_permit", number, holder, bureau, issued, until, status)


@functools.cache
def _wedding(husband: int) -> tuple[str, str, str]:
    """(date, certificate number, registry office) of a couple, the same in both records."""
    folks = pp.people()
    h = folks[husband]
    w = folks[h.spouse] if h.spouse is not None else h
    r = rng("wedding", h.id_number)
    earliest = max(add_years(h.born, 22), add_years(w.born, 20))
    kids = [folks[c].born for c in pp.children_of(husband)]
    latest = min([dt.date(2025, 6, 30), *(kid - dt.timedelta(days=300) for kid in kids)])
    day = between(r, earliest, max(latest, earliest))
    region = h.household_region if h.native else h.residence_region
    number = f"J{region}-{day.year}-{r.randrange(1, 10**6):06d}"
    where = office(region, "民政局婚姻登记处") if in_qingdao(region) else place(region)
    return iso(day), number, where


def marriage(p: SynthPerson, ctx: Ctx, key: str) -> Iterator[RecordRow]:
    folks = pp.people()
    if p.marital_status == "20" and p.spouse is not None:
        spouse = folks[p.spouse]
        day, number, where = _wedding(p.index if p.gender == "1" else p.spouse)
        data = {
            "status": "married",
            "spouse_name": spouse.name,
            "spouse_id": protected(spouse.id_number, ctx.hash_id),
            "registration_date": day,
            "certificate_no": number,
            "registry_office": where,
        }
        yield RecordRow("marriage", key, "", data, "A")
        holder = (p.name, identifiers.mask_id(p.id_number))
        yield licence(key, "marriage", number, holder, where, day)
    elif p.marital_status == "40":
        r = rng("divorce", p.id_number)
        gender = "2" if p.gender == "1" else "1"
        ex_born = between(r, add_years(p.born, -3), add_years(p.born, 3))
        ex_name = r.choice(names.SURNAMES)[0] + r.choice(names.GIVEN["young", gender])
        divorced = between(r, add_years(p.born, 30), dt.date(2024, 12, 31))
        region = p.household_region
        data = {
            "status": "divorced",
            "spouse_name": ex_name,
            "spouse_id": protected(_outsider_id(r, region, ex_born, gender), ctx.hash_id),
            "registration_date": iso(divorced),
            "certificate_no": f"L{region}-{divorced.year}-{r.randrange(1, 10**6):06d}",
            "registry_office": office(region, "民政局婚姻登记处"),
        }
        yield RecordRow("marriage", key, "", data, "A")


def _outsider_id(r: random.Random, region: str, born: dt.date, gender: str) -> str:
    """A valid ID number of someone who is not among the synthetic people."""
    while True:
        seq = r.randrange(1 if gender == "1" else 2, 1000, 2)
        number = accounts_demo.resident_id(region, born.strftime("%Y%m%d"), seq)
        if number not in _taken_ids():
            return number


@functools.cache
def _taken_ids() -> frozenset[str]:
    return frozenset(p.id_number for p in pp.people()) | {d.id_number for d in pp.deaths()}


def birth_certificates(p: SynthPerson, ctx: Ctx, key: str) -> Iterator[RecordRow]:
    folks = pp.people()
    for child in (folks[c] for c in pp.children_of(p.index)):
        if child.born.year not in (2019, 2020) or child.father is None or child.mother is None:
            continue
        father, mother = folks[child.father], folks[child.mother]
        r = rng("birth", child.id_number)
        number = f"{r.choice('PQRS')}{r.randrange(10**9):09d}"
        hospital = names.DISTRICT_HOSPITALS.get(child.residence_region, names.BIRTH_HOSPITALS[0])
        data = {
            "certificate_no": number,
            "child_name": child.name,
            "child_gender": child.gender,
            "birth_date": child.birth_date,
            "hospital": r.choice((*names.BIRTH_HOSPITALS, hospital)),
            "birth_weight": r.randint(2600, 4200),
            "gestational_weeks": r.randint(37, 41),
            "mother_name": mother.name,
            "mother_id": protected(mother.id_number, ctx.hash_id),
            "father_name": father.name,
            "father_id": protected(father.id_number, ctx.hash_id),
        }
        yield RecordRow("birth_medical", key, number, data, "A")


def deaths(p: SynthPerson, ctx: Ctx, key: str) -> Iterator[RecordRow]:
    for d in _deaths_of().get(p.index, ()):
        r = rng("death", d.id_number)
        number = f"{r.choice('ABCDE')}{r.randrange(10**9):09d}"
        data = {
            "deceased_name": d.name,
            "deceased_id": protected(d.id_number, ctx.hash_id),
            "death_date": d.death_date,
            "certificate_no": number,
            "cremation_no": f"HH{d.death_date[:4]}{r.randrange(10**6):06d}",
            "relation": d.relation,
        }
        yield RecordRow("death", key, number, data, "A")


@functools.cache
def _deaths_of() -> dict[int, tuple[pp.Deceased, ...]]:
    found: dict[int, list[pp.Deceased]] = {}
    for d in pp.deaths():
        if d.death_date >= _DEATHS_SINCE:
            found.setdefault(d.subject, []).append(d)
    return {subject: tuple(ds) for subject, ds in found.items()}


def school(p: SynthPerson, r: random.Random, ctx: Ctx, key: str) -> Iterator[RecordRow]:
    """Children's school records and vaccinations."""
    if p.occupation != "child":
        return
    region = p.residence_region
    streets = demo_places.PLACES[region][0] or demo_places.PLACES[region][1]
    road = r.choice(demo_places.PLACES[region][2]).removesuffix("路")
    school_year = ctx.today.year if ctx.today.month >= 9 else ctx.today.year - 1
    first_grade = p.born.year + (6 if (p.born.month, p.born.day) <= (8, 31) else 7)
    grade = school_year - first_grade + 1
    if grade <= 0:
        name, label, entered = f"{place(region)}{road}路幼儿园", "幼儿园大班", first_grade - 3
    elif grade <= 6:
        name, label, entered = f"{place(region)}{road}路小学", f"{grade}年级", first_grade
    elif grade <= 9:
        name, entered = r.choice(names.MIDDLE_SCHOOLS), first_grade + 6
        label = f"初{_CHINESE_DIGITS[grade - 7]}"
    else:
        name, entered = r.choice(names.HIGH_SCHOOLS), first_grade + 9
        label = f"高{_CHINESE_DIGITS[min(grade, 12) - 10]}"
    data = {
        "student_no": f"L{p.born:%Y%m%d}{r.randrange(10**4):04d}",
        "school": name,
        "grade": label,
        "enrol_date": f"{entered}-09-01",
        "status": "enrolled" if grade <= 12 else "graduated",
        "hardship": r.random() < 0.04,
    }
    yield RecordRow("student_status", key, "", data, "A")
    last = min(add_years(p.born, 6) + dt.timedelta(days=r.randint(0, 60)), ctx.today)
    vaccination = {
        "record_no": f"{p.household_region}{p.born.year}{r.randrange(10**5):05d}",
        "doses": 21 + r.randint(0, 4),
        "last_dose": iso(last),
        "clinic": f"{place(region)}{r.choice(streets)[0]}街道社区卫生服务中心预防接种门诊",
        "complete": True,
    }
    yield RecordRow("vaccination", key, "", vaccination, "A")


def education(p: SynthPerson, r: random.Random, key: str) -> Iterator[RecordRow]:
    level = p.education
    if not level or (level == "secondary" and r.random() < 0.5):
        return
    graduated = dt.date(p.born.year + _GRADUATES_AT[level], 7, 1)
    if level == "secondary":
        school = r.choice((*names.HIGH_SCHOOLS, f"{place(p.household_region)}职业中等专业学校"))
        major = degree = number = ""
    else:
        school, code = r.choice(names.COLLEGES if level == "college" else names.UNIVERSITIES)
        if level == "college":
            major, degree = r.choice(names.COLLEGE_MAJORS), ""
        else:
            major, discipline = r.choice(names.MAJORS)
            degree = discipline + {"doctor": "博士", "master": "硕士", "bachelor": "学士"}[level]
        kind = {"doctor": "1", "master": "2", "bachelor": "5", "college": "6"}[level]
        number = f"{code}1{graduated.year}{kind}{r.randrange(10**7):07d}"
    if p.login == "13800000001":  # the demo citizen trained as a cook
        school, major = "青岛酒店管理职业技术学院", "烹饪工艺与营养"
    data = {
        "level": level,
        "school": school,
        "major": major,
        "graduation_date": iso(graduated),
        "certificate_no": number,
        "degree": degree,
    }
    yield RecordRow("education", key, "", data, "A")


def welfare(p: SynthPerson, r: random.Random, ctx: Ctx, key: str) -> Iterator[RecordRow]:
    """Old-age services, disability certificates and social assistance."""
    age = age_on(p.born, ctx.today)
    holder = (p.name, identifiers.mask_id(p.id_number))
    if age >= 80:
        care = r.choices("0123", (55, 25, 12, 8))[0]
        head, tail = r.choice(demo_places.HEAD)[0], r.choice(demo_places.TAIL)[0]
        provider = f"{place(p.household_region)}{head}{tail}居家养老服务中心" if care != "0" else ""
        data: dict[str, Any] = {
            "allowance": "90" if age >= 90 else "80",
            "care_level": care,
            "care_provider": provider,
            "long_care": care in ("2", "3"),
        }
        yield RecordRow("elderly", key, "", data, "A")
    disabled = not p.login and r.random() < (0.1 if age >= 60 else 0.03)
    if disabled:
        issued, until = ctx.validity(r, 10)
        category, grade = r.choice("12456"), r.choice("1234")
        number = f"D{p.household_region}{r.randrange(10**7):07d}{category}{grade}"
        data = {
            "certificate_no": number,
            "category": category,
            "grade": grade,
            "issue_date": issued,
            "valid_until": until,
        }
        yield RecordRow("disability", key, "", data, "A")
        yield licence(key, "disability", number, holder, "青岛市残疾人联合会", issued, until)
    need = 0.03 + 0.3 * (p.occupation == "unemployed") + 0.25 * disabled
    need += 0.15 * (p.marital_status == "30")
    if p.native and not p.login and p.occupation != "child" and r.random() < need:
        size = pp.household_size(p.household_no)
        kind = "tekun" if size == 1 and age >= 60 else r.choice(("dibao", "dibao", "low_edge"))
        data = {
            "status": kind,
            "household_size": size,
            "monthly_amount": round(size * r.randint(600, 1150), -1),
            "start_date": iso(between(r, add_years(ctx.today, -8), ctx.today)),
            "region": p.household_region,
        }
        yield RecordRow("minimum_living", key, "", data, "A")
