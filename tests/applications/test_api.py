"""The applications API: a case's state and its steps, with who may take them."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.applications.conftest import Client
from tests.forms import flow


async def test_steps_through_the_api_with_403_for_everyone_else(
    client: httpx.AsyncClient, session: AsyncSession, as_person: Client
) -> None:
    draft = await flow.ready(client, await flow.shop_id(session))
    number = (await draft.submit("api-steps")).json()["number"]
    url = f"/api/v1/applications/{number}"

    # Another citizen, a clerk of another district, a reviewer of another department.
    for name in ("13800000002", "clerk.shibei", "reviewer.cgj"):
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
    assert got["allowed_steps"] == ["request_correction", "assign"]
    material = draft.body["materials"][0]
    unknown = await clerk.post(
        f"{url}/steps/request_correction",
        json={"opinion": "x", "materials": ["no-such-material"]},
        headers=headers,
    )
    assert unknown.status_code == 422 and unknown.json()["field"] == "materials"
    r = await clerk.post(
        f"{url}/steps/request_correction",
        json={
            "opinion": "招牌效果图不清晰",
            "materials": [material["key"]],
            "fields": ["sign.text"],
        },
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
    assert last["details"] == {"fields": ["sign.text"], "materials": [material["key"]]}
    assert last["label"]["zh"] == "已告知补正"
    other, _ = await as_person("13800000002")
    assert (await other.get(url)).status_code == 404
    page = (await client.get(f"/applications/{number}")).text
    due = mine["deadline"]["due_on"]
    assert f'<dd id="due-on">{due} <span class="tag tag-paused">计时暂停' in page
    assert f"材料: {material['name']['zh']}" in page and "填写项: " in page
    assert "sign.text" not in page.split("<h2>办理进度</h2>")[1].split("</ol>")[0]
