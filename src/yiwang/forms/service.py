"""Drafts from start to submission. No HTTP here, and no commit: the caller owns the transaction.

A draft belongs to the person who started it; when it applies for an enterprise, that person must
still be allowed to apply for it on every request.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from yiwang.accounts import service as accounts
from yiwang.accounts.authz import Principal
from yiwang.accounts.models import Enterprise, Person
from yiwang.applications import service as applications
from yiwang.applications.models import Application
from yiwang.catalog import service as catalog
from yiwang.db import Writes, table, utcnow
from yiwang.files import service as files
from yiwang.files.inspect import Inspected
from yiwang.forms import build
from yiwang.forms.definition import Definition, Field, Material, Outcome
from yiwang.forms.models import Draft, FormDefinition
from yiwang.forms.precheck import Finding, blocking, lookup_pairs, precheck, shape_findings
from yiwang.forms.prefill import Applicant, Prefilled, prefill
from yiwang.forms.spec import CHOICE_WIDGETS
from yiwang.kit.errors import AppError, Conflict, Forbidden, Invalid, InvalidMany, NotFound
from yiwang.kit.i18n import N_
from yiwang.registry import service as registry

KEY_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
MAX_TEXT = 10_000  # beyond any field's limit: refused outright rather than kept as a finding
PLATFORM_FILLS = frozenset({"auto", "system"})


class PrecheckFailed(AppError):
    status = 422
    code = "precheck_failed"
    default_message = N_("The application has problems to fix before it can be submitted.")

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__()
        self.findings = findings

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["findings"] = [f.to_dict() for f in self.findings]
        data["errors"] = [
            {"code": f.code, "field": f.field, "message": f.to_dict()["message"]}
            for f in blocking(self.findings)
        ]
        return data


# ---- who applies ---------------------------------------------------------------------------


async def applicant_for(
    session: AsyncSession, principal: Principal, enterprise_id: int | None
) -> Applicant:
    """Raises Forbidden unless the person may apply for that enterprise now."""
    person = await accounts.get_person(session, principal.person_id)
    me = Applicant(
        kind="person",
        person_id=person.id,
        person_key=person.id_hash,
        name=person.name,
        id_masked=person.id_masked,
        mobile=person.mobile or "",
        verified=person.verified_level >= 3,
    )
    if enterprise_id is None:
        return me
    ent = await session.get(Enterprise, enterprise_id)  # held: the check below reuses it
    actions = await accounts.enterprise_actions(session, person.id, enterprise_id)
    if ent is None or actions is None or "apply" not in actions:
        raise Forbidden(N_("You may not apply for this enterprise."))
    return dataclasses.replace(
        me,
        kind="enterprise",
        enterprise_id=ent.id,
        enterprise_key=ent.credit_code,
        enterprise_name=ent.name,
        legal_rep=ent.legal_rep_id == person.id,
    )


# ---- drafts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftView:
    """Everything a page or an API answer shows of a draft."""

    draft: Draft
    definition: Definition
    applicant: Applicant
    outcome: Outcome
    fields: list[Field]
    materials: list[Material]

    @property
    def items(self) -> set[str]:
        return self.outcome.item_set

    def fill_free(self) -> tuple[int, int]:
        return fill_free(self.fields, self.draft.provenance)


def fill_free(fields: list[Field], provenance: Mapping[str, Any]) -> tuple[int, int]:
    """(fields the platform filled or a choice answered, fields shown)."""
    free = sum(
        1
        for f in fields
        if f.widget in CHOICE_WIDGETS
        or str(dict(provenance.get(f.code) or {}).get("fill")) in ("auto", "system", "choose")
    )
    return free, len(fields)


async def start(
    session: AsyncSession,
    principal: Principal,
    scenario_code: str,
    answers: list[int],
    enterprise_id: int | None = None,
) -> Draft:
    scenario = await catalog.scenario_by_code(session, scenario_code)
    applicant = await applicant_for(session, principal, enterprise_id)
    if applicant.kind not in scenario.applicant_types.get("types", []):
        raise Invalid(
            N_("This service is not open to this kind of applicant."),
            field="applicant",
            error_code="wrong_applicant",
        )
    try:
        definition = await build.current(session, scenario_code)
    except NotFound:
        definition = build.as_definition(await build.publish(session, scenario_code))
    outcome = _complete(definition, answers)
    draft = Draft(
        id=secrets.token_urlsafe(16),
        person_id=principal.person_id,
        enterprise_id=applicant.enterprise_id,
        scenario_code=scenario_code,
        definition_id=definition.id,
        answers={"answers": answers},
        values={},
        provenance={},
        attachments={},
    )
    await _refill(session, definition, draft, applicant, outcome)
    session.add(draft)
    await session.flush()
    return draft


def _complete(definition: Definition, answers: list[int]) -> Outcome:
    outcome = definition.outcome(answers)
    if not outcome.complete or not outcome.items:
        raise Invalid(
            N_("Please answer every question first."), field="answers", error_code="incomplete"
        )
    return outcome


async def _refill(
    session: AsyncSession,
    definition: Definition,
    draft: Draft,
    applicant: Applicant,
    outcome: Outcome,
) -> None:
    """Fills what the platform knows into fields not yet filled, and logs the reads."""
    visible = definition.visible(outcome.item_set, applicant.kind)
    empty = [f for f in visible if f.code not in draft.values]
    history = await applications.history_values(
        session,
        applicant.person_id,
        applicant.enterprise_id,
        [f.code for f in empty if f.fill == "choose"],
    )
    found = await prefill(
        registry.Reader(session),
        definition,
        empty,
        applicant,
        materials=definition.materials_on(outcome.item_set),
        history=history,
    )
    draft.values = {**draft.values, **found.values}
    draft.provenance = {**draft.provenance, **found.provenance}
    draft.attachments = {
        **{k: v for k, v in found.attachments.items() if k not in draft.attachments},
        **draft.attachments,
    }
    await registry.log_usage(
        session,
        found.registry_uses(),
        purpose="prefill",
        actor_person_id=applicant.person_id,
        scenario_code=definition.scenario_code,
        draft_id=draft.id,
    )


async def get(session: AsyncSession, principal: Principal, draft_id: str) -> Draft:
    """Someone else's draft is not found, not forbidden: its id is not confirmed to exist."""
    draft = await session.get(Draft, draft_id)
    if draft is None or draft.person_id != principal.person_id:
        raise NotFound()
    return draft


