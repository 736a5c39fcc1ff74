from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support import app_client, csrf_from, form_token, login
from yiwang.accounts import sessions
from yiwang.audit.models import AuditEvent


async def test_login_sets_a_hardened_session_cookie_and_shows_my_page(
    client: httpx.AsyncClient,
) -> None:
    r = await login(client, "13800000001")
    assert r.status_code == 303 and r.headers["location"] == "/me"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("yiwang_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    me = await client.get("/me")
    assert me.status_code == 200
    assert "张伟" in me.text and "3702**********" in me.text
    assert "3 级" in me.text


async def test_login_by_id_number_works(client: httpx.AsyncClient) -> None:
    from tests.support import demo_id_numbers

    r = await login(client, demo_id_numbers()[0])
    assert r.status_code == 303


async def test_bad_password_names_the_field_and_is_audited(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    r = await login(client, "13800000001", "wrong-password-1")
    assert r.status_code == 422
    assert 'id="f-password-error"' in r.text and "登录名或密码错误" in r.text
    assert "yiwang_session" not in r.headers.get("set-cookie", "")
    events = (
        (await session.execute(select(AuditEvent.action).order_by(AuditEvent.seq.desc()).limit(1)))
        .scalars()
        .all()
    )
    assert events == ["login.failed"]


async def test_login_is_audited(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await login(client, "13800000001")
    last = (
        await session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    ).scalar_one()
    assert last.action == "login.succeeded" and last.details["method"] == "password"


async def test_five_failures_for_an_account_give_429_in_both_languages(
    client: httpx.AsyncClient,
) -> None:
    for _ in range(5):
        assert (await login(client, "13800000002", "nope-nope-1")).status_code == 422
    # Even the right password is refused while the limit holds.
    blocked = await login(client, "13800000002")
    assert blocked.status_code == 429
    assert "尝试次数过多" in blocked.text
    client.cookies.set("yiwang_lang", "en")
    again = await login(client, "13800000002")
    assert again.status_code == 429 and "Too many attempts" in again.text


async def test_failures_from_one_address_block_other_accounts(client: httpx.AsyncClient) -> None:
    for i in range(5):
        await login(client, f"1390000000{i}", "nope-nope-1")
    assert (await login(client, "13800000001")).status_code == 429


async def test_post_without_csrf_token_changes_nothing(client: httpx.AsyncClient) -> None:
    await client.get("/login")
    r = await client.post("/login", data={"login": "13800000001", "password": "qingdao2026"})
    assert r.status_code == 400
    assert "表单已失效" in r.text
    assert "yiwang_session" not in r.headers.get("set-cookie", "")


async def test_csrf_token_from_another_browser_is_refused(client: httpx.AsyncClient) -> None:
    token = await form_token(client, "/login")
    client.cookies.set("yiwang_csrf", "x" * 43)
    r = await client.post(
        "/login", data={"login": "13800000001", "password": "qingdao2026", "csrf_token": token}
    )
    assert r.status_code == 400


async def test_logout_ends_the_session(client: httpx.AsyncClient) -> None:
    await login(client, "13800000001")
    token = await form_token(client, "/me")
    r = await client.post("/logout", data={"csrf_token": token})
    assert r.status_code == 303
    me = await client.get("/me")
    assert me.status_code == 303 and me.headers["location"].startswith("/login")


async def test_open_redirect_after_login_is_refused(client: httpx.AsyncClient) -> None:
    page = await client.get("/login")
    r = await client.post(
        "/login",
        data={
            "login": "13800000001",
            "password": "qingdao2026",
            "next": "//evil.example/",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert r.headers["location"] == "/me"


async def test_password_change_ends_other_sessions(db: object, client: httpx.AsyncClient) -> None:
    from yiwang.app import create_app
    from yiwang.config import get_settings

    other = app_client(create_app(get_settings(), db))
    await login(other, "13800000001")
    assert (await other.get("/me")).status_code == 200
    await login(client, "13800000001")
    token = await form_token(client, "/me/password")
    short = await client.post(
        "/me/password",
        data={"current_password": "qingdao2026", "new_password": "short", "csrf_token": token},
    )
    assert short.status_code == 422 and "f-new_password-error" in short.text
    ok = await client.post(
        "/me/password",
        data={
            "current_password": "qingdao2026",
            "new_password": "new-secret-2026",
            "csrf_token": token,
        },
    )
    assert ok.status_code == 200
    assert (await client.get("/me")).status_code == 200
    assert (await other.get("/me")).status_code == 303
    await other.aclose()


async def test_register_matches_population_records_for_level_3(client: httpx.AsyncClient) -> None:
    from tests.support import demo_id_numbers

    token = await form_token(client, "/register")
    taken = await client.post(
        "/register",
        data={
            "name": "张伟",
            "id_number": demo_id_numbers()[0],
            "mobile": "13911112222",
            "password": "good-pass-2026",
            "csrf_token": token,
        },
    )
    assert taken.status_code == 409
    fresh = "370202199512120019"
    from yiwang.kit.identifiers import iso7064_mod11_2

    fresh = fresh[:17] + iso7064_mod11_2(fresh[:17])
    r = await client.post(
        "/register",
        data={
            "name": "新市民",
            "id_number": fresh,
            "mobile": "13911112222",
            "password": "good-pass-2026",
            "csrf_token": token,
        },
    )
    assert r.status_code == 303
    me = (await client.get("/api/v1/me")).json()
    assert me["trust_level"] == 2 and me["id_masked"] == fresh[:4] + "*" * 10 + fresh[-4:]


async def test_register_reports_every_bad_field_at_once(client: httpx.AsyncClient) -> None:
    token = await form_token(client, "/register")
    r = await client.post(
        "/register",
        data={
            "name": "",
            "id_number": "11010519491231002Y",
            "mobile": "12345",
            "password": "good-pass-2026",
            "csrf_token": token,
        },
    )
    assert r.status_code == 422
    for field in ("name", "id_number", "mobile"):
        assert f'id="f-{field}-error"' in r.text


async def test_trust_step_up_through_the_verifier(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await login(client, "13800000001")
    page = await client.get("/me/trust")
    challenge = page.text.split('class="challenge">')[1].split("<")[0]
    me = (await client.get("/api/v1/me")).json()
    bad = await client.post(
        "/me/trust",
        data={"method": "face", "response": "0" * 64, "csrf_token": csrf_from(page.text)},
    )
    assert bad.status_code == 422 and "f-response-error" in bad.text
    answer = sessions.verifiers()["certificate"].expected(me["id"], challenge)
    ok = await client.post(
        "/me/trust",
        data={"method": "certificate", "response": answer, "csrf_token": csrf_from(page.text)},
    )
    assert ok.status_code == 303
    assert (await client.get("/api/v1/me")).json()["trust_level"] == 5


async def test_agent_can_act_for_the_enterprise_and_others_cannot(
    client: httpx.AsyncClient,
) -> None:
    await login(client, "13800000003")
    me = await client.get("/me")
    assert "青岛海岸科技有限公司" in me.text
    ent_id = me.text.split('name="enterprise_id" value="')[1].split('"')[0]
    r = await client.post(
        "/me/act-for", data={"enterprise_id": ent_id, "csrf_token": csrf_from(me.text)}
    )
    assert r.status_code == 303
    assert (await client.get("/api/v1/me")).json()["acting_enterprise_id"] == int(ent_id)
    await client.post("/logout", data={"csrf_token": csrf_from((await client.get("/me")).text)})
    await login(client, "13800000001")
    page = await client.get("/me")
    denied = await client.post(
        "/me/act-for", data={"enterprise_id": ent_id, "csrf_token": csrf_from(page.text)}
    )
    assert denied.status_code == 403
