"""Building a scenario's one form from its items: the union of the items' fields, each data
element asked once, the materials merged by name, the rules of every item. A built document
that differs from the newest version becomes the next version; an equal one changes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import rfc8785
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.audit import service as audit
from yiwang.catalog import service as catalog
from yiwang.db import get_or_404
from yiwang.forms.definition import Definition
from yiwang.forms.models import FormDefinition, FormField, FormFieldset, MaterialSourceRow
from yiwang.forms.prefill import FORM
from yiwang.forms.spec import SECTIONS
from yiwang.kit.errors import NotFound
from yiwang.registry import service as registry

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Field sets of the applicant's identity, stored beside the items' (keys are not item codes).
APPLICANT_SETS = {"person": "@person", "enterprise": "@enterprise"}
TEXT_LIMITS = {"text": 100, "textarea": 2000, "address": 200}


def parse_ref(ref: str) -> tuple[str, bool, tuple[str, ...]]:
    """ "code?@new@change" → (code, required, kinds); no kinds means every kind."""
    head, *kinds = ref.split("@")
    optional = head.endswith("?")
    return head.rstrip("?"), not optional, tuple(kinds)


def property_schema(
    widget: str, spec: Mapping[str, Any], options: list[list[str]]
) -> dict[str, Any]:
    values = [o[0] for o in options]
    if widget in ("choice",):
        return {"enum": values}
    if widget == "multichoice":
        return {"type": "array", "items": {"enum": values}, "uniqueItems": True, "minItems": 1}
    if widget == "yesno":
        return {"enum": ["yes", "no"]}
    if widget == "number":
        prop: dict[str, Any] = {"type": "number"}
        if spec.get("minimum") is not None:
            prop["minimum"] = spec["minimum"]
        if spec.get("maximum") is not None:
            prop["maximum"] = spec["maximum"]
        return prop
    if widget == "date":
        return {"type": "string", "format": "date"}
    if widget == "id_number":
        # Never the number itself: the masked form, the keyed hash and the sealed value.
        return {
            "type": "object",
            "required": ["masked", "hash"],
            "properties": {
                "masked": {"type": "string"},
                "hash": {"type": "string"},
                "sealed": {"type": "string"},
            },
        }
    formats = {"region": "region-code", "credit_code": "credit-code", "mobile": "mobile"}
    if widget in formats:
        return {"type": "string", "format": formats[widget]}
    limit = spec.get("max_length") or TEXT_LIMITS.get(widget, 100)
    return {"type": "string", "minLength": 1, "maxLength": limit}


async def _library(session: AsyncSession) -> dict[str, FormField]:
    return {f.code: f for f in (await session.execute(select(FormField))).scalars()}


async def _fieldsets(session: AsyncSession, keys: set[str]) -> dict[str, dict[str, Any]]:
    q = select(FormFieldset).where(FormFieldset.basic_item_code.in_(sorted(keys)))
    return {fs.basic_item_code: fs.content for fs in (await session.execute(q)).scalars()}


async def _element_options(session: AsyncSession, codes: set[str]) -> dict[str, list[list[str]]]:
    return {
        e.code: list(e.options.get("options", [])) for e in await registry.elements(session, codes)
    }


async def _subjects(session: AsyncSession) -> dict[str, str]:
    """database → whose records it holds (person, enterprise, any)."""
    return {d.code: d.subject_kind for d in await registry.databases(session)}


async def build_document(session: AsyncSession, scenario_code: str) -> dict[str, Any]:
    scenario = await catalog.scenario_by_code(session, scenario_code, published_only=False)
    tree = scenario.tree
    codes = list(dict.fromkeys(c for o in tree.get("outcomes", {}).values() for c in o["items"]))
    items = await catalog.outcome_items(session, codes)
    applicants = [a for a in ("person", "enterprise") if a in scenario.applicant_types["types"]]
    sets = await _fieldsets(
        session, {oi.basic_code for oi in items} | {APPLICANT_SETS[a] for a in applicants}
    )
    library = await _library(session)

    fields: dict[str, dict[str, Any]] = {}  # merge key (element or code) → field spec
    order: list[str] = []

    def add(ref: str, handling: str | None, kind: str, applicant: str = "") -> None:
        code, required, kinds = parse_ref(ref)
        if kinds and kind not in kinds:
            return
        lib = library.get(code)
        if lib is None:
            return
        key = lib.element_code or lib.code
        spec = fields.get(key)
        if spec is None:
            spec = fields[key] = {
                "code": lib.code,
                "label": lib.label,
                "label_en": lib.label_en,
                "widget": lib.widget,
                "fill": lib.fill,
                "element": lib.element_code,
                "section": lib.section,
                "applicant": applicant or lib.spec.get("applicant", ""),
                **{k: v for k, v in lib.spec.items() if k != "applicant"},
                "items": None if handling is None else {},
            }
            order.append(key)
        if handling is not None and spec["items"] is not None:
            spec["items"][handling] = spec["items"].get(handling, False) or required
        elif handling is None:
            spec["items"] = None
            spec["required"] = spec.get("required", False) or required

    for applicant in applicants:
        for ref in sets.get(APPLICANT_SETS[applicant], {}).get("fields", []):
            add(ref, None, "", applicant)
    rules: list[dict[str, Any]] = []
    for oi in items:
        content = sets.get(oi.basic_code, {})
        for ref in content.get("fields", []):
            add(ref, oi.handling.code, oi.handling.kind)
        for rule in content.get("rules", []):
            rules.append({**rule, "items": [oi.handling.code]})

    options = await _element_options(
        session, {s["element"] for s in fields.values() if s["element"]}
    )
    subjects = await _subjects(session)
    by_code: dict[str, dict[str, Any]] = {}
    for key in order:
        spec = fields[key]
        if not spec.get("options") and spec["element"] in options:
            spec["options"] = options[spec["element"]]
        spec["subjects"] = {
            el: subjects.get(el.split(".")[0], "person")
            for el in (spec["element"], *spec.get("history", ()))
            if el
        }
        by_code[spec.pop("code")] = spec
    return {
        "schema": {
            "$schema": SCHEMA_DIALECT,
            "$id": f"urn:yiwang:form:{scenario.code}",
            "title": scenario.name,
            "type": "object",
            "properties": {
                code: {
                    "title": spec["label"],
                    **property_schema(spec["widget"], spec, spec.get("options") or []),
                }
                for code, spec in by_code.items()
            },
            "additionalProperties": False,
        },
        "ui": {
            "scenario": {
                "code": scenario.code,
                "name": scenario.name,
                "name_en": scenario.name_en,
                "applicant_types": applicants,
            },
            "tree": tree,
            "sections": [
                {
                    "key": key,
                    "title": title,
                    "title_en": title_en,
                    "fields": [c for c, s in by_code.items() if s["section"] == key],
                }
                for key, title, title_en in SECTIONS
                if any(s["section"] == key for s in by_code.values())
            ],
            "fields": by_code,
            "materials": await _materials(session, items, subjects),
            "items": {
                oi.handling.code: {
                    "name": oi.handling.name,
                    "name_en": oi.handling.name_en,
                    "kind": oi.handling.kind,
                    "impl_code": oi.item.code,
                    "department_id": oi.item.department_id,
                    "department": oi.department,
                    "department_en": oi.department_en,
                    "region_code": oi.item.region_code,
                    "basic_code": oi.basic_code,
                    "lead": oi.department_code == scenario.lead_department,
                }
                for oi in items
            },
        },
        "rules": _merge_rules(
            [
                {**r, "params": {**r["params"], "subject": subjects.get(r["params"]["database"])}}
                if r["kind"] == "record_valid"
                else r
                for r in rules
            ]
        ),
    }


def _merge_rules(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One rule however many items declare it; it applies when any of them is on the path."""
    merged: dict[bytes, dict[str, Any]] = {}
    for rule in rules:
        key = rfc8785.dumps({k: v for k, v in rule.items() if k != "items"})
        if key in merged:
            merged[key]["items"] = sorted(set(merged[key]["items"]) | set(rule["items"]))
        else:
            merged[key] = {**rule, "items": list(rule["items"])}
    return list(merged.values())


