"""Helpers shared by the tests: logging in, and the record of every page and log line produced."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
