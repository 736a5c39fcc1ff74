from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.support import app_client
from yiwang.app import create_app
from yiwang.config import get_settings
from yiwang.db import Database
from yiwang.halls import api, views


@pytest.fixture
async def client(db: Database) -> AsyncIterator[httpx.AsyncClient]:
    """The app, with the halls routers included until app.py includes them itself."""
    app = create_app(get_settings(), db)
    paths = {getattr(route, "path", "") for route in app.routes}
    if "/map" not in paths:
        app.include_router(views.router)
    if "/api/v1/halls/nearest" not in paths:
        app.include_router(api.router)
    async with app_client(app) as c:
        yield c
