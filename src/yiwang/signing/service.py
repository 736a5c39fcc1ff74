"""Sealing documents with a department's seal, the records of issued certificates, and the signed
archive. Key and certificate files are made in worker threads; nothing here commits."""

from __future__ import annotations

from anyio import to_thread
from cryptography import x509
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import service as accounts
from yiwang.accounts.authz import Principal
from yiwang.accounts.models import Department
from yiwang.audit import service as audit
from yiwang.config import get_settings
from yiwang.db import is_postgresql
from yiwang.files import service as files
from yiwang.kit import identifiers
from yiwang.kit.errors import Forbidden
from yiwang.kit.i18n import N_
from yiwang.signing import pki, sealer, tsa
from yiwang.signing.models import SignedDocument, SigningCertificate

SEAL_PERMISSION = "applications.decide"  # held by department heads (签发)


def seal_key(department_id: int) -> str:
    return f"seal-{department_id}"


def staff_key(person_id: int) -> str:
    return f"staff-{person_id}"


def seal_name(department: Department) -> str:
    """The name a seal bears: the department with its city and district
    (青岛市市南区行政审批服务局), since departments of different districts share names."""
    code = department.region_code
    full = identifiers.region_name(code) or ""
    province = identifiers.region_name(code[:2] + "0000") or ""
    place = full.removeprefix(province) if full != province else full
    # The name may already begin with part of the place (市南区行政审批服务局): say it once.
    cut = next(i for i in range(len(place) + 1) if department.name.startswith(place[i:]))
    return place[:cut] + department.name


async def record_certificate(
    session: AsyncSession,
    kind: str,
    cert: x509.Certificate,
    *,
    department_id: int | None = None,
    person_id: int | None = None,
) -> int:
    """The id of `cert`'s record, written the first time the certificate is seen."""
    fp = pki.fingerprint(cert)
    q = select(SigningCertificate.id).where(SigningCertificate.fingerprint == fp)
    found = (await session.execute(q)).scalar_one_or_none()
    if found is not None:
        return found
    row = {"kind": kind, "department_id": department_id, "person_id": person_id}
    dialect = postgresql if is_postgresql(session) else sqlite
    # Two first seals of one department at once both write the record; one row stays.
    insert = dialect.insert(SigningCertificate).values({**row, **pki.describe(cert)})
    await session.execute(insert.on_conflict_do_nothing(index_elements=["fingerprint"]))
    return (await session.execute(q)).scalar_one()


async def platform_ca(session: AsyncSession) -> pki.CA:
    """The CA, made if this installation has none yet, with its two certificates recorded."""
    ca = await to_thread.run_sync(pki.ensure_ca, get_settings())
    await record_certificate(session, "root", ca.root)
    await record_certificate(session, "issuing", ca.issuing)
    return ca


async def department_seal(
    session: AsyncSession, department: Department
) -> tuple[pki.CA, x509.Certificate, int]:
    """The department's seal certificate (issued at its first seal, again near expiry or after
    a rename), with the CA and the certificate's record id."""
    ca = await platform_ca(session)
    name = seal_name(department)
    subject = pki.name(name, name, f"{department.region_code}-{department.code}")
    key = seal_key(department.id)
    cert, _ = await to_thread.run_sync(pki.ensure_leaf, ca, key, "seal", subject)
    cert_id = await record_certificate(session, "seal", cert, department_id=department.id)
    return ca, cert, cert_id


async def staff_certificate(session: AsyncSession, person_id: int) -> x509.Certificate:
    """A staff member's personal signing certificate, issued the first time it is asked for."""
    person = await accounts.get_person(session, person_id)
    ca = await platform_ca(session)
    subject = pki.name(person.name, pki.platform_name(get_settings()), f"P{person.id}")
    cert, _ = await to_thread.run_sync(pki.ensure_leaf, ca, staff_key(person.id), "staff", subject)
    await record_certificate(session, "staff", cert, person_id=person.id)
    return cert


async def seal_pdf(
    session: AsyncSession,
    pdf: bytes,
    *,
    principal: Principal,
    department_id: int,
    reason: str,
    location: str = "青岛",
    kind: str = "document",
    application_id: int | None = None,
) -> bytes:
    """The PDF with the department's seal (PAdES B-T), kept in the signed archive and recorded in
    the audit log. Only a head of the department may seal (Forbidden before anything is made);
    the timestamp authority must answer (TimestampUnavailable otherwise)."""
    department = await accounts.get_department(session, department_id)
    if not principal.can(
        SEAL_PERMISSION, department_id=department.id, region_code=department.region_code
    ):
        raise Forbidden(
            N_("Only the head of the department may apply its seal."), error_code="seal_forbidden"
        )
    stamper = tsa.timestamper()
    ca, cert, cert_id = await department_seal(session, department)
    key = seal_key(department.id)
    signer = sealer.StoreSigner(ca.store, key, cert, ca.store.chain(key) or ca.chain)
    request = sealer.SealRequest(pdf, signer, seal_name(department), reason, location, stamper)
    sealed = await to_thread.run_sync(sealer.seal, request)
    found = await files.store(session, sealed, field_name="pdf")
    session.add(
        SignedDocument(
            sha256=found.sha256,
            kind=kind,
            application_id=application_id,
            department_id=department.id,
            certificate_id=cert_id,
            signed_by=principal.person_id,
            size=found.size,
        )
    )
    await session.flush()
    details = {
        "department_id": department.id,
        "kind": kind,
        "application_id": application_id,
        "certificate": pki.fingerprint(cert),
        "reason": reason,
    }
    await audit.record(
        session, principal.actor, "document.seal", f"document:{found.sha256}", details
    )
    return sealed


async def signed_documents(
    session: AsyncSession, *, application_id: int | None = None, department_id: int | None = None
) -> list[SignedDocument]:
    q = select(SignedDocument).order_by(SignedDocument.id)
    if application_id is not None:
        q = q.where(SignedDocument.application_id == application_id)
    if department_id is not None:
        q = q.where(SignedDocument.department_id == department_id)
    return list((await session.execute(q)).scalars())


async def read_signed(document: SignedDocument) -> bytes:
    return await files.read(document.sha256)
