"""The import job: runs in-process after the upload's response, in embedded mode.

Progress is committed in small transactions of its own so that any request, in any process,
sees it; the data is applied in one transaction at the end, together with the run's result, so
a failure changes nothing and "done" is never seen without the data. Multi-process deployments
will move `run_import` to the job workers (Procrastinate): it only needs the run's id, and the
uploaded file sits under var/ rather than in memory.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from yiwang.db import Database
from yiwang.jobs import service as jobs
from yiwang.kit.i18n import N_
from yiwang.transfer import service

log = logging.getLogger("yiwang.transfer")

FAILED = N_("The import stopped because of an error on our side. Nothing was changed.")


async def run_import(db: Database, run_id: int) -> None:
    path: Path | None = None
    try:
        async with db.transaction() as session:
            params = dict((await jobs.get_run(session, run_id)).params)
        path = Path(params["path"])
        kind = service.get_kind(params["kind"])
        data = await asyncio.to_thread(path.read_bytes)
        report, records = service.read(kind, data, params["format"])
        async with db.transaction() as session:
            await jobs.start(session, run_id, len(records))

        async def progress(done: int) -> None:
            async with db.transaction() as s:
                await jobs.progress(s, run_id, done)

        parsed = await service.check_rows(kind, records, report, progress)
        async with db.transaction() as session:
            if records:
                await service.check_and_apply(
                    session,
                    kind,
                    parsed,
                    report,
                    allowed=service.scope(params.get("scope") or []),
                    actor=str(params.get("actor") or "system"),
                )
            await jobs.finish(session, run_id, report.to_dict())
    except Exception:
        log.exception("import run %s failed", run_id)
        async with db.transaction() as session:
            await jobs.fail(session, run_id, {"message": FAILED})
    finally:
        if path is not None:
            path.unlink(missing_ok=True)


def start(state: Any, db: Database, run_id: int) -> asyncio.Task[None]:
    """Start the run on the event loop. The task is kept on the app state: asyncio holds only
    weak references to tasks, and tests await it to drive the run to its end."""
    tasks: dict[int, asyncio.Task[None]] = getattr(state, "import_tasks", None) or {}
    for done in [k for k, t in tasks.items() if t.done()]:
        del tasks[done]
    task = asyncio.create_task(run_import(db, run_id), name=f"import-{run_id}")
    tasks[run_id] = task
    state.import_tasks = tasks
    return task


async def wait(state: Any, run_id: int) -> None:
    task: asyncio.Task[None] | None = (getattr(state, "import_tasks", None) or {}).get(run_id)
    if task is not None:
        await task
