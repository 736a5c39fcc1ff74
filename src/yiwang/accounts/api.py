"""JSON routes for accounts and reference data under /api/v1."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from yiwang.accounts import reference, service
from yiwang.accounts.schemas import DepartmentOut, GrantOut, IdCheckOut, MeOut, RegionOut
from yiwang.kit import identifiers
from yiwang.kit.i18n import both
from yiwang.web.deps import DbSession, LoggedIn

router = APIRouter(prefix="/api/v1", tags=["accounts"])


@router.get("/me")
async def me(session: DbSession, principal: LoggedIn) -> MeOut:
    person = await service.get_person(session, principal.person_id)
    return MeOut(
        id=person.id,
        name=person.name,
        id_masked=person.id_masked,
        trust_level=principal.trust_level,
        acting_enterprise_id=principal.acting_enterprise_id,
        grants=[
            GrantOut(role=g.role, department_id=g.department_id, region_code=g.region_code)
            for g in principal.grants
        ],
    )


@router.get("/regions")
async def regions(session: DbSession) -> list[RegionOut]:
    return [
        RegionOut.model_validate(r, from_attributes=True)
        for r in await service.list_regions(session)
    ]


@router.get("/regions/boundaries")
async def region_boundaries() -> Response:
    """District boundaries as GeoJSON, for maps; not an officially approved map."""
    return Response(
        reference.boundaries_geojson(),
        media_type="application/geo+json",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get("/departments")
async def departments(session: DbSession, region_code: str | None = None) -> list[DepartmentOut]:
    return [
        DepartmentOut.model_validate(d, from_attributes=True)
        for d in await service.list_departments(session, region_code)
    ]


@router.get("/identifiers/check")
async def check_identifier(value: str) -> IdCheckOut:
    c = identifiers.identify(value)
    message = None if c.valid else both(service.identifier_message(c.reason), **c.params)
    return IdCheckOut(
        kind=c.kind,
        valid=c.valid,
        value=identifiers.mask_id(c.value) if c.kind == "resident_id" else c.value,
        reason=c.reason,
        message=message,
        region_name=c.region_name,
    )
