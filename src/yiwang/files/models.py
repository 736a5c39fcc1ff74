from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from yiwang.db import Base, utcnow


class StoredFile(Base):
    """A file's content, once, under its SHA-256; what refers to it keeps its own name for it."""

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int]
    mime: Mapped[str] = mapped_column(String(40))
    pages: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
