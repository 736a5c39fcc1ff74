"""办件: creating an application from a submission, who may see it, and its first transitions.

办件编号 (application number), 23 characters: the receiving department's region code (6 digits,
GB/T 2260), the submission date in Beijing time (8), the platform serial (8 digits, the row id)
and an ISO 7064 MOD 11-2 check character over the 22 before it (0-9 or X).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import service as accounts
from yiwang.accounts.authz import Principal
from yiwang.applications import coreview, workflow
from yiwang.applications.models import Application, ApplicationEvent
from yiwang.audit import service as audit
from yiwang.db import Executor, Writes, table, utcnow
from yiwang.kit import identifiers
from yiwang.kit.errors import NotFound
from yiwang.kit.timeutil import CITY_TZ
from yiwang.notify import service as outbox

STATUS_LABELS = {name: state.label for name, state in workflow.STATES.items()}
ACTION_LABELS = {name: step.label for name, step in workflow.STEPS.items()}

# Core statements for the rows a submission writes once and does not read back.
APPLICATIONS = table(Application)
INSERT_APPLICATION, INSERT_EVENT = insert(APPLICATIONS), insert(table(ApplicationEvent))
# The id the next application gets, drawn before its INSERT so that its number goes into it.
# SQLite transactions that write begin IMMEDIATE, one at a time, so the largest id plus one is free.
NEXT_SERIAL = {
    "postgresql": select(func.nextval("applications_id_seq")).scalar_subquery(),
    "sqlite": select(func.coalesce(func.max(APPLICATIONS.c.id), 0) + 1).scalar_subquery(),
}


def make_number(region_code: str, at: dt.datetime, serial: int) -> str:
    body = f"{region_code[:6]}{at.astimezone(CITY_TZ):%Y%m%d}{serial:08d}"
    return body + identifiers.iso7064_mod11_2(body)


def number_is_valid(number: str) -> bool:
    return (
        len(number) == 23
        and number[:22].isdigit()
        and identifiers.iso7064_mod11_2(number[:22]) == number[22]
    )


async def by_idempotency_key(session: AsyncSession, person_id: int, key: str) -> Application | None:
    q = select(Application).where(
        Application.person_id == person_id, Application.idempotency_key == key
    )
    return (await session.execute(q)).scalar_one_or_none()


async def create(
    writes: Executor,
    *,
    serial: int,
    actor_person_id: int,
    values: dict[str, Any],
) -> Application:
    """Inserts the application with its number (`serial` from NEXT_SERIAL), the first timeline
    entry and the outbox entry for the work that follows, in the caller's transaction; the
    caller ends the transaction with `audit_submitted`. Core statements: the rows are written
    once and not read back."""
    now = utcnow()
    row = {
        **values,
        "id": serial,
        "number": make_number(values["region_code"], now, serial),
        "person_id": actor_person_id,
        "status": "submitted",
        "corrections": 0,
        "submitted_at": now,
        "accepted_at": None,
        "updated_at": now,
    }
    await writes.execute(INSERT_APPLICATION, row)
    await writes.execute(
        INSERT_EVENT,
        {
            "application_id": serial,
            "actor_person_id": actor_person_id,
            "action": "submit",
            "status": "submitted",
            "note": "",
            "at": now,
        },
    )
    await outbox.enqueue(writes, "application.submitted", {"application_id": serial})
    return Application(**row)


async def audit_submitted(writes: Writes, session: AsyncSession, app: Application) -> None:
    """Sends `writes` with the audit event after them."""
    await audit.record_after(
        writes,
        session,
        f"person:{app.person_id}",
        "application.submit",
        f"application:{app.number}",
        {"scenario": app.scenario_code, "form_version": app.definition_version},
    )


async def _can_read(session: AsyncSession, principal: Principal, app: Application) -> bool:
    if app.person_id == principal.person_id:
        return True
    if app.enterprise_id is not None:
        if principal.may_act_for(app.enterprise_id, "view") or principal.may_act_for(
            app.enterprise_id, "apply"
        ):
            return True
        ent = await accounts.get_enterprise(session, app.enterprise_id)
        if ent.legal_rep_id == principal.person_id:
            return True
    if principal.can("workbench", department_id=app.department_id, region_code=app.region_code):
        return True
    return principal.is_staff and coreview.reviews_in(
        principal, await coreview.tasks_of(session, app.id)
    )


async def by_number(session: AsyncSession, number: str) -> Application:
    app = (
        await session.execute(select(Application).where(Application.number == number))
    ).scalar_one_or_none()
    if app is None:
        raise NotFound()
    return app


async def get_for(session: AsyncSession, principal: Principal, number: str) -> Application:
    """Not found, rather than forbidden, for someone else's application: the number itself
    should not be confirmed to exist."""
    app = await by_number(session, number)
    if not await _can_read(session, principal, app):
        raise NotFound()
    return app


async def mine(session: AsyncSession, principal: Principal, limit: int = 50) -> list[Application]:
    """Acting for an enterprise: all of its applications. Otherwise: the ones this person filed,
    for themselves or for an enterprise they may apply for."""
    q = select(Application).order_by(Application.id.desc()).limit(limit)
    if principal.acting_enterprise_id is not None:
        q = q.where(Application.enterprise_id == principal.acting_enterprise_id)
    else:
        q = q.where(Application.person_id == principal.person_id)
    return list((await session.execute(q)).scalars())


async def timeline(session: AsyncSession, application_id: int) -> list[ApplicationEvent]:
    q = (
        select(ApplicationEvent)
        .where(ApplicationEvent.application_id == application_id)
        .order_by(ApplicationEvent.id)
    )
    return list((await session.execute(q)).scalars())


async def history_values(
    session: AsyncSession, person_id: int, enterprise_id: int | None, codes: Iterable[str]
) -> dict[str, list[tuple[Any, str]]]:
    """What this applicant entered before, newest first, for 选择填 offers."""
    wanted = set(codes)
    q = select(Application.number, Application.content).order_by(Application.id.desc()).limit(10)
    if enterprise_id is not None:
        q = q.where(Application.enterprise_id == enterprise_id)
    else:
        q = q.where(Application.person_id == person_id, Application.enterprise_id.is_(None))
    out: dict[str, list[tuple[Any, str]]] = {}
    for number, content in (await session.execute(q)).all():
        for code, value in dict(content.get("values", {})).items():
            if code in wanted and isinstance(value, str) and value:
                out.setdefault(code, []).append((value, number))
    return out
