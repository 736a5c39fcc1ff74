"""What a file really is, judged by its content, never by its name: PDF, JPEG or PNG within the
limits, or a clear refusal. Signed PDFs have their signatures' integrity checked."""

from __future__ import annotations

import hashlib
import io
import logging
import warnings
from dataclasses import dataclass, field
from typing import Any

from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from yiwang.kit.errors import AppError, Invalid
from yiwang.kit.i18n import N_

log = logging.getLogger(__name__)

ACCEPTED = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
MAX_PAGES = 300
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is plenty for a scanned document
LOW_RESOLUTION = 600  # shorter side in pixels below which text is hard to read

# Leading bytes of content people mistake for documents, to say what was sent instead.
KNOWN: tuple[tuple[bytes, str], ...] = (
    (b"MZ", N_("Only PDF, JPEG and PNG files are accepted; this file is a program.")),
    (b"\x7fELF", N_("Only PDF, JPEG and PNG files are accepted; this file is a program.")),
    (
        b"PK\x03\x04",
        N_("Only PDF, JPEG and PNG files are accepted; this file is an archive or Office file."),
    ),
    (
        b"\xd0\xcf\x11\xe0",
        N_("Only PDF, JPEG and PNG files are accepted; this file is an Office file."),
    ),
    (b"Rar!", N_("Only PDF, JPEG and PNG files are accepted; this file is an archive.")),
    (b"GIF8", N_("Only PDF, JPEG and PNG files are accepted; this file is a GIF image.")),
)


class TooLarge(AppError):
    status = 413
    code = "file_too_large"
    default_message = N_("The file is larger than {mb} MB.")


class Unsupported(AppError):
    status = 415
    code = "file_type_not_allowed"
    default_message = N_("Only PDF, JPEG and PNG files are accepted.")


@dataclass(frozen=True)
class Inspected:
    sha256: str
    size: int
    mime: str
    pages: int | None
    # Problems that do not stop storing the file but that the pre-check reports:
    # signature "none" | "valid" | "invalid"; encrypted; low_resolution.
    notes: dict[str, Any] = field(default_factory=dict)


def sniff(data: bytes) -> str | None:
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def inspect(data: bytes, *, field_name: str, max_bytes: int) -> Inspected:
    """Raises TooLarge, Unsupported or Invalid naming `field_name`; nothing is kept on error."""
    if len(data) > max_bytes:
        raise TooLarge(field=field_name, mb=max_bytes // 1_000_000)
    if not data:
        raise Invalid(N_("The file is empty."), field=field_name, error_code="file_empty")
    mime = sniff(data)
    if mime is None:
        message = next((msg for magic, msg in KNOWN if data.startswith(magic)), None)
        raise Unsupported(message, field=field_name)
    digest = hashlib.sha256(data).hexdigest()
    if mime == "application/pdf":
        pages, notes = _pdf(data, field_name)
    else:
        pages, notes = 1, _image(data, field_name)
    return Inspected(sha256=digest, size=len(data), mime=mime, pages=pages, notes=notes)


def _unreadable(field_name: str) -> Invalid:
    return Invalid(
        N_("The file is damaged or cannot be read. Please save it again and upload the copy."),
        field=field_name,
        error_code="file_unreadable",
    )


def _image(data: bytes, field_name: str) -> dict[str, Any]:
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: make it refuse.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                width, height = img.size
                if width * height > MAX_PIXELS:
                    raise _bomb(field_name)
                img.load()  # decodes every pixel: truncated or corrupt files fail here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _bomb(field_name) from None
    except (OSError, SyntaxError, ValueError):
        raise _unreadable(field_name) from None
    return {"low_resolution": min(width, height) < LOW_RESOLUTION, "width": width, "height": height}


def _bomb(field_name: str) -> Invalid:
    return Invalid(
        N_("The image is too large to open safely (over {mp} megapixels)."),
        field=field_name,
        error_code="file_too_many_pixels",
        mp=MAX_PIXELS // 1_000_000,
    )


def _pdf(data: bytes, field_name: str) -> tuple[int | None, dict[str, Any]]:
    notes: dict[str, Any] = {"signature": "none", "encrypted": False}
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            notes["encrypted"] = True
            # A password only for permissions still opens with the empty password.
            if not reader.decrypt(""):
                return None, notes
        pages = len(reader.pages)
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, RecursionError):
        raise _unreadable(field_name) from None
    if pages == 0:
        raise _unreadable(field_name)
    if pages > MAX_PAGES:
        raise Invalid(
            N_("The document has {pages} pages; at most {max} are accepted."),
            field=field_name,
            error_code="file_too_many_pages",
            pages=pages,
            max=MAX_PAGES,
        )
    if "/AcroForm" in reader.root_object:
        notes["signature"] = signature_integrity(data)
    return pages, notes


def signature_integrity(data: bytes) -> str:
    """ "none", "valid" (every signature's digest and signature value check out) or "invalid".
    Integrity only: whether the signer is trusted is the reviewer's question, not the upload's."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity

    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
        if not signatures:
            return "none"
        for sig in signatures:
            intact, valid = validate_sig_integrity(
                sig.signer_info, sig.signer_cert, "data", sig.compute_digest()
            )
            if not (intact and valid):
                return "invalid"
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        log.info("signature check failed: %s", type(exc).__name__)
        return "invalid"
    return "valid"