async def _materials(
    session: AsyncSession, items: list[catalog.OutcomeItem], subjects: Mapping[str, str]
) -> list[dict[str, Any]]:
    sources = {
        s.name: {
            "database": s.database_code,
            "where": s.where,
            "subject": subjects.get(s.database_code, "any"),
        }
        for s in (await session.execute(select(MaterialSourceRow))).scalars()
    }
    generated = {name for name, s in sources.items() if s["database"] == FORM}
    merged: dict[str, dict[str, Any]] = {}
    for oi in items:
        for m in oi.materials:
            spec = merged.get(m.name)
            if spec is None:
                spec = merged[m.name] = {
                    "key": "m" + hashlib.sha256(m.name.encode()).hexdigest()[:10],
                    "name": m.name,
                    "name_en": m.name_en,
                    "condition": m.condition,
                    "source": m.source,
                    "platform": sources.get(m.name)
                    if m.source in catalog.SUPPLIED or m.name in generated
                    else None,
                    "items": {},
                }
            code = oi.handling.code
            spec["items"][code] = spec["items"].get(code, False) or m.requirement == "required"
    return list(merged.values())


def checksum(document: Mapping[str, Any]) -> str:
    return hashlib.sha256(rfc8785.dumps(dict(document))).hexdigest()


async def publish(
    session: AsyncSession, scenario_code: str, actor: str = "system"
) -> FormDefinition:
    """The newest version, after building: a new one only when the built document differs."""
    document = await build_document(session, scenario_code)
    digest = checksum(document)
    newest = await latest(session, scenario_code)
    if newest is not None and newest.checksum == digest:
        return newest
    version = (newest.version + 1) if newest is not None else 1
    row = FormDefinition(
        scenario_code=scenario_code,
        version=version,
        checksum=digest,
        document=document,
        created_by=actor,
    )
    session.add(row)
    await session.flush()
    await audit.record(
        session,
        actor,
        "form.publish",
        f"form:{scenario_code}:{version}",
        {"checksum": digest, "fields": len(document["ui"]["fields"])},
    )
    return row


