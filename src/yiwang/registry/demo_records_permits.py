"""Licences and permits of synthetic enterprises, by trade: food and drugs, building,
transport, discharges and fire safety; each licence also as an e-licence."""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Iterator
from typing import Any

from yiwang.halls import demo_places
from yiwang.registry import demo_people as pp
from yiwang.registry.demo_base import (
    DISTRICT_NAMES,
    Ctx,
    RecordRow,
    between,
    iso,
    licence,
    place,
    rng,
)
from yiwang.registry.demo_enterprises import SynthEnterprise, enterprises
from yiwang.registry.demo_records_property import vehicle

_PROJECTS = (
    "花园二期住宅项目",
    "小学综合楼工程",
    "商业综合体项目",
    "人才公寓项目",
    "产业园厂房工程",
    "社区卫生服务中心工程",
    "安置区住宅项目",
)
_CATERING = "热食类食品制售；冷食类食品制售"
_FOOD_RETAIL = "预包装食品（含冷藏冷冻食品）销售；散装食品（含冷藏冷冻食品）销售"
_DRUG_SCOPE = "处方药、甲类非处方药、乙类非处方药：中药饮片、中成药、化学药、生物制品（除疫苗）"


def permit_records(e: SynthEnterprise, r: random.Random, ctx: Ctx) -> Iterator[RecordRow]:
    if e.index < 2:  # the demo enterprises hold no permits: the restaurant is about to apply
        return
    if e.industry in ("H62", "F52"):
        yield from food(e, r, ctx)
    if e.pharmacy:
        yield from drugs(e, r, ctx)
    if e.industry == "E47":
        yield from building(e, r, ctx)
    if e.industry == "G54":
        yield from transport(e, r, ctx)
    yield from environment(e, r, ctx)


def approval_office(e: SynthEnterprise) -> str:
    """Qingdao's approval bureaus issue licences: the district's, or the city's."""
    name = DISTRICT_NAMES.get(e.region)
    if name is None:
        return "青岛市行政审批服务局"
    return f"{name}行政审批服务局" if name.endswith("市") else f"青岛市{name}行政审批服务局"


@functools.cache
def _expired() -> dict[str, frozenset[str]]:
    """A handful of enterprises whose licence has run out, for pre-checks to find."""
    r = rng("expired enterprises")
    ents = enterprises()[2:]
    pools = {
        "food_licence": [e for e in ents if e.industry in ("H62", "F52")],
        "drug_licence": [e for e in ents if e.pharmacy],
        "road_transport": [e for e in ents if e.industry == "G54"],
    }
    return {
        db: frozenset(e.credit_code for e in r.sample(pool, 3 if db == "food_licence" else 2))
        for db, pool in pools.items()
    }


def _validity(
    e: SynthEnterprise, r: random.Random, ctx: Ctx, db: str, years: int
) -> tuple[str, str, str]:
    expired = e.credit_code in _expired().get(db, frozenset())
    issued, until = ctx.validity(r, years, expired)
    return issued, until, "expired" if expired else "valid"


def _staff(e: SynthEnterprise, r: random.Random, occupation: str) -> str:
    folks = pp.people()
    fitting = [i for i in e.employees if folks[i].occupation == occupation]
    return folks[r.choice(fitting or list(e.employees) or [e.legal_rep])].name


def food(e: SynthEnterprise, r: random.Random, ctx: Ctx) -> Iterator[RecordRow]:
    catering = e.industry == "H62"
    issued, until, status = _validity(e, r, ctx, "food_licence", 5)
    number = f"JY{2 if catering else 1}{e.region}{r.randrange(10**7):07d}"
    items = _CATERING if catering else _FOOD_RETAIL
    if e.pharmacy:
        items += "；保健食品销售"
    data = {
        "licence_no": number,
        "main_business": "catering" if catering else "retail",
        "items": items,
        "premises": e.address,
        "valid_until": until,
        "safety_manager": _staff(e, r, "food"),
        "issued_on": issued,
        "status": status,
    }
    yield RecordRow("food_licence", e.credit_code, "", data, "A")
    holder = (e.name, e.credit_code)
    office = approval_office(e)
    yield licence(e.credit_code, "food_business", number, holder, office, issued, until, status)


def drugs(e: SynthEnterprise, r: random.Random, ctx: Ctx) -> Iterator[RecordRow]:
    issued, until, status = _validity(e, r, ctx, "drug_licence", 5)
    number = f"鲁A{'B' if e.pharmacy == 'chain' else 'A'}532{r.randrange(10**4):04d}"
    data = {
        "licence_no": number,
        "mode": e.pharmacy,
        "scope": _DRUG_SCOPE,
        "valid_until": until,
        "quality_manager": _staff(e, r, "retail"),
        "pharmacist": _staff(e, r, "pharmacist"),
        "status": status,
    }
    yield RecordRow("drug_licence", e.credit_code, "", data, "A")
    holder = (e.name, e.credit_code)
    yield licence(
        e.credit_code, "drug_retail", number, holder, "青岛市市场监督管理局", issued, until, status
    )


