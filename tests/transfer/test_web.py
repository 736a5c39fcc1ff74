"""The administrators' import and export pages: upload, progress, result, downloads, access."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support import csrf_from, login
from tests.transfer import fixture
from tests.transfer.test_import import _hall_row, _halls_csv
from yiwang.db import Database
from yiwang.jobs import service as jobs
from yiwang.kit.tabular import BOM
from yiwang.transfer import tasks


async def _upload(client: httpx.AsyncClient, kind: str, name: str, data: bytes) -> httpx.Response:
    token = csrf_from((await client.get("/admin/imports")).text)
    return await client.post(
        "/admin/imports",
        data={"csrf_token": token, "kind": kind},
        files={"file": (name, data, "text/csv")},
    )


async def _run_upload(
    app: FastAPI, client: httpx.AsyncClient, kind: str, name: str, data: bytes
) -> tuple[int, httpx.Response]:
    """Upload, let the in-process job run to its end, and open its page."""
    posted = await _upload(client, kind, name, data)
    assert posted.status_code == 303, posted.text
    location = posted.headers["location"]
    run_id = int(location.rsplit("/", 1)[1])
    await tasks.wait(app.state, run_id)
    return run_id, await client.get(location)


async def test_upload_runs_in_the_background_and_shows_the_summary(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, db: Database
) -> None:
    await fixture.catalogue(session)
    await fixture.halls(session)
    await login(client, "admin")
    client.cookies.set("yiwang_lang", "en")
    data = _halls_csv(*(_hall_row(n) for n in range(1, 4)), _hall_row(9).replace("X-N9", "X-H1"))
    before = await fixture.counts(session)
    run_id, page = await _run_upload(app, client, "halls", "halls.csv", data)
    assert page.status_code == 200
    text = page.text
    assert "Import finished" in text and "<progress" not in text and "hx-trigger" not in text
    assert "<dt>Added</dt><dd>3</dd>" in text and "<dt>Updated</dt><dd>1</dd>" in text
    assert (await fixture.counts(session))["halls"] == before["halls"] + 3
    async with db.transaction() as s:
        run = await jobs.get_run(s, run_id)
        assert (run.status, run.total, run.done, run.created_by is not None) == ("done", 4, 4, True)
        assert run.kind == "import.halls" and run.params["filename"] == "halls.csv"
        # The uploaded file is gone once the run is over; the row only named it.
        assert not await asyncio.to_thread(Path(run.params["path"]).exists)
    listing = await client.get("/admin/imports")
    assert f'href="/admin/imports/{run_id}"' in listing.text and "halls.csv" in listing.text


async def test_upload_with_one_bad_row_lists_it_and_changes_nothing(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await fixture.catalogue(session)
    await fixture.halls(session)
    await login(client, "admin")
    rows = [_hall_row(n) for n in range(1, 6)] + [_hall_row(6, region="379999010001")]
    before = await fixture.counts(session)
    run_id, page = await _run_upload(app, client, "halls", "bad.csv", _halls_csv(*rows))
    assert (
        "<td>7</td><td><code>region_code</code></td><td>行政区划代码 379999 不存在。</td>"
        in page.text
    )
    assert await fixture.counts(session) == before
    client.cookies.set("yiwang_lang", "en")
    english = await client.get(f"/admin/imports/{run_id}")
    assert "<td>7</td><td><code>region_code</code></td><td>Unknown region code 379999.</td>" in (
        english.text
    )
    assert "Nothing was changed" in english.text and "The file has 1 error." in english.text
    listing = await client.get("/admin/imports")
    assert "Not imported: the file has errors" in listing.text and "<td>Halls</td>" in listing.text


async def test_progress_page_polls_and_works_without_javascript(
    client: httpx.AsyncClient, db: Database
) -> None:
    async with db.transaction() as s:
        run = await jobs.create_run(s, "import.halls", {"kind": "halls", "filename": "a.csv"})
    await login(client, "admin")
    client.cookies.set("yiwang_lang", "en")
    page = await client.get(f"/admin/imports/{run.id}")
    assert page.status_code == 200
    assert f'hx-get="/admin/imports/{run.id}/status" hx-trigger="every 1s"' in page.text
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page.text
    assert "Waiting to start" in page.text and "<progress" in page.text
    async with db.transaction() as s:
        await jobs.start(s, run.id, 1000)
        await jobs.progress(s, run.id, 250)
    fragment = await client.get(f"/admin/imports/{run.id}/status")
    assert '<progress id="import-progress" max="1000" value="250">' in fragment.text
    assert "Checking rows: 250 of 1000" in fragment.text and "<html" not in fragment.text
    async with db.transaction() as s:
        await jobs.finish(s, run.id, {"kind": "halls", "rows": 1000, "inserted": 1000})
    done = await client.get(f"/admin/imports/{run.id}/status")
    assert "hx-trigger" not in done.text and "<dt>Added</dt><dd>1000</dd>" in done.text


async def test_a_run_that_crashes_is_marked_failed(client: httpx.AsyncClient, db: Database) -> None:
    async with db.transaction() as s:
        run = await jobs.create_run(
            s, "import.halls", {"kind": "halls", "format": "csv", "path": "/nonexistent/x.csv"}
        )
    await tasks.run_import(db, run.id)
    async with db.transaction() as s:
        assert (await jobs.get_run(s, run.id)).status == "failed"
    await login(client, "admin")
    client.cookies.set("yiwang_lang", "en")
    page = await client.get(f"/admin/imports/{run.id}")
    assert "The import failed" in page.text and "Nothing was changed." in page.text


async def test_upload_form_names_the_field_in_error(client: httpx.AsyncClient) -> None:
    await login(client, "admin")
    client.cookies.set("yiwang_lang", "en")
    token = csrf_from((await client.get("/admin/imports")).text)
    no_file = await client.post("/admin/imports", data={"csrf_token": token, "kind": "halls"})
    assert no_file.status_code == 422 and "Please choose a file." in no_file.text
    assert 'id="f-file-error"' in no_file.text
    tree_csv = await _upload(client, "scenarios", "trees.csv", b"code\r\nx\r\n")
    assert tree_csv.status_code == 422
    assert "This kind cannot be imported from CSV files." in tree_csv.text
    unknown = await _upload(client, "people", "a.csv", b"code\r\nx\r\n")
    assert unknown.status_code == 422 and "Please choose what to import." in unknown.text
    forged = await client.post(
        "/admin/imports",
        data={"csrf_token": "0" * 64, "kind": "halls"},
        files={"file": ("a.csv", b"code\r\n", "text/csv")},
    )
    assert forged.status_code == 400


async def test_exports_download_as_attachments(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await fixture.catalogue(session)
    await fixture.halls(session)
    await login(client, "admin")
    halls = await client.get("/admin/exports/halls.csv")
    assert halls.status_code == 200
    assert halls.headers["content-type"] == "text/csv; charset=utf-8"
    assert halls.headers["content-disposition"].startswith('attachment; filename="yiwang-halls-')
    assert halls.content.startswith(BOM.encode())
    assert "X-H1,测试便民服务站1" in halls.content.decode("utf-8-sig")
    items = await client.get("/admin/exports/items.json")
    assert any(i["code"] == "X-FOOD" for i in json.loads(items.content))
    assert (await client.get("/admin/exports/scenarios.csv")).status_code == 404
    assert (await client.get("/admin/exports/people.csv")).status_code == 404


async def test_only_administrators_may_import_or_export(
    client: httpx.AsyncClient, db: Database
) -> None:
    async with db.transaction() as s:
        run = await jobs.create_run(s, "import.halls", {"kind": "halls"})
    anonymous = await client.get("/admin/imports")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    await login(client, "clerk.shinan")
    token = csrf_from((await client.get("/me")).text)
    for path in ("/admin/imports", f"/admin/imports/{run.id}", f"/admin/imports/{run.id}/status"):
        assert (await client.get(path)).status_code == 403, path
    assert (await client.get("/admin/exports/halls.csv")).status_code == 403
    posted = await client.post(
        "/admin/imports",
        data={"csrf_token": token, "kind": "halls"},
        files={"file": ("a.csv", b"code\r\n", "text/csv")},
    )
    assert posted.status_code == 403
