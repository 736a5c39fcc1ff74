"""我的数据使用记录: whose data was used, by whom, for what — as its subject reads it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import service as accounts
from yiwang.accounts.authz import Principal
from yiwang.kit.errors import NotFound
from yiwang.registry import service
from yiwang.registry.models import DataElement, ThematicDatabase


@dataclass(frozen=True)
class UsageLine:
    id: int
    at: dt.datetime
    database: ThematicDatabase | None
    elements: list[DataElement]
    purpose: str
    actor_name: str
    by_subject: bool  # the subject themself (or their own representative) did it
    application_no: str
    scenario_code: str


async def subject_key(
    session: AsyncSession, principal: Principal, enterprise_id: int | None
) -> str:
    """The person's own key, or an enterprise's credit code for its legal representative and
    agents allowed to follow its cases."""
    if enterprise_id is None:
        return (await accounts.get_person(session, principal.person_id)).id_hash
    actions = await accounts.enterprise_actions(session, principal.person_id, enterprise_id)
    if actions is None or not actions & {"view", "apply"}:
        raise NotFound()
    return (await accounts.get_enterprise(session, enterprise_id)).credit_code


async def lines(
    session: AsyncSession, principal: Principal, enterprise_id: int | None, limit: int = 100
) -> list[UsageLine]:
    key = await subject_key(session, principal, enterprise_id)
    rows = await service.usage_of(session, key, limit=limit)
    codes = {c for r in rows for c in r.elements.get("codes", [])}
    elements = {e.code: e for e in await service.elements(session, codes)}
    dbs = {d.code: d for d in await service.databases(session)}
    names: dict[int, str] = {}
    for pid in {r.actor_person_id for r in rows if r.actor_person_id is not None}:
        names[pid] = (await accounts.get_person(session, pid)).name
    return [
        UsageLine(
            id=r.id,
            at=r.at,
            database=dbs.get(r.database_code),
            elements=[elements[c] for c in r.elements.get("codes", []) if c in elements],
            purpose=r.purpose,
            actor_name=names.get(r.actor_person_id or 0, ""),
            by_subject=r.actor_person_id == principal.person_id,
            application_no=r.application_no,
            scenario_code=r.scenario_code,
        )
        for r in rows
    ]
