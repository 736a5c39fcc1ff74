"""Concurrent duplicate submissions against a database that really commits: exactly one
application, and every duplicate is told which one it is."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import fresh_database_url
from tests.files import samples
from tests.forms import flow
from tests.support import app_client
from yiwang import migrate
from yiwang.app import create_app
from yiwang.applications.models import Application
from yiwang.config import get_settings
from yiwang.db import Database, create_engine_for
from yiwang.notify.models import OutboxMessage


@pytest.fixture(scope="module")
async def committing() -> AsyncIterator[Database]:
    """Its own database, so that what the requests commit stays out of the other tests."""
    from yiwang import demo
    from yiwang.accounts import reference

    url = fresh_database_url(f"yiwang_concurrency_{os.getpid()}")
    migrate.upgrade(url)
    engine: AsyncEngine = create_engine_for(url)
    async with Database(engine).transaction() as session:
        await reference.load(session)
        await demo.load(session)
    yield Database(engine)
    await engine.dispose()


async def count(db: Database, draft_id: str) -> tuple[int, int]:
    """(applications of the draft, outbox messages about them)."""
    async with db.sessionmaker() as s:
        ids = set((await s.execute(select(Application.id).filter_by(draft_id=draft_id))).scalars())
        messages = (await s.execute(select(OutboxMessage))).scalars()
        return len(ids), sum(1 for m in messages if m.payload.get("application_id") in ids)


async def ready_draft(db: Database) -> tuple[httpx.AsyncClient, flow.Draft]:
    async with db.sessionmaker() as s:
        shop = await flow.shop_id(s)
    client = app_client(create_app(get_settings(), db))
    return client, await flow.ready(client, shop)


async def test_fifty_concurrent_duplicates_make_one_application(committing: Database) -> None:
    client, draft = await ready_draft(committing)
    answers = await asyncio.gather(*(draft.submit("double-click") for _ in range(50)))
    await client.aclose()
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [200] * 49 + [201], statuses
    assert len({r.json()["number"] for r in answers}) == 1
    assert await count(committing, draft.id) == (1, 1)


async def test_concurrent_retries_with_new_keys_still_make_one(committing: Database) -> None:
    client, draft = await ready_draft(committing)
    answers = await asyncio.gather(*(draft.submit(f"retry-{n}") for n in range(10)))
    await client.aclose()
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [201] + [409] * 9, statuses
    assert await count(committing, draft.id) == (1, 1)


async def test_parallel_uploads_to_one_draft_are_all_kept(committing: Database) -> None:
    """Five materials at once, all the same file: every upload is kept, none is a conflict."""
    async with committing.sessionmaker() as s:
        shop = await flow.shop_id(s)
    client = app_client(create_app(get_settings(), committing))
    draft = await flow.start(client, shop)
    wanted = [m["key"] for m in draft.body["materials"] if m["required"] and not m["attached"]]
    content = samples.pdf(2)  # content no earlier test stored

    async def upload(key: str) -> httpx.Response:
        return await client.post(
            f"/api/v1/drafts/{draft.id}/materials/{key}",
            files={"file": ("same.pdf", content, "application/pdf")},
            headers=draft.headers,
        )

    answers = await asyncio.gather(*(upload(k) for k in wanted))
    assert [r.status_code for r in answers] == [201] * len(wanted), [r.text for r in answers]
    body = (await client.get(f"/api/v1/drafts/{draft.id}")).json()
    await client.aclose()
    attached = {m["key"] for m in body["materials"] if m["attached"]}
    assert set(wanted) <= attached
