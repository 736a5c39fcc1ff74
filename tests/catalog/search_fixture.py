"""A small catalogue for the search tests, in its own domain so that whatever else the
database holds (the demo catalogue) stays out of the way when searches filter on it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support import impl_item
from yiwang.accounts import service as accounts
from yiwang.catalog.models import (
    BasicItem,
    Domain,
    HandlingItem,
    ImplItem,
    Scenario,
    ScenarioItem,
    Synonym,
)

DOMAIN = "t-search"
OTHER_DOMAIN = "t-search-2"
TREE = {
    "start": "q1",
    "questions": {
        "q1": {
            "text": "？",
            "choices": [{"label": "a", "outcome": "o1"}, {"label": "b", "outcome": "o1"}],
        }
    },
    "outcomes": {"o1": {"label": "o", "case_type": "new", "items": []}},
}
# (code, name, name_en, department code, region, applicant types, online depth, domain)
ITEMS = (
    ("TS-FOOD-C", "食品经营许可", "Food business licence", "scjg", "370200", "e", 4, DOMAIN),
    ("TS-FOOD-S", "食品经营许可", "Food business licence", "scjg", "370202", "e", 4, DOMAIN),
    ("TS-DRUG", "药品经营许可", "Drug business licence", "scjg", "370200", "e", 2, DOMAIN),
    ("TS-FIRM", "企业设立登记", "Company registration", "scjg", "370200", "e", 4, DOMAIN),
    (
        "TS-SOLE",
        "个体工商户设立登记",
        "Sole trader registration",
        "scjg",
        "370200",
        "pe",
        3,
        DOMAIN,
    ),
    ("TS-DRIVE", "机动车驾驶证换证", "Driving licence renewal", "gaj", "370200", "p", 4, DOMAIN),
    ("TS-BIRTH", "出生医学证明办理", "Birth medical certificate", "wsjk", "370200", "p", 3, DOMAIN),
    (
        "TS-ROAD",
        "道路货物运输经营许可",
        "Road haulage licence",
        "jtys",
        "370200",
        "e",
        4,
        OTHER_DOMAIN,
    ),
    (
        "TS-DIBAO",
        "最低生活保障审核确认",
        "Minimum living allowance",
        "mzj",
        "370200",
        "p",
        3,
        DOMAIN,
    ),
    ("TS-OLD", "已停用的食品经营备案", "Withdrawn", "scjg", "370200", "e", 4, DOMAIN),
)
TYPES = {"e": ["enterprise"], "p": ["person"], "pe": ["person", "enterprise"]}
# (code, name, summary, bundled item codes, applicant types)
SCENARIOS = (
    ("ts-restaurant", "开办餐饮店一件事", "开饭店、小吃店一次办好", ("TS-FOOD-C", "TS-SOLE"), "pe"),
    ("ts-birth", "新生儿出生一件事", "出生医学证明、户口登记一次办", ("TS-BIRTH",), "p"),
)
SYNONYMS = (
    ("开饭店", "食品经营许可 开办餐饮店一件事"),
    ("小吃店", "开办餐饮店一件事"),
    ("开公司", "企业设立登记"),
    ("生孩子", "新生儿出生一件事"),
    ("换驾照", "机动车驾驶证换证"),
)


@dataclass(frozen=True)
class Catalogue:
    items: dict[str, ImplItem]
    scenarios: dict[str, Scenario]
    departments: dict[tuple[str, str], int]


async def set_synonym(session: AsyncSession, phrase: str, expansion: str) -> None:
    row = (
        await session.execute(select(Synonym).where(Synonym.phrase == phrase))
    ).scalar_one_or_none()
    if row is None:
        session.add(Synonym(phrase=phrase, expansion=expansion))
    else:
        row.expansion = expansion
    await session.flush()


async def search_catalogue(session: AsyncSession) -> Catalogue:
    session.add_all(
        [
            Domain(code=DOMAIN, name="检索测试", name_en="Search test", sort=98),
            Domain(code=OTHER_DOMAIN, name="交通运输测试", name_en="Transport test", sort=99),
        ]
    )
    await session.flush()
    items: dict[str, ImplItem] = {}
    departments: dict[tuple[str, str], int] = {}
    for code, name, name_en, dept_code, region, types, depth, domain in ITEMS:
        dept = await accounts.department_by_code(session, dept_code, region)
        departments[(dept_code, region)] = dept.id
        basic = BasicItem(
            code=code[:12],
            name=name,
            item_type="行政许可",
            exercise_level="市级",
            domain_code=domain,
        )
        session.add(basic)
        await session.flush()
        item = impl_item(
            code,
            basic.id,
            dept.id,
            region_code=region,
            name=name,
            name_en=name_en,
            online_depth=depth,
            applicant_types={"types": TYPES[types]},
            active=code != "TS-OLD",
        )
        session.add(item)
        await session.flush()
        session.add(HandlingItem(code=f"{code}-N", impl_item_id=item.id, kind="new", name=name))
        items[code] = item
    await session.flush()
    handling = {
        h.code: h.id
        for h in (
            await session.execute(select(HandlingItem).where(HandlingItem.code.like("TS-%")))
        ).scalars()
    }
    scenarios: dict[str, Scenario] = {}
    for code, name, summary, bundled, types in SCENARIOS:
        scenario = Scenario(
            code=code,
            name=name,
            name_en=code,
            summary=summary,
            domain_code=DOMAIN,
            applicant_types={"types": TYPES[types]},
            tree=TREE,
        )
        session.add(scenario)
        await session.flush()
        for item_code in bundled:
            session.add(
                ScenarioItem(scenario_id=scenario.id, handling_item_id=handling[f"{item_code}-N"])
            )
        scenarios[code] = scenario
    for phrase, expansion in SYNONYMS:
        await set_synonym(session, phrase, expansion)
    await session.flush()
    return Catalogue(items, scenarios, departments)
