"""Content-addressed storage: a blob whose row never commits is an orphan the collector removes;
a referenced one, or one too young, is kept."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from tests.files import samples
from yiwang.db import Database
from yiwang.files import service as files
from yiwang.files.storage import LocalBlobStore


def age(store: LocalBlobStore, sha256: str, seconds: float) -> None:
    path = store._path(sha256)
    then = time.time() - seconds
    os.utime(path, (then, then))


async def test_orphans_are_collected_and_referenced_files_kept(
    db: Database, session: AsyncSession, tmp_path: Path
) -> None:
    store = LocalBlobStore(tmp_path)
    kept = await files.store(session, samples.pdf(2), field_name="f", blobs=store)
    # A request that stored a blob and then failed: its row rolled back, the blob stayed.
    async with db.sessionmaker() as failed:
        lost = await files.store(failed, samples.pdf(3), field_name="f", blobs=store)
        await failed.rollback()
    assert store.exists(lost.sha256) and store.exists(kept.sha256)
    young = await files.collect_orphans(session, older_than_seconds=3600, blobs=store)
    assert young == 0, "a blob whose transaction may still be open is left alone"
    age(store, lost.sha256, 7200)
    age(store, kept.sha256, 7200)
    assert await files.collect_orphans(session, older_than_seconds=3600, blobs=store) == 1
    assert not store.exists(lost.sha256) and store.exists(kept.sha256)
    assert await files.read(kept.sha256, blobs=store) == samples.pdf(2)


async def test_storing_known_content_again_refreshes_the_blob(db: Database, tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    async with db.sessionmaker() as first:
        found = await files.store(first, samples.pdf(), field_name="f", blobs=store)
        await first.rollback()
    age(store, found.sha256, 7200)
    async with db.sessionmaker() as second:
        await files.store(second, samples.pdf(), field_name="f", blobs=store)
        await second.rollback()
    # Whatever a request still open might do with it, the blob now counts as young.
    async with db.sessionmaker() as collector:
        assert await files.collect_orphans(collector, blobs=store) == 0
    assert store.exists(found.sha256)
