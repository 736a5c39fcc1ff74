"""Helpers shared by the tests: logging in, and the record of every page and log line produced."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

import httpx

from yiwang.accounts import demo


@dataclass(frozen=True)
class Captured:
    source: str
    text: str


# Every response body and log line the suite produced; the privacy test scans them.
OUTPUTS: list[Captured] = []

CSRF_RE = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


async def login(
    client: httpx.AsyncClient, login_name: str, password: str = demo.DEMO_PASSWORD
) -> httpx.Response:
    page = await client.get("/login")
    return await client.post(
        "/login",
        data={"login": login_name, "password": password, "csrf_token": csrf_from(page.text)},
    )


async def form_token(client: httpx.AsyncClient, path: str = "/") -> str:
    return csrf_from((await client.get(path)).text)


def demo_id_numbers() -> list[str]:
    return [demo.resident_id(region, birth, seq) for _, _, region, birth, seq, *_ in demo.PEOPLE]


def app_client(app: Any) -> httpx.AsyncClient:
    """A client of the ASGI app whose every answer is kept for the privacy scan."""

    async def keep(response: httpx.Response) -> None:
        await response.aread()
        OUTPUTS.append(Captured(str(response.request.url), response.text))

    transport = httpx.ASGITransport(app=app, client=("127.0.0.9", 50000))
    return httpx.AsyncClient(
        transport=transport, base_url="http://testserver", event_hooks={"response": [keep]}
    )


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real `yiwang` command in a child process; its output is kept for the privacy scan."""
    done = subprocess.run(
        [sys.executable, "-m", "yiwang", *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    OUTPUTS.append(Captured(f"cli:{args[0]}", done.stdout + done.stderr))
    return done


def impl_item(
    code: str, basic_item_id: int, department_id: int, *, region_code: str = "370202", **fields: Any
) -> Any:
    """An implementation item with the columns tests rarely care about filled in: 20 working days
    by law, 5 promised, applied for by persons; `fields` overrides any of them."""
    from yiwang.catalog.models import ImplItem

    values: dict[str, Any] = {
        "name": code,
        "statutory_limit": 20,
        "statutory_unit": "working",
        "promised_limit": 5,
        "promised_unit": "working",
        "applicant_types": {"types": ["person"]},
        "topics": {"topics": []},
        **fields,
    }
    return ImplItem(
        code=code,
        basic_item_id=basic_item_id,
        department_id=department_id,
        region_code=region_code,
        **values,
    )
