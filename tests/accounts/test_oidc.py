"""OIDC login against a real provider: oidc-provider-mock (Flask) in a thread on loopback."""

from __future__ import annotations

import base64
import hashlib
import uuid
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import demo, oidc, service
from yiwang.accounts.models import Person
from yiwang.audit.models import AuditEvent
from yiwang.config import get_settings
from yiwang.kit.identifiers import mask_id
from yiwang.registry import service as registry
from yiwang.web.deps import SESSION_COOKIE

# The provider is built on Authlib's deprecated server API; its warnings are not ours to fix.
# authlib.deprecate installs an "always" filter when imported, so it goes first, then our "ignore".
with warnings.catch_warnings():
    import authlib.deprecate  # noqa: F401

    warnings.simplefilter("ignore", DeprecationWarning)
    from oidc_provider_mock import run_server_in_thread

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib")

CLIENT_ID = "yiwang-test"
NEW_ID = demo.resident_id("370202", "19950615", 123)  # not one of the demo people
NEW_NAME = "刘洋"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    # Any client id and secret are accepted (no registration); its issuer is http://localhost:PORT.
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def issuer(provider: str, monkeypatch: pytest.MonkeyPatch) -> str:
    s = get_settings()
    monkeypatch.setattr(s, "oidc_issuer", provider)
    monkeypatch.setattr(s, "oidc_client_id", CLIENT_ID)
    monkeypatch.setattr(s, "oidc_client_secret", "test-client-secret")
    # The test client's origin: the redirect_uri we send must be the one the provider sends back to.
    monkeypatch.setattr(s, "base_url", "http://testserver")
    return provider


async def authorise(
    client: httpx.AsyncClient,
    issuer: str,
    sub: str,
    claims: dict[str, Any] | None,
    next: str | None = None,
) -> httpx.URL:
    """Start at /login/oidc, consent at the provider as `sub`: the callback URL it sends us to."""
    async with httpx.AsyncClient(timeout=10) as op:
        if claims is not None:
            (await op.put(f"{issuer}/users/{sub}", json=claims)).raise_for_status()
        start = await client.get("/login/oidc", params={"next": next} if next else None)
        assert start.status_code == 303
        location = start.headers["location"]
        assert location.startswith(f"{issuer}/oauth2/authorize?")
        consent = await op.post(location, data={"sub": sub})
        assert consent.status_code == 302, consent.text
        back = httpx.URL(consent.headers["location"])
        assert str(back).startswith("http://testserver/login/oidc/callback?")
        return back


async def log_in(
    client: httpx.AsyncClient,
    issuer: str,
    sub: str,
    claims: dict[str, Any] | None,
    next: str | None = None,
) -> httpx.Response:
    return await client.get(str(await authorise(client, issuer, sub, claims, next)))


async def put_population_record(session: AsyncSession, number: str, name: str) -> None:
    await registry.put_record(
        session,
        registry.POPULATION,
        service.hash_id(number),
        {"name": name, "region": number[:6], "birth_date": number[6:14]},
    )
    await session.commit()


async def failures(session: AsyncSession) -> list[dict[str, Any]]:
    q = select(AuditEvent.details).where(AuditEvent.action == "login.oidc_failed")
    return list((await session.execute(q)).scalars())


def sub() -> str:
    return f"user-{uuid.uuid4().hex}"


async def test_start_redirects_with_pkce_and_a_signed_flow_cookie(
    client: httpx.AsyncClient,
    issuer: str,
) -> None:
    start = await client.get("/login/oidc", params={"next": "/me/trust"})
    assert start.status_code == 303
    url = httpx.URL(start.headers["location"])
    q = url.params
    assert q["response_type"] == "code"
    assert q["client_id"] == CLIENT_ID
    assert q["scope"] == "openid profile"
    assert q["redirect_uri"] == "http://testserver/login/oidc/callback"
    assert q["code_challenge_method"] == "S256"
    cookie = start.headers["set-cookie"]
    assert cookie.startswith(f"{oidc.FLOW_COOKIE}=")
    for attribute in ("HttpOnly", "SameSite=lax", "Max-Age=600", "Path=/login/oidc"):
        assert attribute in cookie
    flow = URLSafeTimedSerializer(get_settings().secret(), salt=oidc.FLOW_SALT).loads(
        start.cookies[oidc.FLOW_COOKIE]
    )
    assert (flow["state"], flow["nonce"], flow["next"]) == (q["state"], q["nonce"], "/me/trust")
    challenge = base64.urlsafe_b64encode(hashlib.sha256(flow["verifier"].encode()).digest())
    assert q["code_challenge"] == challenge.rstrip(b"=").decode()


async def test_login_creates_a_person_at_trust_level_3(
    client: httpx.AsyncClient,
    issuer: str,
    session: AsyncSession,
) -> None:
    await put_population_record(session, NEW_ID, NEW_NAME)
    back = await log_in(
        client, issuer, sub(), {"name": NEW_NAME, "id_number": NEW_ID}, next="/me/trust"
    )
    assert back.status_code == 303
    assert back.headers["location"] == "/me/trust"
    assert back.cookies.get(SESSION_COOKIE)
    me = await client.get("/api/v1/me")
    assert me.status_code == 200
    body = me.json()
    assert body["name"] == NEW_NAME
    assert body["id_masked"] == mask_id(NEW_ID)
    assert NEW_ID not in me.text
    assert body["trust_level"] == 3
    person = await session.get(Person, body["id"])
    assert person is not None
    assert person.password_hash is None
    assert person.oidc_subject is not None
    assert person.oidc_subject.startswith(f"{issuer}|user-")


