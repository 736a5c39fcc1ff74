"""The applicant follows the case: his application's page changes by itself when staff act on
it, without a reload (the acceptance point of the 办件 workflow)."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, select

from tests.e2e.test_browser import CITIZEN, log_in
from tests.files import samples
from tests.forms import flow
from tests.support import csrf_from
from yiwang.accounts.demo import DEMO_PASSWORD
from yiwang.accounts.models import Enterprise
from yiwang.db import sync_url

pytestmark = pytest.mark.e2e

# The login tests lock 127.0.0.1 out on purpose; these people come from elsewhere.
CITIZEN_ADDRESS, CLERK_ADDRESS = "192.0.2.61", "192.0.2.62"
# The page asks every 5 s; a change must show within two rounds and some slack.
APPEAR_MS = 15_000


def logged_in(base: str, login: str, address: str) -> tuple[httpx.Client, dict[str, str]]:
    c = httpx.Client(base_url=base, headers={"X-Forwarded-For": address}, timeout=10.0)
    page = c.get("/login").text
    r = c.post(
        "/login", data={"login": login, "password": DEMO_PASSWORD, "csrf_token": csrf_from(page)}
    )
    assert r.status_code == 303, r.text
    return c, {"X-CSRF-Token": csrf_from(c.get("/").text)}


def submit(base: str, database_url: str) -> str:
    """The demo citizen's restaurant application, through the API as tests/forms/flow does."""
    engine = create_engine(sync_url(database_url))
    with engine.connect() as conn:
        shop = conn.execute(select(Enterprise.id).where(Enterprise.name == flow.SHOP)).scalar_one()
    engine.dispose()
    c, headers = logged_in(base, CITIZEN, CITIZEN_ADDRESS)
    body = {"scenario": flow.SCENARIO, "answers": flow.ANSWERS, "enterprise_id": shop}
    draft = c.post("/api/v1/drafts", json={**body, "values": flow.values()}, headers=headers)
    assert draft.status_code == 201, draft.text
    got = draft.json()
    for m in got["materials"]:
        if m["required"] and not m["attached"]:
            r = c.post(
                f"/api/v1/drafts/{got['id']}/materials/{m['key']}",
                files={"file": ("plan.pdf", samples.pdf(), "application/pdf")},
                headers=headers,
            )
            assert r.status_code == 201, r.text
    done = c.post(
        f"/api/v1/drafts/{got['id']}/submit", headers={**headers, "Idempotency-Key": "e2e-live"}
    )
    assert done.status_code == 201, done.text
    c.close()
    return str(done.json()["number"])


def test_the_applicants_page_follows_the_case_without_a_reload(
    page: Page, live_server: str, live_database_url: str
) -> None:
    number = submit(live_server, live_database_url)
    page.set_extra_http_headers({"X-Forwarded-For": CITIZEN_ADDRESS})
    log_in(page, CITIZEN)
    expect(page.get_by_role("heading", level=1, name="我的")).to_be_visible()
    page.goto(f"/applications/{number}")
    status = page.locator("#status")
    expect(status).to_have_text("已提交")
    page.evaluate("window.__sameDocument = true")  # gone if the page were reloaded

    clerk, headers = logged_in(live_server, "clerk.shinan", CLERK_ADDRESS)
    steps = f"/api/v1/applications/{number}/steps"
    assert clerk.post(f"{steps}/assign", json={}, headers=headers).status_code == 200
    accepted = clerk.post(
        f"{steps}/accept", json={"opinion": "材料齐全，予以受理"}, headers=headers
    )
    assert accepted.status_code == 200, accepted.text
    expect(status).to_have_text("审查中", timeout=APPEAR_MS)
    timeline = page.get_by_role("list").filter(has_text="申请已受理")
    expect(timeline).to_contain_text("材料齐全，予以受理")
    expect(page.locator("#assignee")).to_have_text("赵敏")
    expect(page.locator("#due-on")).to_be_visible()

    asked = clerk.post(
        f"{steps}/request_correction", json={"opinion": "请补充说明"}, headers=headers
    )
    assert asked.status_code == 200, asked.text
    expect(status).to_have_text("待补正", timeout=APPEAR_MS)
    expect(page.locator("#due-on")).to_contain_text("计时暂停")
    assert page.evaluate("window.__sameDocument === true")
    clerk.close()
