from __future__ import annotations

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.db import Writes, table
from yiwang.notify.models import OutboxMessage
from yiwang.notify.service import ENQUEUE

OUTBOX = table(OutboxMessage)


async def topics(session: AsyncSession, prefix: str) -> list[OutboxMessage]:
    q = select(OutboxMessage).where(OutboxMessage.topic.startswith(prefix)).order_by("id")
    return list((await session.execute(q)).scalars())


async def test_writes_wait_for_send_and_fill_column_defaults(session: AsyncSession) -> None:
    writes = Writes()
    await writes.execute(ENQUEUE, {"topic": "writes.one", "payload": {"名": "值", "n": [1, 2]}})
    await writes.execute(
        ENQUEUE,
        [{"topic": f"writes.many.{i}", "payload": {"i": i}} for i in range(3)],
    )
    await writes.execute(
        update(OUTBOX).where(OUTBOX.c.topic == "writes.many.2").values(attempts=7), {}
    )
    assert await topics(session, "writes.") == []

    await writes.send(session)
    rows = await topics(session, "writes.")
    assert [r.topic for r in rows] == ["writes.one"] + [f"writes.many.{i}" for i in range(3)]
    assert rows[0].payload == {"名": "值", "n": [1, 2]}
    assert [r.attempts for r in rows] == [0, 0, 0, 7]
    assert all(r.created_at.tzinfo is not None and r.last_error == "" for r in rows)
    await writes.send(session)  # sent once: nothing is left to send again
    assert len(await topics(session, "writes.")) == 4


async def test_a_failing_write_raises_as_sqlalchemy_and_saves_nothing(
    session: AsyncSession,
) -> None:
    before = await session.scalar(select(func.count()).select_from(OUTBOX))
    writes = Writes()
    await writes.execute(ENQUEUE, {"topic": "writes.kept", "payload": {}})
    await writes.execute(ENQUEUE, {"topic": None, "payload": {}})  # topic is NOT NULL
    savepoint = await session.begin_nested()
    with pytest.raises(IntegrityError) as raised:
        await writes.send(session)
    assert "topic" in str(raised.value.orig)
    await savepoint.rollback()
    assert await session.scalar(select(func.count()).select_from(OUTBOX)) == before
