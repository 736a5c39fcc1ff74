from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from tests.support import app_client, form_token, login
from yiwang.app import create_app
from yiwang.config import get_settings
from yiwang.db import Database

Client = Callable[[str], Awaitable[tuple[httpx.AsyncClient, dict[str, str]]]]


@pytest.fixture
async def as_person(db: Database) -> AsyncIterator[Client]:
    """A logged-in client of its own for each demo login, with its CSRF header."""
    clients: list[httpx.AsyncClient] = []

    async def make(name: str) -> tuple[httpx.AsyncClient, dict[str, str]]:
        client = app_client(create_app(get_settings(), db))
        clients.append(client)
        assert (await login(client, name)).status_code == 303
        return client, {"X-CSRF-Token": await form_token(client)}

    yield make
    for c in clients:
        await c.aclose()
