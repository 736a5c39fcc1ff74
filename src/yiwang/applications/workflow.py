"""The 办件 state machine: who may take which step from which state, and what each step records.

已提交 → 受理 | 不予受理 → (补正)* → 审查 (特别程序 pauses it) → 准予 | 不予 → 办结 → 送达/出证; the
applicant may withdraw before the decision. Each state and step has its code in the national
办件 exchange (1 收件, 3 受理, 4 不受理, 6 补正, 8 办理, 9/10 特别程序 start/end, 11 办结).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import service as accounts
from yiwang.accounts.authz import Principal
from yiwang.applications import coreview, deadlines
from yiwang.applications.models import Application, ApplicationEvent, ReviewTask
from yiwang.audit import service as audit
from yiwang.catalog import service as catalog
from yiwang.db import utcnow
from yiwang.forms import build
from yiwang.kit.errors import Conflict, Forbidden, Invalid
from yiwang.kit.i18n import N_
from yiwang.kit.timeutil import CITY_TZ
from yiwang.kit.workdays import Calendar, load_calendar
from yiwang.notify import service as outbox

APPLICANT = "applicant"
RESUME = ""  # a step that returns to the state the clock stopped in
STAY = "="  # a department's opinion in 并联审批: the application stays where it is
OPINIONS = {"agree": "agreed", "disagree": "disagreed"}
OPINION_MAX = 2000
# 行政许可法 art. 42: twenty working days, where the catalogue names no limit of its own.
DEFAULT_LIMIT = deadlines.Limit(20, deadlines.WORKING)


@dataclass(frozen=True)
class State:
    label: str
    code: str  # in the national 办件 exchange
    stops_clock: bool = False
    final: bool = False


@dataclass(frozen=True)
class Step:
    label: str
    sources: tuple[str, ...]
    target: str
    who: tuple[str, ...]  # permissions, any of them, or APPLICANT
    code: str = ""  # in the exchange; the target state's when empty
    opinion_required: bool = False
    # A co-reviewing department's opinion: taken by whoever reviews for a department whose task
    # is still open, whichever department that is.
    by_task: bool = False


STATES: dict[str, State] = {
    "submitted": State(N_("Submitted"), "1"),
    "correction": State(N_("Waiting for corrections"), "6", stops_clock=True),
    "not_accepted": State(N_("Not accepted"), "4", final=True),
    "review": State(N_("Under review"), "8"),
    "special": State(N_("Special procedure"), "9", stops_clock=True),
    "approved": State(N_("Approved"), "8"),
    "denied": State(N_("Refused"), "8"),
    "concluded": State(N_("Concluded"), "11"),
    "delivered": State(N_("Result delivered"), "11", final=True),
    "withdrawn": State(N_("Withdrawn"), "11", final=True),
}

ACCEPT, REVIEW, DECIDE = "applications.accept", "applications.review", "applications.decide"
BEFORE_DECISION = ("submitted", "correction", "review", "special")
OPEN = tuple(name for name, state in STATES.items() if not state.final)
STEPS: dict[str, Step] = {
    "submit": Step(N_("Application submitted"), (), "submitted", (APPLICANT,), "1"),
    "accept": Step(N_("Application accepted"), ("submitted",), "review", (ACCEPT,), "3"),
    "refuse": Step(
        N_("Application not accepted"),
        ("submitted",),
        "not_accepted",
        (ACCEPT,),
        opinion_required=True,
    ),
    "request_correction": Step(
        N_("Corrections requested"),
        ("submitted", "review"),
        "correction",
        (ACCEPT, REVIEW),
        opinion_required=True,
    ),
    "resubmit": Step(N_("Corrections handed in"), ("correction",), RESUME, (APPLICANT,)),
    "start_special": Step(
        N_("Special procedure started"),
        ("review",),
        "special",
        (REVIEW,),
        "9",
        opinion_required=True,
    ),
    "end_special": Step(N_("Special procedure ended"), ("special",), RESUME, (REVIEW,), "10"),
    "agree": Step(N_("A reviewing department agreed"), ("review",), STAY, (REVIEW,), by_task=True),
    "disagree": Step(
        N_("A reviewing department disagreed"),
        ("review",),
        STAY,
        (REVIEW,),
        opinion_required=True,
        by_task=True,
    ),
    "approve": Step(N_("Approved"), ("review",), "approved", (DECIDE,)),
    "deny": Step(N_("Refused"), ("review",), "denied", (DECIDE,), opinion_required=True),
    "conclude": Step(N_("Concluded"), ("approved", "denied"), "concluded", (ACCEPT, DECIDE)),
    "deliver": Step(N_("Result delivered"), ("concluded",), "delivered", (ACCEPT,)),
    "withdraw": Step(N_("Withdrawn by the applicant"), BEFORE_DECISION, "withdrawn", (APPLICANT,)),
    # Who holds the case: oneself (claim) or a colleague of the department.
    "assign": Step(N_("Case assigned"), OPEN, STAY, (ACCEPT, REVIEW, DECIDE)),
}

SPECIAL_KINDS = {
    "hearing": N_("Hearing"),
    "expert": N_("Expert review"),
    "inspection": N_("On-site inspection"),
}


def is_applicant(principal: Principal, app: Application) -> bool:
    return app.person_id == principal.person_id or (
        app.enterprise_id is not None and principal.may_act_for(app.enterprise_id, "apply")
    )


def may(principal: Principal, app: Application, step: Step, tasks: list[ReviewTask]) -> bool:
    if APPLICANT in step.who:
        return is_applicant(principal, app)
    if step.by_task:
        return bool(coreview.reviewable(principal, tasks))
    return any(
        principal.can(p, department_id=app.department_id, region_code=app.region_code)
        for p in step.who
    )


def allowed(principal: Principal, app: Application, tasks: list[ReviewTask]) -> list[str]:
    """The steps this person may take on the application now (`tasks`: its review tasks)."""
    return [
        name
        for name, step in STEPS.items()
        if app.status in step.sources and may(principal, app, step, tasks)
    ]


def deadline_flag(calendar: Calendar, app: Application, today: dt.date) -> str:
    """deadlines.flag, and "done" once decided or ended: the promise was to decide."""
    if app.decided_at is not None or STATES[app.status].final:
        return "done"
    stopped = app.clock_stopped_on is not None
    return deadlines.flag(calendar, app.due_on, today, stopped=stopped)


def exchange_code(action: str, status: str) -> str:
    """The national exchange's code for a step that ended in `status`."""
    return STEPS[action].code or STATES[status].code


