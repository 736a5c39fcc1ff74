"""Demo form building blocks: the field library, each demo item's fields and rules, where the
platform finds materials; then one published form per scenario. Idempotent: rows are replaced,
and a form gets a new version only when what it is built from changed."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.catalog import service as catalog
from yiwang.catalog.demo_plan import BY_KEY, DOMAIN_INDEX
from yiwang.catalog.demo_spec import basic_code
from yiwang.forms import build
from yiwang.forms.demo_fields import APPLICANT, ITEM_FIELDS, ITEM_RULES, LIBRARY, MATERIAL_SOURCES
from yiwang.forms.models import FormField, FormFieldset, MaterialSourceRow
from yiwang.forms.prefill import FORM
from yiwang.forms.spec import F, R

# The application forms the one smart form replaces: generated from it, never uploaded.
FORM_MATERIALS = ("申请表", "登记申请书", "不动产登记申请书")
SPEC_KEYS = ("options", "hint", "hint_en", "minimum", "maximum", "max_length", "history")


def item_code(key: str) -> str:
    b = BY_KEY[key]
    return basic_code(DOMAIN_INDEX[b.domain], b)


def field_row(f: F) -> dict[str, Any]:
    spec = {k: v for k, v in asdict(f).items() if k in SPEC_KEYS and v not in (None, "", ())}
    if f.applicant:
        spec["applicant"] = f.applicant
    return {
        "code": f.code,
        "label": f.label,
        "label_en": f.label_en,
        "widget": f.widget,
        "fill": f.fill,
        "element_code": f.element,
        "section": f.section,
        "spec": _plain(spec),
    }


def _plain(value: Any) -> Any:
    """Tuples become lists, as they come back from JSON, so checksums do not depend on it."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def rule_row(r: R) -> dict[str, Any]:
    params = dict(r.params)
    if r.kind == "scope_keywords":
        params["keywords"] = [
            [keyword, item_code(key), BY_KEY[key].name, BY_KEY[key].name_en]
            for keyword, key in params.get("keywords", ())
        ]
    row: dict[str, Any] = _plain(
        {"kind": r.kind, "fields": r.fields, "severity": r.severity, "params": params}
    )
    return row


def fieldsets() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {
        build.APPLICANT_SETS[kind]: {"fields": list(refs), "rules": []}
        for kind, refs in APPLICANT.items()
    }
    for key, refs in ITEM_FIELDS.items():
        out[item_code(key)] = {
            "fields": list(refs),
            "rules": [rule_row(r) for r in ITEM_RULES.get(key, ())],
        }
    return out


async def load(session: AsyncSession) -> dict[str, int]:
    await session.execute(delete(FormField))
    await session.execute(insert(FormField), [field_row(f) for f in LIBRARY])
    sets = fieldsets()
    await session.execute(delete(FormFieldset))
    await session.execute(
        insert(FormFieldset), [{"basic_item_code": k, "content": v} for k, v in sets.items()]
    )
    await session.execute(delete(MaterialSourceRow))
    await session.execute(
        insert(MaterialSourceRow),
        [
            {"name": name, "database_code": s.database, "where": dict(s.where)}
            for name, s in MATERIAL_SOURCES.items()
        ]
        + [{"name": name, "database_code": FORM, "where": {}} for name in FORM_MATERIALS],
    )
    versions = 0
    for scenario in await catalog.list_scenarios(session, published_only=False):
        before = await build.latest(session, scenario.code)
        after = await build.publish(session, scenario.code)
        versions += before is None or before.id != after.id
    return {
        "form_fields": len(LIBRARY),
        "form_fieldsets": len(sets),
        "form_material_sources": len(MATERIAL_SOURCES) + len(FORM_MATERIALS),
        "form_definitions": versions,
    }
