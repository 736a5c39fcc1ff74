"""JSON routes of forms and drafts under /api/v1. Every draft route is the draft owner's only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, UploadFile
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile as StarletteUpload
from starlette.responses import Response

from yiwang.files import service as files
from yiwang.files.inspect import TooLarge
from yiwang.forms import build, schemas, service
from yiwang.forms.precheck import blocking
from yiwang.kit.errors import Invalid
from yiwang.kit.i18n import N_
from yiwang.web.deps import DbSession, LoggedIn

router = APIRouter(prefix="/api/v1", tags=["forms"])


@router.get("/forms/{scenario}")
async def form_definition(scenario: str, session: DbSession) -> dict[str, Any]:
    """The newest version of a scenario's form: JSON Schema 2020-12, the UI description (sections,
    widgets, sources, materials) and the pre-check rules, with its version and checksum."""
    definition = await build.current(session, scenario)
    return {
        "scenario": scenario,
        "version": definition.version,
        "checksum": definition.checksum,
        **definition.document,
    }


@router.post("/drafts", status_code=201)
async def create_draft(
    body: schemas.DraftIn, session: DbSession, principal: LoggedIn
) -> schemas.DraftOut:
    """Starts a draft from the answers to the scenario's questions, filled with what the
    platform knows; optional `values` are saved at once."""
    draft = await service.start(session, principal, body.scenario, body.answers, body.enterprise_id)
    dv = await service.view(session, principal, draft)
    if body.values:
        dv = await service.save(session, principal, draft, body.values)
    return schemas.draft_out(dv)


@router.get("/drafts/{draft_id}")
async def get_draft(draft_id: str, session: DbSession, principal: LoggedIn) -> schemas.DraftOut:
    draft = await service.get(session, principal, draft_id)
    return schemas.draft_out(await service.view(session, principal, draft))


@router.patch("/drafts/{draft_id}")
async def patch_draft(
    draft_id: str, body: schemas.DraftPatch, session: DbSession, principal: LoggedIn
) -> schemas.DraftOut:
    """Autosave: the given values replace the stored ones (null clears); nothing is saved when
    any value is refused."""
    draft = await service.get(session, principal, draft_id)
    if body.answers is not None:
        await service.set_answers(session, principal, draft, body.answers)
    dv = await service.view(session, principal, draft)
    if body.values:
        dv = await service.save(session, principal, draft, body.values)
    return schemas.draft_out(dv)


async def read_upload(request: Request, upload: StarletteUpload, field_name: str) -> bytes:
    """Refuses by the declared length before reading, then by what actually arrived."""
    limit = files.max_bytes()
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + 64_000:
        raise TooLarge(field=field_name, mb=limit // 1_000_000)
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(field=field_name, mb=limit // 1_000_000)
    return data


@router.post("/drafts/{draft_id}/materials/{material_key}", status_code=201)
async def upload_material(
    request: Request,
    draft_id: str,
    material_key: str,
    file: UploadFile,
    session: DbSession,
    principal: LoggedIn,
) -> dict[str, Any]:
    """A PDF, JPEG or PNG for one material, checked by its content; refused files leave
    nothing behind."""
    draft = await service.get(session, principal, draft_id)
    data = await read_upload(request, file, f"materials.{material_key}")
    found = await service.attach(session, principal, draft, material_key, data, file.filename or "")
    return {
        "material": material_key,
        "sha256": found.sha256,
        "mime": found.mime,
        "size": found.size,
        "pages": found.pages,
        "notes": found.notes,
    }


@router.delete("/drafts/{draft_id}/materials/{material_key}", status_code=204)
async def remove_material(
    draft_id: str, material_key: str, session: DbSession, principal: LoggedIn
) -> Response:
    draft = await service.get(session, principal, draft_id)
    await service.detach(session, principal, draft, material_key)
    return Response(status_code=204)


@router.post("/drafts/{draft_id}/precheck")
async def precheck_draft(
    draft_id: str, session: DbSession, principal: LoggedIn
) -> schemas.PrecheckOut:
    """智能预审: every finding with its severity, field, message and suggested fix."""
    draft = await service.get(session, principal, draft_id)
    findings = await service.check(session, await service.view(session, principal, draft))
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("block", "warn", "inform")}
    return schemas.PrecheckOut(
        can_submit=not blocking(findings),
        counts=counts,
        findings=[schemas.FindingOut(**f.to_dict()) for f in findings],
    )


@router.post("/drafts/{draft_id}/submit", status_code=201, response_model=schemas.SubmittedOut)
async def submit_draft(
    draft_id: str,
    session: DbSession,
    principal: LoggedIn,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    """Creates the application (办件) once per `Idempotency-Key`: repeating the request with the
    same key answers 200 with the same application instead of creating another."""
    if idempotency_key is None:
        raise Invalid(
            N_("A request key of 1 to 64 letters, digits, or - _ . : is needed."),
            field="Idempotency-Key",
            error_code="bad_idempotency_key",
        )
    app, replayed = await service.submit(session, principal, draft_id, idempotency_key)
    out = schemas.SubmittedOut(
        number=app.number or "",
        status=app.status,
        scenario=app.scenario_code,
        submitted_at=app.submitted_at.isoformat(timespec="seconds"),
        form_version=app.definition_version,
        fields_shown=app.fields_shown,
        fields_free=app.fields_free,
        replayed=replayed,
    )
    return JSONResponse(out.model_dump(), status_code=200 if replayed else 201)
