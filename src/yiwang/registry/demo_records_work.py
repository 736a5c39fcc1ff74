"""A synthetic person's working life: employment, social and medical insurance, pension,
social security card, housing provident fund, qualifications and health certificates."""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Iterator
from typing import Any

from yiwang.halls import demo_places
from yiwang.kit import identifiers
from yiwang.registry import demo_enterprises as ents
from yiwang.registry import demo_names as names
from yiwang.registry.demo_base import (
    REFERENCE,
    Ctx,
    RecordRow,
    add_years,
    age_on,
    between,
    iso,
    licence,
    office,
    place,
    rng,
)
from yiwang.registry.demo_enterprises import Employer
from yiwang.registry.demo_people import SynthPerson

_HRSS = "青岛市人力资源和社会保障局"
_BANKS = ("icbc", "ccb", "boc", "abc", "qdb")
_QUALIFIED = {
    "pharmacist": 1.0,
    "driver": 0.7,
    "builder": 0.6,
    "food": 0.5,
    "public": 0.35,
    "office": 0.25,
    "manager": 0.15,
    "retired": 0.05,
}


def work_records(p: SynthPerson, ctx: Ctx) -> Iterator[RecordRow]:
    r = rng("work", p.id_number)
    key = ctx.hash_id(p.id_number)
    employer = ents.employer_of(p.index)
    yield from employment(p, r, ctx, key, employer)
    yield from insurance(p, r, ctx, key, employer)
    yield from ss_card(p, r, ctx, key)
    yield from provident_fund(p, r, ctx, key, employer)
    yield from qualification(p, r, ctx, key)
    yield from health_certificate(p, r, ctx, key)


def own_business(p: SynthPerson, employer: Employer | None) -> bool:
    """Running one's own individual business or cooperative counts as self-employment."""
    if employer is None or employer.enterprise is None:
        return False
    e = ents.enterprises()[employer.enterprise]
    return e.legal_rep == p.index and e.kind in ("92", "93")


@functools.cache
def scheme(p: SynthPerson) -> str:
    """The person's pension scheme: employee, public (机关事业), resident, or "" for none yet."""
    if p.occupation in ("child", "student"):
        return ""
    if p.occupation == "farmer":
        return "resident"
    employer = ents.employer_of(p.index)
    if employer is not None and employer.enterprise is None:
        return "public"
    if p.occupation == "retired":
        if p.household_type == "rural":
            return "resident"
        return rng("scheme", p.id_number).choices(("employee", "public", "resident"), (75, 15, 10))[
            0
        ]
    return "employee"


@functools.cache
def retirement(p: SynthPerson) -> tuple[dt.date, bool] | None:
    """(retirement date, early) of a retiree."""
    if p.occupation != "retired":
        return None
    kind = scheme(p)
    age = 60 if p.gender == "1" or kind == "resident" else 55 if kind == "public" else 50
    early = kind == "employee" and p.gender == "1" and rng("early", p.id_number).random() < 0.08
    return add_years(p.born, age - 5 * early), early


@functools.cache
def first_insured(p: SynthPerson) -> dt.date:
    r = rng("insured", p.id_number)
    if scheme(p) == "resident" or p.occupation in ("child", "student"):
        start = max(dt.date(2011, 7, 1), p.born + dt.timedelta(days=40))
        return between(r, start, max(start, dt.date(2016, 12, 31)))
    # Qingdao's contributory pension insurance for employees dates from 1986.
    start = max(add_years(p.born, 20), dt.date(1986, 1, 1))
    end = max(start, add_years(p.born, 26))
    retired = retirement(p)
    if retired:
        end = min(end, retired[0] - dt.timedelta(days=365))
    end = min(end, REFERENCE - dt.timedelta(days=60))  # the youngest have only just started
    return between(r, min(start, end), end)


