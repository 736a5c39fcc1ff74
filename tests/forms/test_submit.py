"""Pre-check and submission: findings while filling in, one application per idempotency key, and
nothing left behind when a submission fails."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.forms import flow
from yiwang.applications import service as applications
from yiwang.applications import workflow
from yiwang.applications.models import Application, ApplicationEvent
from yiwang.audit.models import AuditEvent
from yiwang.files.models import StoredFile
from yiwang.forms.models import Draft
from yiwang.notify import service as outbox
from yiwang.notify.models import OutboxMessage
from yiwang.registry.models import DataUsage


async def precheck(draft: flow.Draft) -> dict[str, Any]:
    r = await draft.client.post(f"/api/v1/drafts/{draft.id}/precheck", headers=draft.headers)
    assert r.status_code == 200, r.text
    return r.json()


def findings_on(result: dict[str, Any], field: str) -> list[dict[str, Any]]:
    return [f for f in result["findings"] if f["field"] == field]


async def test_a_ready_draft_passes_the_precheck(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    draft = await flow.ready(client, await flow.shop_id(session))
    result = await precheck(draft)
    assert result["can_submit"], result["findings"]
    assert result["counts"]["block"] == 0


async def test_missing_fields_and_materials_block(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    draft = await flow.start(client, await flow.shop_id(session), with_values=False)
    result = await precheck(draft)
    assert not result["can_submit"]
    required = {f["field"] for f in result["findings"] if f["code"] == "required"}
    assert {"premises.area", "sign.text", "food.manager_id"} <= required
    missing = [f for f in result["findings"] if f["field"].startswith("materials.")]
    assert {f["severity"] for f in missing} == {"block"}
    assert len(missing) == 5, "five materials must be uploaded; the others the platform holds"


@pytest.mark.parametrize(
    ("update", "field", "code", "severity"),
    [
        (
            {"food.manager_id": "370202198405129781"},
            "food.manager_id",
            "format_bad_check_character",
            "block",
        ),
        ({"food.manager_name": "王心"}, "food.manager_name", "person_mismatch", "block"),
        ({"sign.install_date": "2020-01-01"}, "sign.install_date", "date_in_past", "block"),
        ({"premises.tenure": "lease"}, "premises.lease_end", "required_if", "block"),
        ({"sign.length": 400}, "sign.length", "out_of_range", "block"),
    ],
)
async def test_each_rule_names_its_field_in_both_languages(
    client: httpx.AsyncClient,
    session: AsyncSession,
    update: dict[str, Any],
    field: str,
    code: str,
    severity: str,
) -> None:
    draft = await flow.ready(client, await flow.shop_id(session))
    r = await client.patch(
        f"/api/v1/drafts/{draft.id}", json={"values": update}, headers=draft.headers
    )
    assert r.status_code == 200, r.text
    found = findings_on(await precheck(draft), field)
    assert [(f["code"], f["severity"]) for f in found] == [(code, severity)], found
    message = found[0]["message"]
    assert message["zh"] and message["en"] and message["zh"] != message["en"]


async def test_a_valid_id_not_in_the_population_records_warns(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    from yiwang.accounts.demo import resident_id

    draft = await flow.ready(client, await flow.shop_id(session))
    stranger = resident_id("370202", "19700101", 999)
    await client.patch(
        f"/api/v1/drafts/{draft.id}",
        json={"values": {"food.manager_id": stranger}},
        headers=draft.headers,
    )
    result = await precheck(draft)
    assert [f["code"] for f in findings_on(result, "food.manager_id")] == ["person_not_found"]
    assert result["can_submit"], "a warning does not block"


async def test_submission_creates_one_application_with_its_snapshot(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    draft = await flow.ready(client, await flow.shop_id(session))
    first = await draft.submit("click-1")
    assert first.status_code == 201, first.text
    got = first.json()
    assert applications.number_is_valid(got["number"]) and got["number"].startswith("370202")
    assert got["status"] == "submitted" and not got["replayed"]
    assert got["fields_free"] / got["fields_shown"] >= 0.7
    again = await draft.submit("click-1")
    assert again.status_code == 200
    assert again.json()["number"] == got["number"] and again.json()["replayed"]

    app = (await session.execute(select(Application).filter_by(number=got["number"]))).scalar_one()
    definition = (await client.get("/api/v1/forms/open-restaurant")).json()
    assert (app.definition_version, app.definition_checksum) == (
        definition["version"],
        definition["checksum"],
    )
    content = app.content
    assert content["values"]["ent.name"] == flow.SHOP
    assert content["provenance"]["ent.name"]["grade"] == "A"
    assert content["provenance"]["sign.text"]["grade"] == "D"
    assert "37020219840512978X" not in str(content), "ID numbers are kept sealed, not in clear"
    assert len(content["materials"]) >= 9
    assert await session.scalar(
        select(func.count()).select_from(OutboxMessage).filter_by(topic="application.submitted")
    )
    assert await session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .filter_by(action="application.submit", object=f"application:{app.number}")
    )
    events = (
        await session.execute(select(ApplicationEvent).filter_by(application_id=app.id))
    ).scalars()
    assert [e.status for e in events] == ["submitted"]
    usage = (
        await session.execute(select(DataUsage).filter_by(application_no=app.number))
    ).scalars()
    databases = {u.database_code for u in usage}
    assert len(databases) >= 2
    # The draft is closed: a new key cannot make a second application of it.
    other = await draft.submit("click-2")
    assert other.status_code == 409
    assert (
        await session.scalar(
            select(func.count()).select_from(Application).filter_by(draft_id=draft.id)
        )
        == 1
    )


async def test_a_key_used_for_another_draft_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    first = await flow.ready(client, await flow.shop_id(session))
    assert (await first.submit("same-key")).status_code == 201
    second = await flow.ready(client, await flow.shop_id(session))
    r = await second.submit("same-key")
    assert r.status_code == 409 and r.json()["field"] == "Idempotency-Key"
    assert (await second.submit("bad key with spaces")).status_code == 422
    no_key = await client.post(f"/api/v1/drafts/{second.id}/submit", headers=second.headers)
    assert no_key.status_code == 422 and no_key.json()["field"] == "Idempotency-Key"


async def counts(session: AsyncSession) -> tuple[int, ...]:
    return tuple(
        [
            int(await session.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Application, StoredFile, OutboxMessage, DataUsage, ApplicationEvent)
        ]
    )


async def test_a_failed_submission_leaves_nothing_behind(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    draft = await flow.start(client, await flow.shop_id(session))  # values, but no uploads
    before = await counts(session)
    r = await draft.submit("fails-1")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "precheck_failed"
    assert {e["field"] for e in body["errors"]} >= {f"materials.{draft.material('经营场所平面图')}"}
    assert await counts(session) == before
    status = await session.scalar(select(Draft.status).filter_by(id=draft.id))
    assert status == "open"


async def test_a_crash_inside_the_submission_rolls_all_of_it_back(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = await flow.ready(client, await flow.shop_id(session))
    before = await counts(session)

    async def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the outbox is unavailable")

    monkeypatch.setattr(outbox, "enqueue", broken)
    with pytest.raises(RuntimeError):
        await draft.submit("crash-1")
    assert await counts(session) == before
    monkeypatch.undo()
    retry = await draft.submit("crash-1")
    assert retry.status_code == 201, "the same key works once the fault is gone"
    assert (await counts(session))[0] == before[0] + 1


async def test_first_time_pass_rate_counts_applications_accepted_without_correction(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    from yiwang.accounts.authz import ROLE_GRANTS, Grant, Principal
    from yiwang.accounts.models import Person
    from yiwang.forms import stats
    from yiwang.kit.errors import Forbidden

    apps = []
    for key in ("pass-1", "pass-2"):
        draft = await flow.ready(client, await flow.shop_id(session))
        number = (await draft.submit(key)).json()["number"]
        q = select(Application).filter_by(number=number)
        apps.append((await session.execute(q)).scalar_one())
    one, two = apps
    clerk_id = int(await session.scalar(select(Person.id).filter_by(login="clerk.shinan")) or 0)

    # A clerk of the receiving department in the district, and one of another district.
    def clerk(region: str) -> Principal:
        grant = Grant("clerk", one.department_id, "", region, frozenset(ROLE_GRANTS["clerk"]))
        return Principal(clerk_id, "赵敏", 3, 0, grants=(grant,))

    with pytest.raises(Forbidden):
        await workflow.act(session, Principal(one.person_id, "张伟", 3, 0), one, "accept")
    with pytest.raises(Forbidden):
        await workflow.act(session, clerk("370203"), one, "accept")
    await workflow.act(session, clerk("370202"), one, "accept")
    await workflow.act(
        session, clerk("370202"), two, "request_correction", opinion="招牌效果图不清晰"
    )
    row = next(s for s in await stats.scenarios(session) if s.code == flow.SCENARIO)
    assert (row.decided, row.first_pass, row.first_pass_rate) == (2, 1, 0.5)
    assert row.submissions == 2 and row.observed_rate is not None and row.observed_rate >= 0.7
