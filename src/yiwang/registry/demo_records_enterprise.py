"""A synthetic enterprise's registration records: legal person, business licence, credit, tax,
employer insurance, bank account, annual report, shareholders, and its premises."""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Iterator
from typing import Any

from yiwang.registry import demo_names as names
from yiwang.registry import demo_people as pp
from yiwang.registry import demo_records_permits as permits
from yiwang.registry.demo_base import (
    DISTRICT_NAMES,
    Ctx,
    RecordRow,
    add_years,
    between,
    holds_id_number,
    iso,
    licence,
    protected,
    rng,
    tax_office,
)
from yiwang.registry.demo_enterprises import SynthEnterprise, enterprises
from yiwang.registry.demo_records_property import estate, estate_office

_CREDIT_LEVELS = ("A", "B", "C", "D")
_TAX_RATING = {"A": ("A", "B"), "B": ("B", "M"), "C": ("C",), "D": ("D",)}


def enterprise_records(e: SynthEnterprise, ctx: Ctx) -> Iterator[RecordRow]:
    r = rng("enterprise", e.credit_code)
    key = e.credit_code
    demo = e.index < 2
    staff = headcount(e, r)
    level = "A" if demo else r.choices(_CREDIT_LEVELS, (70, 22, 6, 2))[0]
    yield RecordRow("legal_person", key, "", legal_person(e, ctx), "A")
    if e.kind[0] == "9":
        holder = (e.name, e.credit_code)
        issuer = authority(e)
        yield licence(key, "business_licence", key, holder, issuer, e.established, e.term_until)
    yield RecordRow("public_credit", key, "", credit(r, level, demo), "A")
    if e.kind[0] == "9" or r.random() < 0.5:
        yield RecordRow("tax_registration", key, "", tax(e, r, ctx, level, demo), "A")
    if e.kind != "92" or (len(e.employees) > 1 and not demo):
        yield RecordRow("unit_insurance", key, "", unit_insurance(e, r, ctx, staff, demo), "A")
    yield RecordRow("bank_account", key, "", bank_account(e, r), "A")
    report = annual_report(e, r, ctx, staff)
    yield RecordRow("annual_report", key, str(report["year"]), report, "A")
    if e.entity_type in ("llc", "corp", "partnership"):
        for n, holding in enumerate(shareholders(e, r, ctx.today), start=1):
            yield RecordRow("shareholders", key, str(n), holding, "A")
    if e.kind == "51":
        yield RecordRow("social_org", key, "", social_group(e, r), "A")
    if e.kind == "52":
        data = {
            "registration_no": e.credit_code,
            "name": e.name,
            "scope": e.business_scope,
            "funds": e.registered_capital,
            "sponsor": pp.people()[e.legal_rep].name,
            "status": "active",
        }
        yield RecordRow("private_non_enterprise", key, "", data, "A")
    if e.kind == "91" and not demo and r.random() < 0.15:
        usage = {"H62": "commercial", "F52": "commercial", "E47": "industrial"}
        premises = estate(
            r,
            ctx.today,
            e.region,
            e.address,
            usage=usage.get(e.industry, "office"),
            since=dt.date.fromisoformat(e.established),
        )
        yield RecordRow("real_estate", key, premises["unit_no"], premises, "A")
        number, issued = premises["certificate_no"], premises["registration_date"]
        yield licence(key, "real_estate", number, (e.name, key), estate_office(e.region), issued)
    yield from permits.permit_records(e, r, ctx)


def authority(e: SynthEnterprise, department: str = "") -> str:
    """Where it is registered: Qingdao's approval bureaus register market entities, the civil
    affairs bureaus social organisations."""
    department = department or ("民政局" if e.kind[0] == "5" else "行政审批服务局")
    if e.region not in DISTRICT_NAMES:
        return f"青岛市{department}"
    name = DISTRICT_NAMES[e.region]
    return f"{name}{department}" if name.endswith("市") else f"青岛市{name}{department}"


def headcount(e: SynthEnterprise, r: random.Random) -> int:
    low, high = {"corp": (100, 800), "individual": (1, 6), "coop": (5, 30), "": (2, 12)}.get(
        e.entity_type, (3, 80)
    )
    return max(len(e.employees), r.randint(low, high))


def legal_person(e: SynthEnterprise, ctx: Ctx) -> dict[str, Any]:
    folks = pp.people()
    rep = folks[e.legal_rep]
    contact = folks[e.employees[-1]] if e.employees else rep
    return {
        "name": e.name,
        "credit_code": e.credit_code,
        "entity_type": e.entity_type,
        "legal_rep_name": rep.name,
        "legal_rep_id": protected(rep.id_number, ctx.hash_id),
        "registered_capital": e.registered_capital,
        "established": e.established,
        "term_until": e.term_until,
        "address": e.address,
        "region": e.region,
        "business_scope": e.business_scope,
        "status": "active",
        "authority": authority(e),
        "industry": e.industry,
        "phone": contact.mobile,
        "contact_name": contact.name,
    }


def credit(r: random.Random, level: str, demo: bool) -> dict[str, Any]:
    penalties = {"A": (0, 0), "B": (0, 1), "C": (1, 3), "D": (2, 5)}[level]
    return {
        "credit_level": level,
        "dishonest": level == "D",
        "abnormal": not demo and (level in ("C", "D") or r.random() < 0.02),
        "penalties": r.randint(*penalties),
    }