def building(e: SynthEnterprise, r: random.Random, ctx: Ctx) -> Iterator[RecordRow]:
    grade = 1 if e.entity_type == "corp" else r.choice((2, 3, 3))
    issuer = {1: "中华人民共和国住房和城乡建设部", 2: "山东省住房和城乡建设厅"}.get(
        grade, "青岛市住房和城乡建设局"
    )
    digits = "一二三"[grade - 1]
    category = f"建筑工程施工总承包{digits}级"
    if r.random() < 0.5:
        category += "；市政公用工程施工总承包三级"
    issued, until = ctx.validity(r, 5)
    data: dict[str, Any] = {
        "certificate_no": f"D{grade}37{r.randrange(10**6):06d}",
        "category": category,
        "valid_until": until,
        "issuer": issuer,
        "safety_licence": f"（鲁）JZ安许证字〔{issued[:4]}〕02{r.randrange(10**4):04d}",
    }
    yield RecordRow("construction_qualification", e.credit_code, "", data, "A")
    for _ in range(r.choice((1, 1, 2))):
        region = r.choice(list(DISTRICT_NAMES))
        head, tail = r.choice(demo_places.HEAD)[0], r.choice(demo_places.TAIL)[0]
        name = f"{place(region)}{head}{tail}{r.choice(_PROJECTS)}"
        # Sites are described by the roads around them: 香港中路以南、燕儿岛路以东
        first, second = r.sample(demo_places.PLACES[region][2], 2)
        site = f"{place(region)}{first}以{r.choice('东西南北')}、{second}以{r.choice('东西南北')}"
        on = between(r, ctx.today - dt.timedelta(days=720), ctx.today - dt.timedelta(days=30))
        area = round(r.uniform(3000, 80000), 2)
        amount = round(area * r.uniform(0.25, 0.4), 2)
        permit_no = f"{region}{on:%Y%m%d}{r.randrange(100):02d}-01"
        permit = {
            "permit_no": permit_no,
            "project_name": name,
            "location": site,
            "contract_amount": amount,
            "floor_area": area,
            "contractor": e.name,
            "issued_on": iso(on),
        }
        yield RecordRow("construction_permit", e.credit_code, permit_no, permit, "A")
        coded = on - dt.timedelta(days=r.randint(90, 400))  # the project is approved first
        code = f"{coded:%y%m}-{region}-04-01-{r.randrange(10**6):06d}"
        project = {
            "project_code": code,
            "name": name,
            "location": site,
            "land_area": round(area * r.uniform(0.3, 0.8), 2),
            "building_area": area,
            "investment": round(amount * r.uniform(1.3, 2.0), 2),
            "planning_permit": f"建字第{region}{coded.year}{r.randrange(10**5):05d}号",
            "risk_level": "low" if area < 10000 else "general",
        }
        yield RecordRow("construction_project", e.credit_code, code, project, "A")


def transport(e: SynthEnterprise, r: random.Random, ctx: Ctx) -> Iterator[RecordRow]:
    trucks = r.randint(2, 5)
    issued, until, status = _validity(e, r, ctx, "road_transport", 6)
    number = f"鲁交运管许可青字{e.region}{r.randrange(10**6):06d}号"
    data = {
        "licence_no": number,
        "scope": r.choices(("freight", "dangerous", "passenger"), (8, 1, 1))[0],
        "vehicles": trucks,
        "issued_on": issued,
        "valid_until": until,
        "status": status,
    }
    yield RecordRow("road_transport", e.credit_code, "", data, "A")
    holder = (e.name, e.credit_code)
    office = approval_office(e)
    yield licence(e.credit_code, "road_transport", number, holder, office, issued, until, status)
    established = dt.date.fromisoformat(e.established)
    for n in range(trucks):
        since = between(r, max(established, dt.date(2012, 1, 1)), ctx.today - dt.timedelta(days=30))
        # Serials above the people's (two per person at most): plates stay unique.
        yield from vehicle(r, ctx, e.credit_code, holder, since, 6000 + 6 * e.index + n, truck=True)


def environment(e: SynthEnterprise, r: random.Random, ctx: Ctx) -> Iterator[RecordRow]:
    """Pollutant discharge, sewer discharge and fire safety, for some."""
    key, holder = e.credit_code, (e.name, e.credit_code)
    catering = e.industry == "H62"
    if (catering and e.registered_capital >= 100) or (e.industry == "M74" and r.random() < 0.3):
        issued, until = ctx.validity(r, 5)
        data = {
            "permit_no": f"{e.credit_code}001{r.choice('UWXYZ')}",
            "management": "register" if catering else r.choice(("simple", "key")),
            "pollutants": "化学需氧量、氨氮、动植物油" if catering else "颗粒物、挥发性有机物",
            "industry": "餐饮业" if catering else "专业技术服务业",
            "valid_until": until,
            "status": "valid",
        }
        yield RecordRow("pollution_permit", key, "", data, "A")
    if (catering and r.random() < 0.5) or r.random() < 0.05:
        issued, until = ctx.validity(r, 5)
        number = f"鲁青排字〔{issued[:4]}〕第{r.randrange(1, 10**4):04d}号"
        drain = {
            "permit_no": number,
            "discharge_type": "catering" if catering else "domestic",
            "daily_volume": round(r.uniform(0.5, 30), 1),
            "pretreatment": catering,
            "valid_until": until,
        }
        yield RecordRow("drainage_permit", key, "", drain, "A")
        yield licence(key, "drainage", number, holder, approval_office(e), issued, until)
    gathering = catering or (e.industry == "F52" and "超市" in e.name)
    if (gathering and r.random() < 0.4) or (e.industry == "E47" and r.random() < 0.3):
        on = between(r, dt.date.fromisoformat(e.established), ctx.today - dt.timedelta(days=30))
        short = DISTRICT_NAMES.get(e.region, "市")[:2]
        fire = {
            "approval_no": f"青{short}消检字〔{on.year}〕第{r.randrange(1, 10**4):04d}号",
            "premises": e.address,
            "kind": "opening" if gathering else r.choice(("acceptance", "filing")),
            "approved_on": iso(on),
            "result": "pass",
        }
        yield RecordRow("fire_safety", key, "", fire, "A")
