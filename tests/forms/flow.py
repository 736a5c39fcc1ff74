"""The demo citizen's restaurant application, filled in through the API as a test would need it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.files import samples
from tests.support import csrf_from, login
from yiwang.accounts.demo import ENTERPRISES
from yiwang.accounts.models import Enterprise
from yiwang.kit.timeutil import local_today
from yiwang.registry.demo_people import food_safety_manager

SCENARIO = "open-restaurant"
ANSWERS = [2, 0, 0]  # has a business licence, larger catering with seating, a shop sign
SHOP = ENTERPRISES[1].name
CITIZEN = ENTERPRISES[1].legal_rep


def values() -> dict[str, Any]:
    """What the applicant types or picks; everything else the platform fills."""
    manager = food_safety_manager()
    install = (local_today() + dt.timedelta(days=30)).isoformat()
    return {
        "other.entrusted": "no",
        "premises.tenure": "own",
        "premises.area": 86.4,
        "sign.text": "张记海鲜",
        "sign.form": "wall",
        "sign.length": 4.5,
        "sign.height": 0.8,
        "sign.lighting": "no",
        "sign.install_date": install,
        "drainage.type": "catering",
        "drainage.volume": 3.5,
        "drainage.pretreatment": "yes",
        "drainage.outlets": "1",
        "drainage.water_source": "mains",
        "food.main_business": "catering",
        "food.items": ["hot", "cold"],
        "food.online": "no",
        "biz.staff_range": "1-5",
        "food.manager_name": manager.name,
        "food.manager_id": manager.id_number,
    }


@dataclass
class Draft:
    client: httpx.AsyncClient
    id: str
    token: str
    body: dict[str, Any]

    @property
    def headers(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.token}

    def material(self, name: str) -> str:
        return next(m["key"] for m in self.body["materials"] if m["name"]["zh"] == name)

    async def upload_missing(self) -> None:
        for m in self.body["materials"]:
            if m["required"] and not m["attached"]:
                r = await self.client.post(
                    f"/api/v1/drafts/{self.id}/materials/{m['key']}",
                    files={"file": ("plan.pdf", samples.pdf(), "application/pdf")},
                    headers=self.headers,
                )
                assert r.status_code == 201, r.text

    async def submit(self, key: str) -> httpx.Response:
        return await self.client.post(
            f"/api/v1/drafts/{self.id}/submit", headers={**self.headers, "Idempotency-Key": key}
        )


async def shop_id(session: AsyncSession) -> int:
    q = select(Enterprise.id).filter_by(name=SHOP)
    return int((await session.execute(q)).scalar_one())


async def start(client: httpx.AsyncClient, shop: int, *, with_values: bool = True) -> Draft:
    """A logged-in citizen's draft for the shop, filled in (unless told not to)."""
    await login(client, CITIZEN)
    token = csrf_from((await client.get("/")).text)
    body: dict[str, Any] = {
        "scenario": SCENARIO,
        "answers": ANSWERS,
        "enterprise_id": shop,
    }
    if with_values:
        body["values"] = values()
    r = await client.post("/api/v1/drafts", json=body, headers={"X-CSRF-Token": token})
    assert r.status_code == 201, r.text
    got = r.json()
    return Draft(client, got["id"], token, got)


async def ready(client: httpx.AsyncClient, shop: int) -> Draft:
    """A draft that passes the pre-check: values filled and every required material attached."""
    draft = await start(client, shop)
    await draft.upload_missing()
    return draft
