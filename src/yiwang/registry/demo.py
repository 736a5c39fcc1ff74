"""Loads the demo's shared data: 42 thematic databases, their 290 data elements, and the records
of the synthetic people and enterprises (demo_records).

Idempotent. Run after accounts.demo.load: its minimal population records of the demo logins
are replaced by full ones. Records go in with bulk statements (tens of thousands of rows; one
ORM object per row would take far longer). Like every service, it never commits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts.service import hash_id
from yiwang.db import utcnow
from yiwang.registry.demo_catalog import DATABASES
from yiwang.registry.demo_records import RecordRow, records
from yiwang.registry.models import DataElement, SharedRecord, ThematicDatabase

_CHUNK = 500  # IN-lists and insert batches stay well under SQLite's variable limit
T = TypeVar("T")


def _chunks(items: Sequence[T], size: int = _CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def load(session: AsyncSession) -> dict[str, int]:
    """Counts of the rows written, per table."""
    return {
        "thematic_databases": await _databases(session),
        "data_elements": await _elements(session),
        "shared_records": await _records(session, records(hash_id)),
    }


async def _databases(session: AsyncSession) -> int:
    have = {row.code: row for row in (await session.execute(select(ThematicDatabase))).scalars()}
    for db in DATABASES:
        row = have.get(db.code)
        if row is None:  # population may exist already, made by the accounts demo
            row = ThematicDatabase(code=db.code)
            session.add(row)
        row.name, row.name_en = db.name, db.name_en
        row.owner_department_code = db.owner
        row.subject_kind, row.update_frequency = db.subject, db.frequency
    await session.flush()
    return len(DATABASES)


async def _elements(session: AsyncSession) -> int:
    have = {row.code: row for row in (await session.execute(select(DataElement))).scalars()}
    count = 0
    for db in DATABASES:
        for e in db.elements:
            code = f"{db.code}.{e.key}"
            row = have.get(code)
            if row is None:
                row = DataElement(code=code)
                session.add(row)
            row.database_code, row.key = db.code, e.key
            row.name, row.name_en = e.name, e.name_en
            row.value_type, row.sensitivity = e.type, e.sensitivity
            row.owner_department_code, row.update_frequency = db.owner, db.frequency
            row.options = {"options": [list(option) for option in e.options]}
            count += 1
    await session.flush()
    return count


async def _records(session: AsyncSession, rows: Iterable[RecordRow]) -> int:
    """Replace the loaded subjects' records database by database: delete, then insert."""
    by_database: dict[str, list[RecordRow]] = defaultdict(list)
    for row in rows:
        by_database[row.database].append(row)
    now = utcnow()
    count = 0
    for database, found in by_database.items():
        keys = sorted({row.subject_key for row in found})
        for batch in _chunks(keys):
            await session.execute(
                delete(SharedRecord).where(
                    SharedRecord.database_code == database, SharedRecord.subject_key.in_(batch)
                )
            )
        for chunk in _chunks(found):
            values: list[dict[str, Any]] = [
                {
                    "database_code": row.database,
                    "subject_key": row.subject_key,
                    "record_no": row.record_no,
                    "data": row.data,
                    "grade": row.grade,
                    "updated_at": now,
                }
                for row in chunk
            ]
            await session.execute(insert(SharedRecord), values)
        count += len(found)
    return count
