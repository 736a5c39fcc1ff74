from __future__ import annotations

import subprocess

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import fresh_database_url
from tests.support import run_cli
from yiwang.audit import service as audit
from yiwang.db import Writes, table
from yiwang.notify.models import OutboxMessage
from yiwang.notify.service import ENQUEUE

OUTBOX = table(OutboxMessage)


async def test_chain_verifies_and_names_altered_event(session: AsyncSession) -> None:
    before = (await audit.verify(session)).checked
    first = await audit.record(session, "person:1", "test.one", "thing:1", {"n": 1, "名": "值"})
    await audit.record(session, "person:1", "test.two", "thing:1", {"n": 2})
    result = await audit.verify(session)
    assert result.ok and result.checked == before + 2

    await session.execute(
        text("UPDATE audit_events SET details = :d WHERE seq = :s"),
        {"d": '{"n": 99, "名": "值"}', "s": first.seq},
    )
    session.expire_all()
    broken = await audit.verify(session)
    assert not broken.ok
    assert broken.broken_seq == first.seq and broken.reason == "hash"


async def test_deleting_the_last_event_is_caught(session: AsyncSession) -> None:
    ev = await audit.record(session, "system", "test.tail", "thing:2", {})
    await session.execute(text("DELETE FROM audit_events WHERE seq = :s"), {"s": ev.seq})
    result = await audit.verify(session)
    assert not result.ok and result.reason == "truncated" and result.broken_seq == ev.seq


async def test_deleting_a_middle_event_is_caught(session: AsyncSession) -> None:
    a = await audit.record(session, "system", "test.a", "thing:3", {})
    await audit.record(session, "system", "test.b", "thing:3", {})
    await session.execute(text("DELETE FROM audit_events WHERE seq = :s"), {"s": a.seq})
    result = await audit.verify(session)
    assert not result.ok and result.broken_seq == a.seq and result.reason == "missing"


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, env={"YIWANG_DATABASE_URL": url})


def test_cli_audit_verify_on_demo_database_and_after_tampering() -> None:
    url = fresh_database_url("yiwang_cli_audit")
    assert _cli(url, "db", "upgrade").returncode == 0
    demo = _cli(url, "demo")
    assert demo.returncode == 0, demo.stderr
    ok = _cli(url, "audit", "verify")
    assert ok.returncode == 0 and "intact" in ok.stdout

    from sqlalchemy import create_engine

    from yiwang.db import sync_url

    engine = create_engine(sync_url(url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'person:999' WHERE seq = 5"))
    engine.dispose()
    bad = _cli(url, "audit", "verify")
    assert bad.returncode == 1
    assert "event 5" in bad.stderr


async def test_an_event_recorded_after_writes_comes_with_them_and_chains(
    session: AsyncSession,
) -> None:
    writes = Writes()
    await writes.execute(ENQUEUE, {"topic": "audit.after", "payload": {}})
    await audit.record_after(writes, session, "person:1", "test.after", "thing:9", {"名": "值"})
    assert (
        await session.scalar(
            select(func.count()).select_from(OUTBOX).filter_by(topic="audit.after")
        )
        == 1
    )
    last = (await audit.recent(session, 1))[0]
    assert (last.action, last.details) == ("test.after", {"名": "值"})
    result = await audit.verify(session)
    assert result.ok and result.checked == last.seq