async def latest(session: AsyncSession, scenario_code: str) -> FormDefinition | None:
    q = (
        select(FormDefinition)
        .where(FormDefinition.scenario_code == scenario_code)
        .order_by(FormDefinition.version.desc())
        .limit(1)
    )
    return (await session.execute(q)).scalar_one_or_none()


_CACHE: dict[tuple[str, int], Definition] = {}


def as_definition(row: FormDefinition) -> Definition:
    """Versions never change, so each process keeps the parsed ones it has seen."""
    key = (row.checksum, row.id)
    found = _CACHE.get(key)
    if found is None:
        found = _CACHE[key] = Definition(row.id, row.version, row.checksum, row.document)
    return found


async def current(session: AsyncSession, scenario_code: str) -> Definition:
    row = await latest(session, scenario_code)
    if row is None:
        raise NotFound()
    return as_definition(row)


async def by_id(
    session: AsyncSession, definition_id: int, checksum: str | None = None
) -> Definition:
    """The cache needs only the checksum, which a caller may have read with the row that points
    at the version; the whole document is read only on a miss."""
    if checksum is None:
        q = select(FormDefinition.checksum).where(FormDefinition.id == definition_id)
        checksum = (await session.execute(q)).scalar_one_or_none()
        if checksum is None:
            raise NotFound()
    found = _CACHE.get((checksum, definition_id))
    if found is not None:
        return found
    return as_definition(await get_or_404(session, FormDefinition, definition_id))


async def versions(session: AsyncSession, scenario_code: str) -> list[FormDefinition]:
    q = (
        select(FormDefinition)
        .where(FormDefinition.scenario_code == scenario_code)
        .order_by(FormDefinition.version.desc())
    )
    return list((await session.execute(q)).scalars())


async def newest_versions(session: AsyncSession) -> dict[str, FormDefinition]:
    newest = (
        select(FormDefinition.scenario_code, func.max(FormDefinition.version).label("v"))
        .group_by(FormDefinition.scenario_code)
        .subquery()
    )
    q = select(FormDefinition).join(
        newest,
        (newest.c.scenario_code == FormDefinition.scenario_code)
        & (newest.c.v == FormDefinition.version),
    )
    return {d.scenario_code: d for d in (await session.execute(q)).scalars()}