async def view(
    session: AsyncSession, principal: Principal, draft: Draft, checksum: str | None = None
) -> DraftView:
    definition = await build.by_id(session, draft.definition_id, checksum)
    applicant = await applicant_for(session, principal, draft.enterprise_id)
    outcome = definition.outcome(list(draft.answers.get("answers", [])))
    return DraftView(
        draft=draft,
        definition=definition,
        applicant=applicant,
        outcome=outcome,
        fields=definition.visible(outcome.item_set, applicant.kind),
        materials=definition.materials_on(outcome.item_set),
    )


async def mine(session: AsyncSession, principal: Principal) -> list[Draft]:
    q = (
        select(Draft)
        .where(Draft.person_id == principal.person_id, Draft.status == "open")
        .order_by(Draft.updated_at.desc())
        .limit(50)
    )
    return list((await session.execute(q)).scalars())


async def _lock(session: AsyncSession, draft: Draft) -> None:
    """Re-reads the draft under a row lock before changing it: two tabs or two parallel uploads
    each add to what the other saved instead of writing over it."""
    await session.refresh(draft, with_for_update=True)
    _open(draft)


def _open(draft: Draft) -> None:
    if draft.status != "open":
        raise Conflict(
            N_("This application was already submitted as {number}."),
            error_code="already_submitted",
            number=draft.application_no,
        )


def is_read_only(f: Field, provenance: Mapping[str, Any]) -> bool:
    """A value the platform filled from an authority's records is shown, not edited."""
    return f.fill in PLATFORM_FILLS and dict(provenance.get(f.code) or {}).get("fill") in (
        PLATFORM_FILLS
    )


