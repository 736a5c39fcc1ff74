"""Application pages: the case (its number, where it stands, its timeline, what was submitted and,
for staff, the steps open to them now), its materials, and the staff inbox."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from yiwang.accounts import service as accounts
from yiwang.accounts.authz import Principal, region_contains
from yiwang.applications import coreview, inbox, service, workflow
from yiwang.applications.models import Application
from yiwang.catalog import service as catalog
from yiwang.files import service as files
from yiwang.forms import build, labels
from yiwang.forms import corrections as fix
from yiwang.forms.api import read_upload
from yiwang.kit.errors import Forbidden, Invalid, InvalidMany, NotFound
from yiwang.kit.i18n import N_
from yiwang.kit.timeutil import local_today
from yiwang.kit.workdays import load_calendar
from yiwang.registry import service as registry
from yiwang.web.deps import DbSession, LoggedIn, require
from yiwang.web.templating import field_errors, render

router = APIRouter(include_in_schema=False)
# How often an open case's page asks where the case stands.
POLL_SECONDS = 5
StaffMember = Annotated[Principal, Depends(require("workbench"))]

# The deadline's flag as words beside its colour: never colour alone.
DEADLINE_LABELS = {
    "ok": N_("On time"),
    "near": N_("Due soon"),
    "overdue": N_("Overdue"),
    "paused": N_("Clock stopped"),
    "done": N_("Decided"),
    "none": N_("Not started"),
}
TASK_LABELS = {
    "pending": N_("Waiting for its opinion"),
    "agreed": N_("Agreed"),
    "disagreed": N_("Disagreed"),
}


@router.get("/applications/{number}")
async def application_page(
    request: Request, number: str, session: DbSession, principal: LoggedIn
) -> Response:
    app = await service.get_for(session, principal, number)
    ctx = await _context(session, principal, app)
    ctx["just_submitted"] = request.query_params.get("submitted") == "1"
    return render(request, "applications/application.html", ctx)


@router.get("/applications/{number}/progress")
async def progress(
    request: Request, number: str, session: DbSession, principal: LoggedIn
) -> Response:
    """The status, deadline, holder and timeline alone, for the page to swap in."""
    app = await service.get_for(session, principal, number)
    return render(request, "applications/_progress.html", await _progress(session, app))


@router.post("/applications/{number}/steps/{step}")
async def take_step(
    request: Request, number: str, step: str, session: DbSession, principal: LoggedIn
) -> Response:
    app = await service.by_number(session, number)
    form = await request.form()
    try:
        fixed = (
            await _corrections(request, session, principal, app, form)
            if step == "resubmit"
            else None
        )
        await workflow.act(
            session,
            principal,
            app,
            step,
            opinion=_text(form, "opinion"),
            details=_details(form),
            corrections=fixed,
        )
    except (Invalid, InvalidMany) as exc:
        ctx = await _context(session, principal, app)
        errors = exc.errors if isinstance(exc, InvalidMany) else [exc]
        ctx.update({"errors": field_errors(errors), "form": dict(form), "open_step": step})
        return render(request, "applications/application.html", ctx, status_code=422)
    return RedirectResponse(f"/applications/{number}", status_code=303)


async def _corrections(
    request: Request, session: DbSession, principal: Principal, app: Application, form: FormData
) -> dict[str, Any]:
    """The answers (`value.<code>`) and files (`file.<key>`) of the applicant's corrections."""
    if not workflow.is_applicant(principal, app):
        raise Forbidden()
    named = await workflow.last_request(session, app)
    uploads: dict[str, tuple[str, bytes]] = {}
    for key in named["materials"]:
        upload = form.get(f"file.{key}")
        if isinstance(upload, UploadFile) and upload.filename:
            data = await read_upload(request, upload, f"materials.{key}")
            uploads[key] = (upload.filename, data)
    values = {c: form.get(f"value.{c}") for c in named["fields"]}
    return await fix.corrections(session, app, named, values, uploads)


