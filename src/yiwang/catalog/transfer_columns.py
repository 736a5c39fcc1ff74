"""The catalogue's import columns, the lookups the item and material imports share, and the
checks of one item row that need no database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.catalog.models import BasicItem, Faq, Fee, HandlingItem, Material, Result
from yiwang.catalog.tree import CASE_TYPES
from yiwang.kit import columns as c
from yiwang.kit.columns import Column
from yiwang.kit.i18n import N_
from yiwang.kit.tabular import ImportReport, Parsed, chunks

LONG = 20_000
# Names given to handling items made from a CSV list of kinds (data, not interface text).
KIND_NAMES = {
    "new": ("新办", "new"),
    "change": ("变更", "change"),
    "renew": ("延续", "renewal"),
    "cancel": ("注销", "cancellation"),
}
KIND_SUFFIX = {"new": "01", "change": "02", "renew": "03", "cancel": "04"}

BASIC_FIELDS = {
    "basic_name": "name",
    "basic_name_en": "name_en",
    "item_type": "item_type",
    "exercise_level": "exercise_level",
    "legal_basis": "legal_basis",
    "domain_code": "domain_code",
}
ITEM_COLUMNS = (
    Column("code", c.code(36), required=True),
    Column("name", c.text(120), required=True),
    Column("name_en", c.text(240)),
    Column("basic_code", c.code(12), required=True),
    Column("basic_name", c.text(120), required=True),
    Column("basic_name_en", c.text(240)),
    Column("item_type", c.text(20), required=True),
    Column("exercise_level", c.text(20), required=True),
    Column("legal_basis", c.text(LONG)),
    Column("domain_code", c.code(30), required=True),
    Column("department", c.code(40), required=True),
    Column("region_code", c.region_code((6, 9, 12)), required=True),
    Column("department_credit_code", c.credit_code()),
    Column("acceptance_conditions", c.text(LONG)),
    Column("statutory_limit", c.integer(0, 3650), required=True),
    Column("statutory_unit", c.choice("working", "natural"), required=True),
    Column("promised_limit", c.integer(0, 3650), required=True),
    Column("promised_unit", c.choice("working", "natural"), required=True),
    Column("has_fee", c.boolean(), default=False),
    Column("where_to_apply", c.text(LONG)),
    Column("when_to_apply", c.text(LONG)),
    Column("online_depth", c.integer(1, 4), default=1),
    Column("max_visits", c.integer(0, 10), default=1),
    Column("applicant_types", c.choice("person", "enterprise"), many=True, default=[]),
    Column("topics", c.text(40), many=True, default=[]),
    Column("handling_kinds", c.choice(*CASE_TYPES), many=True, default=[]),
    Column("active", c.boolean(), default=True),
)
ITEM_FIELDS = (
    "name",
    "name_en",
    "department_credit_code",
    "acceptance_conditions",
    "statutory_limit",
    "statutory_unit",
    "promised_limit",
    "promised_unit",
    "has_fee",
    "where_to_apply",
    "when_to_apply",
    "online_depth",
    "max_visits",
    "active",
)
HANDLING_COLUMNS = (
    Column("code", c.code(40), required=True),
    Column("kind", c.choice(*CASE_TYPES), required=True),
    Column("name", c.text(160), required=True),
    Column("name_en", c.text(240)),
)
MATERIAL_FIELDS = (
    Column("handling_kind", c.choice(*CASE_TYPES), default=None),
    Column("name", c.text(200), required=True),
    Column("name_en", c.text(300)),
    Column("requirement", c.choice("required", "conditional"), required=True),
    Column("condition", c.text(LONG)),
    Column("form", c.choice("original", "copy", "electronic"), required=True),
    Column("copies", c.integer(0, 99), default=1),
    Column("source", c.choice("licence", "shared", "history", "upload"), required=True),
    Column("blank_form_url", c.url(300)),
    Column("sample_url", c.url(300)),
    Column("standard", c.text(LONG)),
    Column("sort", c.integer(0, 99_999), default=0),
)
MATERIAL_COLUMNS = (Column("item_code", c.code(36), required=True), *MATERIAL_FIELDS)
FEE_COLUMNS = (
    Column("name", c.text(200), required=True),
    Column("amount", c.text(120), required=True),
    Column("basis", c.text(LONG)),
)
FAQ_COLUMNS = (
    Column("question", c.text(LONG), required=True),
    Column("answer", c.text(LONG), required=True),
    Column("sort", c.integer(0, 99_999), default=0),
)
RESULT_COLUMNS = (
    Column("name", c.text(200), required=True),
    Column("kind", c.choice("licence", "approval", "certificate", "other"), required=True),
    Column("licence_type_code", c.text(40)),
)
# JSON-only children of an item: (key, columns, model, natural key inside the item)
CHILDREN: dict[str, tuple[tuple[Column, ...], type[Any], tuple[str, ...]]] = {
    "handling_items": (HANDLING_COLUMNS, HandlingItem, ("code",)),
    "materials": (MATERIAL_FIELDS, Material, ("handling_kind", "name")),
    "fees": (FEE_COLUMNS, Fee, ("name",)),
    "faqs": (FAQ_COLUMNS, Faq, ("question",)),
    "results": (RESULT_COLUMNS, Result, ("name",)),
}
CHILD_DEFAULTS: dict[type[Any], dict[str, Any]] = {
    HandlingItem: {"name_en": ""},
    Material: {
        "handling_kind": None,
        "name_en": "",
        "condition": "",
        "copies": 1,
        "blank_form_url": "",
        "sample_url": "",
        "standard": "",
        "sort": 0,
    },
    Fee: {"basis": ""},
    Faq: {"sort": 0},
    Result: {"licence_type_code": ""},
}


def handling_code(item_code: str, kind: str) -> str:
    return f"{item_code}{KIND_SUFFIX[kind]}"


async def by_code(session: AsyncSession, model: Any, codes: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for batch in chunks(sorted(set(codes))):
        out.update(
            {r.code: r for r in await session.scalars(select(model).where(model.code.in_(batch)))}
        )
    return out


async def children(
    session: AsyncSession, model: Any, item_ids: Iterable[int]
) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for batch in chunks(sorted(set(item_ids))):
        q = select(model).where(model.impl_item_id.in_(batch)).order_by(model.id)
        for r in await session.scalars(q):
            out[r.impl_item_id].append(r)
    return out


def present(parsed: Iterable[Parsed], column: str) -> list[str]:
    """The values a column has in the rows whose cell for it was good."""
    return [p.values[column] for p in parsed if p.values.get(column)]


def scope_error(report: ImportReport, row: int, column: str) -> None:
    report.add(row, column, N_("This region is outside your administration scope."), "scope")


def natural_key(obj: Any, natural: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(getattr(obj, f) or None for f in natural)


def child_row(obj: Any, cols: tuple[Column, ...]) -> dict[str, Any]:
    return {col.name: getattr(obj, col.name) for col in cols}


def check_basics_agree(parsed: list[Parsed], report: ImportReport) -> None:
    first: dict[str, Parsed] = {}
    for p in parsed:
        code = p.values.get("basic_code")
        if code is None:
            continue
        if code not in first:
            first[code] = p
            continue
        for column in BASIC_FIELDS:
            a, b = first[code].values.get(column), p.values.get(column)
            if a is not None and b is not None and a != b:
                report.add(
                    p.row,
                    column,
                    N_("Rows of basic item {code} disagree on this column (see row {row})."),
                    "basic_conflict",
                    code=code,
                    row=first[code].row,
                )


def check_basic_unchanged(
    report: ImportReport, row: int, v: dict[str, Any], basic: BasicItem | None
) -> None:
    """A basic item is shared by every district that implements it: only a city-wide
    administrator changes it (a district's file may repeat it unchanged, or add a new one)."""
    if basic is None:
        return
    for column, attr in BASIC_FIELDS.items():
        if column in v and v[column] != getattr(basic, attr):
            report.add(
                row,
                column,
                N_("Only a city-wide administrator can change basic item {code}."),
                "scope",
                code=basic.code,
            )


def promise_too_long(v: dict[str, Any]) -> bool:
    keys = ("statutory_limit", "statutory_unit", "promised_limit", "promised_unit")
    if any(k not in v for k in keys):
        return False
    return bool(
        v["statutory_unit"] == v["promised_unit"] and v["promised_limit"] > v["statutory_limit"]
    )


def unique_children(
    report: ImportReport, row: int, key: str, objs: list[dict[str, Any]], natural: tuple[str, ...]
) -> None:
    seen: set[tuple[Any, ...]] = set()
    for n, obj in enumerate(objs, start=1):
        k = tuple(obj.get(f) or None for f in natural)
        if k in seen:
            report.add(
                row,
                f"{key}[{n}].{natural[-1]}",
                N_("This appears more than once in the same item."),
                "duplicate",
            )
        seen.add(k)
    if key == "handling_items":
        kinds = [o["kind"] for o in objs]
        for n, kind in enumerate(kinds, start=1):
            if kinds.index(kind) != n - 1:
                report.add(
                    row,
                    f"{key}[{n}].kind",
                    N_("This appears more than once in the same item."),
                    "duplicate",
                )
