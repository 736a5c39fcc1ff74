"""JSON routes of the catalogue under /api/v1/catalog."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from yiwang.catalog import search as searching
from yiwang.catalog import segment
from yiwang.catalog.schemas import SearchHitOut
from yiwang.kit.errors import Invalid
from yiwang.kit.i18n import N_
from yiwang.web.deps import DbSession

router = APIRouter(prefix="/api/v1/catalog", tags=["catalog"])


@router.get("/search")
async def search(
    session: DbSession,
    q: Annotated[str, Query(min_length=1, max_length=100)],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    domain: Annotated[str | None, Query(max_length=30)] = None,
    department_id: int | None = None,
    district: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
    applicant: searching.Applicant | None = None,
    online_only: bool = False,
) -> list[SearchHitOut]:
    """Items and scenarios, best first, for a query as citizens type it."""
    if not segment.compact(q):
        raise Invalid(N_("Type a few words about what you want to do."), field="q")
    hits = await searching.search(
        session,
        q,
        limit,
        domain=domain,
        department_id=department_id,
        district=district,
        applicant=applicant,
        online_only=online_only,
    )
    return [
        SearchHitOut(
            type=h.type,
            code=h.code,
            name=h.name,
            name_en=h.name_en,
            department=h.department,
            department_en=h.department_en,
            score=h.score,
        )
        for h in hits
    ]
