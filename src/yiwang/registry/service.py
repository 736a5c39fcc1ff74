"""Shared data the platform reads on a person's or enterprise's behalf."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.registry.models import SharedRecord, ThematicDatabase

POPULATION = "population"


async def record_for(
    session: AsyncSession, database_code: str, subject_key: str
) -> SharedRecord | None:
    q = select(SharedRecord).where(
        SharedRecord.database_code == database_code, SharedRecord.subject_key == subject_key
    )
    return (await session.execute(q)).scalar_one_or_none()


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
