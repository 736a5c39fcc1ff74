"""Qingdao's reference data: the city, its ten districts and the departments in each."""

from __future__ import annotations

from functools import cache
from importlib import resources

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import service
from yiwang.accounts.models import Department, Region

CITY = ("370200", "青岛市", "Qingdao")

# GB/T 2260 codes of the ten county-level divisions.
DISTRICTS: tuple[tuple[str, str, str], ...] = (
    ("370202", "市南区", "Shinan District"),
    ("370203", "市北区", "Shibei District"),
    ("370211", "黄岛区", "Huangdao District (West Coast New Area)"),
    ("370212", "崂山区", "Laoshan District"),
    ("370213", "李沧区", "Licang District"),
    ("370214", "城阳区", "Chengyang District"),
    ("370215", "即墨区", "Jimo District"),
    ("370281", "胶州市", "Jiaozhou"),
    ("370283", "平度市", "Pingdu"),
    ("370285", "莱西市", "Laixi"),
)

# (code, name without the region prefix, English name)
DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("xzsp", "行政审批服务局", "Administrative Approval Service Bureau"),
    ("scjg", "市场监督管理局", "Market Supervision Administration"),
    ("wsjk", "卫生健康委员会", "Health Commission"),
    ("jtys", "交通运输局", "Transport Bureau"),
    ("zjj", "住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    ("zrzy", "自然资源和规划局", "Natural Resources and Planning Bureau"),
    ("sthj", "生态环境局", "Ecology and Environment Bureau"),
    ("rsj", "人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    ("mzj", "民政局", "Civil Affairs Bureau"),
    ("gaj", "公安局", "Public Security Bureau"),
    ("cgj", "城市管理局", "Urban Management Bureau"),
    ("jyj", "教育局", "Education Bureau"),
    ("whly", "文化和旅游局", "Culture and Tourism Bureau"),
    ("ybj", "医疗保障局", "Healthcare Security Bureau"),
    ("swj", "税务局", "Taxation Bureau"),
    ("rx12345", "12345政务服务便民热线", "12345 Government Service Hotline"),
    ("dsj", "大数据发展管理局", "Big Data Development Bureau"),
)

# District departments keep the city department's code; the region tells them apart.
CITY_ONLY = frozenset({"dsj"})


async def load(session: AsyncSession) -> None:
    """Idempotent: safe to run on every `yiwang init` and after upgrades."""
    await service.upsert_roles(session)
    existing = {r.code for r in await service.list_regions(session)}
    if CITY[0] not in existing:
        session.add(
            Region(code=CITY[0], name=CITY[1], name_en=CITY[2], level="city", parent_code=None)
        )
    for code, name, name_en in DISTRICTS:
        if code not in existing:
            session.add(
                Region(code=code, name=name, name_en=name_en, level="district", parent_code=CITY[0])
            )
    await session.flush()
    have = {
        (d.code, d.region_code): d for d in (await session.execute(select(Department))).scalars()
    }
    for code, name, name_en in DEPARTMENTS:
        city_dept = have.get((code, CITY[0]))
        if city_dept is None:
            city_dept = Department(
                code=code, name=f"青岛市{name}", name_en=f"Qingdao {name_en}", region_code=CITY[0]
            )
            session.add(city_dept)
            await session.flush()
        if code in CITY_ONLY:
            continue
        for region, rname, rname_en in DISTRICTS:
            if (code, region) not in have:
                session.add(
                    Department(
                        code=code,
                        name=f"{rname}{name}",
                        name_en=f"{rname_en} {name_en}",
                        region_code=region,
                        parent_id=city_dept.id,
                    )
                )
    await session.flush()


@cache
def boundaries_geojson() -> bytes:
    return resources.files("yiwang").joinpath("data/qingdao_districts.geojson").read_bytes()
