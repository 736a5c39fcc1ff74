"""Certificates the platform issued and the documents it sealed. Both are written once and never
changed: a renewed certificate or a corrected document is a new row."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from yiwang.db import Base, utcnow

CERTIFICATE_KINDS = ("root", "issuing", "seal", "staff", "tsa")


class SigningCertificate(Base):
    __tablename__ = "signing_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # one of CERTIFICATE_KINDS
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)
    subject: Mapped[str] = mapped_column(String(500))
    serial: Mapped[str] = mapped_column(String(64))  # hexadecimal
    not_before: Mapped[dt.datetime]
    not_after: Mapped[dt.datetime]
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the DER
    pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SignedDocument(Base):
    """A sealed file in the signed archive. The bytes are in the file store under `sha256`."""

    __tablename__ = "signed_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("stored_files.sha256"), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("signing_certificates.id"))
    signed_by: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    signed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    size: Mapped[int]
