"""All the demo data, in the order each part needs the one before: people and enterprises, the
catalogue, halls, shared data records, then the forms built over them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import demo as accounts_demo
from yiwang.catalog import demo as catalog_demo
from yiwang.forms import demo as forms_demo
from yiwang.halls import demo as halls_demo
from yiwang.registry import demo as registry_demo


async def load(
    session: AsyncSession, scale: str = "demo"
) -> tuple[list[accounts_demo.DemoLogin], dict[str, int]]:
    logins = await accounts_demo.load(session)
    added = await catalog_demo.load(session, scale)
    added.update(await halls_demo.load(session, scale))
    added.update(await registry_demo.load(session))
    added.update(await forms_demo.load(session))
    return logins, added
