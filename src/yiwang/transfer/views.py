"""Administrators' pages: upload a file to import, watch its progress, download exports."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile
from starlette.responses import Response

from yiwang.accounts.authz import Principal
from yiwang.config import get_settings
from yiwang.jobs import service as jobs
from yiwang.jobs.models import JobRun
from yiwang.kit.errors import AppError, Invalid, NotFound
from yiwang.kit.i18n import N_
from yiwang.kit.tabular import ImportReport
from yiwang.kit.timeutil import local_today
from yiwang.transfer import service, tasks
from yiwang.web.deps import DbSession, require
from yiwang.web.templating import field_errors, render

router = APIRouter(prefix="/admin", include_in_schema=False)
Admin = Annotated[Principal, Depends(require("admin.access"))]

RUN_PREFIX = "import."
STATUS_LABELS = {
    "queued": N_("Waiting to start"),
    "running": N_("Running"),
    "done": N_("Finished"),
    "failed": N_("Failed"),
}


def _page(
    request: Request,
    runs: list[JobRun],
    errors: list[AppError] | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "transfer/imports.html",
        {
            "kinds": list(service.KINDS.values()),
            "kind_labels": {k.name: k.label for k in service.KINDS.values()},
            "runs": runs,
            "status_labels": STATUS_LABELS,
            "errors": field_errors(errors or []),
            "form": form or {},
        },
        status_code=errors[0].status if errors else 200,
    )


@router.get("/imports")
async def imports_page(request: Request, session: DbSession, principal: Admin) -> Response:
    return _page(request, await jobs.recent(session, RUN_PREFIX))


@dataclass
class _Upload:
    kind: str = ""
    fmt: str = ""
    filename: str = ""
    data: bytes = b""
    errors: list[AppError] = field(default_factory=list)


async def _read_upload(request: Request) -> _Upload:
    form = await request.form()
    kind_name, upload = form.get("kind"), form.get("file")
    out = _Upload()
    kind = service.KINDS.get(kind_name) if isinstance(kind_name, str) else None
    if kind is None:
        out.errors.append(Invalid(N_("Please choose what to import."), field="kind"))
    else:
        out.kind = kind.name
    if not isinstance(upload, UploadFile) or not upload.filename:
        out.errors.append(Invalid(N_("Please choose a file."), field="file"))
        return out
    out.filename = upload.filename[-120:]
    out.data = await upload.read(service.MAX_BYTES + 1)
    detected = service.detect_format(upload.filename, out.data)
    if len(out.data) > service.MAX_BYTES:
        out.errors.append(
            Invalid(
                N_("The file is larger than {mb} MB."),
                field="file",
                mb=service.MAX_BYTES // (1024 * 1024),
            )
        )
    elif detected is None:
        out.errors.append(Invalid(N_("The file must be a CSV or JSON file."), field="file"))
    elif kind is not None and detected not in kind.formats:
        out.errors.append(
            Invalid(service.UNSUPPORTED_FORMAT, field="file", format=detected.upper())
        )
    out.fmt = detected or ""
    return out


def _save(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@router.post("/imports")
async def upload(request: Request, session: DbSession, principal: Admin) -> Response:
    up = await _read_upload(request)
    if up.errors:
        return _page(request, await jobs.recent(session, RUN_PREFIX), up.errors, {"kind": up.kind})
    # The file waits under var/ rather than in the run's row: params stay small, and a worker
    # in another process can read it.
    path = get_settings().var_dir / "imports" / f"{secrets.token_hex(16)}.{up.fmt}"
    await asyncio.to_thread(_save, path, up.data)
    run = await jobs.create_run(
        session,
        RUN_PREFIX + up.kind,
        {
            "kind": up.kind,
            "format": up.fmt,
            "path": str(path),
            "filename": up.filename,
            "scope": [g.region_code for g in principal.grants_for("admin.access")],
            "actor": principal.actor,
        },
        created_by=principal.person_id,
    )
    app = request.app

    async def launch() -> None:
        # After the response, hence after the run's row is committed.
        tasks.start(app.state, app.state.db, run.id)

    return RedirectResponse(
        f"/admin/imports/{run.id}", status_code=303, background=BackgroundTask(launch)
    )


async def _run(session: DbSession, run_id: int) -> JobRun:
    run = await jobs.get_run(session, run_id)
    if not run.kind.startswith(RUN_PREFIX):
        raise NotFound()
    return run


def _run_context(run: JobRun) -> dict[str, Any]:
    kind = service.KINDS.get(str(run.params.get("kind")))
    report = ImportReport.from_dict(run.result) if run.status == "done" else None
    return {
        "run": run,
        "kind_label": kind.label if kind else run.kind,
        "filename": run.params.get("filename", ""),
        "status_label": STATUS_LABELS.get(run.status, run.status),
        "polling": run.status in ("queued", "running"),
        "report": report,
        "error_count": int(run.result.get("error_count", 0)),
        "failure": run.result.get("message") if run.status == "failed" else None,
    }


@router.get("/imports/{run_id}")
async def run_page(request: Request, run_id: int, session: DbSession, principal: Admin) -> Response:
    return render(request, "transfer/run.html", _run_context(await _run(session, run_id)))


@router.get("/imports/{run_id}/status")
async def run_status(
    request: Request, run_id: int, session: DbSession, principal: Admin
) -> Response:
    return render(request, "transfer/_status.html", _run_context(await _run(session, run_id)))


@router.get("/exports/{kind_name}.{fmt}")
async def export(kind_name: str, fmt: str, session: DbSession, principal: Admin) -> Response:
    data = await service.export_bytes(session, kind_name, fmt)
    filename = f"yiwang-{kind_name}-{local_today().isoformat()}.{fmt}"
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    return Response(
        data,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
