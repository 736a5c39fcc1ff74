from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yiwang.db import Base, utcnow


class FormField(Base):
    """A field of the library every form is built from; fields bound to the same data element
    are one field, asked once however many items need it."""

    __tablename__ = "form_fields"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    label: Mapped[str] = mapped_column(String(80))
    label_en: Mapped[str] = mapped_column(String(160))
    widget: Mapped[str] = mapped_column(String(20))
    # auto 自动填 | system 系统填 | choose 选择填 | choice (answered by a choice) | input
    fill: Mapped[str] = mapped_column(String(10))
    element_code: Mapped[str] = mapped_column(String(80), default="")
    section: Mapped[str] = mapped_column(String(20))
    spec: Mapped[dict[str, Any]]  # options, format, bounds, hints, where history comes from


class FormFieldset(Base):
    """The fields and pre-check rules one basic item asks for (across all its regions)."""

    __tablename__ = "form_fieldsets"

    basic_item_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    # {"fields": [{"code", "kinds", "required"}], "rules": [...], "materials": {...}}
    content: Mapped[dict[str, Any]]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FormDefinition(Base):
    """One version of a scenario's merged form. Never edited: a change is a new version."""

    __tablename__ = "form_definitions"
    __table_args__ = (UniqueConstraint("scenario_code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_code: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int]
    checksum: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]]  # {"schema": JSON Schema 2020-12, "ui": …, "rules": […]}
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80), default="system")


class Draft(Base):
    """An application being filled in; saved on every change, so any device can resume it."""

    __tablename__ = "form_drafts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    scenario_code: Mapped[str] = mapped_column(String(40))
    definition_id: Mapped[int] = mapped_column(ForeignKey("form_definitions.id"))
    answers: Mapped[dict[str, Any]]  # {"answers": [choice indexes of the question tree]}
    values: Mapped[dict[str, Any]]
    provenance: Mapped[dict[str, Any]]  # field → {fill, database, record, fetched_at, grade}
    attachments: Mapped[dict[str, Any]]  # material key → {sha256, name, mime, size, pages}
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | submitted
    application_no: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MaterialSourceRow(Base):
    """Where the platform finds a catalogue material itself (by the material's name): the
    applicant's records in a thematic database, those whose data match `where`."""

    __tablename__ = "form_material_sources"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    database_code: Mapped[str] = mapped_column(String(40))
    where: Mapped[dict[str, Any]]