def coerce(f: Field, raw: Any) -> Any:
    """The stored form of a submitted value. Bad shapes are refused (Invalid naming the field);
    bad content is kept for the pre-check to explain."""
    if raw is None or raw == "" or raw == []:
        return None
    if f.widget == "multichoice":
        items = raw if isinstance(raw, list) else [raw]
        if not all(isinstance(x, str) for x in items):
            raise Invalid(field=f.code, error_code="bad_shape")
        return [x.strip() for x in items if x.strip()] or None
    if isinstance(raw, bool | list | dict):
        raise Invalid(field=f.code, error_code="bad_shape")
    text = str(raw).strip()
    if len(text) > MAX_TEXT:
        raise Invalid(N_("Enter at most {n} characters."), field=f.code, n=MAX_TEXT)
    if not text:
        return None
    if f.widget == "id_number":
        return accounts.protect_id(text)
    if f.widget == "number":
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() else number
    if f.widget in ("credit_code",):
        return text.upper()
    return text


async def save(
    session: AsyncSession, principal: Principal, draft: Draft, updates: Mapping[str, Any]
) -> DraftView:
    """Applies every update or none: any refused value raises with all the refusals."""
    await _lock(session, draft)
    dv = await view(session, principal, draft)
    shown = {f.code: f for f in dv.fields}
    errors: list[AppError] = []
    values, provenance = dict(draft.values), dict(draft.provenance)
    changed: dict[str, Any] = {}
    for code, raw in updates.items():
        f = shown.get(code)
        if f is None:
            errors.append(
                Invalid(
                    N_("This field is not part of your form."),
                    field=code,
                    error_code="unknown_field",
                )
            )
            continue
        if is_read_only(f, provenance):
            if raw != values.get(code):
                errors.append(
                    Invalid(
                        N_("This value comes from official records and cannot be changed here."),
                        field=code,
                        error_code="read_only",
                    )
                )
            continue
        if f.widget == "id_number" and isinstance(raw, dict):
            if raw != values.get(code):  # only the stored form may come back unchanged
                errors.append(Invalid(field=code, error_code="bad_shape"))
            continue
        try:
            value = coerce(f, raw)
        except AppError as exc:
            errors.append(exc)
            continue
        if value is None:
            values.pop(code, None)
            provenance.pop(code, None)
            continue
        values[code] = changed[code] = value
        provenance[code] = _typed_provenance(f, value, dict(provenance.get(code) or {}))
    errors += shape_errors(dv.definition, shown, changed)
    if errors:
        raise InvalidMany(errors)
    draft.values, draft.provenance = values, provenance
    draft.updated_at = utcnow()
    await session.flush()
    return dv


def shape_errors(
    definition: Definition, fields: Mapping[str, Field], changed: Mapping[str, Any]
) -> list[AppError]:
    """The form's own checks of the typed values (an ID number is stored protected: not typed)."""
    typed = {c: v for c, v in changed.items() if fields[c].widget != "id_number"}
    return [
        Invalid(f.message, field=f.field, error_code=f.code, **f.params)
        for f in shape_findings(definition, fields, typed)
    ]


def _typed_provenance(f: Field, value: Any, before: Mapping[str, Any]) -> dict[str, Any]:
    offers = list(before.get("offers") or [])
    for offer in offers:
        if offer.get("value") == value:
            return {**{k: v for k, v in offer.items() if k != "value"}, "offers": offers}
    fill = "choice" if f.widget in CHOICE_WIDGETS else "input"
    out: dict[str, Any] = {"fill": fill, "grade": "D"}
    if offers:
        out["offers"] = offers
    return out


async def set_answers(
    session: AsyncSession, principal: Principal, draft: Draft, answers: list[int]
) -> None:
    """New answers can show other fields; what was filled in is kept."""
    await _lock(session, draft)
    dv = await view(session, principal, draft)
    outcome = _complete(dv.definition, answers)
    draft.answers = {"answers": answers}
    await _refill(session, dv.definition, draft, dv.applicant, outcome)
    draft.updated_at = utcnow()
    await session.flush()


