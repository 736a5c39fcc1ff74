"""Submission end to end over HTTP against its limit, measured in the same run.

    .venv/bin/python bench/submit.py [--count 2000] [--concurrency 16] [--workers 2]
                                     [--sessions 4] [--prepare copy|api] [--sqlite]
                                     [--profile 300] [--keep]

A fresh database built by the migrations with the demo loaded (`yiwang db upgrade`, `yiwang
demo`); `yiwang serve --workers W` (default 2 on PostgreSQL, 1 on SQLite) on a free port. The demo
citizen logs in SESSIONS times (several devices); each session fills one draft of 开办餐饮店一件事
(open-restaurant, answers [2, 0, 0]) for his shop through the API, uploads the required materials
and pre-checks it. Preparing drafts is not what is measured: `--prepare copy` (default) copies
those drafts in one INSERT to COUNT + warm-up drafts of the same person, `--prepare api` makes
every draft through the API (POST /api/v1/drafts, then one upload per required material).

Timed: COUNT `POST /api/v1/drafts/{id}/submit`, each with its own Idempotency-Key, over
CONCURRENCY keep-alive connections (bench/httpload.py, one per connection, opened 20 ms apart
so that both app processes get some), after 2 × CONCURRENCY untimed warm-up submissions. Each
submission loads the session, refreshes the platform-filled values, pre-checks, inserts the
application with its number, timeline entry, outbox row and data-use log, closes the draft and
appends the audit event, in one transaction. Checked afterwards: every answer 201, one
application, outbox row and audit event per submission, and the audit chain verifies.
While timing, the CPU time of the app processes (each worker apart), of PostgreSQL and of this
process is read from /proc; on PostgreSQL pg_stat_activity is sampled every 20 ms: how many of
the connections wait on a lock, and on which statement.

Limit: raw single-row INSERTs (psycopg directly, one transaction and commit per row) of a row
as wide as an application row (a real application's `content` JSON), over CONCURRENCY
connections into the same database: once after the warm-up while the server idles, once after
it stops; the ratio uses the mean. Target on PostgreSQL with two app processes: ≥ 200
submissions/s.

`--profile M` then submits 2 × M more drafts in this process, one at a time, as the route does
(load the principal, service.submit, commit): M timed with every SQL statement and the commit
timed, then M under cProfile (time by package, hottest functions).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import json
import os
import pstats
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("YIWANG_SECRET_KEY", "bench-secret")

import httpx
import psycopg
from sqlalchemy import event, func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import httpload
from tests.files import samples
from tests.forms import flow

from yiwang import demo, migrate
from yiwang.accounts import reference, sessions
from yiwang.accounts.demo import DEMO_PASSWORD
from yiwang.applications.models import Application
from yiwang.audit import service as audit
from yiwang.audit.models import AuditEvent
from yiwang.db import Database, Writes, create_engine_for
from yiwang.forms import service as forms
from yiwang.forms.models import Draft
from yiwang.notify.models import OutboxMessage

TARGET = 200.0
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
CSRF_RE = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


# ---- database and server -------------------------------------------------------------------


def fresh_url(kind: str, name: str, tmp: Path) -> str:
    if kind == "postgresql":
        with psycopg.connect(ADMIN_URL, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:5432/{name}"
    return f"sqlite:///{tmp}/bench.db"


def drop(kind: str, name: str) -> None:
    if kind == "postgresql":
        with psycopg.connect(ADMIN_URL, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def load(url: str) -> None:
    """What `yiwang db upgrade` and `yiwang demo` do."""
    migrate.upgrade(url)
    engine = create_engine_for(url)
    async with Database(engine).transaction() as session:
        await reference.load(session)
    async with Database(engine).transaction() as session:
        await demo.load(session)
    await engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "yiwang", "serve", "--port", str(port)]
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*command, "--workers", str(workers)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers stop with it
        )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        time.sleep(0.2)
    stop(server)
    raise SystemExit(f"the server did not start; see {log}:\n{log.read_text()[-3000:]}")


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)  # the group this script started, by its id
        server.wait(timeout=10)


# ---- sessions and drafts -------------------------------------------------------------------


@dataclass
class Login:
    headers: dict[str, str]  # Cookie and X-CSRF-Token, as a browser's script sends them
    token: str  # the session cookie, for the in-process profile
    draft_id: str  # the draft this session filled through the API


def log_in(base: str) -> tuple[httpx.Client, dict[str, str]]:
    client = httpx.Client(base_url=base, timeout=60)
    page = client.get("/login")
    token = CSRF_RE.search(page.text)
    assert token, "no CSRF token on /login"
    r = client.post(
        "/login",
        data={"login": flow.CITIZEN, "password": DEMO_PASSWORD, "csrf_token": token.group(1)},
    )
    assert r.status_code in (200, 303), r.text[:500]
    token = CSRF_RE.search(client.get("/").text)
    assert token, "no CSRF token after logging in"
    return client, {"X-CSRF-Token": token.group(1)}


def draft_body(shop: int) -> dict[str, Any]:
    return {
        "scenario": flow.SCENARIO,
        "answers": flow.ANSWERS,
        "enterprise_id": shop,
        "values": flow.values(),
    }


def fill_one(client: httpx.Client, headers: dict[str, str], shop: int) -> str:
    """One draft through the API: values, the required materials, a pre-check that passes."""
    r = client.post("/api/v1/drafts", json=draft_body(shop), headers=headers)
    assert r.status_code == 201, r.text[:500]
    draft = r.json()
    for m in draft["materials"]:
        if m["required"] and not m["attached"]:
            up = client.post(
                f"/api/v1/drafts/{draft['id']}/materials/{m['key']}",
                files={"file": ("plan.pdf", samples.pdf(), "application/pdf")},
                headers=headers,
            )
            assert up.status_code == 201, up.text[:500]
    pre = client.post(f"/api/v1/drafts/{draft['id']}/precheck", headers=headers)
    assert pre.status_code == 200 and pre.json()["can_submit"], pre.text[:1000]
    return str(draft["id"])


def log_in_all(port: int, n: int, shop: int) -> list[Login]:
    logins = []
    for _ in range(n):
        client, headers = log_in(f"http://127.0.0.1:{port}")
        try:
            draft_id = fill_one(client, headers, shop)
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
            token = client.cookies.get("yiwang_session") or ""
        finally:
            client.close()
        logins.append(Login({**headers, "Cookie": cookie}, token, draft_id))
    return logins


async def shop_id(url: str) -> int:
    engine = create_engine_for(url)
    async with Database(engine).sessionmaker() as s:
        shop = await flow.shop_id(s)
    await engine.dispose()
    return shop


async def copy_drafts(url: str, logins: list[Login], n: int) -> list[tuple[Login, str]]:
    """N open drafts like the filled ones, spread over the sessions, in one INSERT."""
    engine = create_engine_for(url)
    out: list[tuple[Login, str]] = []
    rows: list[dict[str, Any]] = []
    async with Database(engine).transaction() as s:
        columns = [c.key for c in Draft.__table__.columns if c.key != "id"]
        templates = {}
        for login in logins:
            d = await s.get(Draft, login.draft_id)
            assert d is not None
            templates[login.draft_id] = {c: getattr(d, c) for c in columns}
        for i in range(n):
            login = logins[i % len(logins)]
            new = secrets.token_urlsafe(16)
            rows.append({"id": new, **templates[login.draft_id]})
            out.append((login, new))
        await s.execute(insert(Draft), rows)
    await engine.dispose()
    return out


def multipart(data: bytes, boundary: str) -> bytes:
    return (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="plan.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )


async def api_drafts(
    port: int, logins: list[Login], n: int, shop: int, concurrency: int
) -> tuple[list[tuple[Login, str]], float]:
    """N drafts through the API, concurrently; (drafts, seconds taken)."""
    started = time.perf_counter()
    body = json.dumps(draft_body(shop)).encode()
    # A draft is its person's, whichever of his sessions made it.
    creates = [
        httpload.request(
            "POST",
            "/api/v1/drafts",
            {**logins[i % len(logins)].headers, "Content-Type": "application/json"},
            body,
        )
        for i in range(n)
    ]
    bodies: list[bytes] = []
    res = await httpload.run(port, creates, concurrency, bodies)  # bodies: draft ids
    assert res.statuses == {201: n}, res.statuses
    made = [(logins[i % len(logins)], json.loads(b)) for i, b in enumerate(bodies)]
    boundary = uuid.uuid4().hex
    pdf = multipart(samples.pdf(), boundary)
    # One draft's uploads one after another on one connection: five uploads to one draft at once
    # all answered 201, yet the draft kept only one or two of them.
    shares: list[list[bytes]] = [[] for _ in range(concurrency)]
    for n_draft, (login, d) in enumerate(made):
        headers = {**login.headers, "Content-Type": f"multipart/form-data; boundary={boundary}"}
        for m in d["materials"]:
            if m["required"] and not m["attached"]:
                path = f"/api/v1/drafts/{d['id']}/materials/{m['key']}"
                shares[n_draft % concurrency].append(httpload.request("POST", path, headers, pdf))
    uploads = sum(len(share) for share in shares)
    res = await spread_shares(port, shares)
    assert res.statuses == {201: uploads}, res.statuses
    return [(login, str(d["id"])) for login, d in made], time.perf_counter() - started


# ---- load ---------------------------------------------------------------------------------


async def spread(
    port: int, requests: list[bytes], concurrency: int, gap: float = 0.02
) -> httpload.Result:
    """httpload over `concurrency` connections opened GAP seconds apart, each sending its share.
    Opened all at once, the connections often all land on the one worker whose loop accepted
    first (seen: 16 to 0, one process idle, 58/s); keep-alive keeps them there for the run."""
    return await spread_shares(port, [requests[i::concurrency] for i in range(concurrency)], gap)


async def spread_shares(port: int, shares: list[list[bytes]], gap: float = 0.02) -> httpload.Result:
    """Each share in order on a connection of its own."""

    async def one(i: int) -> httpload.Result:
        await asyncio.sleep(i * gap)
        return await httpload.run(port, shares[i], 1)

    started = time.perf_counter()
    results = await asyncio.gather(*(one(i) for i in range(len(shares)) if shares[i]))
    statuses: Counter[int] = Counter()
    for r in results:
        statuses.update(r.statuses)
    return httpload.Result(
        time.perf_counter() - started,
        [t for r in results for t in r.latencies],
        dict(statuses),
    )


# ---- the limit -----------------------------------------------------------------------------


async def app_row(url: str) -> tuple[str, float]:
    """(one application's content as JSON text, average application row width in bytes)."""
    if url.startswith("sqlite"):
        engine = create_engine_for(url)
        async with Database(engine).sessionmaker() as s:
            content = (await s.execute(select(Application.content).limit(1))).scalar_one()
        await engine.dispose()
        return json.dumps(content, ensure_ascii=False), 0.0
    async with await psycopg.AsyncConnection.connect(url) as c:
        cur = await c.execute(
            "SELECT (SELECT content::text FROM applications LIMIT 1),"
            " (SELECT avg(pg_column_size(a.*)) FROM applications a)"
        )
        row = await cur.fetchone()
        assert row is not None
        return str(row[0]), float(row[1])


def raw_inserts(url: str, n: int, concurrency: int, payload: str) -> float:
    """Rows per second: one INSERT per transaction over `concurrency` connections."""
    if url.startswith("sqlite"):
        return _raw_sqlite(url.removeprefix("sqlite:///"), n, concurrency, payload)
    return asyncio.run(_raw_pg(url, n, concurrency, payload))


async def _raw_pg(url: str, n: int, concurrency: int, payload: str) -> float:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as c:
        await c.execute("DROP TABLE IF EXISTS bench_raw")
        await c.execute(
            "CREATE TABLE bench_raw (id bigserial PRIMARY KEY, number text, person_id bigint,"
            " status text, content jsonb, submitted_at timestamptz DEFAULT now())"
        )
    conns = [
        await psycopg.AsyncConnection.connect(url, autocommit=True) for _ in range(concurrency)
    ]
    left = list(range(n))

    async def worker(c: psycopg.AsyncConnection[Any]) -> None:
        while left:
            i = left.pop()
            await c.execute(
                "INSERT INTO bench_raw (number, person_id, status, content)"
                " VALUES (%s, %s, 'submitted', %s)",
                (f"37020220261204{i:08d}X", 1, payload),
            )

    started = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in conns))
    seconds = time.perf_counter() - started
    for c in conns:
        await c.close()
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as c:
        await c.execute("DROP TABLE bench_raw")
    return n / seconds


