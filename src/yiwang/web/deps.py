"""What every route depends on: the unit of work, the principal, CSRF and permission checks."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import sessions
from yiwang.accounts.authz import Principal
from yiwang.config import get_settings
from yiwang.db import Database
from yiwang.kit.errors import AppError, Forbidden, Unauthenticated
from yiwang.kit.i18n import N_

SESSION_COOKIE = "yiwang_session"
CSRF_COOKIE = "yiwang_csrf"
LANG_COOKIE = "yiwang_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    db: Database = request.app.state.db
    async with db.transaction() as session:
        yield session


# scope="function": the commit happens before the response leaves, so nothing acknowledged is lost.
DbSession = Annotated[AsyncSession, Depends(get_session, scope="function")]


def csrf_seed(request: Request) -> str:
    seed = request.cookies.get(CSRF_COOKIE)
    if not seed or len(seed) != 43:
        seed = getattr(request.state, "new_csrf_seed", None) or secrets.token_urlsafe(32)
        request.state.new_csrf_seed = seed
    return seed


def csrf_token(request: Request) -> str:
    key = get_settings().secret().encode()
    return hmac.new(key, b"csrf|" + csrf_seed(request).encode(), hashlib.sha256).hexdigest()


# POSTs that change nothing and act for nobody: anyone may check a signed PDF with plain curl.
CSRF_EXEMPT = frozenset({"/api/v1/signatures/verify"})


async def csrf_protect(request: Request) -> None:
    """Signed double submit: the form or header token must be the HMAC of the cookie seed."""
    if request.method not in UNSAFE or request.url.path in CSRF_EXEMPT:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if (
        not sent
        or CSRF_COOKIE not in request.cookies
        or not hmac.compare_digest(sent, csrf_token(request))
    ):
        raise AppError(
            N_("The form has expired. Please reload the page and try again."),
            error_code="csrf_failed",
        )


async def current_principal(request: Request, session: DbSession) -> Principal | None:
    if hasattr(request.state, "principal"):
        return request.state.principal  # type: ignore[no-any-return]
    token = request.cookies.get(SESSION_COOKIE)
    principal = await sessions.load_principal(session, token) if token else None
    request.state.principal = principal
    return principal


MaybePrincipal = Annotated[Principal | None, Depends(current_principal)]


async def require_login(principal: MaybePrincipal) -> Principal:
    if principal is None:
        raise Unauthenticated()
    return principal


LoggedIn = Annotated[Principal, Depends(require_login)]


def require(permission: str, min_trust: int = 2) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency: logged in, holding `permission` somewhere, at `min_trust` or above.
    Routes that touch a department or region still check it against the record itself."""

    async def check(principal: LoggedIn) -> Principal:
        if not principal.can(permission):
            raise Forbidden()
        if principal.trust_level < min_trust:
            raise Forbidden(
                N_("This needs identity trust level {level} or higher."),
                error_code="trust_too_low",
                level=min_trust,
            )
        return principal

    return check


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""
