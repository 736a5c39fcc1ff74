"""A small catalogue written inside the test's transaction: one domain, two items, a scenario."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tests.support import impl_item
from yiwang.accounts import service as accounts
from yiwang.catalog.models import (
    BasicItem,
    Domain,
    HandlingItem,
    Material,
    Scenario,
)

TREE: dict[str, Any] = {
    "start": "q1",
    "questions": {
        "q1": {
            "text": "您要做什么？",
            "text_en": "What do you need?",
            "choices": [
                {"label": "新开一家餐饮店", "label_en": "Open a new restaurant", "next": "q2"},
                {"label": "注销餐饮店", "label_en": "Close a restaurant", "outcome": "close"},
            ],
        },
        "q2": {
            "text": "是否销售酒类？",
            "text_en": "Will you sell alcohol?",
            "choices": [
                {"label": "是", "label_en": "Yes", "outcome": "open_alcohol"},
                {"label": "否", "label_en": "No", "outcome": "open"},
            ],
        },
    },
    "outcomes": {
        "open": {"label": "办理食品经营许可", "case_type": "new", "items": ["T-FOOD-NEW"]},
        "open_alcohol": {
            "label": "办理食品经营许可和酒类备案",
            "case_type": "new",
            "items": ["T-FOOD-NEW", "T-WINE-NEW"],
        },
        "close": {"label": "注销食品经营许可", "case_type": "cancel", "items": ["T-FOOD-CANCEL"]},
    },
}


async def small_catalogue(session: AsyncSession) -> dict[str, Any]:
    dept = await accounts.department_by_code(session, "xzsp", "370202")
    session.add(Domain(code="t-food", name="餐饮服务", name_en="Food service", sort=99))
    await session.flush()
    out: dict[str, Any] = {}
    for code, name, handling in (
        ("T-FOOD", "食品经营许可（测试）", [("T-FOOD-NEW", "new"), ("T-FOOD-CANCEL", "cancel")]),
        ("T-WINE", "酒类经营备案（测试）", [("T-WINE-NEW", "new")]),
    ):
        basic = BasicItem(
            code=f"{code}-B"[:12],
            name=name,
            item_type="行政许可",
            legal_basis="《中华人民共和国食品安全法》",
            exercise_level="县级",
            domain_code="t-food",
        )
        session.add(basic)
        await session.flush()
        item = impl_item(
            code,
            basic.id,
            dept.id,
            name=name,
            name_en=f"{code} (test)",
            where_to_apply="市南区政务服务中心",
            when_to_apply="工作日 9:00-17:00",
            online_depth=4,
            max_visits=0,
            applicant_types={"types": ["enterprise"]},
        )
        session.add(item)
        await session.flush()
        for hcode, kind in handling:
            session.add(
                HandlingItem(
                    code=hcode,
                    impl_item_id=item.id,
                    kind=kind,
                    name=f"{name}{'新设' if kind == 'new' else '注销'}",
                )
            )
        session.add_all(
            [
                Material(
                    impl_item_id=item.id,
                    name="营业执照",
                    requirement="required",
                    form="electronic",
                    source="licence",
                    sort=1,
                ),
                Material(
                    impl_item_id=item.id,
                    name="经营场所平面图",
                    requirement="required",
                    form="original",
                    source="upload",
                    sort=2,
                ),
            ]
        )
        out[code] = item
    scenario = Scenario(
        code="t-restaurant",
        name="开办餐饮店（测试）",
        name_en="Open a restaurant",
        summary="一次办好",
        domain_code="t-food",
        applicant_types={"types": ["enterprise"]},
        tree=TREE,
        published=True,
        sort=-1,
    )
    session.add(scenario)
    await session.flush()
    out["scenario"] = scenario
    return out
