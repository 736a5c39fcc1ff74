"""The applications API: a case's state and its steps, with who may take them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.forms import flow
from tests.support import app_client, form_token, login
from yiwang.accounts import service as accounts
from yiwang.app import create_app
from yiwang.applications.models import Application
from yiwang.config import get_settings
from yiwang.db import Database

Client = Callable[[str], Awaitable[tuple[httpx.AsyncClient, dict[str, str]]]]


@pytest.fixture
async def as_person(db: Database) -> AsyncIterator[Client]:
    """A logged-in client of its own for each demo login, with its CSRF header."""
    clients: list[httpx.AsyncClient] = []

    async def make(name: str) -> tuple[httpx.AsyncClient, dict[str, str]]:
        client = app_client(create_app(get_settings(), db))
        clients.append(client)
        assert (await login(client, name)).status_code == 303
        return client, {"X-CSRF-Token": await form_token(client)}

    yield make
    for c in clients:
        await c.aclose()


async def grant(
    session: AsyncSession, login_name: str, role: str, app: Application, region: str
) -> None:
    """A role in the receiving department (or its namesake in another district)."""
    person = await accounts.find_person_by_login(session, login_name)
    home = await accounts.get_department(session, app.department_id)
    dept = await accounts.department_by_code(session, home.code, region)
    assert person is not None
    await accounts.assign_role(
        session, by=None, person=person, department=dept, role=role, region_code=region
    )
    await session.commit()


async def test_steps_through_the_api_with_403_for_everyone_else(
    client: httpx.AsyncClient, session: AsyncSession, as_person: Client
) -> None:
    draft = await flow.ready(client, await flow.shop_id(session))
    number = (await draft.submit("api-steps")).json()["number"]
    app = (await session.execute(select(Application).filter_by(number=number))).scalar_one()
    await grant(session, "clerk.shinan", "clerk", app, "370202")
    await grant(session, "clerk.shibei", "clerk", app, "370203")
    url = f"/api/v1/applications/{number}"

    for name in ("13800000002", "clerk.shibei", "reviewer.shinan"):
        other, headers = await as_person(name)
        r = await other.post(f"{url}/steps/accept", json={}, headers=headers)
        assert r.status_code == 403, (name, r.text)
    clerk, headers = await as_person("clerk.shinan")
    wrong = await clerk.post(f"{url}/steps/conclude", json={}, headers=headers)
    assert wrong.status_code == 409 and wrong.json()["code"] == "bad_transition"
    assert set(wrong.json()["message"]) == {"zh", "en"}
    no_reason = await clerk.post(f"{url}/steps/refuse", json={"opinion": ""}, headers=headers)
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "opinion"
    unknown = await clerk.post(f"{url}/steps/approve_all", json={}, headers=headers)
    assert unknown.status_code == 422 and unknown.json()["field"] == "action"

    r = await clerk.post(f"{url}/steps/accept", json={"opinion": "材料齐全"}, headers=headers)
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["status"], got["exchange_code"]) == ("review", "8")
    assert got["status_label"] == {"zh": "审查中", "en": "Under review"}
    assert got["deadline"]["due_on"] and got["deadline"]["flag"] in ("ok", "near")
    assert got["allowed_steps"] == ["request_correction"]
    r = await clerk.post(
        f"{url}/steps/request_correction",
        json={"opinion": "招牌效果图不清晰", "materials": ["招牌效果图"], "fields": ["sign.text"]},
        headers=headers,
    )
    assert r.json()["deadline"]["flag"] == "paused"

    mine = (await client.get(url)).json()  # the applicant
    assert mine["status"] == "correction" and mine["allowed_steps"] == ["resubmit", "withdraw"]
    assert [(e["action"], e["exchange_code"]) for e in mine["timeline"]] == [
        ("submit", "1"),
        ("accept", "3"),
        ("request_correction", "6"),
    ]
    last = mine["timeline"][-1]
    assert last["opinion"] == "招牌效果图不清晰"
    assert last["details"] == {"fields": ["sign.text"], "materials": ["招牌效果图"]}
    assert last["label"]["zh"] == "已告知补正"
    other, _ = await as_person("13800000002")
    assert (await other.get(url)).status_code == 404
    page = (await client.get(f"/applications/{number}")).text
    due = mine["deadline"]["due_on"]
    assert f'<dd id="due-on">{due} <span class="tag tag-paused">计时暂停' in page
    assert "材料: 招牌效果图" in page and "填写项: " in page and "sign.text" not in page
