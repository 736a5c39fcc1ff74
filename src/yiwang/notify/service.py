"""Writing to the outbox, inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from yiwang.db import Executor, table
from yiwang.notify.models import OutboxMessage

ENQUEUE = insert(table(OutboxMessage))


async def enqueue(session: Executor, topic: str, payload: dict[str, Any]) -> None:
    """`payload` carries ids, never objects: the work reads the current rows when it runs."""
    await session.execute(ENQUEUE, {"topic": topic, "payload": payload})
