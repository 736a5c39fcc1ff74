"""The application page: its number, where it stands, its timeline and what was submitted."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from yiwang.accounts import service as accounts
from yiwang.applications import service, workflow
from yiwang.catalog import service as catalog
from yiwang.forms import build, labels
from yiwang.kit.i18n import N_
from yiwang.kit.timeutil import local_today
from yiwang.kit.workdays import load_calendar
from yiwang.registry import service as registry
from yiwang.web.deps import DbSession, LoggedIn
from yiwang.web.templating import render

router = APIRouter(include_in_schema=False)

# The deadline's flag as words beside its colour: never colour alone.
DEADLINE_LABELS = {
    "ok": N_("On time"),
    "near": N_("Due soon"),
    "overdue": N_("Overdue"),
    "paused": N_("Clock stopped"),
    "done": N_("Decided"),
}


@router.get("/applications/{number}")
async def application_page(
    request: Request, number: str, session: DbSession, principal: LoggedIn
) -> Response:
    app = await service.get_for(session, principal, number)
    definition = await build.by_id(session, app.definition_id)
    items = set(app.content.get("items", []))
    visible = [f for f in definition.fields.values() if f.code in app.content.get("values", {})]
    return render(
        request,
        "applications/application.html",
        {
            "app": app,
            "scenario": await catalog.scenario_by_code(
                session, app.scenario_code, published_only=False
            ),
            "department": await accounts.get_department(session, app.department_id),
            "definition": definition,
            "sections": definition.sections(visible),
            "materials": definition.materials_on(items),
            "events": await service.timeline(session, app.id),
            "statuses": service.STATUS_LABELS,
            "actions": service.ACTION_LABELS,
            "databases": {db.code: db for db in await registry.databases(session)},
            "just_submitted": request.query_params.get("submitted") == "1",
            "deadline": workflow.deadline_flag(await load_calendar(session), app, local_today()),
            "deadline_labels": DEADLINE_LABELS,
            **labels.TEMPLATE_LABELS,
        },
    )
