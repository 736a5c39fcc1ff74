"""Optional login through an OpenID Connect provider: authorisation code flow with PKCE."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from itsdangerous import BadSignature, URLSafeTimedSerializer
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from yiwang.accounts import service
from yiwang.accounts.models import Person
from yiwang.accounts.views import logged_in
from yiwang.audit import service as audit
from yiwang.config import get_settings
from yiwang.kit import identifiers
from yiwang.kit.errors import AppError, Conflict, Invalid, InvalidMany, NotFound
from yiwang.kit.i18n import N_
from yiwang.web.deps import DbSession, client_address
from yiwang.web.templating import field_errors, render
from yiwang.web.views import safe_next

router = APIRouter(include_in_schema=False)

FLOW_COOKIE = "yiwang_oidc"
FLOW_SALT = "yiwang-oidc-flow"
FLOW_PATH = "/login/oidc"
FLOW_SECONDS = 600
TIMEOUT = 10.0
# Asymmetric only: "none" proves nothing, and HS* would key the signature on our own client secret.
ALGORITHMS = ("RS256", "PS256", "ES256")

# Discovery documents by issuer: they rarely change, and each login would pay a round trip.
_discovery: dict[str, dict[str, Any]] = {}


FAILED = N_(
    "Logging in through the identity service did not succeed. Nothing was changed; "
    "please try again."
)


class _Rejected(Exception):
    """A callback we refuse; its reason goes to the audit log, never to the page."""


def _issuer() -> str:
    issuer = get_settings().oidc_issuer.rstrip("/")
    if not issuer:
        raise NotFound()
    return issuer


def _redirect_uri() -> str:
    return f"{get_settings().base_url.rstrip('/')}{FLOW_PATH}/callback"


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret(), salt=FLOW_SALT)


def _json(response: httpx.Response) -> Any:
    return response.raise_for_status().json()


async def _metadata(http: httpx.AsyncClient, issuer: str) -> dict[str, Any]:
    if issuer not in _discovery:
        meta = _json(await http.get(f"{issuer}/.well-known/openid-configuration"))
        endpoints = ("authorization_endpoint", "token_endpoint", "jwks_uri")
        # OIDC Discovery 4.3: a document naming another issuer must not be trusted for its keys.
        if (
            not isinstance(meta, dict)
            or meta.get("issuer") != issuer
            or not all(isinstance(meta.get(k), str) for k in endpoints)
        ):
            raise ValueError("unusable discovery document")
        _discovery[issuer] = meta
    return _discovery[issuer]


@router.get("/login/oidc")
async def oidc_start(next: str | None = None) -> Response:
    s = get_settings()
    issuer = _issuer()
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT) as http:
            meta = await _metadata(http, issuer)
    except (httpx.HTTPError, ValueError) as exc:
        raise AppError(
            N_("The identity service cannot be reached. Please try again later."),
            error_code="oidc_unavailable",
        ) from exc
    flow = {
        "state": secrets.token_urlsafe(24),
        "nonce": secrets.token_urlsafe(24),
        "verifier": secrets.token_urlsafe(48),
        "next": safe_next(next, "/me"),
    }
    digest = hashlib.sha256(flow["verifier"].encode()).digest()
    query = urlencode(
        {
            "response_type": "code",
            "client_id": s.oidc_client_id,
            "redirect_uri": _redirect_uri(),
            "scope": "openid profile",
            "state": flow["state"],
            "nonce": flow["nonce"],
            "code_challenge": base64.urlsafe_b64encode(digest).rstrip(b"=").decode(),
            "code_challenge_method": "S256",
        }
    )
    endpoint = str(meta["authorization_endpoint"])
    sep = "&" if "?" in endpoint else "?"
    response = RedirectResponse(f"{endpoint}{sep}{query}", status_code=303)
    # Lax, not Strict: the provider's redirect back to us is a cross-site top-level navigation.
    response.set_cookie(
        FLOW_COOKIE,
        _signer().dumps(flow),
        max_age=FLOW_SECONDS,
        path=FLOW_PATH,
        httponly=True,
        samesite="lax",
        secure=s.secure_cookies,
    )
    return response


def _read_flow(raw: str | None) -> dict[str, str]:
    try:
        flow = _signer().loads(raw or "", max_age=FLOW_SECONDS)
    except BadSignature as exc:  # an expired cookie too
        raise _Rejected("bad_state") from exc
    keys = ("state", "nonce", "verifier", "next")
    if not isinstance(flow, dict) or not all(isinstance(flow.get(k), str) for k in keys):
        raise _Rejected("bad_state")
    return {k: flow[k] for k in keys}


async def _verified(request: Request, issuer: str) -> tuple[dict[str, str], dict[str, Any]]:
    s, params = get_settings(), request.query_params
    flow = _read_flow(request.cookies.get(FLOW_COOKIE))
    if not hmac.compare_digest(params.get("state", "").encode(), flow["state"].encode()):
        raise _Rejected("bad_state")
    if "error" in params or not params.get("code"):
        raise _Rejected("provider_error")
    form = {
        "grant_type": "authorization_code",
        "code": params["code"],
        "redirect_uri": _redirect_uri(),
        "code_verifier": flow["verifier"],
        "client_id": s.oidc_client_id,
    }
    if s.oidc_client_secret:
        form["client_secret"] = s.oidc_client_secret  # client_secret_post
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT) as http:
            meta = await _metadata(http, issuer)
            id_token = _json(await http.post(meta["token_endpoint"], data=form))["id_token"]
            # Fetched every time, not cached: a rotated key must not lock everyone out.
            keys = KeySet.import_key_set(_json(await http.get(meta["jwks_uri"])))
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
        raise _Rejected("token_error") from exc
    try:
        claims = jwt.decode(id_token, keys, algorithms=ALGORITHMS).claims
        jwt.JWTClaimsRegistry(
            leeway=60,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": s.oidc_client_id},
            exp={"essential": True},
            sub={"essential": True},
            nonce={"essential": True, "value": flow["nonce"]},
        ).validate(claims)
    except (JoseError, ValueError, TypeError) as exc:
        raise _Rejected("invalid_id_token") from exc
    if len(f"{issuer}|{claims['sub']}") > 200:  # the width of persons.oidc_subject
        raise _Rejected("invalid_id_token")
    return flow, claims


async def _fail(
    request: Request, session: AsyncSession, reason: str, page: Response | None = None
) -> Response:
    # Returned, not raised: raising would roll back the audit event with everything else.
    await audit.record(
        session,
        "anonymous",
        "login.oidc_failed",
        "oidc",
        {"reason": reason, "address": client_address(request)},
    )
    error = AppError(FAILED, error_code="oidc_failed")
    response = page or render(
        request, "error.html", {"error": error, "status": error.status}, status_code=error.status
    )
    response.delete_cookie(FLOW_COOKIE, path=FLOW_PATH)
    return response


async def _link_or_create(session: AsyncSession, claims: dict[str, Any], subject: str) -> Person:
    """Each check precedes every write, so a refusal leaves nothing behind."""
    number, name = claims.get("id_number"), claims.get("name")
    check = identifiers.check_resident_id(number) if isinstance(number, str) else None
    if check is None or not check.valid or not isinstance(name, str) or not name.strip():
        raise Invalid(
            N_("This identity provider did not give an ID number we can use."),
            error_code="oidc_no_id_number",
        )
    q = select(Person).where(Person.id_hash == service.hash_id(check.value))
    person = (await session.execute(q)).scalar_one_or_none()
    if person is None:
        person = await service.create_person(
            session,
            name=name,
            id_number=check.value,
            password=None,
            login=f"oidc:{claims['sub']}"[:64],
            actor="oidc",
        )
    elif person.oidc_subject is not None:
        # One provider account per person: letting a second one in would be a takeover path.
        raise Conflict(
            N_("This ID number is already linked to another identity service account."),
            error_code="oidc_linked_elsewhere",
        )
    person.oidc_subject = subject
    await audit.record(
        session,
        f"person:{person.id}",
        "person.oidc_link",
        f"person:{person.id}",
        {"issuer": subject.rsplit("|", 1)[0]},
    )
    return person


@router.get("/login/oidc/callback")
async def oidc_callback(request: Request, session: DbSession) -> Response:
    issuer = _issuer()
    try:
        flow, claims = await _verified(request, issuer)
    except _Rejected as exc:
        return await _fail(request, session, str(exc))
    subject = f"{issuer}|{claims['sub']}"
    q = select(Person).where(Person.oidc_subject == subject)
    person = (await session.execute(q)).scalar_one_or_none()
    try:
        person = person or await _link_or_create(session, claims, subject)
    except AppError as exc:
        errors = exc.errors if isinstance(exc, InvalidMany) else [exc]
        page = render(
            request,
            "login.html",
            {"errors": field_errors(errors), "next": flow["next"]},
            status_code=exc.status,
        )
        return await _fail(request, session, exc.code, page)
    if not person.is_active:
        return await _fail(request, session, "inactive")
    response = await logged_in(request, session, person, "oidc", flow["next"])
    response.delete_cookie(FLOW_COOKIE, path=FLOW_PATH)
    return response