def employment(
    p: SynthPerson, r: random.Random, ctx: Ctx, key: str, employer: Employer | None
) -> Iterator[RecordRow]:
    if p.occupation in ("child", "student", "retired"):
        return
    if p.occupation == "unemployed":
        status = "unemployed"
    else:
        status = "self" if employer is None or own_business(p, employer) else "employed"
    start = max(add_years(p.born, 18), dt.date(2010, 1, 1))
    if employer is not None and employer.enterprise is not None:
        established = ents.enterprises()[employer.enterprise].established
        start = max(start, dt.date.fromisoformat(established))
    card = ""
    if status != "employed" or r.random() < 0.3:
        card = f"{p.household_region}{start.year}{r.randrange(10**6):06d}"
    data = {
        "status": status,
        "employer_name": employer.name if employer else "",
        "registered_on": iso(between(r, start, ctx.today - dt.timedelta(days=30))),
        "unemployment_card": card,
        "benefit_months": r.randint(3, 24) if status == "unemployed" else 0,
    }
    yield RecordRow("employment", key, "", data, "A")


def insurance(
    p: SynthPerson, r: random.Random, ctx: Ctx, key: str, employer: Employer | None
) -> Iterator[RecordRow]:
    """Social insurance, medical insurance and, once retired, the pension."""
    kind = scheme(p)
    retired = retirement(p)
    on_payroll = employer is not None and not own_business(p, employer) and not retired
    payer = employer if on_payroll else None
    uninsured = not p.login and p.occupation in ("self", "unemployed") and r.random() < 0.2
    if kind and not uninsured:
        yield RecordRow("social_insurance", key, "", social(p, r, ctx, payer), "A")
    # People registered elsewhere and not employed here are insured at home.
    if p.login or ((p.native or on_payroll) and r.random() >= 0.04):
        medical = "employee" if kind in ("employee", "public") and not uninsured else "resident"
        yield RecordRow("medical_insurance", key, "", health(p, r, ctx, medical), "A")
    if retired and retired[0] <= ctx.today and kind:
        on, early = retired
        low, high = {"public": (5000, 8500), "employee": (2600, 5500)}.get(kind, (250, 600))
        data = {
            "status": "drawing",
            "monthly_amount": round(r.uniform(low, high), 2),
            "approved_on": iso(on + dt.timedelta(days=r.randint(0, 25))),
            "retirement_type": "early" if early else "normal",
            "retirement_date": iso(on),
        }
        yield RecordRow("pension_benefit", key, "", data, "A")


def social(p: SynthPerson, r: random.Random, ctx: Ctx, payer: Employer | None) -> dict[str, Any]:
    kind, retired, first = scheme(p), retirement(p), first_insured(p)
    end = min(retired[0], ctx.today) if retired else ctx.today
    months = (end.year - first.year) * 12 + end.month - first.month
    paid = months if kind == "public" else int(months * r.uniform(0.8, 1.0))
    # Injury, unemployment and maternity insurance come with a job; "" if never insured.
    others = "active" if payer else "ended" if retired and kind != "resident" else ""
    if p.occupation == "unemployed":
        others = "suspended"
    return {
        "pension_status": "suspended" if p.occupation == "unemployed" else "active",
        "pension_type": kind,
        "first_insured": iso(first),
        "contribution_months": max(paid, 1),
        "employer_name": payer.name if payer else "",
        "employer_credit_code": payer.credit_code if payer else "",
        "insured_region": payer.region if payer else _home(p),
        "injury_status": others,
        "unemployment_status": others,
        "maternity_status": others,
    }


def health(p: SynthPerson, r: random.Random, ctx: Ctx, medical: str) -> dict[str, Any]:
    region = p.residence_region
    streets = demo_places.PLACES[region][0]
    clinic = names.DISTRICT_HOSPITALS[region]
    if streets and r.random() < 0.6:
        clinic = f"{place(region)}{r.choice(streets)[0]}街道社区卫生服务中心"
    conditions = ""
    if age_on(p.born, ctx.today) >= 60 and r.random() < 0.35:
        conditions = "；".join(r.sample(names.CHRONIC, r.choice((1, 1, 2))))
    retired = retirement(p) is not None
    return {
        "scheme": medical,
        "status": "active",
        "start_date": iso(first_insured(p)),
        "insured_region": _home(p),
        "designated_hospital": clinic,
        "chronic_conditions": conditions,
        "retiree": retired and medical == "employee",
        "remote_filing": r.choice(names.REMOTE_CARE) if retired and r.random() < 0.04 else "",
    }


