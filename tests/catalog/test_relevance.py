"""Relevance of catalogue search on the demo catalogue, with queries written the way citizens
and business owners type them. Each expects one item or scenario (or one of a few equally
right answers) among the first three hits; recall@3 must stay at 90 % or above."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import reference
from yiwang.catalog import demo, search
from yiwang.catalog.models import ImplItem, Scenario

RECALL_TARGET = 0.90
# (query, acceptable answers): item or scenario names of the demo catalogue.
CASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # Opening and closing a business
    ("我想开一家饭店", ("开办餐饮店一件事", "食品经营许可")),
    ("开个小吃店要办什么证", ("开办餐饮店一件事", "小餐饮登记")),
    ("开餐馆需要什么手续", ("开办餐饮店一件事", "食品经营许可")),
    ("注册公司需要什么材料", ("开办企业一件事", "有限责任公司登记")),
    ("个体户营业执照怎么办", ("个体工商户登记",)),
    ("公司不干了怎么注销", ("企业注销一件事", "企业简易注销登记")),
    ("简易注销", ("企业简易注销登记",)),
    ("开物流公司", ("开办运输企业一件事",)),
    ("跑货运要什么证", ("道路货物运输经营许可", "开办运输企业一件事")),
    ("开个药店", ("开办药店一件事", "药品零售企业许可")),
    ("开诊所", ("诊所备案", "医疗机构执业登记")),
    ("开理发店", ("公共场所卫生许可",)),
    ("开网吧需要办什么", ("互联网上网服务营业场所经营许可",)),
    ("开KTV", ("娱乐场所经营许可",)),
    ("开旅行社", ("旅行社设立许可",)),
    ("办培训班", ("校外培训机构设立审批",)),
    ("刻公章", ("公章刻制备案",)),
    ("新公司领发票", ("发票领用",)),
    ("店门口挂招牌", ("户外招牌设置备案",)),
    ("卖预包装食品备案", ("仅销售预包装食品备案",)),
    ("跑网约车", ("网络预约出租汽车驾驶员证核发", "网络预约出租汽车运输证核发")),
    ("排污许可证怎么办", ("排污许可证核发",)),
    ("环评审批", ("建设项目环境影响报告表审批", "建设项目环境影响报告书审批")),
    ("农村盖房子", ("乡村建设规划许可证核发",)),
    ("施工许可证", ("建筑工程施工许可证核发",)),
    # Family events
    ("生孩子了要办什么", ("新生儿出生一件事",)),
    ("宝宝出生后要办哪些手续", ("新生儿出生一件事", "出生登记", "出生医学证明签发")),
    ("给孩子上户口", ("出生登记", "新生儿出生一件事")),
    ("出生证明怎么开", ("出生医学证明签发",)),
    ("孩子打疫苗的本子", ("预防接种证办理",)),
    ("领结婚证", ("内地居民结婚登记",)),
    ("办离婚手续", ("内地居民离婚登记",)),
    ("结婚证丢了", ("补领婚姻登记证",)),
    ("家里老人去世了要办什么", ("身后一件事", "死亡户口注销")),
    ("孩子上小学报名", ("义务教育阶段入学报名", "教育入学一件事")),
    ("孩子转学", ("中小学生转学",)),
    # Work, pensions, insurance
    ("快退休了要办什么", ("退休一件事",)),
    ("怎么领养老金", ("退休一件事", "企业职工基本养老保险待遇申领")),
    ("失业了能领钱吗", ("失业保险金申领",)),
    ("社保卡怎么办", ("社会保障卡申领",)),
    ("医保怎么交", ("城乡居民基本医疗保险参保登记",)),
    ("在外地看病报销", ("异地就医备案", "医疗费用手工（零星）报销", "就医费用报销一件事")),
    ("看病的钱怎么报销", ("医疗费用手工（零星）报销", "就医费用报销一件事")),
    ("慢性病认定", ("门诊慢特病待遇认定",)),
    ("上班受伤了", ("工伤认定",)),
    ("社保转移到青岛", ("基本养老保险关系转移接续",)),
    ("查社保缴费记录", ("社会保险个人权益记录查询打印",)),
    ("创业补贴", ("一次性创业补贴申领",)),
    ("考教师资格证", ("教师资格认定",)),
    # Papers, cars, homes
    ("换驾照", ("机动车驾驶证换证",)),
    ("驾驶证到期了怎么换", ("机动车驾驶证换证",)),
    ("驾照丢了怎么补", ("机动车驾驶证补证",)),
    ("新车上牌", ("机动车注册登记",)),
    ("车辆年检", ("机动车检验合格标志核发",)),
    ("身份证丢了", ("居民身份证申领",)),
    ("办护照", ("普通护照签发",)),
    ("去香港旅游办证", ("往来港澳通行证及签注签发",)),
    ("开无犯罪证明", ("无犯罪记录证明开具",)),
    ("办居住证", ("居住证申领",)),
    ("买二手房过户", ("二手房转移登记及水电气联动过户一件事",)),
    ("房产证丢了", ("不动产权证书补证、换证",)),
    ("查一下我名下的房产", ("不动产登记资料查询",)),
    ("租房备案", ("房屋租赁登记备案",)),
    ("买房交契税", ("契税申报",)),
    ("水电过户", ("二手房转移登记及水电气联动过户一件事", "供水户名变更（过户）")),
    # Help and benefits
    ("低保怎么申请", ("最低生活保障审核确认",)),
    ("老人高龄补贴", ("高龄津贴发放",)),
    ("残疾人补贴", ("困难残疾人生活补贴和重度残疾人护理补贴", "残疾人服务一件事")),
    ("临时救助", ("临时救助",)),
)


async def _known_names(session: AsyncSession) -> set[str]:
    items = (await session.execute(select(ImplItem.name).where(ImplItem.active))).scalars()
    scenarios = (await session.execute(select(Scenario.name).where(Scenario.published))).scalars()
    return set(items) | set(scenarios)


async def test_recall_at_3_on_citizen_queries(
    session: AsyncSession,
    capsys: pytest.CaptureFixture[str],
    record_property: object,
) -> None:
    await reference.load(session)
    await demo.load(session)
    await search.reindex(session)
    known = await _known_names(session)
    unknown = sorted({n for _, names in CASES for n in names} - known)
    assert not unknown, f"expected names missing from the demo catalogue: {unknown}"
    assert len(CASES) >= 50 and len({q for q, _ in CASES}) == len(CASES)

    misses = []
    for q, expected in CASES:
        top = [h.name for h in await search.search(session, q, limit=3)]
        if not set(expected) & set(top):
            misses.append(f"  {q} → {' | '.join(top) or '(nothing)'}; expected {expected[0]}")
    recall = 1 - len(misses) / len(CASES)
    report = f"search recall@3 = {recall:.1%} ({len(CASES) - len(misses)}/{len(CASES)} queries)" + (
        "; misses:\n" + "\n".join(misses) if misses else ""
    )
    with capsys.disabled():
        print("\n" + report)
    record_property("recall_at_3", round(recall, 4))  # type: ignore[operator]
    assert recall >= RECALL_TARGET, report
