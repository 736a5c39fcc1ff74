from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yiwang.db import Base, utcnow


class ThematicDatabase(Base):
    """A shared database owned by a department (人口基础信息, 法人基础信息 …)."""

    __tablename__ = "thematic_databases"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    owner_department_code: Mapped[str] = mapped_column(String(40))


class SharedRecord(Base):
    """A record keyed by a person's keyed ID hash or an enterprise's credit code."""

    __tablename__ = "shared_records"
    __table_args__ = (UniqueConstraint("database_code", "subject_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    database_code: Mapped[str] = mapped_column(ForeignKey("thematic_databases.code"))
    subject_key: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
