"""Checking the signatures in a PDF against the platform root: integrity, the chain of trust,
the timestamp, and whether the document changed after it was signed."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
from dataclasses import dataclass

from anyio import to_thread
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from yiwang.config import get_settings
from yiwang.kit.errors import Invalid
from yiwang.kit.i18n import N_, translate
from yiwang.signing import pki

log = logging.getLogger(__name__)

# What can make a signature fail, as (code, message id); the report carries the codes.
PROBLEMS: dict[str, str] = {
    "unreadable": N_("The signature cannot be read."),
    "digest_mismatch": N_(
        "The document was changed after signing: it no longer matches the signature."
    ),
    "bad_signature": N_("The signature value is not correct for the signer's certificate."),
    "untrusted": N_(
        "The signer's certificate is not issued under the platform's root certificate."
    ),
    "timestamp_invalid": N_("The signature's timestamp is not valid or not trusted."),
    "partial_coverage": N_("The signature does not cover the document as a whole."),
    "disallowed_changes": N_(
        "The document was changed after signing in ways a signature does not allow."
    ),
}
# Changes after a signature that leave it standing: later signatures, form filling, and the
# validation data and document timestamps of long-term signatures.
ALLOWED_CHANGES = (
    ModificationLevel.NONE,
    ModificationLevel.LTA_UPDATES,
    ModificationLevel.FORM_FILLING,
)


@dataclass(frozen=True)
class SignatureResult:
    field: str
    valid: bool  # intact, correct, trusted, timestamp trusted, no disallowed change
    intact: bool
    trusted: bool
    signer: str  # the certificate's subject, as people read it
    department: str | None  # the seal's organisation (O)
    signed_at: dt.datetime | None  # as the signer claims
    timestamp_at: dt.datetime | None  # as the timestamp authority attests
    timestamp_trusted: bool
    coverage: str  # entire_file | entire_revision | contiguous_block_from_start | unclear
    modification: str | None  # none | lta_updates | form_filling | annotations | other
    changed_after_signing: bool  # anything at all was added after this signature
    problems: tuple[str, ...]  # codes of PROBLEMS


@dataclass(frozen=True)
class Report:
    signatures: tuple[SignatureResult, ...]

    @property
    def valid(self) -> bool:
        """Some signature, and every one of them valid."""
        return bool(self.signatures) and all(s.valid for s in self.signatures)


def _context(ca: pki.CA) -> ValidationContext:
    # Our certificates name no CRL or OCSP address; fetching stays off so that a hostile file
    # cannot make the server call out.
    return ValidationContext(
        trust_roots=[pki.asn1(ca.root)], other_certs=[pki.asn1(ca.issuing)], allow_fetching=False
    )


def _result(sig: EmbeddedPdfSignature, status: PdfSignatureStatus) -> SignatureResult:
    cert = status.signing_cert
    ts = status.timestamp_validity
    ts_ok = ts is None or (ts.intact and ts.valid and ts.trusted)
    level = status.modification_level
    coverage = status.coverage or SignatureCoverageLevel.UNCLEAR
    problems = []
    if not status.intact:
        problems.append("digest_mismatch")
    elif not status.valid:
        problems.append("bad_signature")
    elif not status.trusted:  # trust is judged only for a signature that checks out
        problems.append("untrusted")
    if not ts_ok:
        problems.append("timestamp_invalid")
    if coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        problems.append("partial_coverage")
    elif level not in ALLOWED_CHANGES or not status.docmdp_ok:
        problems.append("disallowed_changes")
    return SignatureResult(
        field=sig.field_name,
        valid=not problems and status.bottom_line,
        intact=status.intact,
        trusted=status.trusted,
        signer=cert.subject.human_friendly,
        department=cert.subject.native.get("organization_name"),
        signed_at=status.signer_reported_dt,
        timestamp_at=ts.timestamp if ts is not None else None,
        timestamp_trusted=ts is not None and ts_ok,
        coverage=coverage.name.lower(),
        modification=level.name.lower() if level is not None else None,
        changed_after_signing=coverage != SignatureCoverageLevel.ENTIRE_FILE,
        problems=tuple(problems),
    )


def _unreadable_result(sig: EmbeddedPdfSignature) -> SignatureResult:
    return SignatureResult(
        field=sig.field_name,
        valid=False,
        intact=False,
        trusted=False,
        signer="",
        department=None,
        signed_at=None,
        timestamp_at=None,
        timestamp_trusted=False,
        coverage="unclear",
        modification=None,
        changed_after_signing=True,
        problems=("unreadable",),
    )


def unreadable_pdf(field: str = "file") -> Invalid:
    return Invalid(
        N_("The file is not a PDF that can be read."), field=field, error_code="pdf_unreadable"
    )


async def _verify(pdf: bytes, ca: pki.CA) -> Report:
    try:
        # Strict: a lenient reader accepts hybrid-reference files, in which what a signature
        # covers and what a viewer shows can differ.
        signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        raise unreadable_pdf() from None
    results = []
    for sig in signatures:
        context = _context(ca)
        try:
            status = await async_validate_pdf_signature(sig, signer_validation_context=context)
        except (PdfError, SignatureValidationError, ValueError, KeyError, TypeError) as exc:
            log.info("signature %s unreadable: %s", sig.field_name, type(exc).__name__)
            results.append(_unreadable_result(sig))
            continue
        results.append(_result(sig, status))
    return Report(tuple(results))


async def verify_pdf(pdf: bytes) -> Report:
    """Raises Invalid (field "file") when the bytes are not a readable PDF. Runs in a worker
    thread: hashing and comparing revisions of a large file is CPU work."""
    ca = await to_thread.run_sync(pki.ensure_ca, get_settings())
    return await to_thread.run_sync(lambda: asyncio.run(_verify(pdf, ca)))


def _both(msgid: str, **params: str) -> str:
    zh, en = translate("zh_CN", msgid, **params), translate("en", msgid, **params)
    return zh if zh == en else f"{zh} / {en}"


def _time(value: dt.datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value is not None else "—"


def lines(report: Report) -> list[str]:
    """The report as text for the command line, in Chinese and English."""
    if not report.signatures:
        return [_both(N_("The document has no signatures."))]
    out: list[str] = []
    for s in report.signatures:
        verdict = N_("valid and trusted") if s.valid else N_("NOT valid")
        changed = (
            N_("Changed after signing: yes ({modification})")
            if s.changed_after_signing
            else N_("Changed after signing: no")
        )
        out += [
            f"{s.field}: {_both(verdict)}",
            "  " + _both(N_("Signer: {signer}"), signer=s.signer),
            "  " + _both(N_("Department: {department}"), department=s.department or "—"),
            "  " + _both(N_("Signing time (as claimed): {at}"), at=_time(s.signed_at)),
            "  " + _both(N_("Timestamp: {at}"), at=_time(s.timestamp_at)),
            "  " + _both(changed, modification=s.modification or s.coverage),
        ]
        out += ["  ✗ " + _both(PROBLEMS[code]) for code in s.problems]
    return out
