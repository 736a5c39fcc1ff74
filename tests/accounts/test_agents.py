from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support import csrf_from, login
from yiwang.accounts.demo import ENTERPRISES
from yiwang.accounts.models import AgentAuthorisation, Enterprise
from yiwang.audit.models import AuditEvent
from yiwang.kit.timeutil import local_today


async def _enterprise_id(session: AsyncSession) -> int:
    company = ENTERPRISES[0].name
    return (await session.execute(select(Enterprise.id).filter_by(name=company))).scalar_one()


async def test_legal_rep_authorises_and_revokes_an_agent(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ent = await _enterprise_id(session)
    await login(client, "13800000002")
    page = await client.get(f"/me/enterprises/{ent}")
    assert page.status_code == 200 and "王强" in page.text
    until = (local_today() + dt.timedelta(days=30)).isoformat()
    r = await client.post(
        f"/me/enterprises/{ent}/agents",
        data={
            "login": "13800000001",
            "actions": ["apply", "view"],
            "valid_until": until,
            "csrf_token": csrf_from(page.text),
        },
    )
    assert r.status_code == 303
    page = await client.get(f"/me/enterprises/{ent}")
    assert "张伟" in page.text and until in page.text
    event = (
        await session.execute(
            select(AuditEvent)
            .where(AuditEvent.action == "agent.authorise")
            .order_by(AuditEvent.seq.desc())
            .limit(1)
        )
    ).scalar_one()
    assert event.details["actions"] == ["apply", "view"]

    auth_id = (
        await session.execute(
            select(AgentAuthorisation.id).order_by(AgentAuthorisation.id.desc()).limit(1)
        )
    ).scalar_one()
    revoke = await client.post(
        f"/me/enterprises/{ent}/agents/{auth_id}/revoke", data={"csrf_token": csrf_from(page.text)}
    )
    assert revoke.status_code == 303
    assert "张伟" not in (await client.get(f"/me/enterprises/{ent}")).text


async def test_bad_authorisation_reports_each_field_and_writes_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ent = await _enterprise_id(session)
    before = len((await session.execute(select(AgentAuthorisation.id))).all())
    await login(client, "13800000002")
    page = await client.get(f"/me/enterprises/{ent}")
    r = await client.post(
        f"/me/enterprises/{ent}/agents",
        data={
            "login": "13800000001",
            "valid_until": "2001-01-01",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert r.status_code == 422
    assert "请至少选择一项授权内容" in r.text and 'id="f-valid_until-error"' in r.text
    bad_date = await client.post(
        f"/me/enterprises/{ent}/agents",
        data={
            "login": "13800000001",
            "actions": "apply",
            "valid_until": "31/12/2026",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert bad_date.status_code == 422 and "2026-12-31" in bad_date.text
    assert len((await session.execute(select(AgentAuthorisation.id))).all()) == before


async def test_agent_sees_scope_but_cannot_manage_agents(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ent = await _enterprise_id(session)
    await login(client, "13800000003")
    page = await client.get(f"/me/enterprises/{ent}")
    assert page.status_code == 200 and "授权经办人" in page.text
    r = await client.post(
        f"/me/enterprises/{ent}/agents",
        data={
            "login": "13800000001",
            "actions": "apply",
            "valid_until": local_today().isoformat(),
            "csrf_token": csrf_from(page.text),
        },
    )
    assert r.status_code == 403


async def test_expired_authorisation_ends_acting_at_once(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ent = await _enterprise_id(session)
    await login(client, "13800000003")
    me = await client.get("/me")
    await client.post(
        "/me/act-for", data={"enterprise_id": str(ent), "csrf_token": csrf_from(me.text)}
    )
    assert (await client.get("/api/v1/me")).json()["acting_enterprise_id"] == ent
    await session.execute(
        update(AgentAuthorisation).values(
            valid_until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        )
    )
    await session.flush()
    assert (await client.get("/api/v1/me")).json()["acting_enterprise_id"] is None
    assert (await client.get(f"/me/enterprises/{ent}")).status_code == 403


async def test_stranger_cannot_see_the_enterprise(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ent = await _enterprise_id(session)
    await login(client, "13800000001")
    assert (await client.get(f"/me/enterprises/{ent}")).status_code == 403
    assert (await client.get("/me/enterprises/999999")).status_code == 404
