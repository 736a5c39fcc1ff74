"""What the forms API reads and answers. ID numbers only ever leave masked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from yiwang.forms.definition import Field as FormField
from yiwang.forms.service import DraftView, is_read_only

Answers = list[int]


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario: str = Field(min_length=1, max_length=40)
    answers: list[int] = Field(max_length=30)
    enterprise_id: int | None = None
    values: dict[str, Any] | None = Field(default=None, max_length=400)


class DraftPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    values: dict[str, Any] | None = Field(default=None, max_length=400)
    answers: list[int] | None = Field(default=None, max_length=30)


class Both(BaseModel):
    zh: str
    en: str


class Source(BaseModel):
    fill: str
    database: str | None = None
    record: str | None = None
    fetched_at: str | None = None
    grade: str | None = None


class FieldOut(BaseModel):
    code: str
    label: Both
    section: str
    widget: str
    fill: str
    required: bool
    read_only: bool
    value: Any = None
    source: Source | None = None
    offers: list[Any] = []
    options: list[list[str]] = []


class MaterialOut(BaseModel):
    key: str
    name: Both
    required: bool
    condition: str
    attached: bool
    from_platform: bool
    file: dict[str, Any] | None = None


class FillFree(BaseModel):
    free: int
    shown: int
    rate: float


class DraftOut(BaseModel):
    id: str
    scenario: str
    status: str
    application_no: str
    form_version: int
    form_checksum: str
    applicant_kind: str
    answers: list[int]
    items: list[str]
    fields: list[FieldOut]
    materials: list[MaterialOut]
    fill_free: FillFree


class FindingOut(BaseModel):
    code: str
    severity: str
    field: str
    message: Both
    fix: Both | None = None


class PrecheckOut(BaseModel):
    can_submit: bool
    counts: dict[str, int]
    findings: list[FindingOut]


class SubmittedOut(BaseModel):
    number: str
    status: str
    scenario: str
    submitted_at: str
    form_version: int
    fields_shown: int
    fields_free: int
    replayed: bool


def public_value(f: FormField, value: Any) -> Any:
    """The value as it may be shown: an ID number as its masked form, never the number."""
    if isinstance(value, Mapping) and "masked" in value:
        return value["masked"]
    return value


def both(spec: Mapping[str, Any], key: str) -> Both:
    return Both(zh=str(spec[key]), en=str(spec.get(f"{key}_en") or spec[key]))


def draft_out(dv: DraftView) -> DraftOut:
    d = dv.draft
    free, shown = dv.fill_free()
    fields = []
    for f in dv.fields:
        entry = dict(d.provenance.get(f.code) or {})
        fields.append(
            FieldOut(
                code=f.code,
                label=both(f.spec, "label"),
                section=f.section,
                widget=f.widget,
                fill=f.fill,
                required=f.required_on(dv.items),
                read_only=is_read_only(f, d.provenance),
                value=public_value(f, d.values.get(f.code)),
                source=Source(**{k: v for k, v in entry.items() if k in Source.model_fields})
                if entry
                else None,
                offers=[public_value(f, o.get("value")) for o in entry.get("offers", [])],
                options=f.options,
            )
        )
    materials = []
    for m in dv.materials:
        got = d.attachments.get(m.key)
        materials.append(
            MaterialOut(
                key=m.key,
                name=both(m.spec, "name"),
                required=m.required_on(dv.items),
                condition=str(m.spec.get("condition") or ""),
                attached=got is not None,
                from_platform=bool(got and got.get("platform")),
                file={k: got[k] for k in ("name", "mime", "size", "pages") if k in got}
                if got and not got.get("platform")
                else None,
            )
        )
    return DraftOut(
        id=d.id,
        scenario=d.scenario_code,
        status=d.status,
        application_no=d.application_no,
        form_version=dv.definition.version,
        form_checksum=dv.definition.checksum,
        applicant_kind=dv.applicant.kind,
        answers=list(d.answers.get("answers", [])),
        items=list(dv.outcome.items),
        fields=fields,
        materials=materials,
        fill_free=FillFree(free=free, shown=shown, rate=round(free / shown, 4) if shown else 0.0),
    )
