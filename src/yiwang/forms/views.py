"""一张表单 pages: start from a scenario's answers, fill in (saved on every change, checked as
you go), review the findings, submit once."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from yiwang.accounts.authz import Principal
from yiwang.applications import service as applications
from yiwang.catalog import service as catalog
from yiwang.forms import build, labels, service, stats
from yiwang.forms.api import read_upload
from yiwang.forms.precheck import Finding, blocking
from yiwang.forms.service import DraftView, is_read_only
from yiwang.kit.errors import AppError, InvalidMany
from yiwang.registry import service as registry
from yiwang.web.deps import DbSession, LoggedIn, require
from yiwang.web.templating import field_errors, render

router = APIRouter(include_in_schema=False)
admin = APIRouter(prefix="/admin/forms", include_in_schema=False)
Admin = Annotated[Principal, Depends(require("admin.access"))]
OTHER = "__other__"


def _answers(form: FormData) -> list[int]:
    return [int(a) for a in form.getlist("a") if isinstance(a, str) and a.isdigit()][:30]


def _errors(exc: AppError) -> list[AppError]:
    return exc.errors if isinstance(exc, InvalidMany) else [exc]


@router.post("/scenarios/{code}/apply")
async def apply(request: Request, code: str, session: DbSession, principal: LoggedIn) -> Response:
    form = await request.form()
    answers = _answers(form)
    who = str(form.get("applicant") or "person")
    enterprise_id = int(who) if who.isdigit() else None
    draft = await service.start(session, principal, code, answers, enterprise_id)
    return RedirectResponse(f"/drafts/{draft.id}", status_code=303)


# What is merely not filled in yet: listed when the applicant asks to check, not shown beside
# every empty field of a form they have only just opened.
NOT_YET = frozenset({"required", "material_missing"})


def while_filling(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.code not in NOT_YET]


async def _context(session: DbSession, dv: DraftView, findings: list[Finding]) -> dict[str, Any]:
    by_field: dict[str, list[Finding]] = {}
    for f in findings:
        by_field.setdefault(f.field, []).append(f)
    free, shown = dv.fill_free()
    ctx: dict[str, Any] = {
        "dv": dv,
        "d": dv.draft,
        "sections": dv.definition.sections(dv.fields),
        "findings": findings,
        "by_field": by_field,
        "blocking": blocking(findings),
        "free": free,
        "shown": shown,
        "databases": {db.code: db for db in await registry.databases(session)},
        "read_only": lambda f: is_read_only(f, dv.draft.provenance),
        "OTHER": OTHER,
        **labels.TEMPLATE_LABELS,
    }
    ctx["c"] = ctx  # the field macro reads everything through one argument
    return ctx


async def _page(
    request: Request,
    session: DbSession,
    principal: Principal,
    draft_id: str,
    *,
    errors: list[AppError] | None = None,
    template: str = "forms/draft.html",
    extra: dict[str, Any] | None = None,
) -> Response:
    draft = await service.get(session, principal, draft_id)
    if draft.status != "open":
        return RedirectResponse(f"/applications/{draft.application_no}", status_code=303)
    dv = await service.view(session, principal, draft)
    findings = await service.check(session, dv)
    if template == "forms/draft.html":
        findings = while_filling(findings)
    ctx = await _context(session, dv, findings)
    ctx.update(extra or {})
    ctx["errors"] = field_errors(errors or [])
    return render(request, template, ctx, status_code=errors[0].status if errors else 200)


@router.get("/drafts/{draft_id}")
async def draft_page(
    request: Request, draft_id: str, session: DbSession, principal: LoggedIn
) -> Response:
    return await _page(request, session, principal, draft_id)


def form_updates(dv: DraftView, form: FormData) -> dict[str, Any]:
    """The editable visible fields as the page posted them. A blank ID number field keeps the
    saved number: the page never sends the number back, so blank means unchanged."""
    out: dict[str, Any] = {}
    for f in dv.fields:
        if is_read_only(f, dv.draft.provenance):
            continue
        if f.widget == "multichoice":
            out[f.code] = [str(v) for v in form.getlist(f.code)]
            continue
        raw = str(form.get(f.code) or "")
        if f.fill == "choose" and raw == OTHER:
            raw = str(form.get(f"{f.code}{OTHER}") or "")
        if f.widget == "id_number" and not raw.strip():
            continue
        out[f.code] = raw
    return out


async def _save_form(
    request: Request, session: DbSession, principal: Principal, draft_id: str
) -> tuple[DraftView, list[AppError]]:
    """The draft as it now stands, and what was refused (then nothing was saved)."""
    draft = await service.get(session, principal, draft_id)
    dv = await service.view(session, principal, draft)
    try:
        updates = form_updates(dv, await request.form())
        return await service.save(session, principal, draft, updates), []
    except AppError as exc:
        return dv, _errors(exc)


@router.post("/drafts/{draft_id}")
async def save(
    request: Request, draft_id: str, session: DbSession, principal: LoggedIn
) -> Response:
    """Without JavaScript: save everything, then show the form again with its findings."""
    _, errors = await _save_form(request, session, principal, draft_id)
    if errors:
        return await _page(request, session, principal, draft_id, errors=errors)
    form = await request.form()
    target = "review" if form.get("action") == "review" else ""
    return RedirectResponse(
        f"/drafts/{draft_id}/{target}".rstrip("/") + ("" if target else "?saved=1"),
        status_code=303,
    )


@router.post("/drafts/{draft_id}/autosave")
async def autosave(
    request: Request, draft_id: str, session: DbSession, principal: LoggedIn
) -> Response:
    """HTMX on every change: save, then swap in each field's findings and the saved note."""
    dv, errors = await _save_form(request, session, principal, draft_id)
    findings = while_filling(await service.check(session, dv))
    ctx = await _context(session, dv, findings)
    ctx["errors"] = field_errors(errors)
    return render(request, "forms/_autosave.html", ctx)