async def act(
    session: AsyncSession,
    principal: Principal,
    app: Application,
    action: str,
    *,
    opinion: str = "",
    details: dict[str, Any] | None = None,
    corrections: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> ApplicationEvent:
    """Takes one step: checks who and from where, moves the clock, writes the timeline entry, the
    audit event and the outbox entry for the notifications. `corrections` (resubmit only) come
    from `forms.corrections`, checked there. `at` is for imports and tests."""
    step = STEPS.get(action)
    if step is None or not step.sources:
        raise Invalid(N_("There is no such step."), field="action", error_code="bad_action")
    await session.refresh(app, with_for_update=True)  # two clerks at once: the second waits
    tasks = await coreview.tasks_of(session, app.id)
    if not may(principal, app, step, tasks):
        raise Forbidden()
    if app.status not in step.sources:
        raise Conflict(
            N_("This cannot be done while the application is “{status}”."),
            error_code="bad_transition",
            status=STATES[app.status].label if app.status in STATES else app.status,
        )
    if action == "approve" and not coreview.joined(app.join_rule, tasks):
        raise Conflict(
            N_("The departments reviewing in parallel have not agreed yet."),
            error_code="co_review_pending",
        )
    opinion, details = _checked(step, action, opinion.strip(), dict(details or {}))
    if action == "request_correction":
        await _check_named(session, app, details)
    if action == "resubmit":
        details = await _corrected(session, app, corrections)
    at = at or utcnow()
    source = app.status
    target = {RESUME: app.resume_status, STAY: source}.get(step.target, step.target)
    if action == "assign":
        details = await _assignee(session, principal, app, details)
        app.assignee_id = details["assignee_id"]
    if step.by_task:
        task = coreview.reviewable(principal, tasks)[0]
        task.status, task.opinion = OPINIONS[action], opinion
        task.decided_by, task.decided_at = principal.person_id, at
        details = {**details, "department_id": task.department_id}
    if action == "accept":
        app.accepted_at = at
    if target == "correction":
        app.corrections += 1  # a first-time pass is an acceptance without one
    await _move_clock(session, app, action, source, target, at.astimezone(CITY_TZ).date())
    app.status, app.updated_at = target, at
    if target in ("approved", "denied"):
        app.decided_at = at
    if target == "concluded":
        app.concluded_at = at
    event = ApplicationEvent(
        application_id=app.id,
        actor_person_id=principal.person_id,
        action=action,
        status=target,
        note=opinion,
        details=details,
        at=at,
    )
    session.add(event)
    await session.flush()
    await outbox.enqueue(session, "application.changed", {"application_id": app.id})
    await audit.record(
        session,
        principal.actor,
        f"application.{action}",
        f"application:{app.number}",
        {"from": source, "to": target, "code": exchange_code(action, target)},
    )
    return event


async def last_request(session: AsyncSession, app: Application) -> dict[str, list[str]]:
    """What the latest correction request named: {"fields": [...], "materials": [...]}."""
    q = (
        select(ApplicationEvent.details)
        .where(
            ApplicationEvent.application_id == app.id,
            ApplicationEvent.action == "request_correction",
        )
        .order_by(ApplicationEvent.id.desc())
        .limit(1)
    )
    named = dict(await session.scalar(q) or {})
    return {k: list(named.get(k, [])) for k in ("fields", "materials")}


async def _corrected(
    session: AsyncSession, app: Application, corrections: dict[str, Any] | None
) -> dict[str, Any]:
    """Puts the corrections into the application; the timeline keeps what each replaced."""
    named = await last_request(session, app)
    changes = corrections or {}
    got = {k: sorted(changes.get(k, {})) for k in ("values", "materials")}
    if got != {"values": sorted(named["fields"]), "materials": sorted(named["materials"])}:
        raise Invalid(
            N_("Please hand in everything the correction request names."),
            field="corrections",
            error_code="corrections_missing",
        )
    content = dict(app.content)  # a new object, so that the JSON column is written
    for part in ("values", "materials"):
        content[part] = {
            **content.get(part, {}),
            **{k: ch["after"] for k, ch in changes.get(part, {}).items()},
        }
    app.content = content
    return {"corrections": changes} if changes else {}


async def _check_named(session: AsyncSession, app: Application, details: dict[str, Any]) -> None:
    """A 补正 names the application's own materials (by key) and answers (by field code)."""
    definition = await build.by_id(session, app.definition_id)
    known = {
        "materials": {m.key for m in definition.materials_on(set(_items(app)))},
        "fields": set(app.content.get("values", {})),
    }
    for key, names in known.items():
        unknown = [n for n in details.get(key, []) if n not in names]
        if unknown:
            raise Invalid(
                N_("Not part of this application: {names}."),
                field=key,
                error_code="unknown_name",
                names=", ".join(unknown[:5]),
            )


async def _assignee(
    session: AsyncSession, principal: Principal, app: Application, details: dict[str, Any]
) -> dict[str, Any]:
    """The colleague named (oneself when none is), who must work on this department's cases."""
    raw = details.get("assignee_id") or principal.person_id
    person_id = int(raw) if isinstance(raw, int) or str(raw).isdigit() else 0
    staff = Principal(person_id, "", 0, 0, grants=await accounts.grants_of(session, person_id))
    if not staff.can("workbench", department_id=app.department_id, region_code=app.region_code):
        raise Invalid(
            N_("This person does not work on this department's cases."),
            field="assignee_id",
            error_code="bad_assignee",
        )
    who = await accounts.get_person(session, person_id)
    return {"assignee_id": who.id, "assignee": who.name}


def _checked(
    step: Step, action: str, opinion: str, details: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    if step.opinion_required and not opinion:
        raise Invalid(N_("Please give the reasons."), field="opinion", error_code="required")
    if len(opinion) > OPINION_MAX:
        raise Invalid(
            N_("At most {n} characters."), field="opinion", error_code="too_long", n=OPINION_MAX
        )
    if action == "start_special" and details.get("kind") not in SPECIAL_KINDS:
        raise Invalid(
            N_("Choose the kind of special procedure."), field="kind", error_code="required"
        )
    if action == "request_correction":
        for key in ("fields", "materials"):
            value = details.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise Invalid(N_("A list of names is needed."), field=key, error_code="bad_list")
    return opinion, details


async def _move_clock(
    session: AsyncSession, app: Application, action: str, source: str, target: str, today: dt.date
) -> None:
    stops, stopped = STATES[target].stops_clock, STATES[source].stops_clock
    if action == "accept":
        calendar = await load_calendar(session)
        terms = await catalog.terms(session, _items(app))
        limits = [deadlines.Limit(t.promised_limit, t.promised_unit) for t in terms]
        limit = deadlines.longest(calendar, today, limits) if limits else DEFAULT_LIMIT
        scenario = await catalog.scenario_by_code(session, app.scenario_code, published_only=False)
        app.join_rule = scenario.join_rule
        coreview.open_tasks(session, app, terms)
        app.time_limit, app.time_unit = limit.days, limit.unit
        app.due_on = deadlines.due_on(calendar, today, limit)
    if stops and not stopped:
        app.clock_stopped_on, app.resume_status = today, source
    elif stopped and not stops:
        if app.clock_stopped_on and app.time_limit is not None and app.accepted_at is not None:
            calendar = await load_calendar(session)
            paused = deadlines.counted_days(calendar, app.time_unit, app.clock_stopped_on, today)
            app.paused_days += paused
            start = app.accepted_at.astimezone(CITY_TZ).date()
            limit = deadlines.Limit(app.time_limit, app.time_unit)
            app.due_on = deadlines.due_on(calendar, start, limit, app.paused_days)
        app.clock_stopped_on, app.resume_status = None, ""


def _items(app: Application) -> list[str]:
    return [str(code) for code in app.content.get("items", [])]
