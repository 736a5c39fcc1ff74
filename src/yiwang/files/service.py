"""Storing checked files: the content is inspected first, written to the blob store only when it
passes, and recorded in the caller's transaction."""

from __future__ import annotations

import time

from anyio import to_thread
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.config import get_settings
from yiwang.db import is_postgresql
from yiwang.files.inspect import Inspected, inspect
from yiwang.files.models import StoredFile
from yiwang.files.storage import BlobStore, default_store


def max_bytes() -> int:
    return get_settings().upload_max_mb * 1_000_000


async def store(
    session: AsyncSession, data: bytes, *, field_name: str, blobs: BlobStore | None = None
) -> Inspected:
    """Raises the inspection's error (naming `field_name`) before anything is written. The blob
    is on disk before the row commits; a row that never commits leaves an orphan blob, which
    `collect_orphans` removes."""
    found = await to_thread.run_sync(
        lambda: inspect(data, field_name=field_name, max_bytes=max_bytes())
    )
    store_ = blobs or default_store()
    await to_thread.run_sync(store_.put, found.sha256, data)
    # Two people (or two tabs) uploading the same content at once both succeed.
    row = {"sha256": found.sha256, "size": found.size, "mime": found.mime, "pages": found.pages}
    dialect = postgresql if is_postgresql(session) else sqlite
    await session.execute(dialect.insert(StoredFile).values(row).on_conflict_do_nothing())
    return found


async def read(sha256: str, blobs: BlobStore | None = None) -> bytes:
    return await to_thread.run_sync((blobs or default_store()).get, sha256)


async def collect_orphans(
    session: AsyncSession, *, older_than_seconds: float = 3600, blobs: BlobStore | None = None
) -> int:
    """Deletes blobs no row refers to, once they are old enough that no transaction writing
    their row can still be open."""
    store_ = blobs or default_store()
    cutoff = time.time() - older_than_seconds
    candidates = [name for name, mtime in store_.names() if mtime < cutoff]
    known: set[str] = set()
    for start in range(0, len(candidates), 500):
        batch = candidates[start : start + 500]
        q = select(StoredFile.sha256).where(StoredFile.sha256.in_(batch))
        known.update((await session.execute(q)).scalars())
    orphans = [name for name in candidates if name not in known]
    for name in orphans:
        store_.delete(name)
    return len(orphans)
