"""The form as pages: apply from the scenario, autosave with inline findings, review and submit
without JavaScript, and the lists that follow."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.files import samples
from tests.forms import flow
from tests.support import csrf_from, login
from yiwang.forms.models import Draft

WRONG_ID = "370202198405129781"  # 王欣's number with the wrong check character


def findings_box(html: str, code: str) -> str:
    dom = "f-" + code.replace(".", "-")
    match = re.search(rf'<div id="{dom}-findings"[^>]*>(.*?)</div>', html, re.S)
    assert match, f"no findings box for {code}"
    return match.group(1)


async def apply(client: httpx.AsyncClient, session: AsyncSession) -> str:
    """Apply for the shop from the scenario page; the new draft's page address."""
    await login(client, flow.CITIZEN)
    params = [("a", str(a)) for a in flow.ANSWERS]
    page = await client.get(f"/scenarios/{flow.SCENARIO}", params=params)
    assert flow.SHOP in page.text, "the shop is offered as an applicant"
    shop = await flow.shop_id(session)
    r = await client.post(
        f"/scenarios/{flow.SCENARIO}/apply",
        data={
            "a": [str(a) for a in flow.ANSWERS],
            "applicant": str(shop),
            "csrf_token": csrf_from(page.text),
        },
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/drafts/")
    return r.headers["location"]


async def test_draft_page_shows_filled_data_with_sources(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    url = await apply(client, session)
    page = await client.get(url)
    assert page.status_code == 200
    for expected in (flow.SHOP, "92370202MA3D7K2H98", "法人基础信息", "张伟", "营业执照", "免提交"):
        assert expected in page.text, expected
    # The platform-filled values are shown, not offered as inputs.
    assert 'name="ent.name"' not in page.text
    assert 'name="sign.text"' in page.text


async def test_autosave_answers_with_inline_findings(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    url = await apply(client, session)
    page = await client.get(url)
    token = csrf_from(page.text)
    headers = {"HX-Request": "true", "X-CSRF-Token": token}
    r = await client.post(
        f"{url}/autosave",
        data={"food.manager_name": "王欣", "food.manager_id": WRONG_ID},
        headers=headers,
    )
    assert r.status_code == 200
    box = findings_box(r.text, "food.manager_id")
    assert "校验码" in box and 'hx-swap-oob="true"' in r.text
    assert WRONG_ID not in r.text
    fixed = await client.post(
        f"{url}/autosave",
        data={"food.manager_name": "王欣", "food.manager_id": "37020219840512978X"},
        headers=headers,
    )
    assert "校验码" not in findings_box(fixed.text, "food.manager_id")
    # A word where a number goes is refused beside the field, and not saved.
    bad = await client.post(f"{url}/autosave", data={"premises.area": "很大"}, headers=headers)
    box = findings_box(bad.text, "premises.area")
    assert "数字" in box and "必填" not in box
    draft_id = url.rsplit("/", 1)[1]
    values = await session.scalar(select(Draft.values).filter_by(id=draft_id))
    assert values is not None and "premises.area" not in values


async def test_review_and_submit_without_javascript(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    url = await apply(client, session)
    page = await client.get(url)
    form: dict[str, str | list[str]] = {
        code: [str(v) for v in value] if isinstance(value, list) else str(value)
        for code, value in flow.values().items()
    }
    # The offered premises address is picked, as its radio button is on the page.
    form |= {"premises.address": "青岛市市南区闽江路118号网点"}
    form |= {"csrf_token": csrf_from(page.text), "action": "review"}
    saved = await client.post(url, data=form)
    assert saved.status_code == 303 and saved.headers["location"].endswith("/review")
    review = await client.get(saved.headers["location"])
    assert "经营场所平面图" in review.text
    # Before the uploads there is nothing to submit, and a forced submission shows what blocks.
    assert "idempotency_key" not in review.text and "返回修改" in review.text
    blocked = await client.post(
        f"{url}/submit", data={"csrf_token": csrf_from(review.text), "idempotency_key": "k-1"}
    )
    assert blocked.status_code == 200 and "经营场所平面图" in blocked.text
    draft = await client.get(url)
    for m in re.findall(r'action="(/drafts/[^"]+/materials/[^"/]+)"', draft.text):
        r = await client.post(
            m,
            data={"csrf_token": csrf_from(draft.text)},
            files={"file": ("plan.pdf", samples.pdf(), "application/pdf")},
        )
        assert r.status_code == 303, r.text
    review = await client.get(f"{url}/review")
    key = re.search(r'name="idempotency_key" value="([^"]+)"', review.text)
    assert key, re.findall(r'<li class="finding[^>]*>(.*?)</li>', review.text)
    done = await client.post(
        f"{url}/submit",
        data={"csrf_token": csrf_from(review.text), "idempotency_key": key.group(1)},
    )
    assert done.status_code == 303, done.text
    number = done.headers["location"].split("/")[2].split("?")[0]
    # The same page submitted again (a double click) lands on the same application.
    twice = await client.post(
        f"{url}/submit",
        data={"csrf_token": csrf_from(review.text), "idempotency_key": key.group(1)},
    )
    assert twice.headers["location"] == done.headers["location"]
    shown = await client.get(done.headers["location"])
    assert number in shown.text and "已提交" in shown.text
    mine = await client.get("/me/applications")
    assert number in mine.text
    usage = await client.get(f"/me/data-usage?enterprise={await flow.shop_id(session)}")
    assert number in usage.text and "法人基础信息" in usage.text


async def test_a_bad_upload_is_explained_on_the_page(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    url = await apply(client, session)
    draft = await client.get(url)
    action = re.findall(r'action="(/drafts/[^"]+/materials/[^"/]+)"', draft.text)[0]
    r = await client.post(
        action,
        data={"csrf_token": csrf_from(draft.text)},
        files={"file": ("plan.pdf", samples.windows_program(), "application/pdf")},
    )
    assert r.status_code == 415 and "PDF" in r.text


async def test_someone_elses_draft_and_application_are_not_found(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    draft = await flow.ready(client, await flow.shop_id(session))
    number = (await draft.submit("mine-1")).json()["number"]
    async with httpx.AsyncClient(transport=client._transport, base_url=client.base_url) as other:
        await login(other, "13800000002")
        assert (await other.get(f"/drafts/{draft.id}")).status_code == 404
        assert (await other.get(f"/applications/{number}")).status_code == 404
        assert number not in (await other.get("/me/applications")).text


async def test_admin_sees_every_form_with_its_fill_free_rate(
    client: httpx.AsyncClient,
) -> None:
    await login(client, "admin")
    page = await client.get("/admin/forms")
    assert page.status_code == 200
    assert "开办餐饮店" in page.text and "%" in page.text
    detail = await client.get("/admin/forms/open-restaurant")
    assert detail.status_code == 200 and "招牌文字内容" in detail.text
    await login(client, flow.CITIZEN)
    assert (await client.get("/admin/forms")).status_code == 403
