from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yiwang.db import Base, utcnow


class ThematicDatabase(Base):
    """A shared database owned by a department (人口基础信息, 法人基础信息 …)."""

    __tablename__ = "thematic_databases"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    owner_department_code: Mapped[str] = mapped_column(String(40))
    subject_kind: Mapped[str] = mapped_column(String(12), default="person")  # person|enterprise|any
    update_frequency: Mapped[str] = mapped_column(String(12), default="daily")


class DataElement(Base):
    """One shareable data element (数据元): code "<database>.<key>"."""

    __tablename__ = "data_elements"

    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    database_code: Mapped[str] = mapped_column(ForeignKey("thematic_databases.code"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    value_type: Mapped[str] = mapped_column(String(20))
    owner_department_code: Mapped[str] = mapped_column(String(40))
    sensitivity: Mapped[str] = mapped_column(String(12))  # public | internal | sensitive
    update_frequency: Mapped[str] = mapped_column(String(12))
    options: Mapped[dict[str, Any]]  # {"options": [[value, zh, en], ...]} for coded elements


class SharedRecord(Base):
    """A record keyed by a person's keyed ID hash or an enterprise's credit code. A subject may
    hold several records in one database (properties, vehicles, licences): record_no tells them
    apart."""

    __tablename__ = "shared_records"
    __table_args__ = (UniqueConstraint("database_code", "subject_key", "record_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    database_code: Mapped[str] = mapped_column(ForeignKey("thematic_databases.code"))
    subject_key: Mapped[str] = mapped_column(String(64), index=True)
    record_no: Mapped[str] = mapped_column(String(60), default="")
    data: Mapped[dict[str, Any]]
    # A issued by the implementing body; B checked against the original; C uploaded by the
    # applicant; D declared by the applicant.
    grade: Mapped[str] = mapped_column(String(1), default="A")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DataUsage(Base):
    """Who used which of a subject's data elements, when, and for which draft or application.
    Append-only: the subject reads it at 我的 → 数据使用记录."""

    __tablename__ = "data_usage"
    __table_args__ = (Index("ix_data_usage_subject_at", "subject_key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_key: Mapped[str] = mapped_column(String(64))
    database_code: Mapped[str] = mapped_column(String(40))
    elements: Mapped[dict[str, Any]]  # {"codes": [...]}
    purpose: Mapped[str] = mapped_column(String(12))  # prefill | submit
    actor_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    scenario_code: Mapped[str] = mapped_column(String(40), default="")
    draft_id: Mapped[str] = mapped_column(String(32), default="")
    application_no: Mapped[str] = mapped_column(String(32), default="")
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