async def test_second_login_finds_the_same_person(
    client: httpx.AsyncClient,
    issuer: str,
    session: AsyncSession,
) -> None:
    await put_population_record(session, NEW_ID, NEW_NAME)
    subject, claims = sub(), {"name": NEW_NAME, "id_number": NEW_ID}
    await log_in(client, issuer, subject, claims)
    first = (await client.get("/api/v1/me")).json()["id"]
    client.cookies.clear()
    again = await log_in(client, issuer, subject, claims, next="https://evil.example/")
    assert again.headers["location"] == "/me"  # an off-site next is dropped
    assert (await client.get("/api/v1/me")).json()["id"] == first
    q = select(func.count()).select_from(Person).where(Person.oidc_subject == f"{issuer}|{subject}")
    assert (await session.execute(q)).scalar_one() == 1


async def test_login_links_an_existing_person_by_id_number(
    client: httpx.AsyncClient,
    issuer: str,
    session: AsyncSession,
) -> None:
    citizen = await service.find_person_by_login(session, "13800000001")
    assert citizen is not None
    number = demo.resident_id("370202", "19880512", 31)
    await log_in(client, issuer, sub(), {"name": citizen.name, "id_number": number})
    body = (await client.get("/api/v1/me")).json()
    assert body["id"] == citizen.id
    assert body["id_masked"] == mask_id(number)
    assert body["trust_level"] == 3


async def test_tampered_state_fails_with_the_error_page_and_no_session(
    client: httpx.AsyncClient,
    issuer: str,
    session: AsyncSession,
) -> None:
    back = await authorise(client, issuer, sub(), {"name": NEW_NAME, "id_number": NEW_ID})
    tampered = back.copy_set_param("state", back.params["state"][:-2] + "xx")
    response = await client.get(str(tampered), headers={"accept-language": "en"})
    assert response.status_code == 400
    assert "oidc_failed" in response.text
    assert "Logging in through the identity service did not succeed" in response.text
    assert SESSION_COOKIE not in response.cookies
    assert (await client.get("/api/v1/me")).status_code == 401
    assert [d["reason"] for d in await failures(session)] == ["bad_state"]
    q = select(func.count()).select_from(Person).where(Person.name == NEW_NAME)
    assert (await session.execute(q)).scalar_one() == 0


async def test_an_id_token_for_another_nonce_is_refused(
    client: httpx.AsyncClient,
    issuer: str,
    session: AsyncSession,
) -> None:
    back = await authorise(client, issuer, sub(), {"name": NEW_NAME, "id_number": NEW_ID})
    signer = URLSafeTimedSerializer(get_settings().secret(), salt=oidc.FLOW_SALT)
    flow = signer.loads(client.cookies[oidc.FLOW_COOKIE])
    forged = signer.dumps({**flow, "nonce": "not-the-nonce-we-sent"})
    client.cookies.clear()
    response = await client.get(str(back), headers={"cookie": f"{oidc.FLOW_COOKIE}={forged}"})
    assert response.status_code == 400
    assert SESSION_COOKIE not in response.cookies
    assert [d["reason"] for d in await failures(session)] == ["invalid_id_token"]


async def test_without_an_id_number_the_login_page_says_so(
    client: httpx.AsyncClient,
    issuer: str,
    session: AsyncSession,
) -> None:
    back = await authorise(client, issuer, sub(), {"name": NEW_NAME, "id_number": "12345"})
    response = await client.get(str(back), headers={"accept-language": "en"})
    assert response.status_code == 422
    assert "This identity provider did not give an ID number we can use." in response.text
    assert SESSION_COOKIE not in response.cookies
    assert [d["reason"] for d in await failures(session)] == ["oidc_no_id_number"]
    q = select(func.count()).select_from(Person).where(Person.oidc_subject.is_not(None))
    assert (await session.execute(q)).scalar_one() == 0


async def test_without_an_issuer_the_routes_do_not_exist(
    client: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(get_settings(), "oidc_issuer", "")
    assert (await client.get("/login/oidc")).status_code == 404
    assert (
        await client.get("/login/oidc/callback", params={"code": "x", "state": "y"})
    ).status_code == 404


async def test_a_denied_consent_is_a_failed_login(
    client: httpx.AsyncClient,
    issuer: str,
    session: AsyncSession,
) -> None:
    start = await client.get("/login/oidc")
    async with httpx.AsyncClient(timeout=10) as op:
        denied = await op.post(start.headers["location"], data={"action": "deny"})
    back = httpx.URL(denied.headers["location"])
    assert back.params["error"] == "access_denied"
    # RFC 6749 4.1.2.1 wants the state echoed on errors too; this provider leaves it out.
    back = back.copy_set_param("state", httpx.URL(start.headers["location"]).params["state"])
    response = await client.get(str(back))
    assert response.status_code == 400
    assert SESSION_COOKIE not in response.cookies
    assert [d["reason"] for d in await failures(session)] == ["provider_error"]


async def test_an_unreachable_provider_gives_an_error_page(
    client: httpx.AsyncClient,
    issuer: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(get_settings(), "oidc_issuer", "http://127.0.0.1:9")  # discard: closed
    response = await client.get("/login/oidc", headers={"accept-language": "en"})
    assert response.status_code == 400
    assert "oidc_unavailable" in response.text
    assert "The identity service cannot be reached." in response.text
