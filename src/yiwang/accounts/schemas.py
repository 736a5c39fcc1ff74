from __future__ import annotations

from pydantic import BaseModel


class GrantOut(BaseModel):
    role: str
    department_id: int
    region_code: str


class MeOut(BaseModel):
    id: int
    name: str
    id_masked: str
    trust_level: int
    acting_enterprise_id: int | None
    grants: list[GrantOut]


class RegionOut(BaseModel):
    code: str
    name: str
    name_en: str
    level: str
    parent_code: str | None


class DepartmentOut(BaseModel):
    id: int
    code: str
    name: str
    name_en: str
    region_code: str


class IdCheckOut(BaseModel):
    kind: str
    valid: bool
    value: str
    reason: str | None
    message: dict[str, str] | None
    region_name: str | None