async def attach(
    session: AsyncSession,
    principal: Principal,
    draft: Draft,
    material_key: str,
    data: bytes,
    filename: str,
) -> Inspected:
    _open(draft)
    dv = await view(session, principal, draft)
    if material_key not in {m.key for m in dv.materials}:
        raise NotFound()
    field_name = f"materials.{material_key}"
    found = await files.store(session, data, field_name=field_name)
    await _lock(session, draft)
    draft.attachments = {**draft.attachments, material_key: attachment(found, filename)}
    draft.updated_at = utcnow()
    await session.flush()
    return found


def attachment(found: Inspected, filename: str) -> dict[str, Any]:
    """What a draft or an application keeps of an uploaded material."""
    return {
        "sha256": found.sha256,
        "name": filename[-120:] or "file",
        "mime": found.mime,
        "size": found.size,
        "pages": found.pages,
        "notes": found.notes,
        "uploaded_at": utcnow().isoformat(timespec="seconds"),
    }


async def detach(
    session: AsyncSession, principal: Principal, draft: Draft, material_key: str
) -> None:
    await _lock(session, draft)
    got = draft.attachments.get(material_key)
    if got is None or got.get("platform"):
        raise NotFound()
    draft.attachments = {k: v for k, v in draft.attachments.items() if k != material_key}
    draft.updated_at = utcnow()
    await session.flush()


async def check(session: AsyncSession, dv: DraftView) -> list[Finding]:
    if not dv.outcome.complete:
        return []
    d = dv.draft
    reader = registry.Reader(session)
    return await precheck(reader, dv.definition, dv.items, dv.applicant, d.values, d.attachments)


# ---- submission ----------------------------------------------------------------------------


def check_key(key: str | None) -> str:
    if not key or not KEY_RE.match(key):
        raise Invalid(
            N_("A request key of 1 to 64 letters, digits, or - _ . : is needed."),
            field="Idempotency-Key",
            error_code="bad_idempotency_key",
        )
    return key


# One round trip for what a submission reads by id: the draft (locked), its version's checksum,
# the person and enterprise, which stay in the session for `view`, and the application's id.
SUBMITTED_DRAFT = {
    dialect: select(Draft, FormDefinition.checksum, Person, Enterprise, serial)
    .join(FormDefinition, FormDefinition.id == Draft.definition_id)
    .join(Person, Person.id == Draft.person_id)
    .outerjoin(Enterprise, Enterprise.id == Draft.enterprise_id)
    .where(Draft.id == bindparam("draft_id"))
    .with_for_update(of=Draft)
    .execution_options(populate_existing=True)
    for dialect, serial in applications.NEXT_SERIAL.items()
}

# Executed with the columns to set as parameters: a Core UPDATE, with no unit of work around it.
CLOSE_DRAFT = update(table(Draft)).where(table(Draft).c.id == bindparam("draft_id"))


