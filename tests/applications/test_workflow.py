"""The 办件 state machine on a real submission of the demo citizen's restaurant application."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.files import samples
from tests.forms import flow
from yiwang.accounts import service as accounts
from yiwang.accounts.authz import Principal
from yiwang.applications import coreview, deadlines, service, workflow
from yiwang.applications.models import Application, ReviewTask
from yiwang.audit.models import AuditEvent
from yiwang.forms import corrections as fix
from yiwang.kit.errors import Conflict, Forbidden, Invalid
from yiwang.kit.timeutil import CITY_TZ
from yiwang.kit.workdays import Calendar
from yiwang.notify.models import OutboxMessage


async def person(session: AsyncSession, login: str) -> Principal:
    found = await accounts.find_person_by_login(session, login)
    assert found is not None
    return Principal(found.id, found.name, 3, 0, grants=await accounts.grants_of(session, found.id))


async def team(session: AsyncSession) -> list[Principal]:
    """The receiving department's clerk, reviewer and head: the 行政审批服务局 of 市南区."""
    return [await person(session, f"{r}.shinan") for r in ("clerk", "reviewer", "head")]


async def submitted(client: httpx.AsyncClient, session: AsyncSession, key: str) -> Application:
    draft = await flow.ready(client, await flow.shop_id(session))
    number = (await draft.submit(key)).json()["number"]
    app = (await session.execute(select(Application).filter_by(number=number))).scalar_one()
    return app


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), CITY_TZ)


