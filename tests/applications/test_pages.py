"""Staff pages: the inbox by department and region, steps taken through the case page's forms,
and the materials viewer."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tests.applications.conftest import Client
from tests.files import samples
from tests.forms import flow
from tests.support import csrf_from
from yiwang.applications import service
from yiwang.applications.models import Application
from yiwang.kit.timeutil import local_today


async def submitted(client: httpx.AsyncClient, session: AsyncSession, key: str) -> flow.Draft:
    draft = await flow.ready(client, await flow.shop_id(session))
    r = await draft.submit(key)
    assert r.status_code == 201
    draft.body["number"] = r.json()["number"]
    return draft


async def with_upload(
    client: httpx.AsyncClient, session: AsyncSession, key: str
) -> tuple[str, Application, str]:
    """A submitted application, and the key of a material the citizen uploaded to it."""
    number = (await submitted(client, session, key)).body["number"]
    app = (await session.execute(select(Application).filter_by(number=number))).scalar_one()
    return number, app, next(k for k, v in app.content["materials"].items() if "sha256" in v)


async def step(
    client: httpx.AsyncClient, number: str, name: str, data: dict[str, str | list[str]]
) -> httpx.Response:
    token = csrf_from((await client.get(f"/applications/{number}")).text)
    return await client.post(
        f"/applications/{number}/steps/{name}", data={"csrf_token": token, **data}
    )


async def test_the_inbox_holds_the_departments_cases_and_the_co_reviewed_ones(
    client: httpx.AsyncClient, session: AsyncSession, as_person: Client
) -> None:
    number = (await submitted(client, session, "inbox-scope")).body["number"]
    clerk, _ = await as_person("clerk.shinan")
    other_district, _ = await as_person("clerk.shibei")
    co_reviewer, _ = await as_person("reviewer.cgj")

    page = (await clerk.get("/staff/inbox")).text
    assert number in page and "已提交" in page and "未起算" in page
    assert number not in (await other_district.get("/staff/inbox")).text
    assert number not in (await co_reviewer.get("/staff/inbox")).text  # not accepted yet
    assert (await client.get("/staff/inbox")).status_code == 403  # the citizen

    assert (await step(clerk, number, "accept", {"opinion": ""})).status_code == 303
    row = (await co_reviewer.get("/staff/inbox")).text
    assert number in row and "并联审查" in row and "审查中" in row
    case = (await co_reviewer.get(f"/applications/{number}")).text
    assert "并联审查部门" in case and "待出具意见" in case
    assert 'action="/applications/' + number + '/steps/agree"' in case
    assert "/steps/approve" not in case  # not theirs to decide


async def test_steps_through_the_case_page_with_errors_beside_the_field(
    client: httpx.AsyncClient, session: AsyncSession, as_person: Client
) -> None:
    number = (await submitted(client, session, "inbox-steps")).body["number"]
    clerk, _ = await as_person("clerk.shinan")

    refused = await step(clerk, number, "refuse", {"opinion": "  "})
    assert refused.status_code == 422 and "请填写理由" in refused.text
    assert 'class="error-summary"' in refused.text and "已提交" in refused.text
    assert (await step(clerk, number, "assign", {})).status_code == 303  # take it oneself
    page = (await clerk.get(f"/applications/{number}")).text
    assert '<dd id="assignee">赵敏</dd>' in page
    mine = (await clerk.get("/staff/inbox?mine=1")).text
    assert number in mine
    assert number not in (await clerk.get("/staff/inbox?unassigned=1")).text

    other = await step(clerk, number, "assign", {"assignee_id": "999999"})
    assert other.status_code == 422 and "此人不承办本部门的案件" in other.text

    accepted = await step(clerk, number, "accept", {"opinion": "材料齐全"})
    assert accepted.status_code == 303
    page = (await clerk.get(f"/applications/{number}")).text
    assert "审查中" in page and "材料齐全" in page


async def test_deadline_filters_find_overdue_and_near_cases(
    client: httpx.AsyncClient, session: AsyncSession, as_person: Client
) -> None:
    number = (await submitted(client, session, "inbox-due")).body["number"]
    clerk, _ = await as_person("clerk.shinan")
    assert (await step(clerk, number, "accept", {})).status_code == 303
    today = local_today()
    await session.execute(
        update(Application)
        .where(Application.number == number)
        .values(due_on=today - dt.timedelta(days=3))
    )
    await session.commit()
    overdue = (await clerk.get("/staff/inbox?flag=overdue")).text
    assert number in overdue and "已超期" in overdue
    assert number not in (await clerk.get("/staff/inbox?flag=near")).text
    assert number not in (await clerk.get("/staff/inbox?flag=paused")).text


async def test_materials_open_inline_for_those_who_may_read_the_case(
    client: httpx.AsyncClient, session: AsyncSession, as_person: Client
) -> None:
    number, _app, key = await with_upload(client, session, "inbox-files")
    url = f"/applications/{number}/materials/{key}"
    r = await client.get(url)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"].startswith("inline;")
    assert r.headers["content-security-policy"] == "sandbox"
    assert f'href="{url}"' in (await client.get(f"/applications/{number}")).text
    clerk, _ = await as_person("clerk.shinan")
    assert (await clerk.get(url)).status_code == 200
    stranger, _ = await as_person("13800000002")
    assert (await stranger.get(url)).status_code == 404
    assert (await client.get(f"/applications/{number}/materials/nothing")).status_code == 404


async def test_an_open_case_polls_its_progress_and_a_closed_one_stops(
    client: httpx.AsyncClient, session: AsyncSession, as_person: Client
) -> None:
    number = (await submitted(client, session, "inbox-poll")).body["number"]
    page = (await client.get(f"/applications/{number}")).text
    assert f'hx-get="/applications/{number}/progress" hx-trigger="every 5s"' in page
    assert 'role="status"' not in page
    confirm = (await client.get(f"/applications/{number}?submitted=1")).text
    assert '<div class="panel-confirm" role="status">' in confirm and number in confirm
    part = await client.get(f"/applications/{number}/progress")
    assert part.status_code == 200 and "<html" not in part.text
    assert '<span class="tag" id="status">已提交</span>' in part.text
    stranger, _ = await as_person("13800000002")
    assert (await stranger.get(f"/applications/{number}/progress")).status_code == 404
    assert (await step(client, number, "withdraw", {"opinion": ""})).status_code == 303
    closed = (await client.get(f"/applications/{number}/progress")).text
    assert 'id="status">已撤回<' in closed and "hx-trigger" not in closed


async def test_the_applicant_fixes_exactly_what_was_asked_in_place(
    client: httpx.AsyncClient, session: AsyncSession, as_person: Client
) -> None:
    number, app, key = await with_upload(client, session, "inbox-fix")
    old_file = app.content["materials"][key]["sha256"]
    clerk, _ = await as_person("clerk.shinan")
    reviewer, headers = await as_person("reviewer.shinan")
    assert (await step(clerk, number, "accept", {})).status_code == 303
    asked = await reviewer.post(
        f"/api/v1/applications/{number}/steps/request_correction",
        json={"opinion": "招牌文字与效果图不符", "fields": ["sign.text"], "materials": [key]},
        headers=headers,
    )
    assert asked.status_code == 200, asked.text

    page = (await client.get(f"/applications/{number}")).text
    assert 'name="value.sign.text" value="张记海鲜"' in page and f'name="file.{key}"' in page
    no_file = await step(client, number, "resubmit", {"value.sign.text": "张记海鲜酒家"})
    assert no_file.status_code == 422 and "请重新提交此材料" in no_file.text
    assert 'id="status">待补正<' in no_file.text
    csrf = csrf_from((await client.get(f"/applications/{number}")).text)
    api = await client.post(
        f"/api/v1/applications/{number}/steps/resubmit", json={}, headers={"X-CSRF-Token": csrf}
    )
    assert api.status_code == 422 and api.json()["field"] == "corrections"

    fixed = await client.post(
        f"/applications/{number}/steps/resubmit",
        data={"csrf_token": csrf, "value.sign.text": "张记海鲜酒家"},
        files={f"file.{key}": ("新效果图.pdf", samples.pdf(), "application/pdf")},
    )
    assert fixed.status_code == 303, fixed.text
    await session.refresh(app)
    assert app.status == "review" and app.content["values"]["sign.text"] == "张记海鲜酒家"
    assert app.content["materials"][key]["name"] == "新效果图.pdf"
    last = (await service.timeline(session, app.id))[-1]
    assert last.action == "resubmit"
    assert last.details["corrections"]["values"]["sign.text"] == {
        "before": "张记海鲜",
        "after": "张记海鲜酒家",
    }
    assert last.details["corrections"]["materials"][key]["before"] == old_file
