"""并联审批: the departments of an application's items review it in parallel, each with its own
task and opinion; a join rule says how many must agree before the application may be approved."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts.authz import Principal
from yiwang.applications.models import Application, ReviewTask
from yiwang.catalog.service import Terms


def needed(rule: str, tasks: int) -> int:
    """How many agreements the rule (all, any, or a number) asks for among this many tasks;
    anything else counts as the strictest, all."""
    if rule == "any":
        return min(1, tasks)
    if rule.isdigit() and int(rule) >= 1:
        return min(int(rule), tasks)
    return tasks


def joined(rule: str, tasks: Sequence[ReviewTask]) -> bool:
    return sum(1 for t in tasks if t.status == "agreed") >= needed(rule, len(tasks))


def open_tasks(session: AsyncSession, app: Application, terms: Iterable[Terms]) -> None:
    """One task per department among the items' handlers, in the order the items come."""
    seen: set[int] = set()
    for t in terms:
        if t.department_id not in seen:
            seen.add(t.department_id)
            session.add(
                ReviewTask(
                    application_id=app.id, department_id=t.department_id, region_code=t.region_code
                )
            )


async def tasks_of(session: AsyncSession, application_id: int) -> list[ReviewTask]:
    q = select(ReviewTask).where(ReviewTask.application_id == application_id).order_by("id")
    return list((await session.execute(q)).scalars())


def reviewable(principal: Principal, tasks: Iterable[ReviewTask]) -> list[ReviewTask]:
    """The pending tasks this person may give their department's opinion on."""
    return [
        t
        for t in tasks
        if t.status == "pending"
        and principal.can(
            "applications.review", department_id=t.department_id, region_code=t.region_code
        )
    ]


def reviews_in(principal: Principal, tasks: Iterable[ReviewTask]) -> bool:
    """Whether this person reviews for one of the departments, decided or not: they may read."""
    return any(
        principal.can(
            "applications.review", department_id=t.department_id, region_code=t.region_code
        )
        for t in tasks
    )
