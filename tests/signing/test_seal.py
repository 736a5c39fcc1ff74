from __future__ import annotations

import hashlib
import io
import socket
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.signing.conftest import Staff, make_pdf, pdfsig, pyhanko_validate, seal, tampered
from yiwang.accounts import service as accounts
from yiwang.accounts.authz import Grant
from yiwang.accounts.models import Department
from yiwang.audit.models import AuditEvent
from yiwang.config import get_settings
from yiwang.files import service as files
from yiwang.kit.errors import Forbidden, Invalid
from yiwang.signing import pki, service
from yiwang.signing.models import SignedDocument, SigningCertificate
from yiwang.signing.tsa import TimestampUnavailable
from yiwang.signing.verify import verify_pdf


async def _count(session: AsyncSession, model: type[SignedDocument] | type[AuditEvent]) -> int:
    return (await session.execute(select(func.count()).select_from(model))).scalar_one()


@pytest.mark.usefixtures("tsa_url")
async def test_head_seals_and_the_seal_is_archived(
    session: AsyncSession, staff: Staff, xzsp_shinan: Department, ca: pki.CA
) -> None:
    sealed = await seal(session, staff, xzsp_shinan)
    digest = hashlib.sha256(sealed).hexdigest()
    doc = (
        await session.execute(select(SignedDocument).where(SignedDocument.sha256 == digest))
    ).scalar_one()
    head = await accounts.find_person_by_login(session, "head.shinan")
    assert head is not None
    assert (doc.department_id, doc.signed_by, doc.size) == (xzsp_shinan.id, head.id, len(sealed))
    assert await files.read(digest) == sealed
    kinds = set((await session.execute(select(SigningCertificate.kind))).scalars())
    cert = await session.get(SigningCertificate, doc.certificate_id)
    assert cert is not None and cert.kind == "seal" and cert.department_id == xzsp_shinan.id
    assert "青岛市市南区行政审批服务局" in cert.subject
    assert {"root", "issuing", "seal"} <= kinds
    event = (
        await session.execute(select(AuditEvent).where(AuditEvent.object == f"document:{digest}"))
    ).scalar_one()
    assert event.action == "document.seal" and event.actor == f"person:{head.id}"
    assert event.details["department_id"] == xzsp_shinan.id
    assert event.details["certificate"] == cert.fingerprint

    # The CMS carries the chain up to the root; PAdES subfilter.
    sig = PdfFileReader(io.BytesIO(sealed)).embedded_signatures[0]
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    embedded = {c.chosen.sha256.hex() for c in sig.signed_data["certificates"]}
    assert {pki.fingerprint(ca.root), pki.fingerprint(ca.issuing), cert.fingerprint} <= embedded


async def test_others_may_not_seal_and_nothing_is_kept(
    session: AsyncSession, staff: Staff, xzsp_shinan: Department, tsa_url: str
) -> None:
    docs, events = await _count(session, SignedDocument), await _count(session, AuditEvent)
    shibei = await accounts.department_by_code(session, "xzsp", "370203")
    for login, dept in (
        ("reviewer.shinan", xzsp_shinan),  # reviews, does not sign off
        ("clerk.shinan", xzsp_shinan),
        ("head.shinan", shibei),  # a head, of another district's bureau
    ):
        with pytest.raises(Forbidden):
            await service.seal_pdf(
                session, make_pdf(), principal=await staff(login), department_id=dept.id, reason="x"
            )
    assert await _count(session, SignedDocument) == docs
    assert await _count(session, AuditEvent) == events


@pytest.mark.usefixtures("tsa_url")
async def test_what_is_not_a_pdf_is_not_sealed(
    session: AsyncSession, staff: Staff, xzsp_shinan: Department
) -> None:
    docs = await _count(session, SignedDocument)
    for data in (b"not a pdf at all", make_pdf()[:200]):
        with pytest.raises(Invalid) as caught:
            await seal(session, staff, xzsp_shinan, data)
        assert caught.value.field == "pdf" and caught.value.code == "pdf_unreadable"
    assert await _count(session, SignedDocument) == docs


