from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support import csrf_from, login
from yiwang.accounts.models import Department
from yiwang.audit.models import AuditEvent


async def _dept(session: AsyncSession, code: str, region: str) -> int:
    q = select(Department.id).where(Department.code == code, Department.region_code == region)
    return (await session.execute(q)).scalar_one()


async def test_clerk_cannot_open_another_districts_staff_pages(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    own, other = await _dept(session, "xzsp", "370202"), await _dept(session, "xzsp", "370203")
    await login(client, "clerk.shinan")
    assert (await client.get("/staff")).status_code == 200
    assert (await client.get(f"/staff/departments/{own}")).status_code == 200
    denied = await client.get(f"/staff/departments/{other}")
    assert denied.status_code == 403
    assert "无权访问" in denied.text
    assert (await client.get("/admin")).status_code == 403


async def test_citizen_cannot_open_staff_pages(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    own = await _dept(session, "xzsp", "370202")
    await login(client, "13800000001")
    for path in ("/staff", f"/staff/departments/{own}", "/admin"):
        assert (await client.get(path)).status_code == 403, path


async def test_anonymous_is_sent_to_login(client: httpx.AsyncClient) -> None:
    r = await client.get("/staff")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/staff"
    api = await client.get("/api/v1/me")
    assert api.status_code == 401
    assert api.json()["code"] == "login_required"
    assert api.json()["message"] == {"zh": "请先登录。", "en": "Please log in first."}


async def test_admin_grants_and_revokes_a_role_and_both_are_audited(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    dept = await _dept(session, "xzsp", "370203")
    await login(client, "admin")
    page = await client.get("/admin")
    assert page.status_code == 200
    r = await client.post(
        "/admin/assignments",
        data={
            "login": "13800000001",
            "department_id": str(dept),
            "role": "reviewer",
            "region_code": "",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert r.status_code == 303
    grant = (
        await session.execute(
            select(AuditEvent)
            .where(AuditEvent.action == "staff.grant")
            .order_by(AuditEvent.seq.desc())
            .limit(1)
        )
    ).scalar_one()
    assert grant.details["role"] == "reviewer" and grant.details["region"] == "370203"
    page = await client.get("/admin")
    revoke = await client.post(
        f"/admin/assignments/{grant.details['assignment']}/revoke",
        data={"csrf_token": csrf_from(page.text)},
    )
    assert revoke.status_code == 303
    last = (
        await session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    ).scalar_one()
    assert last.action == "staff.revoke"


async def test_grant_outside_the_departments_region_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    dept = await _dept(session, "xzsp", "370202")
    await login(client, "admin")
    page = await client.get("/admin")
    r = await client.post(
        "/admin/assignments",
        data={
            "login": "13800000001",
            "department_id": str(dept),
            "role": "clerk",
            "region_code": "370203",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert r.status_code == 422 and "管辖区域必须在部门所在区域之内" in r.text


async def test_grid_worker_scope_is_the_street(client: httpx.AsyncClient) -> None:
    await login(client, "grid.badaguan")
    me = (await client.get("/api/v1/me")).json()
    assert me["grants"] == [
        {
            "role": "grid_worker",
            "department_id": me["grants"][0]["department_id"],
            "region_code": "370202010",
        }
    ]