async def submit(
    session: AsyncSession, principal: Principal, draft_id: str, key: str | None
) -> tuple[Application, bool]:
    """(the application, whether it existed already). The same key always answers with the same
    application; the draft row is locked, so concurrent submissions of one draft queue and all
    but the first find the application the first created. A key already used for another
    draft is refused by the unique (person, key) constraint when the application is inserted."""
    key = check_key(key)
    query = SUBMITTED_DRAFT[session.get_bind().dialect.name]
    row = (await session.execute(query, {"draft_id": draft_id})).one_or_none()
    if row is None or row[0].person_id != principal.person_id:
        raise NotFound()
    draft, checksum, _person, _enterprise, serial = row
    if draft.status != "open":
        existing = await applications.by_idempotency_key(session, principal.person_id, key)
        if existing is not None:
            return _replay(existing, draft_id)
        _open(draft)
    dv = await view(session, principal, draft, checksum)
    if not dv.outcome.complete:
        raise Invalid(N_("Please answer every question first."), field="answers")
    # The pre-check's look-ups, as the saved values predict them, ride with the refresh's query.
    reader = registry.Reader(session)
    reader.expect(lookup_pairs(dv.definition, dv.items, dv.fields, dv.applicant, draft.values))
    fresh = await prefill(
        reader,
        dv.definition,
        [f for f in dv.fields if f.fill in PLATFORM_FILLS],
        dv.applicant,
        materials=dv.materials,
    )
    values = {**draft.values, **fresh.values}
    provenance = {**draft.provenance, **fresh.provenance}
    attachments = {**draft.attachments, **fresh.attachments}
    findings = await precheck(reader, dv.definition, dv.items, dv.applicant, values, attachments)
    if blocking(findings):
        raise PrecheckFailed(findings)
    free, shown = fill_free(dv.fields, provenance)
    lead = dv.definition.lead_item(dv.outcome.items)
    codes = [f.code for f in dv.fields]
    writes = Writes()
    app = await applications.create(
        writes,
        serial=serial,
        actor_person_id=principal.person_id,
        values={
            "scenario_code": dv.definition.scenario_code,
            "definition_id": dv.definition.id,
            "definition_version": dv.definition.version,
            "definition_checksum": dv.definition.checksum,
            "enterprise_id": draft.enterprise_id,
            "department_id": lead["department_id"],
            "region_code": lead["region_code"],
            "content": {
                "answers": draft.answers.get("answers", []),
                "items": list(dv.outcome.items),
                "values": {c: values[c] for c in codes if c in values},
                "provenance": {c: _strip_offers(provenance[c]) for c in codes if c in provenance},
                "materials": {
                    m.key: attachments[m.key] for m in dv.materials if m.key in attachments
                },
                "findings": [f.to_dict() for f in findings],
            },
            "fields_shown": shown,
            "fields_free": free,
            "idempotency_key": key,
            "draft_id": draft.id,
        },
    )
    await registry.log_usage(
        writes,
        _submitted_uses(dv, provenance, fresh),
        purpose="submit",
        actor_person_id=principal.person_id,
        scenario_code=dv.definition.scenario_code,
        draft_id=draft.id,
        application_no=app.number or "",
    )
    closed = {
        "status": "submitted",
        "application_no": app.number or "",
        "values": values,
        "provenance": provenance,
        "attachments": attachments,
        "updated_at": utcnow(),
    }
    await writes.execute(CLOSE_DRAFT, {"draft_id": draft.id, **closed})
    try:
        # Last: appending to the audit chain locks its head until the commit.
        await applications.audit_submitted(writes, session, app)
    except IntegrityError as exc:
        if "idempotency_key" not in str(exc.orig):
            raise
        raise _key_reused() from exc
    for name, value in closed.items():  # the loaded draft as saved, with nothing left to flush
        set_committed_value(draft, name, value)
    return app, False


def _key_reused() -> Conflict:
    return Conflict(
        N_("This request key was already used for another application."),
        field="Idempotency-Key",
        error_code="idempotency_key_reused",
    )


def _replay(app: Application, draft_id: str) -> tuple[Application, bool]:
    if app.draft_id != draft_id:
        raise _key_reused()
    return app, True


def _strip_offers(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k != "offers"}


def _submitted_uses(
    dv: DraftView, provenance: Mapping[str, Any], fresh: Prefilled
) -> list[registry.Use]:
    """The shared data that went into the application: what was refreshed at submission and
    the 选择填 values picked from records."""
    uses = {k: set(v) for k, v in fresh.uses.items()}
    for f in dv.fields:
        entry = dict(provenance.get(f.code) or {})
        if f.fill == "choose" and entry.get("database") not in (None, "application", "account"):
            for element in (f.element, *f.spec.get("history", ())):
                if element.startswith(f"{entry['database']}."):
                    key = dv.applicant.key_for(str(f.spec.get("subjects", {}).get(element)))
                    if key:
                        uses.setdefault((key, str(entry["database"])), set()).add(element)
    return [registry.Use(k, db, tuple(sorted(els))) for (k, db), els in uses.items()]