async def test_no_timestamp_no_seal(
    session: AsyncSession,
    staff: Staff,
    xzsp_shinan: Department,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = await _count(session, SignedDocument)
    monkeypatch.setattr(get_settings(), "tsa_url", "")
    with pytest.raises(TimestampUnavailable):
        await seal(session, staff, xzsp_shinan)
    with socket.socket() as s:  # a port nothing listens on: the request is refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(get_settings(), "tsa_url", f"http://127.0.0.1:{port}/")
    with pytest.raises(TimestampUnavailable):
        await seal(session, staff, xzsp_shinan)
    assert await _count(session, SignedDocument) == docs


@pytest.mark.usefixtures("tsa_url")
async def test_independent_tools_agree(
    session: AsyncSession,
    staff: Staff,
    xzsp_shinan: Department,
    ca_files: dict[str, Path],
    tmp_path: Path,
) -> None:
    sealed = await seal(session, staff, xzsp_shinan)
    good, bad = tmp_path / "sealed.pdf", tmp_path / "tampered.pdf"
    good.write_bytes(sealed)
    bad.write_bytes(tampered(sealed))

    out = pdfsig(ca_files["nss"], good)
    assert "Signature is Valid" in out and "Certificate is Trusted" in out, out
    assert "青岛市市南区行政审批服务局" in out
    out = pdfsig(ca_files["nss"], bad)
    assert "Signature is Valid" not in out and "Digest Mismatch" in out, out

    done = pyhanko_validate(ca_files["root"], good)
    assert done.returncode == 0, done.stdout + done.stderr
    done = pyhanko_validate(ca_files["root"], bad)
    assert done.returncode == 1, done.stdout + done.stderr

    report = await verify_pdf(sealed)
    assert report.valid
    (s,) = report.signatures
    assert s.intact and s.trusted and s.timestamp_trusted and not s.changed_after_signing
    assert s.department == "青岛市市南区行政审批服务局"
    assert s.signed_at is not None and s.timestamp_at is not None
    assert abs((s.timestamp_at - s.signed_at).total_seconds()) < 120

    report = await verify_pdf(tampered(sealed))
    assert not report.valid
    assert report.signatures[0].problems[0] == "digest_mismatch"


@pytest.mark.usefixtures("tsa_url")
async def test_openssl_accepts_the_embedded_timestamp(
    session: AsyncSession,
    staff: Staff,
    xzsp_shinan: Department,
    ca_files: dict[str, Path],
    tmp_path: Path,
) -> None:
    sealed = await seal(session, staff, xzsp_shinan)
    signer_info = PdfFileReader(io.BytesIO(sealed)).embedded_signatures[0].signer_info
    (token,) = [
        a["values"][0]
        for a in signer_info["unsigned_attrs"]
        if a["type"].native == "signature_time_stamp_token"
    ]
    (tmp_path / "token.der").write_bytes(token.dump())
    # RFC 3161 over the signature value: the token proves the signature existed at its time.
    (tmp_path / "signature.bin").write_bytes(signer_info["signature"].native)

    def ts_verify(data: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                *("openssl", "ts", "-verify", "-in", tmp_path / "token.der", "-token_in"),
                *("-data", data, "-CAfile", ca_files["root"], "-untrusted", ca_files["issuing"]),
            ],
            capture_output=True,
            text=True,
            check=False,
        )

    done = ts_verify(tmp_path / "signature.bin")
    assert done.returncode == 0 and "Verification: OK" in done.stdout, done.stderr
    (tmp_path / "other.bin").write_bytes(b"not the signature")
    assert ts_verify(tmp_path / "other.bin").returncode != 0


@pytest.mark.usefixtures("tsa_url")
async def test_a_second_seal_keeps_the_first_valid(
    session: AsyncSession, staff: Staff, xzsp_shinan: Department
) -> None:
    once = await seal(session, staff, xzsp_shinan)
    twice = await seal(session, staff, xzsp_shinan, once)
    report = await verify_pdf(twice)
    assert report.valid and [s.field for s in report.signatures] == ["Seal1", "Seal2"]
    first, second = report.signatures
    assert first.changed_after_signing and first.modification == "form_filling"
    assert not second.changed_after_signing
    assert await _count(session, SignedDocument) >= 2


@pytest.mark.usefixtures("tsa_url")
async def test_an_imported_seal_signs_but_is_not_trusted(
    session: AsyncSession, staff: Staff, tmp_path: Path
) -> None:
    """A department's seal imported from another CA (PKCS#12, with that CA's certificate) is used
    as it is; our verifier trusts only the platform root, so it reports the seal untrusted."""
    from tests.signing.test_pki import make_pkcs12

    cgj = await accounts.department_by_code(session, "cgj", "370202")
    head = await staff("head.shinan")
    grant = Grant("head", cgj.id, "cgj", "370202", frozenset({"applications.decide"}))
    principal = replace(head, grants=(grant,))
    data, cert, other_ca = make_pkcs12(b"pw", "城市管理局（外部签章）")
    store = pki.keystore()
    key = service.seal_key(cgj.id)
    pki.import_pkcs12(store, key, data, b"pw")
    try:
        sealed = await service.seal_pdf(
            session, make_pdf(), principal=principal, department_id=cgj.id, reason="测试"
        )
        sig = PdfFileReader(io.BytesIO(sealed)).embedded_signatures[0]
        embedded = {c.chosen.sha256.hex() for c in sig.signed_data["certificates"]}
        assert {pki.fingerprint(cert), pki.fingerprint(other_ca)} <= embedded
        (result,) = (await verify_pdf(sealed)).signatures
        assert result.intact and not result.trusted and not result.valid
        assert result.problems == ("untrusted",)
        row = (
            await session.execute(
                select(SigningCertificate).where(SigningCertificate.department_id == cgj.id)
            )
        ).scalar_one()
        assert row.fingerprint == pki.fingerprint(cert)
    finally:  # the next test to seal for this department gets a platform seal again
        store.key_path(key).unlink()
        store.cert_path(key).unlink()
