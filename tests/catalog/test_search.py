from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.catalog.search_fixture import DOMAIN, Catalogue, search_catalogue, set_synonym
from tests.support import app_client
from yiwang.app import create_app
from yiwang.catalog import api as catalog_api
from yiwang.catalog import search, segment
from yiwang.catalog.models import ImplItem, Scenario
from yiwang.config import get_settings
from yiwang.db import Database


@pytest.fixture
async def cat(session: AsyncSession) -> Catalogue:
    catalogue = await search_catalogue(session)
    await search.reindex(session)
    return catalogue


@pytest.fixture
async def api(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(get_settings(), db)
    if not any(getattr(r, "path", "") == "/api/v1/catalog/search" for r in app.routes):
        app.include_router(catalog_api.router)
    async with app_client(app) as c:
        yield c


async def names(session: AsyncSession, q: str, **kw: object) -> list[str]:
    kw.setdefault("domain", DOMAIN)
    return [h.name for h in await search.search(session, q, **kw)]  # type: ignore[arg-type]


def test_query_reading() -> None:
    syn = [("开饭店", "食品经营许可、开办餐饮店一件事"), ("生孩子", "新生儿出生一件事")]
    q = segment.analyse("我想开个饭店，怎么办理？", syn)
    assert q.alternatives[0].terms == ("开", "饭店") and not q.alternatives[0].via_synonym
    assert [a.phrase for a in q.alternatives[1:]] == ["食品经营许可", "开办餐饮店一件事"]
    assert segment.analyse("生了个孩子", syn).alternatives[-1].phrase == "新生儿出生一件事"
    assert len(segment.analyse("开办餐饮店", syn).alternatives) == 1  # 开…店 gap of 3: no
    assert segment.analyse("ＡＢＣ　驾照！").text == "abc驾照"
    assert segment.phrase_in("开公司", "开一家公司") and not segment.phrase_in("开公司", "公司开")
    assert segment.tokens("餐饮店") == ["餐饮", "饮店", "餐饮店"]


async def test_reindex_covers_active_items_and_published_scenarios(
    session: AsyncSession, cat: Catalogue
) -> None:
    items = await session.scalar(select(func.count()).where(ImplItem.active.is_(True)))
    scenarios = await session.scalar(select(func.count()).where(Scenario.published.is_(True)))
    assert await search.reindex(session) == items + scenarios  # type: ignore[operator]
    assert "已停用的食品经营备案" not in await names(session, "食品经营备案")
    total = await session.scalar(text("SELECT df FROM catalog_search_terms WHERE term = ''"))
    assert total == items + scenarios  # type: ignore[operator]


async def test_hits_say_item_or_scenario_with_department(
    session: AsyncSession, cat: Catalogue
) -> None:
    hits = await search.search(session, "食品经营许可", domain=DOMAIN)
    first = hits[0]
    assert (first.type, first.name, first.code) == ("item", "食品经营许可", "TS-FOOD-C")
    assert first.department == "青岛市市场监督管理局" and first.online_depth == 4
    assert hits[1].name != "食品经营许可"  # the district copy collapsed into the city's
    restaurant = next(h for h in hits if h.type == "scenario")
    assert restaurant.name == "开办餐饮店一件事" and restaurant.department is None
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


async def test_district_picks_its_own_copy_else_the_citys(
    session: AsyncSession, cat: Catalogue
) -> None:
    shinan = await search.search(session, "食品经营许可", domain=DOMAIN, district="370202")
    assert shinan[0].code == "TS-FOOD-S" and shinan[0].department == "市南区市场监督管理局"
    shibei = await search.search(session, "食品经营许可", domain=DOMAIN, district="370203")
    assert shibei[0].code == "TS-FOOD-C"


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("开饭店", {"食品经营许可", "开办餐饮店一件事"}),
        ("我想开个饭店", {"食品经营许可", "开办餐饮店一件事"}),
        ("我想开个小吃店", {"开办餐饮店一件事"}),
        ("开公司", {"企业设立登记"}),
        ("生孩子了要办什么", {"新生儿出生一件事"}),
        ("换驾照", {"机动车驾驶证换证"}),
    ],
)
async def test_everyday_phrases_reach_catalogue_names(
    session: AsyncSession, cat: Catalogue, q: str, expected: set[str]
) -> None:
    got = await names(session, q)
    assert expected <= set(got[: len(expected)]), got


async def test_synonym_edits_apply_at_once(session: AsyncSession, cat: Catalogue) -> None:
    assert "个体工商户设立登记" not in await names(session, "做点小生意")
    await set_synonym(session, "小生意", "个体工商户设立登记")
    assert (await names(session, "做点小生意"))[0] == "个体工商户设立登记"


async def test_substring_fallback_when_words_do_not_match(
    session: AsyncSession, cat: Catalogue
) -> None:
    assert segment.tokens("驶证换") == ["驶证换"]  # one unknown word: no token matches
    assert (await names(session, "驶证换"))[0] == "机动车驾驶证换证"
    assert (await names(session, "证换"))[0] == "机动车驾驶证换证"  # too short for trigrams
    assert await names(session, "火星签证") == []


