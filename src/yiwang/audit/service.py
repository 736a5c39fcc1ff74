"""The tamper-evident event log: a SHA-256 chain over RFC 8785 canonical JSON."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

import rfc8785
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.audit.models import AuditEvent, AuditHead
from yiwang.db import utcnow
from yiwang.kit.i18n import N_, gettext

GENESIS = "0" * 64

# What people read for each action code; codes without a label are shown as they are.
ACTION_LABELS: dict[str, str] = {
    "person.create": N_("Account created"),
    "person.oidc_link": N_("Linked to the unified identity service"),
    "enterprise.create": N_("Enterprise registered"),
    "agent.authorise": N_("Agent authorised"),
    "agent.revoke": N_("Agent authorisation revoked"),
    "staff.grant": N_("Staff role granted"),
    "staff.revoke": N_("Staff role revoked"),
    "login.succeeded": N_("Logged in"),
    "login.failed": N_("Failed login"),
    "login.blocked": N_("Login blocked after too many attempts"),
    "login.oidc_failed": N_("Failed login through the identity service"),
    "logout": N_("Logged out"),
    "password.change": N_("Password changed"),
    "session.act_for": N_("Started acting for an enterprise"),
    "trust.raised": N_("Identity trust level raised"),
    "trust.failed": N_("Identity verification failed"),
    "transfer.import": N_("Catalogue or halls imported from a file"),
    "scenario.create": N_("One-go service created"),
    "scenario.update": N_("One-go service questions changed"),
    "scenario.details": N_("One-go service details changed"),
    "scenario.move": N_("One-go services reordered"),
    "synonym.add": N_("Search synonym added"),
    "synonym.delete": N_("Search synonym deleted"),
}


def action_label(code: str) -> str:
    return gettext(ACTION_LABELS[code]) if code in ACTION_LABELS else code


def event_hash(
    prev_hash: str,
    seq: int,
    at: dt.datetime,
    actor: str,
    action: str,
    obj: str,
    details: dict[str, Any],
) -> str:
    body: dict[str, Any] = {
        "seq": seq,
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "object": obj,
        "details": details,
    }
    return hashlib.sha256(prev_hash.encode() + rfc8785.dumps(body)).hexdigest()


async def record(
    session: AsyncSession, actor: str, action: str, obj: str, details: dict[str, Any] | None = None
) -> AuditEvent:
    """Append one event in the caller's transaction; it commits or vanishes with the data."""
    head = (
        await session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update())
    ).scalar_one()
    details = details or {}
    at = utcnow()
    seq = head.seq + 1
    digest = event_hash(head.hash, seq, at, actor, action, obj, details)
    event = AuditEvent(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        object=obj,
        details=details,
        prev_hash=head.hash,
        hash=digest,
    )
    session.add(event)
    head.seq, head.hash = seq, digest
    await session.flush()
    return event


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str | None = None


async def verify(session: AsyncSession, batch: int = 2000) -> Verification:
    prev, expected_seq, checked = GENESIS, 1, 0
    result = await session.stream(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
    )
    async for ev in result.scalars():
        if ev.seq != expected_seq:
            return Verification(False, checked, expected_seq, "missing")
        if ev.prev_hash != prev:
            return Verification(False, checked, ev.seq, "prev_hash")
        digest = event_hash(prev, ev.seq, ev.at, ev.actor, ev.action, ev.object, ev.details)
        if digest != ev.hash:
            return Verification(False, checked, ev.seq, "hash")
        prev, expected_seq, checked = ev.hash, expected_seq + 1, checked + 1
    head = (await session.execute(select(AuditHead).where(AuditHead.id == 1))).scalar_one()
    if head.seq != checked or head.hash != prev:
        # Rows deleted from the end leave a shorter but self-consistent chain: the head catches it.
        return Verification(False, checked, checked + 1, "truncated")
    return Verification(True, checked)


async def recent(
    session: AsyncSession, limit: int = 50, *, about: str | None = None
) -> list[AuditEvent]:
    """Newest first; with `about`, only events that actor did or that concern it."""
    q = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
    if about:
        q = q.where(or_(AuditEvent.object == about, AuditEvent.actor == about))
    return list((await session.execute(q)).scalars())