def _raw_sqlite(path: str, n: int, concurrency: int, payload: str) -> float:
    """The app's settings (WAL, BEGIN IMMEDIATE, busy timeout); writers queue on the lock."""
    import sqlite3

    with sqlite3.connect(path, isolation_level=None) as c:
        c.execute("DROP TABLE IF EXISTS bench_raw")
        c.execute(
            "CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, number TEXT, person_id INTEGER,"
            " status TEXT, content TEXT, submitted_at TEXT DEFAULT CURRENT_TIMESTAMP)"
        )
    left = list(range(n))
    lock = threading.Lock()

    def worker() -> None:
        c = sqlite3.connect(path, isolation_level=None, timeout=30)
        c.execute("PRAGMA journal_mode=WAL")
        while True:
            with lock:
                if not left:
                    break
                i = left.pop()
            c.execute("BEGIN IMMEDIATE")
            c.execute(
                "INSERT INTO bench_raw (number, person_id, status, content)"
                " VALUES (?, 1, 'submitted', ?)",
                (f"37020220261204{i:08d}X", payload),
            )
            c.execute("COMMIT")
        c.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    with sqlite3.connect(path, isolation_level=None) as c:
        c.execute("DROP TABLE bench_raw")
    return n / seconds


# ---- lock sampling -------------------------------------------------------------------------