@router.get("/applications/{number}/materials/{key}")
async def material(number: str, key: str, session: DbSession, principal: LoggedIn) -> Response:
    """An uploaded material, shown inline (PDFs in the browser's viewer) and never run."""
    app = await service.get_for(session, principal, number)
    got = app.content.get("materials", {}).get(key)
    if not isinstance(got, dict) or "sha256" not in got:
        raise NotFound()
    name = quote(str(got.get("name") or "file"))
    return Response(
        await files.read(str(got["sha256"])),
        media_type=str(got.get("mime") or "application/octet-stream"),
        headers={
            "Content-Disposition": f"inline; filename*=UTF-8''{name}",
            "Content-Security-Policy": "sandbox",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/staff/inbox")
async def inbox_page(request: Request, session: DbSession, principal: StaffMember) -> Response:
    p = request.query_params
    filters = inbox.Filters(
        status=p.get("status", "") if p.get("status", "") in workflow.OPEN else "",
        flag=p.get("flag", "") if p.get("flag", "") in inbox.FLAGS else "",
        mine=p.get("mine") == "1",
        unassigned=p.get("unassigned") == "1",
        number=p.get("number", "").strip()[:23],
        page=int(p["page"]) if p.get("page", "").isdigit() else 1,
    )
    rows, more = await inbox.cases(
        session, principal, filters, await load_calendar(session), local_today()
    )
    return render(
        request,
        "applications/inbox.html",
        {
            "cases": rows,
            "more": more,
            "filters": filters,
            "open_states": workflow.OPEN,
            "statuses": service.STATUS_LABELS,
            "deadline_labels": DEADLINE_LABELS,
        },
    )


async def _progress(session: DbSession, app: Application) -> dict[str, Any]:
    definition = await build.by_id(session, app.definition_id)
    events = await service.timeline(session, app.id)
    held = [e for e in events if e.action == "assign"]
    return {
        "app": app,
        "definition": definition,
        "material_by_key": {m.key: m for m in definition.materials},
        "events": events,
        "holder": held[-1].details.get("assignee", "") if app.assignee_id and held else "",
        "statuses": service.STATUS_LABELS,
        "actions": service.ACTION_LABELS,
        "deadline": workflow.deadline_flag(await load_calendar(session), app, local_today()),
        "deadline_labels": DEADLINE_LABELS,
        "polling": not workflow.STATES[app.status].final,
        "poll_seconds": POLL_SECONDS,
    }


async def _context(session: DbSession, principal: Principal, app: Application) -> dict[str, Any]:
    ctx = await _progress(session, app)
    definition = ctx["definition"]
    items = set(app.content.get("items", []))
    visible = [f for f in definition.fields.values() if f.code in app.content.get("values", {})]
    tasks = await coreview.tasks_of(session, app.id)
    steps = workflow.allowed(principal, app, tasks)
    departments = {
        t.department_id: await accounts.get_department(session, t.department_id) for t in tasks
    }
    return {
        **ctx,
        "scenario": await catalog.scenario_by_code(
            session, app.scenario_code, published_only=False
        ),
        "department": await accounts.get_department(session, app.department_id),
        "sections": definition.sections(visible),
        "visible": visible,
        "materials": definition.materials_on(items),
        "databases": {db.code: db for db in await registry.databases(session)},
        "steps": steps,
        "step_rules": workflow.STEPS,
        "special_kinds": workflow.SPECIAL_KINDS,
        "colleagues": await _colleagues(session, app) if "assign" in steps else [],
        "named": await workflow.last_request(session, app) if "resubmit" in steps else {},
        "tasks": [(t, departments[t.department_id]) for t in tasks],
        "task_labels": TASK_LABELS,
        **labels.TEMPLATE_LABELS,
    }


async def _colleagues(session: DbSession, app: Application) -> list[tuple[int, str]]:
    """The people who work on the receiving department's cases in the application's region."""
    seen: dict[int, str] = {}
    for a, person, dept in await accounts.assignments(session):
        if dept.id == app.department_id and region_contains(a.region_code, app.region_code):
            seen.setdefault(person.id, person.name)
    return sorted(seen.items(), key=lambda kv: kv[1])


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _details(form: FormData) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for many in ("fields", "materials"):
        picked = [v for v in form.getlist(many) if isinstance(v, str) and v]
        if picked:
            out[many] = picked[:100]
    for one in ("kind", "assignee_id"):
        if value := _text(form, one):
            out[one] = value
    return out
