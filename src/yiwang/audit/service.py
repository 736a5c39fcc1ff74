"""The tamper-evident event log: a SHA-256 chain over RFC 8785 canonical JSON."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

import rfc8785
from sqlalchemy import BigInteger, LargeBinary, String, bindparam, insert, or_, select, text, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.audit.models import AuditEvent, AuditHead
from yiwang.db import UTCDateTime, Writes, is_postgresql, table, utcnow
from yiwang.kit.i18n import N_, gettext

GENESIS = "0" * 64
HEAD, EVENTS = table(AuditHead), table(AuditEvent)
# The head row stays locked from the first statement of an append to the commit, so every round
# trip in between lowers how many appends a second the whole platform can make.
# SQLite (one writer at a time): the next seq and the hash before it, the event, the new hash.
NEXT = (
    update(HEAD)
    .where(HEAD.c.id == 1)
    .values(seq=HEAD.c.seq + 1, prev_hash=HEAD.c.hash)
    .returning(HEAD.c.seq, HEAD.c.hash)
)
APPEND = insert(EVENTS)
LINK = update(HEAD).where(HEAD.c.id == 1).values(hash=bindparam("hash"))
# PostgreSQL: one statement, the hash computed by the database from the row it locks; `verify`
# recomputes every hash in Python.
APPEND_PG = (
    text(
        """
WITH head AS (
    UPDATE audit_head
    SET seq = seq + 1,
        prev_hash = hash,
        hash = encode(sha256(
            convert_to(hash, 'UTF8') || :prefix || convert_to((seq + 1)::text || '}', 'UTF8')
        ), 'hex')
    WHERE id = 1
    RETURNING seq, prev_hash, hash
)
INSERT INTO audit_events (seq, at, actor, action, object, details, prev_hash, hash)
SELECT seq, :at, :actor, :action, :object, :details, prev_hash, hash FROM head
RETURNING seq, prev_hash, hash
"""
    )
    .bindparams(
        bindparam("prefix", type_=LargeBinary),
        bindparam("at", type_=UTCDateTime()),
        bindparam("details", type_=JSONB),
    )
    .columns(seq=BigInteger, prev_hash=String, hash=String)
)

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
    "document.seal": N_("Document sealed"),
}


def action_label(code: str) -> str:
    return gettext(ACTION_LABELS[code]) if code in ACTION_LABELS else code


def _body(
    at: dt.datetime, actor: str, action: str, obj: str, details: dict[str, Any]
) -> dict[str, Any]:
    return {
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "object": obj,
        "details": details,
    }


def event_hash(
    prev_hash: str,
    seq: int,
    at: dt.datetime,
    actor: str,
    action: str,
    obj: str,
    details: dict[str, Any],
) -> str:
    body = {**_body(at, actor, action, obj, details), "seq": seq}
    return hashlib.sha256(prev_hash.encode() + rfc8785.dumps(body)).hexdigest()


def body_prefix(
    at: dt.datetime, actor: str, action: str, obj: str, details: dict[str, Any]
) -> bytes:
    """The canonical body up to its seq: RFC 8785 sorts keys and "seq" comes last, so the
    hashed body is this, the seq's digits and "}"."""
    return rfc8785.dumps(_body(at, actor, action, obj, details))[:-1] + b',"seq":'


async def record(
    session: AsyncSession, actor: str, action: str, obj: str, details: dict[str, Any] | None = None
) -> AuditEvent:
    """Append one event in the caller's transaction; it commits or vanishes with the data."""
    row = _row(actor, action, obj, details)
    if is_postgresql(session):
        seq, prev, digest = (await session.execute(APPEND_PG, _with_prefix(row))).one()
    else:
        seq, prev = (await session.execute(NEXT)).one()
        digest = event_hash(prev, seq, *row.values())
        await session.execute(APPEND, {**row, "seq": seq, "prev_hash": prev, "hash": digest})
        await session.execute(LINK, {"hash": digest})
    return AuditEvent(**row, seq=seq, prev_hash=prev, hash=digest)


async def record_after(
    writes: Writes,
    session: AsyncSession,
    actor: str,
    action: str,
    obj: str,
    details: dict[str, Any] | None = None,
) -> None:
    """`writes` sent, then `record`: on PostgreSQL the event goes last in their pipeline, so
    that all of it is one round trip and the chain's head stays locked only until the commit."""
    if is_postgresql(session):
        await writes.execute(APPEND_PG, _with_prefix(_row(actor, action, obj, details)))
        await writes.send(session)
    else:
        await writes.send(session)
        await record(session, actor, action, obj, details)


def _row(actor: str, action: str, obj: str, details: dict[str, Any] | None) -> dict[str, Any]:
    """An event's columns before the chain's, in `_body`'s order."""
    return {
        "at": utcnow(),
        "actor": actor,
        "action": action,
        "object": obj,
        "details": details or {},
    }


def _with_prefix(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "prefix": body_prefix(*row.values())}


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
    seq, last = (await session.execute(select(HEAD.c.seq, HEAD.c.hash).where(HEAD.c.id == 1))).one()
    if seq != checked or last != prev:
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
