from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yiwang.db import Base, utcnow


class Region(Base):
    """GB/T 2260 codes (6 digits) for city and district; 9 and 12 digits below them."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(80))
    level: Mapped[str] = mapped_column(String(12))  # city | district | street | community
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))


class Department(Base):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("code", "region_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))


class Person(Base):
    """A natural person; staff are people too. The ID number itself is never stored."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    id_type: Mapped[str] = mapped_column(String(20), default="resident_id")
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    id_masked: Mapped[str] = mapped_column(String(40))
    mobile: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    # 2 self-declared, 3 name and ID number matched against population records.
    verified_level: Mapped[int] = mapped_column(default=2)
    oidc_subject: Mapped[str | None] = mapped_column(String(200), unique=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Enterprise(Base):
    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    legal_rep_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AgentAuthorisation(Base):
    """A person acting for an enterprise, within a scope and until an expiry."""

    __tablename__ = "agent_authorisations"
    __table_args__ = (Index("ix_agent_person_enterprise", "person_id", "enterprise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    scope: Mapped[dict[str, Any]]  # {"actions": ["apply", "licences", ...]}
    valid_from: Mapped[dt.datetime] = mapped_column(default=utcnow)
    valid_until: Mapped[dt.datetime]
    granted_by: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    revoked_at: Mapped[dt.datetime | None]


class Role(Base):
    __tablename__ = "roles"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    permissions: Mapped[dict[str, Any]]  # {"grants": [...]}


class StaffAssignment(Base):
    """A role a person holds in a department, limited to a region scope."""

    __tablename__ = "staff_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    role_code: Mapped[str] = mapped_column(ForeignKey("roles.code"))
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    granted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    granted_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    revoked_at: Mapped[dt.datetime | None]


class WebSession(Base):
    """Server-side session; the cookie holds a random token, the table only its hash."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)
    trust_level: Mapped[int]
    auth_method: Mapped[str] = mapped_column(String(20))
    acting_enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)
    address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")


class LoginFailure(Base):
    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    login_key: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
