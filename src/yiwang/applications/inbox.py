"""The staff inbox: the open cases of the departments and regions a person works for, and the
cases their department reviews in parallel, soonest due first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from yiwang.accounts.authz import Principal, scope_prefix
from yiwang.accounts.models import Enterprise, Person
from yiwang.applications import deadlines, workflow
from yiwang.applications.models import Application, ReviewTask
from yiwang.catalog.models import Scenario
from yiwang.kit.workdays import Calendar

PAGE = 50
FLAGS = ("near", "overdue", "paused", "none")


@dataclass(frozen=True)
class Filters:
    status: str = ""  # one of the open states; all of them when empty
    flag: str = ""  # one of FLAGS
    mine: bool = False  # held by me
    unassigned: bool = False
    number: str = ""  # the start of an application number
    page: int = 1


@dataclass(frozen=True)
class Case:
    app: Application
    scenario: str
    scenario_en: str
    applicant: str
    assignee: str
    flag: str
    co_review: bool  # here because my department reviews it in parallel


def _handled(principal: Principal) -> ColumnElement[bool]:
    """Cases received by a department and region this person works for."""
    clauses = [
        and_(
            Application.region_code.startswith(scope_prefix(g.region_code)),
            Application.department_id == g.department_id if g.role != "admin" else true(),
        )
        for g in principal.grants_for("workbench")
    ]
    return or_(false(), *clauses)


def _reviewed(principal: Principal) -> ColumnElement[bool]:
    """Cases with a task of a department this person reviews for."""
    clauses = [
        and_(
            ReviewTask.department_id == g.department_id,
            ReviewTask.region_code.startswith(scope_prefix(g.region_code)),
        )
        for g in principal.grants_for("applications.review")
    ]
    return exists().where(ReviewTask.application_id == Application.id, or_(false(), *clauses))


def _flagged(flag: str, calendar: Calendar, today: dt.date) -> ColumnElement[bool]:
    running = and_(Application.clock_stopped_on.is_(None), Application.decided_at.is_(None))
    if flag == "overdue":
        return and_(running, Application.due_on < today)
    if flag == "near":
        # The last day that still leaves NEAR_DAYS working days or fewer, today included.
        last = calendar.add_workdays(today - dt.timedelta(days=1), deadlines.NEAR_DAYS)
        return and_(running, Application.due_on >= today, Application.due_on <= last)
    if flag == "paused":
        return Application.clock_stopped_on.is_not(None)
    return Application.due_on.is_(None)


async def cases(
    session: AsyncSession,
    principal: Principal,
    filters: Filters,
    calendar: Calendar,
    today: dt.date,
) -> tuple[list[Case], bool]:
    """(this page's cases, whether there is a next page)."""
    handled, reviewed = _handled(principal), _reviewed(principal)
    assignee = aliased(Person)
    q = (
        select(
            Application,
            Scenario.name,
            Scenario.name_en,
            Person.name,
            Enterprise.name,
            assignee.name,
            handled,
        )
        .join(Scenario, Scenario.code == Application.scenario_code)
        .join(Person, Person.id == Application.person_id)
        .outerjoin(Enterprise, Enterprise.id == Application.enterprise_id)
        .outerjoin(assignee, assignee.id == Application.assignee_id)
        .where(or_(handled, reviewed))
        .where(Application.status.in_([filters.status] if filters.status else workflow.OPEN))
        .order_by(Application.due_on.is_(None), Application.due_on, Application.id)
        .limit(PAGE + 1)
        .offset((max(filters.page, 1) - 1) * PAGE)
    )
    if filters.flag in FLAGS:
        q = q.where(_flagged(filters.flag, calendar, today))
    if filters.mine:
        q = q.where(Application.assignee_id == principal.person_id)
    if filters.unassigned:
        q = q.where(Application.assignee_id.is_(None))
    if filters.number:
        q = q.where(Application.number.startswith(filters.number))
    rows = (await session.execute(q)).all()
    out = [
        Case(
            app=app,
            scenario=name,
            scenario_en=name_en or name,
            applicant=enterprise or person,
            assignee=held_by or "",
            flag=workflow.deadline_flag(calendar, app, today),
            co_review=not is_handled,
        )
        for app, name, name_en, person, enterprise, held_by, is_handled in rows[:PAGE]
    ]
    return out, len(rows) > PAGE
