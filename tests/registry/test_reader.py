"""A unit of work reads each shared record once, and what it announced rides with its next read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts.models import Person
from yiwang.registry import service as registry

SHOP = "92370202MA3D7K2H98"  # 青岛市市南区张记海鲜餐馆, the demo citizen's shop


@pytest.fixture
def reads(session: AsyncSession) -> Iterator[list[str]]:
    seen: list[str] = []
    engine = session.get_bind()

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "shared_records" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


async def test_expected_pairs_ride_with_the_next_read(
    session: AsyncSession, reads: list[str]
) -> None:
    person = await session.execute(select(Person.id_hash).where(Person.mobile == "13800000001"))
    me = person.scalar_one()
    mine, shop = (me, registry.POPULATION), (SHOP, "legal_person")
    reader = registry.Reader(session)
    reader.expect([shop])
    got = await reader.get([mine])
    assert set(got) == {mine} and got[mine] and got[mine][0].subject_key == me
    assert len(reads) == 1
    again = await reader.get([shop, mine])
    assert len(reads) == 1, "nothing new was asked: no second read"
    assert [r.id for r in again[shop]] == [
        r.id for r in await registry.records(session, [shop])
    ] and again[shop]
    missing = ("no-such-subject", "legal_person")
    assert (await reader.get([missing]))[missing] == []
    assert len(reads) == 3  # the reader's read for the unknown pair and the direct one above