async def test_abbreviations_find_the_full_name(session: AsyncSession, cat: Catalogue) -> None:
    assert (await names(session, "低保怎么申请"))[0] == "最低生活保障审核确认"
    assert (await names(session, "驾证换证"))[0] == "机动车驾驶证换证"
    # Characters too far apart, or in another order, are no abbreviation.
    assert "最低生活保障审核确认" not in await names(session, "保低")
    assert segment.abbreviations(segment.analyse("社保卡"), frozenset({"社保"})) == ["社保卡"]


async def test_filters(session: AsyncSession, cat: Catalogue) -> None:
    licences = await names(session, "经营许可")
    assert {"食品经营许可", "药品经营许可"} <= set(licences)
    assert "道路货物运输经营许可" not in licences  # another domain
    assert "道路货物运输经营许可" in await names(session, "经营许可", domain="t-search-2")
    online = await names(session, "经营许可", online_only=True)
    assert "食品经营许可" in online and "药品经营许可" not in online
    assert await names(session, "驾驶证", applicant="enterprise") == []
    assert await names(session, "驾驶证", applicant="person") == ["机动车驾驶证换证"]
    sole = cat.departments[("scjg", "370200")]
    by_dept = await names(session, "登记", department_id=sole)
    assert "个体工商户设立登记" in by_dept
    # The scenario bundles an item of that department, so it is found through it.
    assert "开办餐饮店一件事" in await names(session, "餐饮店", department_id=sole)
    police = cat.departments[("gaj", "370200")]
    assert await names(session, "餐饮店", department_id=police) == []


async def _term_table(session: AsyncSession) -> dict[str, tuple[int, int]]:
    rows = await session.execute(text("SELECT term, df, name_df FROM catalog_search_terms"))
    return {t: (df, n) for t, df, n in rows.all()}


async def test_incremental_index_follows_item_changes(
    session: AsyncSession, cat: Catalogue
) -> None:
    drive = cat.items["TS-DRIVE"]
    drive.name = "机动车驾驶证补领"
    await session.flush()
    await search.index_items(session, [drive.id])
    assert await names(session, "驾驶证补领") == ["机动车驾驶证补领"]
    food = cat.items["TS-FOOD-C"]
    food.online_depth = 2
    await session.flush()
    await search.index_items(session, [food.id])
    # The scenario bundling it is no longer fully online either.
    assert "开办餐饮店一件事" not in await names(session, "餐饮店", online_only=True)
    drive.active = False
    await session.flush()
    await search.index_items(session, [drive.id])
    assert await names(session, "驾驶证补领") == []
    # The term statistics kept up: a full rebuild computes the same ones.
    incremental = await _term_table(session)
    await search.reindex(session)
    assert await _term_table(session) == incremental


async def test_unpublished_scenarios_leave_the_index(session: AsyncSession, cat: Catalogue) -> None:
    birth = cat.scenarios["ts-birth"]
    assert "新生儿出生一件事" in await names(session, "新生儿出生")
    birth.published = False
    await session.flush()
    await search.index_scenarios(session, [birth.id])
    assert "新生儿出生一件事" not in await names(session, "新生儿出生")


@pytest.mark.parametrize("q", ["\"' OR 1=1 --", 'a" OR "b', "NEAR(驾驶 证)", "*", "驾驶证 NOT"])
async def test_query_syntax_in_input_is_only_text(
    session: AsyncSession, cat: Catalogue, q: str
) -> None:
    await search.search(session, q)  # no database error
    assert "机动车驾驶证换证" in await names(session, q + " 驾驶证换证")


async def test_english_names_are_searchable(session: AsyncSession, cat: Catalogue) -> None:
    assert (await names(session, "driving licence renewal"))[0] == "机动车驾驶证换证"


async def test_api_answers_ranked_hits(api: httpx.AsyncClient, session: AsyncSession) -> None:
    await search_catalogue(session)
    await search.reindex(session)
    r = await api.get("/api/v1/catalog/search", params={"q": "开饭店", "domain": DOMAIN})
    assert r.status_code == 200
    body = r.json()
    assert {tuple(sorted(h)) for h in body} == {
        ("code", "department", "department_en", "name", "name_en", "score", "type")
    }
    assert {h["name"] for h in body[:2]} == {"食品经营许可", "开办餐饮店一件事"}
    assert {h["type"] for h in body[:2]} == {"item", "scenario"}
    one = await api.get("/api/v1/catalog/search", params={"q": "经营许可", "limit": 1})
    assert len(one.json()) == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "  ？！ "}, "q"),
        ({"q": "办" * 101}, "q"),
        ({"q": "驾照", "limit": 0}, "limit"),
        ({"q": "驾照", "limit": 51}, "limit"),
        ({"q": "驾照", "applicant": "robot"}, "applicant"),
        ({"q": "驾照", "district": "37"}, "district"),
    ],
)
async def test_api_rejects_bad_input_naming_the_field(
    api: httpx.AsyncClient, params: dict[str, object], field: str
) -> None:
    r = await api.get("/api/v1/catalog/search", params=params)  # type: ignore[arg-type]
    assert r.status_code == 422
    body = r.json()
    assert body["field"] == field and body["message"]["zh"] and body["message"]["en"]
