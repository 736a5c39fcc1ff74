"""A small catalogue and a few halls written straight through the models (not through the
import under test), with codes of their own (X-…), inside the test's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support import impl_item
from yiwang.accounts import service as accounts
from yiwang.catalog.models import (
    BasicItem,
    Domain,
    Faq,
    Fee,
    HandlingItem,
    ImplItem,
    Material,
    Result,
    Scenario,
    ScenarioItem,
)
from yiwang.halls.models import Hall, HallException, HallItem

WEEK = {
    "mon": [["09:00", "12:00"], ["13:30", "17:00"]],
    "tue": [["09:00", "17:00"]],
    "wed": [["09:00", "17:00"]],
    "thu": [["09:00", "17:00"]],
    "fri": [["09:00", "17:00"]],
    "sat": [["09:00", "12:00"]],
    "sun": [],
}
TREE: dict[str, Any] = {
    "start": "q1",
    "questions": {
        "q1": {
            "text": "您要开店还是关店？",
            "text_en": "Open or close?",
            "choices": [
                {"label": "开店", "label_en": "Open", "outcome": "open"},
                {"label": "关店", "label_en": "Close", "outcome": "close"},
            ],
        }
    },
    "outcomes": {
        "open": {"label": "开店", "case_type": "new", "items": ["X-FOOD01", "X-SIGN01"]},
        "close": {"label": "关店", "case_type": "cancel", "items": ["X-FOOD04"]},
    },
}
# Every table an import may write, children first (the order deletes need).
TABLES: tuple[type[Any], ...] = (
    HallItem,
    HallException,
    Hall,
    ScenarioItem,
    Scenario,
    Result,
    Faq,
    Fee,
    Material,
    HandlingItem,
    ImplItem,
    BasicItem,
)


async def counts(session: AsyncSession) -> dict[str, int]:
    out = {}
    for model in TABLES:
        out[model.__tablename__] = (
            await session.execute(select(func.count()).select_from(model))
        ).scalar_one()
    return out


async def wipe(session: AsyncSession) -> None:
    for model in TABLES:
        await session.execute(delete(model))
    await session.flush()


async def catalogue(session: AsyncSession) -> None:
    session.add(Domain(code="x-food", name="餐饮（导入测试）", name_en="Food (import test)"))
    await session.flush()
    shinan = await accounts.department_by_code(session, "xzsp", "370202")
    shibei = await accounts.department_by_code(session, "scjg", "370203")
    food = BasicItem(
        code="X-B-FOOD",
        name="食品经营许可",
        name_en="Food business licence",
        item_type="行政许可",
        legal_basis="《中华人民共和国食品安全法》第三十五条",
        exercise_level="县级",
        domain_code="x-food",
    )
    sign = BasicItem(
        code="X-B-SIGN",
        name="户外招牌设置",
        item_type="公共服务",
        exercise_level="市级、县级",
        domain_code="x-food",
    )
    session.add_all([food, sign])
    await session.flush()
    items = {
        "X-FOOD": impl_item(
            "X-FOOD",
            food.id,
            shinan.id,
            name="食品经营许可（市南）",
            name_en="Food business licence (Shinan)",
            acceptance_conditions="有与经营食品相适应的场所",
            has_fee=True,
            where_to_apply="市南区政务服务中心\n二楼 12 号窗口",
            when_to_apply="工作日",
            online_depth=4,
            max_visits=0,
            applicant_types={"types": ["enterprise", "person"]},
            topics={"topics": ["开店", "餐饮"]},
        ),
        "X-FOOD-SB": impl_item(
            "X-FOOD-SB",
            food.id,
            shibei.id,
            region_code="370203",
            name="食品经营许可（市北）",
            promised_limit=10,
            promised_unit="natural",
            applicant_types={"types": ["enterprise"]},
            active=False,
        ),
        "X-SIGN": impl_item(
            "X-SIGN",
            sign.id,
            shinan.id,
            name="户外招牌设置备案",
            statutory_limit=10,
            statutory_unit="natural",
            promised_limit=3,
            applicant_types={"types": ["enterprise"]},
            topics={"topics": ["开店"]},
        ),
    }
    session.add_all(items.values())
    await session.flush()
    food_id, sign_id = items["X-FOOD"].id, items["X-SIGN"].id
    session.add_all(
        [
            HandlingItem(
                code="X-FOOD01", impl_item_id=food_id, kind="new", name="食品经营许可新办"
            ),
            HandlingItem(
                code="X-FOOD04",
                impl_item_id=food_id,
                kind="cancel",
                name="食品经营许可注销",
                name_en="Cancel a food business licence",
            ),
            HandlingItem(code="X-SIGN01", impl_item_id=sign_id, kind="new", name="招牌设置"),
            Material(
                impl_item_id=food_id,
                name="营业执照",
                requirement="required",
                form="electronic",
                source="licence",
                sort=1,
            ),
            Material(
                impl_item_id=food_id,
                handling_kind="cancel",
                name="食品经营许可证正副本",
                name_en="The licence, both copies",
                requirement="required",
                condition="",
                form="original",
                copies=2,
                source="upload",
                blank_form_url="https://zwfw.qingdao.gov.cn/forms/a.docx",
                sort=2,
            ),
            Material(
                impl_item_id=food_id,
                name="=经营场所平面图",
                requirement="conditional",
                condition="新建场所时提供",
                form="copy",
                source="upload",
                sort=3,
            ),
            Material(
                impl_item_id=sign_id,
                name="招牌效果图",
                requirement="required",
                form="copy",
                source="upload",
            ),
            Fee(impl_item_id=food_id, name="工本费", amount="0 元", basis="免收"),
            Faq(impl_item_id=food_id, question="需要多久？", answer="5 个工作日。", sort=1),
            Result(
                impl_item_id=food_id,
                name="食品经营许可证",
                kind="licence",
                licence_type_code="FOOD-LICENCE",
            ),
        ]
    )
    scenario = Scenario(
        code="x-open-shop",
        name="开一家小吃店",
        name_en="Open a snack shop",
        summary="一次办好",
        domain_code="x-food",
        applicant_types={"types": ["enterprise"]},
        tree=TREE,
        sort=5,
    )
    session.add(scenario)
    await session.flush()
    handling = await session.scalars(select(HandlingItem).where(HandlingItem.code.like("X-%")))
    session.add_all(ScenarioItem(scenario_id=scenario.id, handling_item_id=h.id) for h in handling)
    await session.flush()


async def halls(session: AsyncSession) -> None:
    food = (
        await session.execute(select(ImplItem.id).where(ImplItem.code == "X-FOOD"))
    ).scalar_one()
    rows = [
        Hall(
            code=f"X-H{n}",
            name=f"测试便民服务站{n}",
            name_en=f"Test station {n}" if n % 2 else "",
            level="community" if n > 1 else "district",
            region_code=("370202" if n == 1 else "370202010001") if n < 4 else "370203000002",
            district_code="370202" if n < 4 else "370203",
            address=f"青岛市市南区测试路{n}号",
            lat=36.06 + n / 1000,
            lng=120.38 + n / 1000,
            phone="0532-8000 0000" if n == 1 else "",
            windows=n,
            accessibility={"facilities": ["ramp", "toilet"] if n == 1 else []},
            weekly_hours=WEEK,
            open_on_holidays=n == 2,
            notes="节假日另行通知" if n == 3 else "",
        )
        for n in range(1, 5)
    ]
    session.add_all(rows)
    await session.flush()
    session.add_all([HallItem(hall_id=rows[0].id, impl_item_id=food)])
    await session.flush()
