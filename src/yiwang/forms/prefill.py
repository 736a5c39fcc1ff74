"""Filling a form from what the platform already knows, recording where each value came from.

自动填 (auto): identity, from the account and the population or legal-person record.
系统填 (system): shared data from a thematic database, shown read-only with its source.
选择填 (choose): values from the applicant's records and earlier applications, offered to pick.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from yiwang.db import utcnow
from yiwang.forms.definition import Definition, Field, Material
from yiwang.registry import service as registry

ACCOUNT = "account"
# A material the form itself stands for (申请表, 登记申请书): attached as this form.
FORM = "form"
MAX_OFFERS = 6


@dataclass(frozen=True)
class Applicant:
    """Who applies: a person for themselves, or for an enterprise they represent."""

    kind: str  # person | enterprise
    person_id: int
    person_key: str  # keyed hash of the ID number
    name: str
    id_masked: str
    mobile: str
    verified: bool  # name and ID number matched the population records
    enterprise_id: int | None = None
    enterprise_key: str = ""  # the credit code
    enterprise_name: str = ""
    legal_rep: bool = False  # the person is the enterprise's legal representative

    def keys_for(self, subject: str) -> tuple[str, ...]:
        """Whose records to read, in order. For databases of either kind (property, vehicles,
        licences) an enterprise's own come first, then its legal representative's: an
        individual business runs from its owner's premises."""
        if subject == "person":
            return (self.person_key,)
        if subject == "enterprise":
            return (self.enterprise_key,) if self.enterprise_key else ()
        if self.kind != "enterprise":
            return (self.person_key,)
        return (self.enterprise_key, self.person_key) if self.legal_rep else (self.enterprise_key,)

    def key_for(self, subject: str) -> str | None:
        keys = self.keys_for(subject)
        return keys[0] if keys else None

    def account_value(self, code: str) -> Any:
        """Identity the account itself holds, for auto fields bound to no shared element."""
        suffix = code.rsplit(".", 1)[-1]
        if code.startswith("ent."):
            return {"name": self.enterprise_name, "credit_code": self.enterprise_key}.get(suffix)
        if suffix == "id_number":
            return {"masked": self.id_masked, "hash": self.person_key}
        return {"name": self.name, "mobile": self.mobile}.get(suffix)


@dataclass
class Prefilled:
    values: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)
    attachments: dict[str, Any] = field(default_factory=dict)
    uses: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    def registry_uses(self) -> list[registry.Use]:
        return [registry.Use(k, db, tuple(sorted(els))) for (k, db), els in self.uses.items()]


def _split(element: str) -> tuple[str, str]:
    database, _, key = element.partition(".")
    return database, key


def _stamp(rec: registry.Record, fill: str, now: dt.datetime) -> dict[str, Any]:
    return {
        "fill": fill,
        "database": rec.database,
        "record": rec.record_no or str(rec.id),
        "fetched_at": now.isoformat(timespec="seconds"),
        "grade": rec.grade,
    }


def _subject(f: Field, element: str) -> str:
    """Whose records hold the element: person, enterprise or any (the applicant's)."""
    return str(f.spec.get("subjects", {}).get(element, "person"))


async def prefill(
    reader: registry.Reader,
    definition: Definition,
    fields: Iterable[Field],
    applicant: Applicant,
    *,
    materials: Iterable[Material] = (),
    history: Mapping[str, list[tuple[Any, str]]] | None = None,
) -> Prefilled:
    """Values for the auto, system and choose fields among `fields`, and the materials the
    platform holds. `history` maps field codes to values from earlier applications (with their
    numbers); it is left out where only current shared data matters (at submission)."""
    fields = [f for f in fields if f.fill in ("auto", "system", "choose")]
    materials = [m for m in materials if m.platform]
    generated = [m for m in materials if (m.platform or {}).get("database") == FORM]
    materials = [m for m in materials if m not in generated]
    wanted: set[tuple[str, str]] = set()  # (subject key, database)
    for f in fields:
        for element in (f.element, *f.spec.get("history", ())):
            if element:
                for key in applicant.keys_for(_subject(f, element)):
                    wanted.add((key, _split(element)[0]))
    for m in materials:
        platform = m.platform or {}
        for key in applicant.keys_for(str(platform.get("subject", "any"))):
            wanted.add((key, str(platform["database"])))
    found = await reader.get(wanted)
    now = utcnow()
    out = Prefilled()
    for f in fields:
        if f.fill == "choose":
            _offer(f, applicant, found, history or {}, now, out)
        else:
            _fill(f, applicant, found, now, out)
    for m in generated:
        out.attachments[m.key] = {"platform": True, "fill": "system", "database": FORM}
    for m in materials:
        platform = m.platform or {}
        where = dict(platform.get("where") or {})
        keys = applicant.keys_for(str(platform.get("subject", "any")))
        for rec in _records(found, keys, str(platform["database"])):
            if all(rec.data.get(k) == v for k, v in where.items()):
                out.attachments[m.key] = {"platform": True, **_stamp(rec, "system", now)}
                out.uses[(rec.subject_key, rec.database)].update(
                    f"{rec.database}.{k}" for k in rec.data
                )
                break
    return out


def _records(
    found: Mapping[tuple[str, str], list[registry.Record]], keys: Iterable[str], database: str
) -> list[registry.Record]:
    return [rec for key in keys for rec in found.get((key, database), [])]


def _fill(
    f: Field,
    applicant: Applicant,
    found: Mapping[tuple[str, str], list[registry.Record]],
    now: dt.datetime,
    out: Prefilled,
) -> None:
    if not f.element:
        value = applicant.account_value(f.code) if f.fill == "auto" else None
        if value not in (None, ""):
            out.values[f.code] = value
            out.provenance[f.code] = {
                "fill": "auto",
                "database": ACCOUNT,
                "fetched_at": now.isoformat(timespec="seconds"),
                "grade": "A" if applicant.verified else "D",
            }
        return
    database, key = _split(f.element)
    for rec in _records(found, applicant.keys_for(_subject(f, f.element)), database):
        value = rec.data.get(key)
        if value in (None, "", []):
            continue
        out.values[f.code] = value
        out.provenance[f.code] = _stamp(rec, f.fill, now)
        out.uses[(rec.subject_key, database)].add(f.element)
        return


def _offer(
    f: Field,
    applicant: Applicant,
    found: Mapping[tuple[str, str], list[registry.Record]],
    history: Mapping[str, list[tuple[Any, str]]],
    now: dt.datetime,
    out: Prefilled,
) -> None:
    offers: list[dict[str, Any]] = []
    seen: set[str] = set()
    for element in (f.element, *f.spec.get("history", ())):
        if not element:
            continue
        database, key = _split(element)
        for rec in _records(found, applicant.keys_for(_subject(f, element)), database):
            value = rec.data.get(key)
            if value in (None, "") or str(value) in seen:
                continue
            seen.add(str(value))
            offers.append({"value": value, **_stamp(rec, "choose", now)})
            out.uses[(rec.subject_key, database)].add(element)
    for value, number in history.get(f.code, []):
        if str(value) not in seen:
            seen.add(str(value))
            offers.append(
                {
                    "value": value,
                    "fill": "choose",
                    "database": "application",
                    "record": number,
                    "grade": "D",
                }
            )
    offers = offers[:MAX_OFFERS]
    if offers:
        out.values[f.code] = offers[0]["value"]
        out.provenance[f.code] = {
            **{k: v for k, v in offers[0].items() if k != "value"},
            "offers": offers,
        }
