from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from tests.support import app_client
from yiwang.app import create_app
from yiwang.config import get_settings
from yiwang.db import Database
from yiwang.transfer import views


@pytest.fixture
def app(db: Database) -> FastAPI:
    """The app, with the transfer router included until app.py includes it itself."""
    app = create_app(get_settings(), db)
    if "/admin/imports" not in {getattr(route, "path", "") for route in app.routes}:
        app.include_router(views.router)
    return app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(app) as c:
        yield c
