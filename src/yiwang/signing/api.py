"""JSON routes under /api/v1/signatures: anyone may check a signed document, without logging in."""

from __future__ import annotations

from fastapi import APIRouter, Request, UploadFile

from yiwang.files.inspect import TooLarge
from yiwang.kit.errors import Invalid
from yiwang.kit.i18n import N_
from yiwang.signing import verify
from yiwang.signing.schemas import VerifyOut

router = APIRouter(prefix="/api/v1/signatures", tags=["signatures"])

MAX_BYTES = 20_000_000


async def _read(request: Request, upload: UploadFile) -> bytes:
    """Refused by the declared length before reading, then by what actually arrived."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES + 64_000:
        raise TooLarge(field="file", mb=MAX_BYTES // 1_000_000)
    data = await upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise TooLarge(field="file", mb=MAX_BYTES // 1_000_000)
    if not data:
        raise Invalid(N_("The file is empty."), field="file", error_code="file_empty")
    if not data[:1024].lstrip().startswith(b"%PDF-"):
        raise Invalid(N_("Only PDF files can be checked."), field="file", error_code="not_pdf")
    return data


@router.post("/verify")
async def verify_document(request: Request, file: UploadFile) -> VerifyOut:
    """Every signature in the uploaded PDF (multipart field `file`, at most 20 MB): whether it is
    intact and trusted (issued under the platform root), who signed, for which department, when
    (as claimed and as timestamped), and whether the document changed after signing.

    `valid` is true when there is at least one signature and all of them are valid. 422 naming
    the field `file` when it is missing, empty, not a PDF or unreadable; 413 above 20 MB."""
    return VerifyOut.of(await verify.verify_pdf(await _read(request, file)))
