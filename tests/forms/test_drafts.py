"""Drafts through the API: what the platform fills and where from, what the applicant may change,
and how bad input is refused without storing anything."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.files import samples
from tests.forms import flow
from tests.support import csrf_from, login
from yiwang.files.models import StoredFile
from yiwang.forms.models import Draft


def by_code(body: dict) -> dict[str, dict]:  # type: ignore[type-arg]
    return {f["code"]: f for f in body["fields"]}


async def test_platform_fills_identity_and_enterprise_data_with_sources(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    draft = await flow.start(client, await flow.shop_id(session), with_values=False)
    fields = by_code(draft.body)
    name = fields["ent.name"]
    assert name["value"] == flow.SHOP and name["fill"] == "auto" and name["read_only"]
    assert name["source"]["database"] and name["source"]["record"]
    assert name["source"]["grade"] == "A" and name["source"]["fetched_at"]
    # The agent's own identity comes from the account, masked.
    assert fields["agent.name"]["value"] == "张伟"
    assert "*" in fields["agent.id_number"]["value"]
    # 选择填: the premises address is offered from the property and licence records.
    address = fields["premises.address"]
    assert address["fill"] == "choose" and len(address["offers"]) >= 2
    assert "青岛市市南区闽江路118号网点" in address["offers"]
    # Materials the platform holds are attached and need not be uploaded.
    licence = next(m for m in draft.body["materials"] if m["name"]["zh"] == "营业执照")
    assert licence["attached"] and licence["from_platform"]
    assert draft.body["fill_free"]["rate"] >= 0.7


def first_path(tree: dict) -> list[int]:  # type: ignore[type-arg]
    """The answers that always take the first choice, to an outcome."""
    answers, qid = [], tree["start"]
    while True:
        choice = tree["questions"][qid]["choices"][0]
        answers.append(0)
        if choice.get("outcome"):
            return answers
        qid = choice["next"]


async def test_a_person_applying_for_themselves_gets_their_own_identity(
    client: httpx.AsyncClient,
) -> None:
    tree = (await client.get("/api/v1/forms/newborn")).json()["ui"]["tree"]
    await login(client, flow.CITIZEN)
    token = csrf_from((await client.get("/")).text)
    r = await client.post(
        "/api/v1/drafts",
        json={"scenario": "newborn", "answers": first_path(tree)},
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["applicant_kind"] == "person"
    filled = [f for f in body["fields"] if f["fill"] == "auto" and f["value"]]
    assert filled and all(f["source"]["grade"] in "AB" for f in filled)
    assert not any(f["code"].startswith("ent.") for f in body["fields"])
    assert "张伟" in {f["value"] for f in filled}


async def test_saved_values_come_back_on_another_device(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    draft = await flow.start(client, await flow.shop_id(session))
    r = await client.patch(
        f"/api/v1/drafts/{draft.id}", json={"values": {"sign.text": "张记"}}, headers=draft.headers
    )
    assert r.status_code == 200
    # A second login (another phone) sees the same draft and values.
    async with httpx.AsyncClient(transport=client._transport, base_url=client.base_url) as other:
        await login(other, flow.CITIZEN)
        again = await other.get(f"/api/v1/drafts/{draft.id}")
        assert again.status_code == 200
        fields = by_code(again.json())
        assert fields["sign.text"]["value"] == "张记"
        assert fields["sign.text"]["source"]["grade"] == "D"
        assert fields["premises.area"]["value"] == 86.4


async def test_platform_filled_values_cannot_be_overwritten(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    draft = await flow.start(client, await flow.shop_id(session))
    r = await client.patch(
        f"/api/v1/drafts/{draft.id}",
        json={"values": {"ent.name": "别的名字", "sign.text": "改了"}},
        headers=draft.headers,
    )
    assert r.status_code == 422
    err = r.json()
    fields = {e["field"] for e in err.get("errors", [err])}
    assert "ent.name" in fields
    fresh = by_code((await client.get(f"/api/v1/drafts/{draft.id}")).json())
    assert fresh["ent.name"]["value"] == flow.SHOP
    assert fresh["sign.text"]["value"] == "张记海鲜", "nothing of a refused request is saved"


async def test_schema_violations_name_the_field_in_both_languages(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    draft = await flow.start(client, await flow.shop_id(session))
    bad = {"premises.area": "lots", "sign.form": "roof", "no.such": 1}
    r = await client.patch(
        f"/api/v1/drafts/{draft.id}", json={"values": bad}, headers=draft.headers
    )
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert {e["field"] for e in errors} >= {"premises.area", "sign.form", "no.such"}
    for e in errors:
        assert (
            e["message"]["zh"] and e["message"]["en"] and e["message"]["zh"] != e["message"]["en"]
        )
    fresh = by_code((await client.get(f"/api/v1/drafts/{draft.id}")).json())
    assert fresh["premises.area"]["value"] == 86.4 and fresh["sign.form"]["value"] == "wall"


async def test_malformed_json_is_a_clear_422(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    before = await session.scalar(select(func.count()).select_from(Draft))
    await login(client, flow.CITIZEN)
    token = csrf_from((await client.get("/")).text)
    r = await client.post(
        "/api/v1/drafts",
        content=b'{"scenario": "open-restaurant", "answers": [2,',
        headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
    )
    assert r.status_code == 422
    assert r.json()["message"]["zh"]
    assert await session.scalar(select(func.count()).select_from(Draft)) == before


async def test_wrong_answers_are_refused(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await login(client, flow.CITIZEN)
    token = csrf_from((await client.get("/")).text)
    r = await client.post(
        "/api/v1/drafts",
        json={"scenario": "open-restaurant", "answers": [9]},
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 422 and r.json()["field"] == "q0"


async def test_only_the_owner_sees_a_draft(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    draft = await flow.start(client, await flow.shop_id(session))
    async with httpx.AsyncClient(transport=client._transport, base_url=client.base_url) as other:
        await login(other, "13800000002")
        assert (await other.get(f"/api/v1/drafts/{draft.id}")).status_code == 404
        token = csrf_from((await other.get("/")).text)
        r = await other.post(
            f"/api/v1/drafts/{draft.id}/submit",
            headers={"X-CSRF-Token": token, "Idempotency-Key": "steal-1"},
        )
        assert r.status_code == 404


async def test_an_enterprise_the_person_may_not_act_for_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await login(client, "13800000003")  # 王强 is the company's agent, not the shop's
    token = csrf_from((await client.get("/")).text)
    r = await client.post(
        "/api/v1/drafts",
        json={
            "scenario": flow.SCENARIO,
            "answers": flow.ANSWERS,
            "enterprise_id": await flow.shop_id(session),
        },
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 403


async def test_uploads_are_checked_by_content_and_refusals_store_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    draft = await flow.start(client, await flow.shop_id(session))
    key = draft.material("经营场所平面图")
    url = f"/api/v1/drafts/{draft.id}/materials/{key}"
    files_before = await session.scalar(select(func.count()).select_from(StoredFile))
    cases = [
        (("plan.pdf", samples.windows_program(), "application/pdf"), 415),
        (("plan.png", samples.png_bomb(), "image/png"), 422),
        (("plan.pdf", b"%PDF-1.7\n" + b"0" * 11_000_000, "application/pdf"), 413),
    ]
    for upload, status in cases:
        r = await client.post(url, files={"file": upload}, headers=draft.headers)
        assert r.status_code == status, (upload[0], r.text)
        err = r.json()
        assert err["field"] == f"materials.{key}"
        assert err["message"]["zh"] and err["message"]["en"]
    assert await session.scalar(select(func.count()).select_from(StoredFile)) == files_before
    body = (await client.get(f"/api/v1/drafts/{draft.id}")).json()
    assert not next(m for m in body["materials"] if m["key"] == key)["attached"]
    ok = await client.post(
        url, files={"file": ("any-name.bin", samples.pdf(3), "x/y")}, headers=draft.headers
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["mime"] == "application/pdf" and ok.json()["pages"] == 3
    assert await session.scalar(select(func.count()).select_from(StoredFile)) == files_before + 1
    # A material the platform supplies cannot be replaced or removed.
    licence = draft.material("营业执照")
    r = await client.delete(f"/api/v1/drafts/{draft.id}/materials/{licence}", headers=draft.headers)
    assert r.status_code == 404


async def test_data_usage_lists_what_prefill_read_for_the_subject(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    shop = await flow.shop_id(session)
    await flow.start(client, shop, with_values=False)
    r = await client.get("/api/v1/me/data-usage", params={"enterprise_id": shop})
    assert r.status_code == 200
    lines = r.json()
    assert lines and all(line["purpose"] == "prefill" for line in lines)
    used = {e["code"] for line in lines for e in line["elements"]}
    assert any(code.startswith("legal_person.") for code in used)
    assert {line["used_by"] for line in lines} == {"张伟"}
    # Someone who may not act for the shop cannot read its usage.
    async with httpx.AsyncClient(transport=client._transport, base_url=client.base_url) as other:
        await login(other, "13800000002")
        denied = await other.get("/api/v1/me/data-usage", params={"enterprise_id": shop})
        assert denied.status_code == 404