@router.post("/drafts/{draft_id}/answers")
async def change_answers(
    request: Request, draft_id: str, session: DbSession, principal: LoggedIn
) -> Response:
    form = await request.form()
    draft = await service.get(session, principal, draft_id)
    answers = _answers(form)
    await service.set_answers(session, principal, draft, answers)
    return RedirectResponse(f"/drafts/{draft_id}", status_code=303)


@router.post("/drafts/{draft_id}/materials/{material_key}")
async def upload(
    request: Request,
    draft_id: str,
    material_key: str,
    file: UploadFile,
    session: DbSession,
    principal: LoggedIn,
) -> Response:
    draft = await service.get(session, principal, draft_id)
    field_name = f"materials.{material_key}"
    try:
        data = await read_upload(request, file, field_name)
        await service.attach(session, principal, draft, material_key, data, file.filename or "")
    except AppError as exc:
        if exc.field != field_name:
            raise
        return await _page(request, session, principal, draft_id, errors=[exc])
    return RedirectResponse(f"/drafts/{draft_id}#materials", status_code=303)


@router.post("/drafts/{draft_id}/materials/{material_key}/delete")
async def remove(
    draft_id: str, material_key: str, session: DbSession, principal: LoggedIn
) -> Response:
    draft = await service.get(session, principal, draft_id)
    await service.detach(session, principal, draft, material_key)
    return RedirectResponse(f"/drafts/{draft_id}#materials", status_code=303)


async def _review(
    request: Request, session: DbSession, principal: Principal, draft_id: str, failed: bool
) -> Response:
    # A fresh key per rendering: a double click or a retry of this page's submit sends the same
    # key and gets the same application back.
    return await _page(
        request,
        session,
        principal,
        draft_id,
        template="forms/review.html",
        extra={"idempotency_key": secrets.token_urlsafe(18), "failed": failed},
    )


@router.get("/drafts/{draft_id}/review")
async def review(
    request: Request, draft_id: str, session: DbSession, principal: LoggedIn
) -> Response:
    return await _review(request, session, principal, draft_id, failed=False)


@router.post("/drafts/{draft_id}/submit")
async def submit(
    request: Request, draft_id: str, session: DbSession, principal: LoggedIn
) -> Response:
    form = await request.form()
    key = str(form.get("idempotency_key") or "")
    try:
        app, _ = await service.submit(session, principal, draft_id, key)
    except service.PrecheckFailed:
        return await _review(request, session, principal, draft_id, failed=True)
    return RedirectResponse(f"/applications/{app.number}?submitted=1", status_code=303)


@router.get("/me/applications")
async def my_applications(request: Request, session: DbSession, principal: LoggedIn) -> Response:
    return render(
        request,
        "forms/mine.html",
        {
            "drafts": await service.mine(session, principal),
            "applications": await applications.mine(session, principal),
            "statuses": applications.STATUS_LABELS,
            "scenarios": {
                s.code: s for s in await catalog.list_scenarios(session, published_only=False)
            },
        },
    )


@admin.get("")
async def form_list(request: Request, session: DbSession, principal: Admin) -> Response:
    return render(request, "forms/admin_list.html", {"rows": await stats.scenarios(session)})


@admin.get("/{scenario}")
async def form_detail(
    request: Request, scenario: str, session: DbSession, principal: Admin
) -> Response:
    return await _detail(request, session, scenario)


async def _detail(
    request: Request, session: DbSession, scenario: str, rebuilt: bool | None = None
) -> Response:
    definition = await build.current(session, scenario)
    return render(
        request,
        "forms/admin_form.html",
        {
            "definition": definition,
            "versions": await build.versions(session, scenario),
            "row": next(r for r in await stats.scenarios(session) if r.code == scenario),
            "databases": {db.code: db for db in await registry.databases(session)},
            "rebuilt": rebuilt,
            **labels.TEMPLATE_LABELS,
        },
    )


@admin.post("/{scenario}/rebuild")
async def rebuild(
    request: Request, scenario: str, session: DbSession, principal: Admin
) -> Response:
    before = await build.latest(session, scenario)
    after = await build.publish(session, scenario, principal.actor)
    return await _detail(
        request, session, scenario, rebuilt=before is None or after.id != before.id
    )