class LockSampler:
    """Samples pg_stat_activity of the bench database while the submissions run."""

    def __init__(self, url: str, name: str) -> None:
        self.url, self.name = url, name
        self.samples = 0
        self.active: list[int] = []
        self.waiting: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LockSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as c:
            while not self._stop.wait(0.02):
                rows = c.execute(
                    "SELECT state, wait_event_type, left(regexp_replace(query, '\\s+', ' ', 'g'),"
                    " 90) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                    (self.name,),
                ).fetchall()
                self.samples += 1
                self.active.append(sum(1 for r in rows if r[0] != "idle"))
                for _state, wait, query in rows:
                    if wait == "Lock":
                        self.waiting[query] += 1

    def report(self, concurrency: int) -> list[str]:
        if not self.samples:
            return []
        total = sum(self.waiting.values()) / self.samples
        lines = [
            f"  lock waits: on average {total:.1f} of {concurrency} connections waiting on a lock"
            f" ({statistics.mean(self.active):.1f} not idle; {self.samples} samples)"
        ]
        for query, n in self.waiting.most_common(3):
            lines.append(f"    {n / self.samples:5.1f} waiting on: {query}")
        return lines


# ---- CPU accounting -----------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[str, int, float] | None:
    """(command, parent pid, CPU seconds) of a process, None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    return comm, int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def _is_worker(pid: int) -> bool:
    """Uvicorn's worker processes, not multiprocessing's resource tracker."""
    try:
        return b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _machine() -> tuple[float, float, float]:
    """(busy, total, stolen) CPU seconds of the whole machine since boot; stolen: taken by the
    hypervisor for other guests."""
    parts = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = parts[3] + parts[4]
    return (sum(parts[:8]) - idle) / TICK, sum(parts[:8]) / TICK, parts[7] / TICK


class CpuMeter:
    """CPU seconds spent by the app processes, by PostgreSQL and by this process (the load
    generator) between start and stop; the machine is shared, so its total busy time is kept
    apart."""

    def __init__(self, server: subprocess.Popen[bytes], postgres: bool = True) -> None:
        self.server, self.postgres = server.pid, postgres

    def _groups(self) -> tuple[dict[str, float], dict[int, float]]:
        out = {"app": 0.0, "postgres": 0.0} if self.postgres else {"app": 0.0}
        workers: dict[int, float] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            got = _stat(int(entry.name))
            if got is None:
                continue
            comm, ppid, cpu = got
            if int(entry.name) == self.server or ppid == self.server:
                out["app"] += cpu
                if ppid == self.server and _is_worker(int(entry.name)):
                    workers[int(entry.name)] = cpu
            elif self.postgres and comm.startswith("postgres"):
                out["postgres"] += cpu
        t = os.times()
        out["load generator"] = t.user + t.system
        return out, workers

    def __enter__(self) -> CpuMeter:
        (self.before, self.w0), self.m0 = self._groups(), _machine()
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        (after, w1), m1 = self._groups(), _machine()
        self.seconds = time.perf_counter() - self.t0
        self.used = {k: after[k] - self.before[k] for k in after}
        # Keep-alive connections stay with the worker that accepted them: a lopsided share
        # leaves one process idle.
        self.workers = [w1[pid] - self.w0.get(pid, 0.0) for pid in sorted(w1)]
        self.busy = (m1[0] - self.m0[0]) / (m1[1] - self.m0[1])
        self.steal = (m1[2] - self.m0[2]) / (m1[1] - self.m0[1])

    def report(self, n: int) -> str:
        parts = ", ".join(f"{k} {v / n * 1000:.1f} ms" for k, v in self.used.items())
        cores = sum(self.used.values()) / self.seconds
        each = " / ".join(f"{w / self.seconds:.0%}" for w in self.workers)
        return (
            f"  CPU per submission: {parts}; these used {cores:.2f} of {os.cpu_count()} cores"
            f" (app workers {each or 'one process'} of a core), the machine was {self.busy:.0%}"
            f" busy, {self.steal:.0%} stolen by the hypervisor"
        )


# ---- checks --------------------------------------------------------------------------------


async def counts(url: str) -> dict[str, Any]:
    engine = create_engine_for(url)
    async with Database(engine).sessionmaker() as s:
        apps = await s.scalar(select(func.count()).select_from(Application))
        outbox = await s.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.topic == "application.submitted")
        )
        audited = await s.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "application.submit")
        )
        open_drafts = await s.scalar(
            select(func.count()).select_from(Draft).where(Draft.status == "open")
        )
        chain = await audit.verify(s)
    await engine.dispose()
    return {
        "applications": int(apps or 0),
        "outbox": int(outbox or 0),
        "audit": int(audited or 0),
        "open drafts": int(open_drafts or 0),
        "chain ok": chain.ok,
    }


# ---- in-process profile --------------------------------------------------------------------


def _kind(statement: str) -> str:
    """INSERT applications, SELECT form_drafts…: the verb and the first table."""
    s = " ".join(statement.split())
    verb = s.split(" ", 1)[0].upper()
    if verb == "SELECT":
        m = re.search(r"\bFROM\s+\(?\s*([a-z_]+)", s, re.IGNORECASE)
    elif verb == "INSERT":
        m = re.search(r"\bINTO\s+([a-z_]+)", s, re.IGNORECASE)
    elif verb == "UPDATE":
        m = re.search(r"^UPDATE\s+([a-z_]+)", s, re.IGNORECASE)
    else:
        m = None
    lock = " FOR UPDATE" if "FOR UPDATE" in s.upper() else ""
    return f"{verb} {m.group(1) if m else ''}{lock}".strip()


def _package(filename: str, func: str) -> str:
    """Which library a profiled function belongs to."""
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/", 1)[0]
    if "/src/yiwang/" in filename:
        return "yiwang." + filename.split("/src/yiwang/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if filename == "~":
        return "builtins: " + ("select/epoll (waiting)" if "poll" in func else "other")
    if "/lib/python3" in filename:
        return "stdlib " + filename.rsplit("/", 2)[-2 if filename.endswith("__init__.py") else -1]
    return filename.rsplit("/", 1)[-1]


async def profile(url: str, drafts: list[tuple[Login, str]]) -> list[str]:
    """Submits one draft at a time as the route does; statements, their time, and cProfile."""
    engine = create_engine_for(url)
    db = Database(engine)
    stats: dict[str, list[float]] = defaultdict(list)
    commits: list[float] = []
    per_submit: list[int] = []
    current = {"n": 0}
    started_at: dict[int, float] = {}

    raw: list[Any] = []  # the psycopg connections, for a libpq protocol trace

    @event.listens_for(engine.sync_engine, "connect")
    def connected(dbapi_connection: Any, record: Any) -> None:
        raw.append(getattr(dbapi_connection, "_connection", None))

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        started_at[id(cursor)] = time.perf_counter()

    @event.listens_for(engine.sync_engine, "after_cursor_execute")
    def after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        stats[_kind(statement)].append(time.perf_counter() - started_at.pop(id(cursor)))
        current["n"] += 1

    send = Writes.send

    async def timed_send(writes: Writes, session: Any) -> None:
        # The writes' pipeline bypasses the statement events: timed here as one round trip.
        t0 = time.perf_counter()
        await send(writes, session)
        stats["pipeline (the writes, the audit)"].append(time.perf_counter() - t0)

    if url.startswith("postgresql"):  # elsewhere they go through the session's events
        Writes.send = timed_send

    async def one(login: Login, draft_id: str, i: int) -> float:
        current["n"] = 0
        t0 = time.perf_counter()
        async with db.sessionmaker() as session:
            try:
                principal = await sessions.load_principal(session, login.token)
                assert principal is not None
                await forms.submit(session, principal, draft_id, f"profile-{i}")
                c0 = time.perf_counter()
                await session.commit()
                commits.append(time.perf_counter() - c0)
            except BaseException:
                await session.rollback()
                raise
        per_submit.append(current["n"])
        return time.perf_counter() - t0

    warm, rest = drafts[:20], drafts[20:]
    plain, profiled = rest[: len(rest) // 2], rest[len(rest) // 2 :]
    for i, (login, draft_id) in enumerate(warm[:10]):  # caches, prepared statements
        await one(login, draft_id, i)
    # Round trips as the server sees them, BEGIN and the pool's pre-ping included (neither goes
    # through the statement events): each Query or Sync message is answered before the next.
    trips = None
    if url.startswith("postgresql"):
        with tempfile.TemporaryFile("w+") as trace:
            for c in raw:
                c.pgconn.trace(trace.fileno())
            for i, (login, draft_id) in enumerate(warm[10:], start=10):
                await one(login, draft_id, i)
            for c in raw:
                c.pgconn.untrace()
            trace.seek(0)
            kinds = Counter(
                parts[3]
                for parts in (line.rstrip("\n").split("\t") for line in trace)
                if len(parts) > 3 and parts[1] == "F"
            )
        trips = (kinds["Query"] + kinds["Sync"]) / len(warm[10:])
        simple = kinds["Query"] / len(warm[10:])
        executed = kinds["Execute"] / len(warm[10:])
    else:
        for i, (login, draft_id) in enumerate(warm[10:], start=10):
            await one(login, draft_id, i)
    stats.clear()
    commits.clear()
    per_submit.clear()
    cpu0 = time.process_time()
    walls = [await one(login, d, i) for i, (login, d) in enumerate(plain, start=len(warm))]
    cpu = time.process_time() - cpu0
    statements = {k: list(v) for k, v in stats.items()}
    counted, committed = list(per_submit), list(commits)
    profiler = cProfile.Profile()
    profiler.enable()
    for i, (login, draft_id) in enumerate(profiled, start=len(warm) + len(plain)):
        await one(login, draft_id, i)
    profiler.disable()
    Writes.send = send
    await engine.dispose()

    n = len(plain)
    sql_total = sum(sum(v) for v in statements.values()) + sum(committed)
    wall = sum(walls)
    lines = [
        f"  in-process, one at a time: {n} submissions, {statistics.mean(walls) * 1000:.2f} ms"
        f" each (median {statistics.median(walls) * 1000:.2f}, so {n / wall:.0f}/s per process);"
        f" this process's CPU {cpu / n * 1000:.2f} ms each",
        f"  statements per submission: {statistics.mean(counted):.1f} through the session,"
        " a pipeline of writes, COMMIT"
        + (
            f" (the server executed {executed:.0f} statements in {trips:.0f} round trips,"
            f" {simple:.0f} of them simple queries: the pre-ping, BEGIN, COMMIT)"
            if trips is not None
            else ""
        )
        + ";"
        f" database round trips {sql_total / n * 1000:.2f} ms of {wall / n * 1000:.2f} ms"
        f" ({sql_total / wall:.0%}), the rest Python",
        f"    {'statement':<40}{'per submit':>11}{'mean ms':>9}{'ms/submit':>11}",
    ]
    for kind, times in sorted(statements.items(), key=lambda kv: -sum(kv[1])):
        lines.append(
            f"    {kind:<40}{len(times) / n:>11.1f}{statistics.mean(times) * 1000:>9.3f}"
            f"{sum(times) / n * 1000:>11.3f}"
        )
    lines.append(
        f"    {'COMMIT':<40}{1.0:>11.1f}{statistics.mean(committed) * 1000:>9.3f}"
        f"{sum(committed) / n * 1000:>11.3f}"
    )
    st = pstats.Stats(profiler)
    by_package: Counter[str] = Counter()
    for (filename, _line, name), row in st.stats.items():  # type: ignore[attr-defined]
        by_package[_package(filename, name)] += row[2]
    total = sum(by_package.values())
    lines.append(
        f"  CPU under cProfile by package (own time; {total / len(profiled) * 1000:.1f} ms"
        " per submission with the profiler's overhead):"
    )
    for package, seconds in by_package.most_common(10):
        lines.append(f"    {package:<36}{seconds / total:>6.0%}")
    for order, only in (("tottime", ()), ("cumulative", ("yiwang/",))):
        buf = io.StringIO()
        st = pstats.Stats(profiler, stream=buf)
        st.sort_stats(order).print_stats(*only, 25)
        body = buf.getvalue()
        start = body.find("   ncalls")
        where = " (src/yiwang only)" if only else ""
        lines.append(f"  cProfile by {order}{where}, {len(profiled)} more submissions:")
        lines += ["    " + ln for ln in body[start:].rstrip().splitlines()]
    return lines


# ---- main ----------------------------------------------------------------------------------


def system_line() -> str:
    load = os.getloadavg()
    git = shutil.which("git")
    rev = ""
    if git:
        rev = subprocess.run(
            [git, "describe", "--always", "--dirty"],
            cwd=Path(__file__).resolve().parents[1],
            capture_output=True,
            text=True,
        ).stdout.strip()
    return f"code {rev or '?'}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--count", type=int, default=2000, help="timed submissions")
    p.add_argument("--concurrency", type=int, default=16, help="keep-alive connections")
    p.add_argument("--workers", type=int, default=None, help="app processes (2; SQLite 1)")
    p.add_argument("--sessions", type=int, default=4, help="logged-in sessions of the citizen")
    p.add_argument("--prepare", choices=("copy", "api"), default="copy")
    p.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    p.add_argument("--profile", type=int, default=0, metavar="M", help="then 2 × M in-process")
    p.add_argument("--database", default=f"yiwang_bench_submit_{os.getpid()}")
    p.add_argument("--keep", action="store_true", help="keep the database")
    args = p.parse_args()
    kind = "sqlite" if args.sqlite else "postgresql"
    workers = args.workers or (1 if args.sqlite else 2)
    warm = 2 * args.concurrency
    total = args.count + warm

    tmp = Path(tempfile.mkdtemp(prefix="yiwang-bench-submit-"))
    url = fresh_url(kind, args.database, tmp)
    server = None
    try:
        asyncio.run(load(url))
        shop = asyncio.run(shop_id(url))
        port = free_port()
        env = {
            **os.environ,
            "YIWANG_DATABASE_URL": url,
            "YIWANG_VAR_DIR": str(tmp / "var"),
            "YIWANG_LOG_LEVEL": "WARNING",
        }
        print(f"{kind}: {workers} app process(es), {args.concurrency} connections, {system_line()}")
        raw_rows = min(args.count, 4000)
        server = serve(env, port, workers, tmp / "server.log")
        logins = log_in_all(port, args.sessions, shop)
        if args.prepare == "api":
            drafts, seconds = asyncio.run(api_drafts(port, logins, total, shop, args.concurrency))
            print(f"  prepared {len(drafts)} drafts through the API in {seconds:.1f} s")
        else:
            drafts = asyncio.run(copy_drafts(url, logins, total))
            print(f"  prepared {len(drafts)} drafts (copies of {len(logins)} filled in by the API)")
        requests = [
            httpload.request(
                "POST",
                f"/api/v1/drafts/{draft_id}/submit",
                {**login.headers, "Idempotency-Key": f"bench-{i}"},
            )
            for i, (login, draft_id) in enumerate(drafts)
        ]
        warm_result = asyncio.run(spread(port, requests[:warm], args.concurrency))
        assert warm_result.statuses == {201: warm}, warm_result.statuses
        # The limit's row: a real application's content. Measured while the server idles.
        payload, width = asyncio.run(app_row(url))
        before = raw_inserts(url, raw_rows, args.concurrency, payload)
        load_before = os.getloadavg()[0]
        sampler = LockSampler(url, args.database) if kind == "postgresql" else None
        with CpuMeter(server, kind == "postgresql") as cpu:
            if sampler:
                with sampler:
                    result = asyncio.run(spread(port, requests[warm:], args.concurrency))
            else:
                result = asyncio.run(spread(port, requests[warm:], args.concurrency))
        load_after = os.getloadavg()[0]
        stop(server)
        server = None
        after = raw_inserts(url, raw_rows, args.concurrency, payload)
        made = asyncio.run(counts(url))
        expected = total
        print(f"  statuses {result.statuses}; in the database: {made}")
        assert result.statuses == {201: args.count}, "every submission must answer 201"
        assert made["applications"] == expected, "one application per submission"
        assert made["outbox"] == expected and made["audit"] == expected
        assert made["open drafts"] == len(logins) and made["chain ok"]
        raw = (before + after) / 2
        print(
            f"  submit: {result.rate:,.0f}/s over {args.count} "
            f"(p50 {result.percentile(50):.1f} ms, p95 {result.percentile(95):.1f} ms,"
            f" p99 {result.percentile(99):.1f} ms, max {max(result.latencies) * 1000:.0f} ms);"
            f" 1-min load {load_before:.2f} → {load_after:.2f}"
        )
        print(cpu.report(args.count))
        if sampler:
            for line in sampler.report(args.concurrency):
                print(line)
        print(
            f"  raw single-row INSERT (limit), {len(payload):,}-character content"
            + (f", application rows {width:,.0f} bytes" if width else "")
            + f": {before:,.0f}/s before, {after:,.0f}/s after; ratio {raw / result.rate:.2f}"
        )
        if kind == "postgresql" and workers == 2:
            verdict = "met" if result.rate >= TARGET else "NOT met"
            print(f"  target ≥ {TARGET:.0f}/s with two app processes: {verdict}")
        if args.profile:
            more = asyncio.run(copy_drafts(url, logins, 2 * args.profile + 20))
            for line in asyncio.run(profile(url, more)):
                print(line)
    except BaseException:
        for log in sorted(tmp.glob("server*.log")):
            print(f"--- the end of {log.name}:\n{log.read_text(errors='replace')[-4000:]}")
        raise
    finally:
        if server is not None:
            stop(server)
        if not args.keep:
            drop(kind, args.database)
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"  kept: {url} ({tmp})")


if __name__ == "__main__":
    main()
