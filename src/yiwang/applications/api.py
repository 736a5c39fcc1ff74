"""JSON routes of applications (办件) under /api/v1: where a case stands and the steps on it."""

from __future__ import annotations

from fastapi import APIRouter

from yiwang.accounts import service as accounts
from yiwang.accounts.authz import Principal
from yiwang.accounts.models import Department
from yiwang.applications import coreview, schemas, service, workflow
from yiwang.applications.models import Application
from yiwang.kit.i18n import both
from yiwang.kit.timeutil import local_today
from yiwang.kit.workdays import load_calendar
from yiwang.web.deps import DbSession, LoggedIn

router = APIRouter(prefix="/api/v1", tags=["applications"])


@router.get("/applications/{number}")
async def application(
    number: str, session: DbSession, principal: LoggedIn
) -> schemas.ApplicationOut:
    """The applicant's and the handling staff's view: state, deadline, timeline, next steps.
    Not found for anyone else, so that a number is not confirmed to exist."""
    app = await service.get_for(session, principal, number)
    return await _out(session, principal, app)


@router.post("/applications/{number}/steps/{step}")
async def take_step(
    number: str, step: str, body: schemas.StepIn, session: DbSession, principal: LoggedIn
) -> schemas.ApplicationOut:
    """Takes one step of the state machine (`allowed_steps` names those open to you now):
    403 when it is not yours to take, 409 when the application's state does not allow it."""
    app = await service.by_number(session, number)
    await workflow.act(session, principal, app, step, opinion=body.opinion, details=body.details())
    return await _out(session, principal, app)


async def _out(
    session: DbSession, principal: Principal, app: Application
) -> schemas.ApplicationOut:
    flag = workflow.deadline_flag(await load_calendar(session), app, local_today())
    events = await service.timeline(session, app.id)
    tasks = await coreview.tasks_of(session, app.id)
    return schemas.ApplicationOut(
        number=app.number or "",
        scenario=app.scenario_code,
        status=app.status,
        status_label=both(workflow.STATES[app.status].label),
        exchange_code=workflow.STATES[app.status].code,
        submitted_at=app.submitted_at,
        accepted_at=app.accepted_at,
        decided_at=app.decided_at,
        concluded_at=app.concluded_at,
        deadline=schemas.DeadlineOut(
            time_limit=app.time_limit,
            unit=app.time_unit,
            due_on=app.due_on,
            paused_days=app.paused_days,
            flag=flag,
        ),
        allowed_steps=workflow.allowed(principal, app, tasks),
        join_rule=app.join_rule,
        co_review=[
            schemas.ReviewOut(
                department=both_names(await accounts.get_department(session, t.department_id)),
                status=t.status,
                opinion=t.opinion,
                decided_at=t.decided_at,
            )
            for t in tasks
        ],
        timeline=[
            schemas.EventOut(
                at=e.at,
                action=e.action,
                label=both(workflow.STEPS[e.action].label),
                status=e.status,
                exchange_code=workflow.exchange_code(e.action, e.status),
                opinion=e.note,
                details=e.details,
            )
            for e in events
        ],
    )


def both_names(dept: Department) -> dict[str, str]:
    return {"zh": dept.name, "en": dept.name_en or dept.name}