def tax(e: SynthEnterprise, r: random.Random, ctx: Ctx, level: str, demo: bool) -> dict[str, Any]:
    established = dt.date.fromisoformat(e.established)
    general = e.registered_capital >= 500 and e.entity_type != "individual"
    new = (ctx.today - established).days < 365
    folks = pp.people()
    handler = folks[e.employees[-1]] if e.employees else folks[e.legal_rep]
    officer = folks[e.employees[0]] if len(e.employees) > 1 else handler
    invoices = "数电发票（普通发票）"
    if general:
        invoices = "数电发票（增值税专用发票）；" + invoices
    region = e.region if e.region in DISTRICT_NAMES else "370202"
    return {
        "taxpayer_type": "general" if general else "small",
        "tax_authority": "国家税务总局青岛市税务局" if e.kind == "51" else tax_office(region),
        "registered_on": iso(min(established + dt.timedelta(days=r.randint(5, 40)), ctx.today)),
        "credit_rating": "A" if demo else "M" if new else r.choice(_TAX_RATING[level]),
        "invoice_types": invoices,
        "cleared": False,
        "tax_handler": handler.name,
        "finance_officer": officer.name,
    }


def unit_insurance(
    e: SynthEnterprise, r: random.Random, ctx: Ctx, staff: int, demo: bool
) -> dict[str, Any]:
    established = dt.date.fromisoformat(e.established)
    return {
        "unit_no": f"{e.region[2:]}{r.randrange(10**7):07d}",
        "registered_on": iso(min(established + dt.timedelta(days=r.randint(10, 90)), ctx.today)),
        "insured_count": staff,
        "status": "active",
        "arrears": not demo and r.random() < 0.03,
        "medical_registered": True,
    }


def bank_account(e: SynthEnterprise, r: random.Random) -> dict[str, Any]:
    branch = DISTRICT_NAMES.get(e.region, "市南区").removesuffix("区")
    number = f"{r.choice('3568')}{r.randrange(10**18):018d}"
    while holds_id_number(number):  # an account number must not pass for an ID number
        number = f"{r.choice('3568')}{r.randrange(10**18):018d}"
    return {
        "bank": f"{r.choice(names.BANKS)}青岛{branch}支行",
        "account_no": number,
        "account_name": e.name,
        "agreement": e.index < 2 or r.random() < 0.95,
    }


def annual_report(e: SynthEnterprise, r: random.Random, ctx: Ctx, staff: int) -> dict[str, Any]:
    """Last year's report, filed between January and the end of June."""
    year = ctx.today.year - (1 if ctx.today.month >= 7 else 2)
    filed = between(r, dt.date(year + 1, 1, 1), min(dt.date(year + 1, 6, 30), ctx.today))
    capital = e.registered_capital
    return {
        "year": year,
        "employees": staff,
        "insured_employees": staff if e.kind != "92" else len(e.employees),
        "revenue_band": "l" if capital >= 2000 else "m" if capital >= 100 else "s",
        "reported_on": iso(filed),
        "website": f"www.{e.domain}" if e.domain else "",
        "email": f"contact@{e.domain}" if e.domain else "",
    }


def shareholders(e: SynthEnterprise, r: random.Random, today: dt.date) -> list[dict[str, Any]]:
    """The legal representative holds the largest share; partners and investors the rest."""
    count = {"corp": 3, "partnership": r.choice((2, 3))}.get(e.entity_type, r.choice((1, 1, 2, 3)))
    weights = [r.randint(40, 80)] + [r.randint(5, 30) for _ in range(count - 1)]
    ratios = [round(100 * w / sum(weights), 2) for w in weights]
    ratios[0] = round(100 - sum(ratios[1:]), 2)
    established = dt.date.fromisoformat(e.established)
    out = []
    for n, ratio in enumerate(ratios):
        kind = "person"
        if n == 0:
            name = pp.people()[e.legal_rep].name
        elif r.random() < 0.2:
            kind, name = "enterprise", r.choice(_companies())
        else:
            name = r.choice(_investors())
        subscribed = round(e.registered_capital * ratio / 100, 2)
        if established.year < 2014:  # paid in at once before the 2014 reform of capital rules
            paid, due = subscribed, established + dt.timedelta(days=30)
        else:  # subscribed capital is due within five years since the 2024 Company Law
            due = min(add_years(established, r.choice((5, 10, 20))), dt.date(2032, 6, 30))
            paid = (
                r.choice((0.0, round(subscribed / 2, 2), subscribed)) if due > today else subscribed
            )
        out.append(
            {
                "shareholder_name": name,
                "shareholder_type": kind,
                "subscribed": subscribed,
                "paid": paid,
                "due_date": iso(due),
                "ratio": ratio,
            }
        )
    return out


@functools.cache
def _companies() -> tuple[str, ...]:
    return tuple(e.name for e in enterprises() if e.kind == "91")


@functools.cache
def _investors() -> tuple[str, ...]:
    return tuple(p.name for p in pp.people() if p.occupation in ("manager", "office"))


def social_group(e: SynthEnterprise, r: random.Random) -> dict[str, Any]:
    supervisor = dict(names.SOCIAL_GROUPS).get(e.name.removeprefix("青岛市"), "")
    return {
        "registration_no": e.credit_code,
        "name": e.name,
        "supervisor": supervisor,
        "legal_rep_name": pp.people()[e.legal_rep].name,
        "funds": e.registered_capital,
        "address": e.address,
        "members": r.randint(30, 600),
        "established": e.established,
        "status": "active",
    }
