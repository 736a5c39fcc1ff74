"""Shared data the platform reads on a person's or enterprise's behalf, and the log of each use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.db import Executor, table
from yiwang.registry.models import DataElement, DataUsage, SharedRecord, ThematicDatabase

POPULATION = "population"
PURPOSES = ("prefill", "submit")


@dataclass(frozen=True)
class Record:
    """A shared record as forms read it: plain values, no ORM object."""

    id: int
    database: str
    subject_key: str
    record_no: str
    data: dict[str, Any]
    grade: str
    updated_at: dt.datetime


async def record_for(
    session: AsyncSession, database_code: str, subject_key: str
) -> SharedRecord | None:
    q = (
        select(SharedRecord)
        .where(SharedRecord.database_code == database_code, SharedRecord.subject_key == subject_key)
        .order_by(SharedRecord.record_no)
        .limit(1)
    )
    return (await session.execute(q)).scalar_one_or_none()


Pair = tuple[str, str]  # (subject key, database)

# Built once: statements that run on every submission are not rebuilt and re-keyed each time.
RECORDS = (
    select(
        SharedRecord.id,
        SharedRecord.database_code,
        SharedRecord.subject_key,
        SharedRecord.record_no,
        SharedRecord.data,
        SharedRecord.grade,
        SharedRecord.updated_at,
    )
    .where(
        tuple_(SharedRecord.database_code, SharedRecord.subject_key).in_(
            bindparam("pairs", expanding=True)
        )
    )
    .order_by(SharedRecord.database_code, SharedRecord.record_no)
)


async def records(session: AsyncSession, wanted: Iterable[Pair]) -> list[Record]:
    """Every record of these (subject key, database) pairs, in one query."""
    pairs = sorted({(db, key) for key, db in wanted})
    if not pairs:
        return []
    return [Record(*row) for row in (await session.execute(RECORDS, {"pairs": pairs})).all()]


class Reader:
    """The shared records one unit of work reads, each pair at most once. Pairs announced with
    `expect` ride along with the next query, so that two steps that each need records (the
    prefill refresh and the pre-check at submission) make one round trip."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.found: dict[Pair, list[Record]] = {}
        self.expected: set[Pair] = set()

    def expect(self, pairs: Iterable[Pair]) -> None:
        self.expected.update(pairs)

    async def get(self, pairs: Iterable[Pair]) -> dict[Pair, list[Record]]:
        asked = set(pairs)
        if asked - self.found.keys():
            missing = (asked | self.expected) - self.found.keys()
            self.expected.clear()
            for pair in missing:
                self.found[pair] = []
            for rec in await records(self.session, missing):
                self.found[(rec.subject_key, rec.database)].append(rec)
        return {pair: self.found[pair] for pair in asked}


async def person_matches(session: AsyncSession, id_hash: str, name: str) -> bool:
    rec = await record_for(session, POPULATION, id_hash)
    return rec is not None and rec.data.get("name") == name.strip()


async def ensure_database(
    session: AsyncSession, code: str, name: str, name_en: str, owner: str
) -> None:
    if await session.get(ThematicDatabase, code) is None:
        session.add(
            ThematicDatabase(code=code, name=name, name_en=name_en, owner_department_code=owner)
        )
        await session.flush()


async def put_record(
    session: AsyncSession, database_code: str, subject_key: str, data: dict[str, Any]
) -> None:
    rec = await record_for(session, database_code, subject_key)
    if rec is None:
        session.add(SharedRecord(database_code=database_code, subject_key=subject_key, data=data))
    else:
        rec.data = data
    await session.flush()


async def databases(session: AsyncSession) -> list[ThematicDatabase]:
    q = select(ThematicDatabase).order_by(ThematicDatabase.code)
    return list((await session.execute(q)).scalars())


async def elements(session: AsyncSession, codes: Iterable[str] | None = None) -> list[DataElement]:
    q = select(DataElement).order_by(DataElement.database_code, DataElement.code)
    if codes is not None:
        q = q.where(DataElement.code.in_(sorted(set(codes))))
    return list((await session.execute(q)).scalars())


LOG_USAGE = insert(table(DataUsage))


@dataclass(frozen=True)
class Use:
    subject_key: str
    database: str
    elements: tuple[str, ...]


async def log_usage(
    session: Executor,
    uses: Iterable[Use],
    *,
    purpose: str,
    actor_person_id: int | None,
    scenario_code: str,
    draft_id: str = "",
    application_no: str = "",
) -> None:
    """One row per subject and database, in one statement."""
    rows = [
        {
            "subject_key": u.subject_key,
            "database_code": u.database,
            "elements": {"codes": sorted(u.elements)},
            "purpose": purpose,
            "actor_person_id": actor_person_id,
            "scenario_code": scenario_code,
            "draft_id": draft_id,
            "application_no": application_no,
        }
        for u in uses
        if u.elements
    ]
    if rows:
        await session.execute(LOG_USAGE, rows)


async def usage_of(
    session: AsyncSession, subject_key: str, *, limit: int = 100, before_id: int | None = None
) -> list[DataUsage]:
    """Newest first; `before_id` pages back."""
    q = (
        select(DataUsage)
        .where(DataUsage.subject_key == subject_key)
        .order_by(DataUsage.id.desc())
        .limit(limit)
    )
    if before_id is not None:
        q = q.where(DataUsage.id < before_id)
    return list((await session.execute(q)).scalars())
