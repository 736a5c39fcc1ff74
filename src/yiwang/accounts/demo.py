"""Demo people: one login for every role, a citizen, an enterprise and its agent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import service
from yiwang.accounts.authz import ROLE_LABELS
from yiwang.accounts.models import Person, Region
from yiwang.db import utcnow
from yiwang.kit import identifiers
from yiwang.kit.i18n import N_
from yiwang.registry import service as registry

# Printed to whoever runs the demo; never used outside demo data.
DEMO_PASSWORD = "qingdao2026"  # noqa: S105

# Illustrative street and community below 市南区, to show scopes narrower than a district.
STREETS = (
    ("370202010", "八大关街道", "Badaguan Subdistrict", "street", "370202"),
    ("370202010001", "太平角社区", "Taipingjiao Community", "community", "370202010"),
)


@dataclass(frozen=True)
class DemoLogin:
    role: str  # a catalogue message id
    login: str
    name: str
    where: str


def resident_id(region: str, birth: str, seq: int) -> str:
    body = f"{region}{birth}{seq:03d}"
    return body + identifiers.iso7064_mod11_2(body)


def credit_code(region: str, org8: str, kind: str = "91") -> str:
    """kind: the registration authority and organisation type (91 enterprise, 92 individual
    business, 93 farmers' cooperative, 51 social group …)."""
    body = f"{kind}{region}{org8}{identifiers.gb11714_check(org8)}"
    return body + identifiers.gb32100_check(body)


# (login, name, birth region, birth date, sequence, role, department code, its region, scope)
PEOPLE: tuple[tuple[str, str, str, str, int, str | None, str, str, str], ...] = (
    ("13800000001", "张伟", "370202", "19880512", 31, None, "", "", ""),
    ("13800000002", "李娜", "370203", "19790304", 42, None, "", "", ""),
    ("13800000003", "王强", "370212", "19920817", 15, None, "", "", ""),
    ("admin", "陈静", "370211", "19800808", 99, "admin", "dsj", "370200", "370200"),
    ("clerk.shinan", "赵敏", "370202", "19900101", 22, "clerk", "xzsp", "370202", "370202"),
    ("clerk.shibei", "钱磊", "370203", "19910202", 33, "clerk", "xzsp", "370203", "370203"),
    ("reviewer.shinan", "孙丽", "370202", "19850303", 44, "reviewer", "xzsp", "370202", "370202"),
    ("head.shinan", "周涛", "370202", "19750404", 55, "head", "xzsp", "370202", "370202"),
    ("reviewer.cgj", "何平", "370202", "19860909", 57, "reviewer", "cgj", "370202", "370202"),
    ("inspector.shinan", "吴芳", "370202", "19870505", 66, "inspector", "scjg", "370202", "370202"),
    (
        "hotline",
        "郑洁",
        "370203",
        "19930606",
        77,
        "hotline_operator",
        "rx12345",
        "370200",
        "370200",
    ),
    (
        "grid.badaguan",
        "冯刚",
        "370202",
        "19820707",
        88,
        "grid_worker",
        "rx12345",
        "370202",
        "370202010",
    ),
)


@dataclass(frozen=True)
class DemoEnterprise:
    name: str
    region: str
    org8: str
    kind: str  # the first two characters of the credit code
    legal_rep: str  # login of a demo person
    agent: str  # login of the authorised agent, or ""

    @property
    def credit_code(self) -> str:
        return credit_code(self.region, self.org8, self.kind)


ENTERPRISES: tuple[DemoEnterprise, ...] = (
    DemoEnterprise(
        "青岛海岸科技有限公司", "370202", "MA3C0D1E", "91", "13800000002", "13800000003"
    ),
    # The demo citizen's own shop: an individual business (个体工商户) he runs.
    DemoEnterprise("青岛市市南区张记海鲜餐馆", "370202", "MA3D7K2H", "92", "13800000001", ""),
)


async def load(session: AsyncSession) -> list[DemoLogin]:
    """Idempotent: people already present are left as they are."""
    for code, name, name_en, level, parent in STREETS:
        if await session.get(Region, code) is None:
            session.add(
                Region(code=code, name=name, name_en=name_en, level=level, parent_code=parent)
            )
    await session.flush()
    await registry.ensure_database(
        session, registry.POPULATION, "人口基础信息", "Population basic information", "gaj"
    )
    logins: list[DemoLogin] = []
    people: dict[str, Person] = {}
    for login, name, region, birth, seq, role, dept_code, dept_region, scope in PEOPLE:
        number = resident_id(region, birth, seq)
        await registry.put_record(
            session,
            registry.POPULATION,
            service.hash_id(number),
            {"name": name, "region": region, "birth_date": birth},
        )
        person = await service.find_person_by_login(session, login)
        if person is None:
            person = await service.create_person(
                session,
                name=name,
                id_number=number,
                password=DEMO_PASSWORD,
                login=login,
                mobile=login if login.isdigit() else None,
            )
        people[login] = person
        where = ""
        if role:
            dept = await service.department_by_code(session, dept_code, dept_region)
            if not await service.grants_of(session, person.id):
                await service.assign_role(
                    session, by=None, person=person, department=dept, role=role, region_code=scope
                )
            where = f"{dept.name} / {scope}"
        logins.append(DemoLogin(ROLE_LABELS[role] if role else N_("Citizen"), login, name, where))
    for demo_ent in ENTERPRISES:
        rep = people[demo_ent.legal_rep]
        owned = {e.credit_code for e, _ in await service.enterprises_for(session, rep.id)}
        if demo_ent.credit_code in owned:
            continue
        ent = await service.create_enterprise(
            session,
            name=demo_ent.name,
            credit_code=demo_ent.credit_code,
            legal_rep=rep,
            region_code=demo_ent.region,
        )
        if demo_ent.agent:
            await service.authorise_agent(
                session,
                enterprise=ent,
                agent=people[demo_ent.agent],
                actions=["apply", "licences"],
                valid_until=utcnow() + dt.timedelta(days=365),
                granted_by=rep,
            )
    company = ENTERPRISES[0].name
    logins[0] = DemoLogin(N_("Citizen"), "13800000001", "张伟", ENTERPRISES[1].name)
    logins[1] = DemoLogin(N_("Enterprise legal representative"), "13800000002", "李娜", company)
    logins[2] = DemoLogin(N_("Enterprise agent"), "13800000003", "王强", company)
    return logins
