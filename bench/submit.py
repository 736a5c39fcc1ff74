"""Submission end to end over HTTP against its limit, measured in the same run.

    .venv/bin/python bench/submit.py [postgresql|sqlite] [N] [CONCURRENCY] [WORKERS]

A fresh database built by the migrations with the demo loaded; `yiwang serve --workers WORKERS`
(default 2) on a free port. One draft of 开办餐饮店一件事 for the demo citizen's shop is filled in
and its five materials uploaded through the API, then copied N times (preparing drafts is not
what is measured). Timed: N `POST /api/v1/drafts/{id}/submit`, each with its own
Idempotency-Key, over CONCURRENCY keep-alive connections (bench/httpload.py). Each submission
refreshes the platform-filled values, pre-checks, inserts the application with its number,
timeline entry, outbox row and audit event, logs the data use and closes the draft, in one
transaction.
Limit: raw single-row INSERTs of a row of similar width, one transaction each, over the same
number of connections, into the same database. Target on PostgreSQL: ≥ 200 submissions/s.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("YIWANG_SECRET_KEY", "bench-secret")

import httpx
import psycopg
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import httpload
from tests.files import samples
from tests.forms import flow

from yiwang import demo, migrate
from yiwang.accounts import reference
from yiwang.accounts.demo import DEMO_PASSWORD
from yiwang.applications.models import Application
from yiwang.db import Database, create_engine_for
from yiwang.forms.models import Draft

TARGET = 200.0
NAME = "yiwang_bench_submit"


def fresh_url(kind: str) -> str:
    if kind == "postgresql":
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{NAME}"')
        return f"postgresql://postgres@127.0.0.1:5432/{NAME}"
    return f"sqlite:///{tempfile.mkdtemp()}/bench.db"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def load(url: str) -> None:
    engine = create_engine_for(url)
    async with Database(engine).transaction() as session:
        await reference.load(session)
        await demo.load(session)
    await engine.dispose()


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "yiwang", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def prepare(url: str, port: int) -> tuple[dict[str, str], str]:
    """Logs in, fills one draft through the API; (request headers, the draft id)."""
    base = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=base) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', page.text)
        assert token
        client.post(
            "/login",
            data={"login": flow.CITIZEN, "password": DEMO_PASSWORD, "csrf_token": token.group(1)},
        )
        token = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', client.get("/").text)
        assert token
        headers = {"X-CSRF-Token": token.group(1)}
        shop = asyncio.run(_shop(url))
        r = client.post(
            "/api/v1/drafts",
            json={
                "scenario": flow.SCENARIO,
                "answers": flow.ANSWERS,
                "enterprise_id": shop,
                "values": flow.values(),
            },
            headers=headers,
        )
        assert r.status_code == 201, r.text
        draft = r.json()
        for m in draft["materials"]:
            if m["required"] and not m["attached"]:
                up = client.post(
                    f"/api/v1/drafts/{draft['id']}/materials/{m['key']}",
                    files={"file": ("plan.pdf", samples.pdf(), "application/pdf")},
                    headers=headers,
                )
                assert up.status_code == 201, up.text
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        return {**headers, "Cookie": cookie}, str(draft["id"])


async def _shop(url: str) -> int:
    engine = create_engine_for(url)
    async with Database(engine).sessionmaker() as s:
        shop = await flow.shop_id(s)
    await engine.dispose()
    return shop


async def copy_draft(url: str, draft_id: str, n: int) -> list[str]:
    """N open drafts like the filled one (new ids)."""
    engine = create_engine_for(url)
    ids = [secrets.token_urlsafe(16) for _ in range(n)]
    async with Database(engine).transaction() as s:
        d = await s.get(Draft, draft_id)
        assert d is not None
        columns = [c.key for c in Draft.__table__.columns if c.key != "id"]
        for new in ids:
            s.add(Draft(id=new, **{c: getattr(d, c) for c in columns}))
    await engine.dispose()
    return ids


async def count_applications(url: str) -> int:
    engine = create_engine_for(url)
    async with Database(engine).sessionmaker() as s:
        n = await s.scalar(select(func.count()).select_from(Application))
    await engine.dispose()
    return int(n or 0)


async def raw_inserts(url: str, n: int, concurrency: int) -> float:
    """Rows per second: one INSERT per transaction over `concurrency` connections."""
    if url.startswith("sqlite"):
        import sqlite3

        path = url.removeprefix("sqlite:///")
        with sqlite3.connect(path, isolation_level=None) as c:
            c.execute("PRAGMA journal_mode=WAL")
            c.execute(
                "CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, k TEXT, v TEXT)"
            )
            started = time.perf_counter()
            for i in range(n):
                c.execute("BEGIN IMMEDIATE")
                c.execute("INSERT INTO bench_raw (k, v) VALUES (?, ?)", (f"k{i}", "x" * 2000))
                c.execute("COMMIT")
            return n / (time.perf_counter() - started)
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as c:
        await c.execute("DROP TABLE IF EXISTS bench_raw")
        await c.execute("CREATE TABLE bench_raw (id bigserial PRIMARY KEY, k text, v jsonb)")
    queue = list(range(n))
    payload = '{"values": "' + "x" * 2000 + '"}'

    async def worker() -> None:
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as c:
            while queue:
                i = queue.pop()
                await c.execute("INSERT INTO bench_raw (k, v) VALUES (%s, %s)", (f"k{i}", payload))

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return n / (time.perf_counter() - started)


def main() -> None:
    kind = sys.argv[1] if len(sys.argv) > 1 else "postgresql"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    concurrency = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    workers = int(sys.argv[4]) if len(sys.argv) > 4 else (2 if kind == "postgresql" else 1)
    url = fresh_url(kind)
    migrate.upgrade(url)
    asyncio.run(load(url))
    port = free_port()
    env = {
        **os.environ,
        "YIWANG_DATABASE_URL": url,
        "YIWANG_VAR_DIR": tempfile.mkdtemp(prefix="yiwang-bench-"),
        "YIWANG_LOG_LEVEL": "WARNING",
    }
    server = serve(env, port, workers)
    try:
        headers, draft_id = prepare(url, port)
        ids = asyncio.run(copy_draft(url, draft_id, n))
        requests = [
            httpload.request(
                "POST",
                f"/api/v1/drafts/{i}/submit",
                {**headers, "Idempotency-Key": f"bench-{i}"},
            )
            for i in ids
        ]
        warm = requests[: concurrency * 2]
        asyncio.run(httpload.run(port, warm, concurrency))
        result = asyncio.run(httpload.run(port, requests[len(warm) :], concurrency))
        made = asyncio.run(count_applications(url))
    finally:
        server.terminate()
        server.wait(timeout=20)
    raw = asyncio.run(raw_inserts(url, len(requests), concurrency))
    print(f"{kind}: {workers} app process(es), {concurrency} connections, {len(ids)} drafts")
    print(f"  statuses {result.statuses}; applications in the database: {made}")
    assert result.statuses == {201: len(requests) - len(warm)}, "every submission must succeed"
    assert made == len(requests), "one application per submission"
    print(
        f"  submit: {result.rate:,.0f}/s  p50 {result.percentile(50):.1f} ms"
        f"  p95 {result.percentile(95):.1f} ms"
    )
    print(f"  raw single-row INSERT (limit): {raw:,.0f}/s  ratio {raw / result.rate:.2f}")
    if kind == "postgresql":
        verdict = "met" if result.rate >= TARGET else "NOT met"
        print(f"  target ≥ {TARGET:.0f}/s: {verdict}")


if __name__ == "__main__":
    main()
