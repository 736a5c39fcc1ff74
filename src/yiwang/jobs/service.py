"""Job runs: long work whose progress people watch. Each function does one small change in the
caller's transaction; the runner commits progress in its own short transactions so other
requests and processes see it while the work goes on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.db import get_or_404, utcnow
from yiwang.jobs.models import JobRun

STATUSES = ("queued", "running", "done", "failed")


async def create_run(
    session: AsyncSession,
    kind: str,
    params: dict[str, Any],
    *,
    created_by: int | None = None,
    total: int = 0,
) -> JobRun:
    run = JobRun(
        kind=kind,
        status="queued",
        total=total,
        done=0,
        params=params,
        result={},
        created_by=created_by,
    )
    session.add(run)
    await session.flush()
    return run


async def get_run(session: AsyncSession, run_id: int) -> JobRun:
    return await get_or_404(session, JobRun, run_id)


async def start(session: AsyncSession, run_id: int, total: int) -> None:
    await session.execute(
        update(JobRun).where(JobRun.id == run_id).values(status="running", total=total, done=0)
    )


async def progress(session: AsyncSession, run_id: int, done: int) -> None:
    await session.execute(update(JobRun).where(JobRun.id == run_id).values(done=done))


async def finish(session: AsyncSession, run_id: int, result: dict[str, Any]) -> None:
    await session.execute(
        update(JobRun)
        .where(JobRun.id == run_id)
        .values(status="done", done=JobRun.total, result=result, finished_at=utcnow())
    )


async def fail(session: AsyncSession, run_id: int, result: dict[str, Any]) -> None:
    await session.execute(
        update(JobRun)
        .where(JobRun.id == run_id)
        .values(status="failed", result=result, finished_at=utcnow())
    )


async def recent(session: AsyncSession, kind_prefix: str = "", limit: int = 20) -> list[JobRun]:
    q = select(JobRun).order_by(JobRun.id.desc()).limit(limit)
    if kind_prefix:
        q = q.where(JobRun.kind.startswith(kind_prefix, autoescape=True))
    return list((await session.execute(q)).scalars())
