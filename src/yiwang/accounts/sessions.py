"""Password login, the login rate limit, server-side sessions and trust levels."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Protocol

from sqlalchemy import bindparam, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import service
from yiwang.accounts.authz import Principal
from yiwang.accounts.models import Enterprise, LoginFailure, Person, WebSession
from yiwang.accounts.passwords import hash_password, password_problems, verify_password
from yiwang.audit import service as audit
from yiwang.config import get_settings
from yiwang.db import utcnow
from yiwang.kit.errors import AppError, Forbidden, Invalid, TooManyRequests, Unauthenticated
from yiwang.kit.i18n import N_

TRUST_LABELS = {
    2: N_("Level 2: self-declared"),
    3: N_("Level 3: name and ID number matched"),
    4: N_("Level 4: face verified"),
    5: N_("Level 5: digital certificate"),
}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _login_key(login: str) -> str:
    return hashlib.sha256(login.strip().lower().encode()).hexdigest()


async def _failures(session: AsyncSession, login: str, address: str) -> int:
    s = get_settings()
    since = utcnow() - dt.timedelta(minutes=s.login_window_minutes)
    q = (
        select(func.count())
        .select_from(LoginFailure)
        .where(
            LoginFailure.at >= since,
            or_(LoginFailure.login_key == _login_key(login), LoginFailure.address == address),
        )
    )
    return int((await session.execute(q)).scalar_one())


async def authenticate(
    session: AsyncSession, login: str, password: str, address: str
) -> Person | AppError:
    """Returns the error instead of raising it: the failure row must commit with the answer."""
    s = get_settings()
    if await _failures(session, login, address) >= s.login_max_failures:
        await audit.record(
            session,
            "anonymous",
            "login.blocked",
            f"login:{_login_key(login)[:16]}",
            {"address": address},
        )
        return TooManyRequests(field="password", minutes=s.login_window_minutes)
    person = await service.find_person_by_login(session, login) if login.strip() else None
    ok = await verify_password(password, person.password_hash if person else None)
    if person is None or not ok or not person.is_active:
        session.add(LoginFailure(login_key=_login_key(login), address=address))
        await audit.record(
            session,
            "anonymous",
            "login.failed",
            f"login:{_login_key(login)[:16]}",
            {"address": address},
        )
        return Invalid(
            N_("Wrong login or password."), field="password", error_code="bad_credentials"
        )
    await session.execute(delete(LoginFailure).where(LoginFailure.login_key == _login_key(login)))
    return person


async def start_session(
    session: AsyncSession,
    person: Person,
    *,
    method: str,
    address: str,
    user_agent: str,
    trust_level: int | None = None,
) -> str:
    s = get_settings()
    token = secrets.token_urlsafe(32)
    now = utcnow()
    level = trust_level if trust_level is not None else person.verified_level
    ws = WebSession(
        token_hash=token_hash(token),
        person_id=person.id,
        trust_level=level,
        auth_method=method,
        created_at=now,
        last_seen_at=now,
        expires_at=now + dt.timedelta(hours=s.session_hours),
        address=address,
        user_agent=user_agent[:200],
    )
    session.add(ws)
    await session.flush()
    await audit.record(
        session,
        f"person:{person.id}",
        "login.succeeded",
        f"session:{ws.id}",
        {"method": method, "trust_level": level, "address": address},
    )
    return token


# The session, its person and their grants in one round trip, built once: it runs on every request.
PRINCIPAL = service.with_grants(
    select(WebSession, Person).join(Person, Person.id == WebSession.person_id), Person.id
).where(WebSession.token_hash == bindparam("token_hash"))


async def load_principal(session: AsyncSession, token: str) -> Principal | None:
    s = get_settings()
    now = utcnow()
    rows = (await session.execute(PRINCIPAL, {"token_hash": token_hash(token)})).all()
    if not rows:
        return None
    ws, person = rows[0][:2]
    idle = dt.timedelta(minutes=s.session_idle_minutes)
    if ws.expires_at <= now or ws.last_seen_at + idle <= now or not person.is_active:
        return None
    # Write the last-seen time at most once a minute, not on every request.
    if now - ws.last_seen_at > dt.timedelta(minutes=1):
        ws.last_seen_at = now
    grants = service.grants_from(rows)
    actions: frozenset[str] = frozenset()
    if ws.acting_enterprise_id is not None:
        # Re-checked on every request: a revoked or expired authorisation ends at once.
        allowed = await service.enterprise_actions(session, person.id, ws.acting_enterprise_id)
        if allowed is None:
            ws.acting_enterprise_id = None
        else:
            actions = allowed
    return Principal(
        person_id=person.id,
        name=person.name,
        trust_level=ws.trust_level,
        grants=grants,
        acting_enterprise_id=ws.acting_enterprise_id,
        acting_actions=actions,
        session_id=ws.id,
    )


async def end_session(session: AsyncSession, token: str) -> None:
    ws = (
        await session.execute(select(WebSession).where(WebSession.token_hash == token_hash(token)))
    ).scalar_one_or_none()
    if ws is not None:
        await audit.record(session, f"person:{ws.person_id}", "logout", f"session:{ws.id}", {})
        await session.delete(ws)


async def change_password(
    session: AsyncSession, principal: Principal, current: str, new: str
) -> None:
    person = await service.get_person(session, principal.person_id)
    if not await verify_password(current, person.password_hash):
        raise Invalid(N_("The current password is wrong."), field="current_password")
    if problems := password_problems(new, field="new_password"):
        raise problems[0]
    person.password_hash = await hash_password(new)
    # Other sessions of this person end: a changed password locks out whoever knew the old one.
    await session.execute(
        delete(WebSession).where(
            WebSession.person_id == person.id, WebSession.id != principal.session_id
        )
    )
    await audit.record(session, principal.actor, "password.change", f"person:{person.id}", {})


async def _web_session(session: AsyncSession, principal: Principal) -> WebSession:
    ws = await session.get(WebSession, principal.session_id)
    if ws is None:  # ended meanwhile, e.g. by a password change elsewhere
        raise Unauthenticated()
    return ws


async def act_for(
    session: AsyncSession, principal: Principal, enterprise_id: int | None
) -> Enterprise | None:
    ws = await _web_session(session, principal)
    if enterprise_id is None:
        ws.acting_enterprise_id = None
        return None
    allowed = {e.id: e for e, _ in await service.enterprises_for(session, principal.person_id)}
    if enterprise_id not in allowed:
        raise Forbidden(N_("You are not authorised to act for this enterprise."))
    ws.acting_enterprise_id = enterprise_id
    await audit.record(
        session,
        principal.actor,
        "session.act_for",
        f"enterprise:{enterprise_id}",
        {"session": ws.id},
    )
    return allowed[enterprise_id]


class IdentityVerifier(Protocol):
    """A face or certificate check run by an outside verifier; it answers with a signed result."""

    method: str
    level: int

    def verify(self, person_id: int, challenge: str, response: str) -> bool: ...


class HmacVerifier:
    """Accepts the verifier's answer HMAC(key, method|person|challenge), as the local test verifier
    and any real verifier sharing YIWANG_VERIFIER_KEY produce it."""

    def __init__(self, method: str, level: int, key: str) -> None:
        self.method, self.level, self._key = method, level, key.encode()

    def expected(self, person_id: int, challenge: str) -> str:
        msg = f"{self.method}|{person_id}|{challenge}".encode()
        return hmac.new(self._key, msg, hashlib.sha256).hexdigest()

    def verify(self, person_id: int, challenge: str, response: str) -> bool:
        return bool(self._key) and hmac.compare_digest(
            self.expected(person_id, challenge), response
        )


def verifiers() -> dict[str, HmacVerifier]:
    key = get_settings().verifier_secret()
    return {
        "face": HmacVerifier("face", 4, key),
        "certificate": HmacVerifier("certificate", 5, key),
    }


def challenge_for(session_id: int) -> str:
    secret = get_settings().secret().encode()
    return hmac.new(secret, f"challenge|{session_id}".encode(), hashlib.sha256).hexdigest()[:32]


async def raise_trust(
    session: AsyncSession, principal: Principal, method: str, response: str
) -> int:
    verifier = verifiers().get(method)
    if verifier is None:
        raise Invalid(N_("Unknown verification method."), field="method")
    ws = await _web_session(session, principal)
    person = await service.get_person(session, principal.person_id)
    if person.verified_level < 3:
        raise Forbidden(N_("Match your name and ID number first (level 3)."))
    if not verifier.verify(principal.person_id, challenge_for(ws.id), response.strip()):
        await audit.record(
            session, principal.actor, "trust.failed", f"session:{ws.id}", {"method": method}
        )
        raise Invalid(N_("The verification did not succeed."), field="response")
    ws.trust_level = max(ws.trust_level, verifier.level)
    await audit.record(
        session,
        principal.actor,
        "trust.raised",
        f"session:{ws.id}",
        {"method": method, "level": ws.trust_level},
    )
    return ws.trust_level
