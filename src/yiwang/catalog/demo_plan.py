"""Which demo rows exist at each scale, as plain dicts: pure functions, no database.

Demo scale: every basic item in the city (市级) and in 市南区 (县级), and the everyday items that
streets and communities handle in all ten districts. City scale: every item in every region that
exercises it, then the sub-types (食品经营许可（餐饮服务）…) until the seed's 1,614 are reached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from yiwang.accounts.reference import DISTRICTS
from yiwang.catalog import demo_items_business as biz
from yiwang.catalog import demo_items_people as ppl
from yiwang.catalog.demo_materials import MATERIALS
from yiwang.catalog.demo_spec import (
    CITY,
    LEVELS,
    SHINAN,
    Basic,
    basic_code,
    department_credit_code,
    handling_code,
    impl_code,
    parse_limits,
    parse_material,
)

CITY_ITEMS = 1614
DISTRICT_CODES = tuple(code for code, _, _ in DISTRICTS)
REGION_NAMES = {CITY: "青岛市", **{code: name for code, name, _ in DISTRICTS}}

# (code, name, English name, the items): the seed's 15 high-frequency domains.
DOMAINS: tuple[tuple[str, str, str, tuple[Basic, ...]], ...] = (
    ("enterprise", "企业登记", "Enterprise registration", biz.ENTERPRISE),
    ("construction", "工程建设", "Construction projects", biz.CONSTRUCTION),
    ("social_org", "社会组织", "Social organisations", biz.SOCIAL_ORG),
    ("transport", "交通运输", "Transport", biz.TRANSPORT),
    ("food_drug", "食品药品", "Food and drugs", biz.FOOD_DRUG),
    ("health", "卫生健康", "Health", ppl.HEALTH),
    ("employment", "就业社保", "Employment and social insurance", ppl.EMPLOYMENT),
    ("medical_insurance", "医疗保障", "Medical insurance", ppl.MEDICAL),
    ("police", "户籍证件", "Household registration and documents", ppl.POLICE),
    ("real_estate", "不动产登记", "Real estate registration", ppl.REAL_ESTATE),
    ("civil", "民政服务", "Civil affairs", ppl.CIVIL),
    ("environment", "生态环境", "Ecology and environment", biz.ENVIRONMENT),
    ("culture", "文化旅游", "Culture and tourism", biz.CULTURE),
    ("education", "教育", "Education", ppl.EDUCATION),
    ("urban", "城市管理", "Urban management and utilities", biz.URBAN),
)
DOMAIN_INDEX = {code: n for n, (code, *_) in enumerate(DOMAINS, start=1)}
ITEMS: tuple[Basic, ...] = tuple(b for *_, items in DOMAINS for b in items)
BY_KEY = {b.key: b for b in ITEMS}
BY_NUMBER = {(DOMAIN_INDEX[b.domain], b.seq): b for b in ITEMS}

DEFAULT_CONDITIONS = {
    "XK": "申请人具备法律法规规定的资格条件；申请材料齐全、符合法定形式。",
    "BA": "按规定提交备案材料，材料齐全的当场备案。",
    "GG": "申请人属于服务对象，提供的信息真实、有效。",
    "GF": "申请人符合法律法规和政策规定的给付条件，经审核确认。",
    "QR": "申请事项符合法律法规规定的确认条件，材料真实、齐全。",
    "ZS": "发生应税行为，按规定期限如实申报。",
}
WINDOWS = {
    "xzsp": "综合受理窗口",
    "zrzy": "不动产登记专区",
    "rsj": "人社服务窗口",
    "ybj": "医保服务窗口",
    "gaj": "公安服务窗口",
    "swj": "税务服务窗口",
    "zjj": "住建服务窗口",
    "cgj": "水电气暖联办窗口",
}
STANDARDS = {
    "licence": "从电子证照库调取，无需提交纸质材料。",
    "shared": "通过数据共享获取，申请人无需提交。",
    "history": "调取以往申报材料，核对后可直接使用。",
    "upload": "上传清晰的扫描件或照片（PDF、JPG），单位申请的加盖公章。",
}
WHEN = "法定工作日上午9:00—12:00，下午13:30—17:00（法定节假日除外）；网上申报24小时受理。"


@dataclass(frozen=True)
class Planned:
    basic: Basic
    basic_code: str
    region: str
    sub: int  # 0 for the basic item, 1… for a sub-type
    suffix: tuple[str, str] = ("", "")

    @property
    def code(self) -> str:
        return impl_code(self.basic_code, self.region, self.basic.dept)

    @property
    def name(self) -> str:
        return self.basic.name + self.suffix[0]

    @property
    def name_en(self) -> str:
        return self.basic.name_en + self.suffix[1]


def _candidates(scale: str) -> Iterator[Planned]:
    for b in ITEMS:
        code = basic_code(DOMAIN_INDEX[b.domain], b)
        regions = [r for r in b.regions(DISTRICT_CODES) if r in (CITY, SHINAN)]
        if b.reach:
            regions += [r for r in b.regions(DISTRICT_CODES) if r not in regions]
        yield from (Planned(b, code, r, 0) for r in regions)
    if scale != "city":
        return
    for b in ITEMS:
        code = basic_code(DOMAIN_INDEX[b.domain], b)
        yield from (Planned(b, code, r, 0) for r in b.regions(DISTRICT_CODES))
    for b in ITEMS:
        for sub, suffix in enumerate(b.variants, start=1):
            code = basic_code(DOMAIN_INDEX[b.domain], b, sub)
            yield from (Planned(b, code, r, sub, suffix) for r in b.regions(DISTRICT_CODES))


def plan(scale: str) -> list[Planned]:
    if scale not in ("demo", "city"):
        raise ValueError(f"unknown scale {scale!r}: demo or city")
    seen: dict[str, Planned] = {}
    for p in _candidates(scale):
        seen.setdefault(p.code, p)
        if scale == "city" and len(seen) == CITY_ITEMS:
            break
    return list(seen.values())


def resolve(ref: str) -> str:
    """'food_business:cancel' → the handling item code of its 市南区 (or city) implementation."""
    key, _, kind = ref.partition(":")
    b = BY_KEY[key]
    kind = kind or "new"
    if kind not in b.kind_list():
        raise ValueError(f"{key} has no {kind} handling item")
    code = impl_code(basic_code(DOMAIN_INDEX[b.domain], b), b.primary_region(), b.dept)
    return handling_code(code, kind)


def basic_row(p: Planned) -> dict[str, Any]:
    b = p.basic
    return {
        "code": p.basic_code,
        "name": p.name,
        "name_en": p.name_en,
        "item_type": b.item_type,
        "legal_basis": b.law,
        "exercise_level": LEVELS[b.level],
        "domain_code": b.domain,
    }


def _where(p: Planned) -> str:
    b = p.basic
    hall = "青岛市政务服务中心" if p.region == CITY else f"{REGION_NAMES[p.region]}政务服务中心"
    text = f"{hall}{WINDOWS.get(b.dept, '综合受理窗口')}"
    if b.reach == "street":
        text += "；也可就近到街道（镇）便民服务中心办理"
    elif b.reach == "community":
        text += "；也可就近到街道（镇）便民服务中心、社区（村）便民服务站办理"
    online = "全程网办" if b.depth == 4 else "网上申报"
    return f"{text}。{online}：山东政务服务网（青岛站）、“爱山东”APP。"


def impl_row(p: Planned, department_id: int, now: dt.datetime) -> dict[str, Any]:
    b = p.basic
    statutory, s_unit, promised, p_unit = parse_limits(b.limits)
    types = [t for letter, t in (("p", "person"), ("e", "enterprise")) if letter in b.who]
    return {
        "code": p.code,
        "name": p.name,
        "name_en": p.name_en,
        "department_id": department_id,
        "department_credit_code": department_credit_code(b.dept, p.region),
        "region_code": p.region,
        "acceptance_conditions": b.cond or DEFAULT_CONDITIONS.get(b.type, DEFAULT_CONDITIONS["QR"]),
        "statutory_limit": statutory,
        "statutory_unit": s_unit,
        "promised_limit": promised,
        "promised_unit": p_unit,
        "has_fee": bool(b.fees),
        "where_to_apply": _where(p),
        "when_to_apply": WHEN,
        "online_depth": b.depth,
        "max_visits": b.visits,
        "applicant_types": {"types": types},
        "topics": {"topics": list(b.topics)},
        "active": True,
        "updated_at": now,
    }


def children(p: Planned, impl_id: int) -> dict[str, list[dict[str, Any]]]:
    """The handling items, materials, fees, FAQs and results of one implementation item."""
    b = p.basic
    kinds = b.kind_list()
    handling = []
    for kind in kinds:
        zh, en = b.kind_label(kind)
        single = len(kinds) == 1
        handling.append(
            {
                "code": handling_code(p.code, kind),
                "impl_item_id": impl_id,
                "kind": kind,
                "name": p.name if single else f"{p.name}（{zh}）",
                "name_en": p.name_en if single else f"{p.name_en} ({en})",
            }
        )
    materials: list[dict[str, Any]] = []
    for text in b.materials:
        name, condition, for_kinds = parse_material(text)
        name_en, source, form = MATERIALS[name]
        for for_kind in for_kinds:
            materials.append(
                {
                    "impl_item_id": impl_id,
                    "handling_kind": for_kind,
                    "name": name,
                    "name_en": name_en,
                    "requirement": "conditional" if condition else "required",
                    "condition": condition,
                    "form": form,
                    "copies": 1,
                    "source": source,
                    "blank_form_url": "",
                    "sample_url": "",
                    "standard": STANDARDS[source],
                    "sort": len(materials),
                }
            )
    return {
        "handling": handling,
        "materials": materials,
        "fees": [
            {"impl_item_id": impl_id, "name": n, "amount": a, "basis": basis}
            for n, a, basis in b.fees
        ],
        "faqs": [
            {"impl_item_id": impl_id, "question": q, "answer": a, "sort": n}
            for n, (q, a) in enumerate(b.faqs)
        ],
        "results": [
            {
                "impl_item_id": impl_id,
                "name": b.result[0],
                "kind": b.result[1],
                "licence_type_code": b.result[2],
            }
        ]
        if b.result
        else [],
    }


def basic_of(code: str) -> Basic | None:
    """The demo basic item an implementation item code was made from, if any."""
    basic = code.split("-", 1)[0]
    if len(basic) != 12 or not basic.isdigit():
        return None
    return BY_NUMBER.get((int(basic[2:4]), int(basic[4:7])))