def _home(p: SynthPerson) -> str:
    return p.household_region if p.native else p.residence_region


def ss_card(p: SynthPerson, r: random.Random, ctx: Ctx, key: str) -> Iterator[RecordRow]:
    adult = p.occupation not in ("child", "student")
    if not p.login and r.random() > (0.8 if adult else 0.45):
        return
    number = f"{r.choice('ABCDEFGH')}{r.randrange(10**8):08d}"
    status = "normal" if p.login else r.choices(("normal", "pending", "lost"), (96, 3, 1))[0]
    issued, until = ctx.validity(r, 10)
    data = {
        "card_no": number,
        "bank": r.choices(_BANKS, (30, 25, 10, 15, 20))[0],
        "status": status,
        "issue_date": issued,
        "valid_until": until,
        "electronic": bool(p.login) or (adult and r.random() < 0.7),
    }
    yield RecordRow("ss_card", key, "", data, "A")
    if status != "pending":
        holder = (p.name, identifiers.mask_id(p.id_number))
        state = "valid" if status == "normal" else "suspended"
        yield licence(key, "ss_card", number, holder, _HRSS, issued, until, state)


def provident_fund(
    p: SynthPerson, r: random.Random, ctx: Ctx, key: str, employer: Employer | None
) -> Iterator[RecordRow]:
    if p.occupation in ("child", "student", "retired", "farmer"):
        return
    paying = employer is not None and not own_business(p, employer)
    if not paying and (p.login or r.random() > 0.35):
        return
    if employer is not None and paying:
        name = employer.name
    else:  # left a job: the account stays with the last employer, dormant
        name = r.choice([e.name for e in ents.enterprises() if e.kind == "91"])
    low, high = (2000, 5000) if scheme(p) == "public" else (600, 3600)
    data = {
        "account_no": f"{r.randrange(10**11, 10**12)}",
        "status": "normal" if paying else "sealed",
        "employer_name": name,
        "monthly_deposit": r.randint(low, high) if paying else 0,
        "opened_on": iso(between(r, first_insured(p), REFERENCE - dt.timedelta(days=30))),
    }
    yield RecordRow("provident_fund", key, "", data, "A")


def qualification(p: SynthPerson, r: random.Random, ctx: Ctx, key: str) -> Iterator[RecordRow]:
    if r.random() >= _QUALIFIED.get(p.occupation, 0.0) or age_on(p.born, ctx.today) < 23:
        return
    table = p.occupation if p.occupation in names.QUALIFICATIONS else "office"
    title, level, issuer = r.choice(names.QUALIFICATIONS[table])
    start = max(add_years(p.born, 22), dt.date(2000, 1, 1))
    issued = between(r, start, ctx.today - dt.timedelta(days=60))
    number = f"{issued.year}{r.randrange(10**10):010d}"
    data = {
        "certificate_name": title,
        "certificate_no": number,
        "level": level,
        "issue_date": iso(issued),
        "issuer": issuer,
    }
    yield RecordRow("qualification", key, "", data, "A")
    holder = (p.name, identifiers.mask_id(p.id_number))
    yield licence(key, "qualification", number, holder, issuer, iso(issued))


def health_certificate(p: SynthPerson, r: random.Random, ctx: Ctx, key: str) -> Iterator[RecordRow]:
    """Food workers need one a year; the demo citizen cooks in his own restaurant."""
    food = p.occupation in ("food", "retail") or p.login == "13800000001"
    if not food and not (p.occupation == "public" and r.random() < 0.05):
        return
    issued, until = ctx.validity(r, 1, "health_certificate" in p.expired)
    region = p.residence_region
    data = {
        "certificate_no": f"{issued[:4]}{region}{r.randrange(10**6):06d}",
        "issue_date": issued,
        "valid_until": until,
        "institution": office(region, "疾病预防控制中心"),
        "result": "fit",
    }
    yield RecordRow("health_certificate", key, "", data, "A")
