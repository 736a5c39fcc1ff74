"""补齐补正 in place: the applicant hands in again exactly what a correction request named, the
answers checked as the form checks them and the files inspected as uploads are; what changed is
kept with what it replaced (`applications.workflow` puts it into the application)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.applications.models import Application
from yiwang.files import service as files
from yiwang.forms import build
from yiwang.forms.service import attachment, coerce, shape_errors
from yiwang.kit.errors import AppError, Invalid, InvalidMany
from yiwang.kit.i18n import N_

Upload = tuple[str, bytes]  # (file name, content)


async def corrections(
    session: AsyncSession,
    app: Application,
    named: Mapping[str, list[str]],
    values: Mapping[str, Any],
    uploads: Mapping[str, Upload],
) -> dict[str, Any]:
    """{"values": {code: {"before", "after"}}, "materials": {key: {"before", "after"}}} for the
    fields and materials `named` ({"fields": [...], "materials": [...]}); every one of them must
    come, and nothing else. Raises every refusal at once, before anything is stored."""
    definition = await build.by_id(session, app.definition_id)
    fields = {c: definition.fields[c] for c in named.get("fields", []) if c in definition.fields}
    errors: list[AppError] = []
    changed: dict[str, Any] = {}
    for code, f in fields.items():
        try:
            value = coerce(f, values.get(code))
        except AppError as exc:
            errors.append(exc)
            continue
        if value is None:
            errors.append(
                Invalid(N_("Please correct this answer."), field=code, error_code="required")
            )
        else:
            changed[code] = value
    errors += shape_errors(definition, fields, changed)
    keys = [k for k in named.get("materials", []) if k not in uploads]
    errors += [
        Invalid(
            N_("Please hand in this material again."), field=f"materials.{k}", error_code="required"
        )
        for k in keys
    ]
    if errors:
        raise InvalidMany(errors)
    stored: dict[str, Any] = {}
    for key in named.get("materials", []):
        name, data = uploads[key]
        stored[key] = attachment(
            await files.store(session, data, field_name=f"materials.{key}"), name
        )
    before_values = dict(app.content.get("values", {}))
    before_materials = dict(app.content.get("materials", {}))
    return {
        "values": {c: {"before": before_values.get(c), "after": v} for c, v in changed.items()},
        "materials": {
            k: {"before": (before_materials.get(k) or {}).get("sha256"), "after": a}
            for k, a in stored.items()
        },
    }
