"""The demo catalogue: counts, shapes and rules every row must keep, at demo and city scale."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts.models import Department
from yiwang.catalog import demo, tree
from yiwang.catalog.models import (
    BasicItem,
    Domain,
    Fee,
    HandlingItem,
    ImplItem,
    Material,
    Result,
    Scenario,
    ScenarioItem,
    Synonym,
)
from yiwang.halls import demo as halls_demo
from yiwang.halls.models import Hall
from yiwang.kit.identifiers import check_uscc

NAMED = (
    "开办餐饮店一件事",
    "开办企业一件事",
    "企业注销一件事",
    "新生儿出生一件事",
    "二手房转移登记及水电气联动过户一件事",
    "退休一件事",
    "开办运输企业一件事",
)


async def count(session: AsyncSession, model: Any) -> int:
    return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


@pytest.fixture
async def loaded(session: AsyncSession) -> AsyncSession:
    await demo.load(session)
    return session


async def test_demo_scale_meets_the_minimums(loaded: AsyncSession) -> None:
    s = loaded
    assert await count(s, Domain) >= 15
    assert await count(s, ImplItem) >= 120
    assert await count(s, Scenario) >= 12
    assert await count(s, Synonym) >= 40
    names = set((await s.execute(select(Scenario.name))).scalars())
    assert set(NAMED) <= names
    per_domain = Counter(
        (
            await s.execute(
                select(BasicItem.domain_code).join(ImplItem, ImplItem.basic_item_id == BasicItem.id)
            )
        ).scalars()
    )
    domains = list((await s.execute(select(Domain))).scalars())
    for d in domains:
        if d.code in {code for code, *_ in demo.DOMAINS}:
            assert per_domain[d.code] >= 3, d.code
            assert d.name_en


async def test_every_scenario_tree_validates_and_links_its_items(loaded: AsyncSession) -> None:
    s = loaded
    codes = {c: i for c, i in (await s.execute(select(HandlingItem.code, HandlingItem.id)))}
    links: dict[int, set[int]] = defaultdict(set)
    for sid, hid in await s.execute(
        select(ScenarioItem.scenario_id, ScenarioItem.handling_item_id)
    ):
        links[sid].add(hid)
    scenarios = [x for x in (await s.execute(select(Scenario))).scalars() if x.code in demo_codes()]
    assert len(scenarios) >= 12
    for sc in scenarios:
        assert tree.validate(sc.tree, codes) == [], sc.code
        assert sc.name_en and sc.summary and sc.summary_en
        for q in sc.tree["questions"].values():
            assert q["text_en"] and all(c["label_en"] for c in q["choices"])
        for o in sc.tree["outcomes"].values():
            assert o["label_en"] and o["case_type"] in tree.CASE_TYPES
        assert links[sc.id] == {codes[c] for c in tree.all_items(sc.tree)}, sc.code


def demo_codes() -> set[str]:
    from yiwang.catalog.demo_scenarios import SCENARIOS

    return {sc.code for sc in SCENARIOS}


async def test_restaurant_scenario_answers_lead_to_the_right_items(loaded: AsyncSession) -> None:
    sc = (
        await loaded.execute(select(Scenario).where(Scenario.name == "开办餐饮店一件事"))
    ).scalar_one()
    # 个体工商户 → 小餐饮 → 不设置招牌
    node = sc.tree["questions"][sc.tree["start"]]
    for answer in (0, 1):
        node = sc.tree["questions"][node["choices"][answer]["next"]]
    items = sc.tree["outcomes"][node["choices"][1]["outcome"]]["items"]
    names = set(
        (await loaded.execute(select(HandlingItem.name).where(HandlingItem.code.in_(items))))
        .scalars()
        .all()
    )
    assert any(n.startswith("个体工商户登记") for n in names)
    assert "小餐饮登记（新办）" in names
    assert not any("食品经营许可" in n or "户外招牌" in n for n in names)
    assert any("排水管网" in n for n in names)


async def test_every_item_has_handling_items_materials_and_a_valid_credit_code(
    loaded: AsyncSession,
) -> None:
    s = loaded
    handling = Counter((await s.execute(select(HandlingItem.impl_item_id))).scalars())
    materials = Counter((await s.execute(select(Material.impl_item_id))).scalars())
    depts = {d.id: d for d in (await s.execute(select(Department))).scalars()}
    items = list((await s.execute(select(ImplItem))).scalars())
    assert items
    for it in items:
        assert handling[it.id] >= 1, it.code
        assert materials[it.id] >= 3, it.code
        assert len(it.code) <= 36
        check = check_uscc(it.department_credit_code)
        assert check.valid, (it.code, check.reason)
        assert it.department_credit_code[:2] == "11"
        assert it.department_credit_code[2:8] == it.region_code
        dept = depts[it.department_id]
        assert dept.region_code == it.region_code
        assert it.code.endswith(f"-{it.region_code}-{dept.code}")
        assert it.statutory_unit in ("working", "natural")
        assert it.promised_unit in ("working", "natural")
        assert 1 <= it.online_depth <= 4 and 0 <= it.max_visits <= 2
        assert set(it.applicant_types["types"]) <= {"person", "enterprise"}
        assert it.applicant_types["types"] and it.name_en


async def test_materials_come_mostly_from_licences_and_shared_data(loaded: AsyncSession) -> None:
    rows = await loaded.execute(select(Material.source, Material.requirement, Material.condition))
    sources: Counter[str] = Counter()
    for source, requirement, condition in rows:
        sources[source] += 1
        assert (requirement == "conditional") == bool(condition)
    total = sum(sources.values())
    assert set(sources) <= {"licence", "shared", "history", "upload"}
    assert (sources["licence"] + sources["shared"]) / total > 0.4


async def test_licences_kinds_and_fees_read_like_qingdao(loaded: AsyncSession) -> None:
    s = loaded
    food = (
        await s.execute(
            select(ImplItem).where(
                ImplItem.name == "食品经营许可", ImplItem.region_code == "370202"
            )
        )
    ).scalar_one()
    kinds = set(
        (await s.execute(select(HandlingItem.kind).where(HandlingItem.impl_item_id == food.id)))
        .scalars()
        .all()
    )
    assert kinds == {"new", "change", "renew", "cancel"}
    results = set((await s.execute(select(Result.name))).scalars())
    for licence in (
        "食品经营许可证",
        "营业执照",
        "道路运输经营许可证",
        "建筑工程施工许可证",
        "不动产权证书",
    ):
        assert licence in results
    fees = list((await s.execute(select(Fee))).scalars())
    assert fees and all(f.basis for f in fees)
    with_fee = {f.impl_item_id for f in fees}
    flagged = set((await s.execute(select(ImplItem.id).where(ImplItem.has_fee))).scalars())
    assert with_fee == flagged
    assert await count(s, ImplItem) > 2 * len(flagged)  # most items are free
    synonyms = dict((await s.execute(select(Synonym.phrase, Synonym.expansion))).all())
    assert "食品经营许可" in synonyms["开饭店"] and "开办企业一件事" in synonyms["开公司"]
    assert "新生儿出生一件事" in synonyms["生孩子"] and "退休一件事" in synonyms["领养老金"]


async def test_loading_twice_adds_nothing(session: AsyncSession) -> None:
    await demo.load(session)
    before = await count(session, ImplItem)
    again = await demo.load(session)
    assert again and set(again.values()) == {0}
    assert await count(session, ImplItem) == before


async def test_unknown_scale_is_refused(session: AsyncSession) -> None:
    with pytest.raises(ValueError, match="scale"):
        await demo.load(session, "town")


async def test_city_scale_reaches_the_seed_numbers(session: AsyncSession) -> None:
    await demo.load(session)
    await halls_demo.load(session)
    await demo.load(session, "city")
    await halls_demo.load(session, "city")
    assert await count(session, ImplItem) == 1614
    assert await count(session, Scenario) == 45
    assert await count(session, Hall) >= 3000
    codes = {c for (c,) in (await session.execute(select(HandlingItem.code)))}
    for sc in (await session.execute(select(Scenario))).scalars():
        assert tree.validate(sc.tree, codes) == [], sc.code
    again = await demo.load(session, "city")
    assert set(again.values()) == {0}
    assert set((await halls_demo.load(session, "city")).values()) == {0}


async def test_demo_items_are_searchable_by_everyday_words(loaded: AsyncSession) -> None:
    from yiwang.catalog import search

    names = [h.name for h in await search.search(loaded, "开饭店")]
    assert "开办餐饮店一件事" in names and "食品经营许可" in names
    names = [h.name for h in await search.search(loaded, "领养老金")]
    assert "退休一件事" in names
