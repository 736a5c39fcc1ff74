"""Client instructions per submission against a raw INSERT's, counted by valgrind: repeatable where
timings on this shared machine are not.

    .venv/bin/python bench/instructions.py [--small 20] [--large 120]

A fresh PostgreSQL database built by the migrations with the demo loaded; the demo citizen logs
in once through `yiwang serve` and fills one 开办餐饮店 draft for his shop through the API
(bench/submit.py), copied to enough ready drafts. Then, each in a process of its own under
`valgrind --tool=callgrind`, one at a time in one event loop:
- the route's work for SMALL and for LARGE drafts: load the session, `forms.service.submit`,
  commit (`Database.transaction`, the pool's pre-ping included);
- the limit, SMALL and LARGE raw single-row INSERTs of a real application's `content` with
  psycopg, one transaction each.
The difference between the two counts of a kind, divided by LARGE − SMALL, is its cost per
operation without the interpreter's start and the imports. Only this process's instructions
count: PostgreSQL's own work is not in them (bench/submit.py measures its CPU).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("YIWANG_SECRET_KEY", "bench-secret")

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import submit as bench

from yiwang.accounts import sessions
from yiwang.db import Database, create_engine_for
from yiwang.forms import service as forms

COLLECTED = re.compile(r"Collected : (\d+)")


async def submissions(url: str, drafts: list[tuple[str, str]]) -> None:
    db = Database(create_engine_for(url))
    for i, (token, draft_id) in enumerate(drafts):
        async with db.transaction() as session:
            principal = await sessions.load_principal(session, token)
            assert principal is not None
            await forms.submit(session, principal, draft_id, f"instructions-{draft_id}-{i}")
    await db.engine.dispose()


async def raw(url: str, n: int, payload: str) -> None:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as c:
        for i in range(n):
            await c.execute(
                "INSERT INTO bench_raw (number, person_id, status, content)"
                " VALUES (%s, %s, 'submitted', %s)",
                (f"37020220261204{i:08d}X", 1, payload),
            )


def child(plan: Path, kind: str, start: int, n: int) -> None:
    data: dict[str, Any] = json.loads(plan.read_text())
    if kind == "submit":
        drafts = [(str(t), str(d)) for t, d in data["drafts"][start : start + n]]
        asyncio.run(submissions(data["url"], drafts))
    else:
        asyncio.run(raw(data["url"], n, data["payload"]))


def counted(plan: Path, kind: str, start: int, n: int) -> int:
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--child",
        str(plan),
        kind,
        str(start),
        str(n),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    found = COLLECTED.search(done.stderr)
    if done.returncode != 0 or not found:
        raise SystemExit(f"{kind} under valgrind failed:\n{done.stderr[-3000:]}")
    return int(found.group(1))


def prepare(tmp: Path, total: int) -> Path:
    url = bench.fresh_url("postgresql", "yiwang_bench_instructions", tmp)
    asyncio.run(bench.load(url))
    shop = asyncio.run(bench.shop_id(url))
    port = bench.free_port()
    env = {**os.environ, "YIWANG_DATABASE_URL": url, "YIWANG_VAR_DIR": str(tmp / "var")}
    server = bench.serve({**env, "YIWANG_LOG_LEVEL": "WARNING"}, port, 1, tmp / "server.log")
    try:
        logins = bench.log_in_all(port, 1, shop)
    finally:
        bench.stop(server)
    drafts = asyncio.run(bench.copy_drafts(url, logins, total))
    # One submission first, for a real application's content as the limit's payload.
    asyncio.run(submissions(url, [(drafts[0][0].token, drafts[0][1])]))
    payload, _ = asyncio.run(bench.app_row(url))
    with psycopg.connect(url, autocommit=True) as c:
        c.execute(
            "CREATE TABLE bench_raw (id bigserial PRIMARY KEY, number text, person_id bigint,"
            " status text, content jsonb, submitted_at timestamptz DEFAULT now())"
        )
    plan = tmp / "plan.json"
    rows = [(login.token, draft_id) for login, draft_id in drafts[1:]]
    plan.write_text(json.dumps({"url": url, "drafts": rows, "payload": payload}))
    return plan


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
        return
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--small", type=int, default=20)
    p.add_argument("--large", type=int, default=120)
    args = p.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed (Debian package valgrind)")
    tmp = Path(tempfile.mkdtemp(prefix="yiwang-bench-instructions-"))
    try:
        plan = prepare(tmp, 1 + args.small + args.large)
        per: dict[str, float] = {}
        for kind in ("submit", "raw"):
            small = counted(plan, kind, 0, args.small)
            large = counted(plan, kind, args.small, args.large)
            per[kind] = (large - small) / (args.large - args.small)
        print(
            f"postgresql, {args.large - args.small} operations counted, {bench.system_line()}\n"
            f"  submission (session, forms.service.submit, commit): {per['submit'] / 1e6:.2f} M"
            f" instructions\n"
            f"  raw single-row INSERT (limit): {per['raw'] / 1e6:.2f} M instructions\n"
            f"  ratio {per['submit'] / per['raw']:.1f}"
        )
    finally:
        bench.drop("postgresql", "yiwang_bench_instructions")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
