"""JSON routes of the shared-data registry under /api/v1."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from yiwang.registry import usage
from yiwang.web.deps import DbSession, LoggedIn

router = APIRouter(prefix="/api/v1", tags=["registry"])


class ElementOut(BaseModel):
    code: str
    name: str
    name_en: str


class UsageOut(BaseModel):
    at: str
    database: str
    database_name: str
    elements: list[ElementOut]
    purpose: str
    used_by: str
    application_no: str


@router.get("/me/data-usage")
async def my_data_usage(
    session: DbSession,
    principal: LoggedIn,
    enterprise_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[UsageOut]:
    """Who used which of your data elements (or an enterprise's you represent), when, and for
    which application; newest first."""
    return [
        UsageOut(
            at=line.at.isoformat(timespec="seconds"),
            database=line.database.code if line.database else "",
            database_name=line.database.name if line.database else "",
            elements=[
                ElementOut(code=e.code, name=e.name, name_en=e.name_en) for e in line.elements
            ],
            purpose=line.purpose,
            used_by=line.actor_name,
            application_no=line.application_no,
        )
        for line in await usage.lines(session, principal, enterprise_id, limit)
    ]
