from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yiwang.db import Base, utcnow


class Application(Base):
    """办件: a snapshot of what was submitted (data, materials, the form version) and where the
    case stands now."""

    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("person_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    scenario_code: Mapped[str] = mapped_column(String(40), index=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("form_definitions.id"))
    definition_version: Mapped[int]
    definition_checksum: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12), index=True)
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    content: Mapped[dict[str, Any]]  # answers, items, values, provenance, materials, findings
    fields_shown: Mapped[int]
    fields_free: Mapped[int]  # filled by the platform or answered by a choice
    idempotency_key: Mapped[str] = mapped_column(String(64))
    draft_id: Mapped[str] = mapped_column(String(32), unique=True)
    corrections: Mapped[int] = mapped_column(default=0)
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[dt.datetime | None]
    decided_at: Mapped[dt.datetime | None]
    concluded_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The promised limit that ends last among the outcome's items, set on acceptance; the days
    # the clock stood (补正, 特别程序) in its unit; the due day that follows from both.
    time_limit: Mapped[int | None]
    time_unit: Mapped[str] = mapped_column(String(10), default="")
    paused_days: Mapped[int] = mapped_column(default=0)
    clock_stopped_on: Mapped[dt.date | None] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    # Where a 补正 or 特别程序 returns to when it ends.
    resume_status: Mapped[str] = mapped_column(String(16), default="")
    # 并联审批: how many of the review tasks must agree before approval (all, any or a number),
    # copied from the scenario on acceptance.
    join_rule: Mapped[str] = mapped_column(String(12), default="all")
    # Who holds the case now (claimed or assigned); nobody until someone takes it.
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"), index=True)


class ReviewTask(Base):
    """One department's part in reviewing an application in parallel, and its opinion."""

    __tablename__ = "review_tasks"
    __table_args__ = (UniqueConstraint("application_id", "department_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    region_code: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending|agreed|disagreed
    opinion: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    decided_at: Mapped[dt.datetime | None]


class ApplicationEvent(Base):
    """One step of an application's timeline, as the applicant and staff see it."""

    __tablename__ = "application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    action: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")  # the actor's opinion
    # What a step names: the fields and materials a 补正 asks for, a 特别程序's kind.
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