async def count(session: AsyncSession, model: type[AuditEvent] | type[OutboxMessage]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_every_step_from_submission_to_delivery_is_recorded(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    app = await submitted(client, session, "wf-full")
    citizen = await person(session, "13800000001")
    clerk, reviewer, head = await team(session)
    cgj_reviewer = await person(session, "reviewer.cgj")  # the other department of the items
    key = next(iter(app.content["materials"]))  # one of the application's materials
    assert workflow.allowed(citizen, app, []) == ["withdraw"]
    assert workflow.allowed(clerk, app, []) == ["accept", "refuse", "request_correction", "assign"]
    audits, outbox = await count(session, AuditEvent), await count(session, OutboxMessage)

    steps = [
        (clerk, "accept", "", {}, "2026-09-28"),
        (reviewer, "request_correction", "请补充招牌效果图", {"materials": [key]}, "2026-09-29"),
        (citizen, "resubmit", "", {}, "2026-10-08"),
        (reviewer, "start_special", "现场核查后厨布局", {"kind": "inspection"}, "2026-10-09"),
        (reviewer, "end_special", "核查通过", {}, "2026-10-12"),
        (reviewer, "agree", "符合食品经营许可条件", {}, "2026-10-12"),
        (cgj_reviewer, "agree", "", {}, "2026-10-13"),
        (head, "approve", "同意", {}, "2026-10-13"),
        (clerk, "conclude", "", {}, "2026-10-13"),
        (clerk, "deliver", "", {}, "2026-10-14"),
    ]
    for who, action, opinion, details, day in steps:
        fixed = None
        if action == "resubmit":  # the material asked for, handed in again
            named = await workflow.last_request(session, app)
            fixed = await fix.corrections(session, app, named, {}, {key: ("新.pdf", samples.pdf())})
        await workflow.act(
            session,
            who,
            app,
            action,
            opinion=opinion,
            details=details,
            corrections=fixed,
            at=at(day),
        )
        if action == "end_special":  # running again, not yet decided
            assert app.due_on is not None
            late = app.due_on + dt.timedelta(days=1)
            assert workflow.deadline_flag(Calendar(), app, late) == "overdue"
    assert app.status == "delivered" and workflow.allowed(head, app, []) == []

    events = await service.timeline(session, app.id)
    assert [e.action for e in events] == ["submit"] + [s[1] for s in steps]
    assert [e.status for e in events] == [
        "submitted", "review", "correction", "review", "special", "review", "review", "review",
        "approved", "concluded", "delivered",
    ]  # fmt: skip
    codes = [workflow.exchange_code(e.action, e.status) for e in events]
    assert codes == ["1", "3", "6", "8", "9", "10", "8", "8", "8", "11", "11"]
    tasks = await coreview.tasks_of(session, app.id)
    assert [(t.department_id, t.status) for t in tasks] == [
        (cgj_reviewer.grants[0].department_id, "agreed"),
        (app.department_id, "agreed"),
    ]
    assert tasks[1].opinion == "符合食品经营许可条件" and tasks[1].decided_by == reviewer.person_id
    assert events[2].note == "请补充招牌效果图" and events[2].details == {"materials": [key]}
    assert events[2].actor_person_id == reviewer.person_id
    assert await count(session, AuditEvent) == audits + len(steps)
    assert await count(session, OutboxMessage) == outbox + len(steps)

    # The clock: accepted on Monday 9-28; it stood from 9-29 to 10-8 (9-30 and 10-8 were working
    # days) and from 10-9 to 10-12 (10-10, a worked Saturday, and 10-12).
    assert app.paused_days == 4 and app.corrections == 1
    calendar = Calendar()
    limit = deadlines.Limit(app.time_limit or 0, app.time_unit)
    assert app.time_limit and app.time_unit in ("working", "natural")
    expected = deadlines.due_on(calendar, dt.date(2026, 9, 28), limit, 4)
    assert app.due_on == expected and app.clock_stopped_on is None
    assert app.decided_at == at("2026-10-13") and app.concluded_at == at("2026-10-13")
    # Decided in time; long after the due day the case is still not flagged overdue.
    assert workflow.deadline_flag(calendar, app, dt.date(2027, 6, 1)) == "done"


async def test_a_step_from_the_wrong_state_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    app = await submitted(client, session, "wf-wrong")
    _clerk, _reviewer, head = await team(session)
    audits = await count(session, AuditEvent)
    with pytest.raises(Conflict) as raised:
        await workflow.act(session, head, app, "approve")
    assert raised.value.code == "bad_transition"
    assert app.status == "submitted" and await count(session, AuditEvent) == audits
    with pytest.raises(Invalid) as bad:
        await workflow.act(session, head, app, "submit")
    assert bad.value.field == "action"


async def test_only_the_right_people_may_take_each_step(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    app = await submitted(client, session, "wf-who")
    citizen = await person(session, "13800000001")
    other_citizen = await person(session, "13800000002")
    clerk, reviewer, head = await team(session)
    other_district = await person(session, "clerk.shibei")
    other_department = await person(session, "reviewer.cgj")
    assert other_department.grants[0].department_id != app.department_id
    for who, action in [
        (citizen, "accept"),
        (other_district, "accept"),
        (reviewer, "accept"),
        (other_citizen, "withdraw"),
        (clerk, "withdraw"),
    ]:
        with pytest.raises(Forbidden):
            await workflow.act(session, who, app, action)
    await workflow.act(session, clerk, app, "accept")
    for who in (clerk, reviewer, other_district, other_department):
        with pytest.raises(Forbidden):
            await workflow.act(session, who, app, "approve")
    with pytest.raises(Forbidden):  # no task of its department is open for the clerk's role
        await workflow.act(session, clerk, app, "agree")
    assert workflow.allowed(head, app, []) == [
        "request_correction", "start_special", "approve", "deny", "assign"
    ]  # fmt: skip
    await workflow.act(session, citizen, app, "withdraw", opinion="不再开店")
    assert app.status == "withdrawn" and workflow.allowed(citizen, app, []) == []


async def test_reasons_are_required_where_the_law_asks_for_them(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    app = await submitted(client, session, "wf-reasons")
    clerk, reviewer, _head = await team(session)
    with pytest.raises(Invalid) as no_reason:
        await workflow.act(session, clerk, app, "refuse", opinion="   ")
    assert no_reason.value.field == "opinion"
    with pytest.raises(Invalid) as bad_list:
        await workflow.act(
            session, clerk, app, "request_correction", opinion="x", details={"fields": "a"}
        )
    assert bad_list.value.field == "fields"
    await workflow.act(session, clerk, app, "accept")
    with pytest.raises(Invalid) as no_kind:
        await workflow.act(session, reviewer, app, "start_special", opinion="听证")
    assert no_kind.value.field == "kind"
    assert app.status == "review"
    await workflow.act(session, clerk, app, "request_correction", opinion="补充")
    assert app.status == "correction" and app.resume_status == "review"


async def test_approval_waits_for_the_join_rule_of_the_parallel_review(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    app = await submitted(client, session, "wf-join")
    clerk, reviewer, head = await team(session)
    other = await person(session, "reviewer.cgj")
    await workflow.act(session, clerk, app, "accept")
    assert app.join_rule == "all"
    with pytest.raises(Conflict) as waiting:
        await workflow.act(session, head, app, "approve")
    assert waiting.value.code == "co_review_pending"
    with pytest.raises(Invalid) as no_reason:
        await workflow.act(session, other, app, "disagree")
    assert no_reason.value.field == "opinion"
    await workflow.act(session, other, app, "disagree", opinion="后厨布局不符合要求")
    with pytest.raises(Forbidden):  # its department has spoken
        await workflow.act(session, other, app, "agree")
    tasks = await coreview.tasks_of(session, app.id)
    assert workflow.allowed(head, app, tasks) == [
        "request_correction", "start_special", "agree", "disagree", "approve", "deny", "assign"
    ]  # fmt: skip
    await workflow.act(session, reviewer, app, "agree")
    with pytest.raises(Conflict):  # all must agree, one did not
        await workflow.act(session, head, app, "approve")
    app.join_rule = "any"  # as a scenario may say
    await session.flush()
    await workflow.act(session, head, app, "approve", opinion="同意")
    assert app.status == "approved"
    # The co-reviewing department's staff may read the case; a citizen may not.
    assert (await service.get_for(session, other, app.number or "")).id == app.id


def test_join_rules_count_agreements() -> None:
    def tasks(*statuses: str) -> list[ReviewTask]:
        return [ReviewTask(status=s) for s in statuses]

    assert coreview.joined("all", tasks("agreed", "agreed"))
    assert not coreview.joined("all", tasks("agreed", "pending"))
    assert coreview.joined("any", tasks("disagreed", "agreed", "pending"))
    assert not coreview.joined("any", tasks("disagreed", "pending"))
    assert coreview.joined("2", tasks("agreed", "disagreed", "agreed"))
    assert not coreview.joined("2", tasks("agreed", "disagreed", "pending"))
    assert coreview.joined("all", [])  # nothing to wait for
    assert coreview.joined("3", tasks("agreed", "agreed"))  # never more than there are
    assert not coreview.joined("most", tasks("agreed", "pending"))  # unknown: all of them
    assert not coreview.joined("0", tasks("pending"))
