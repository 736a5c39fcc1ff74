"""智能预审: the problems a reviewer would send back, found while the applicant is still filling in.

Each finding has a severity (block: cannot be submitted; warn: likely to be sent back;
inform: worth knowing), the field, a message and a suggested fix in both languages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from yiwang.accounts.service import identifier_message
from yiwang.forms.definition import Definition, Field
from yiwang.forms.prefill import Applicant
from yiwang.kit import identifiers
from yiwang.kit.i18n import N_, get_locale, translate
from yiwang.kit.timeutil import local_today
from yiwang.registry import service as registry

SEVERITY_ORDER = {"block": 0, "warn": 1, "inform": 2}
SEVERITY_LABELS = {
    "block": N_("Must be fixed"),
    "warn": N_("Likely to be sent back"),
    "inform": N_("Good to know"),
}
Text = str | Mapping[str, str]  # a plain value, or {"zh": …, "en": …} for labels and names


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    field: str
    message: str  # catalogue message id
    fix: str = ""
    params: Mapping[str, Text] = dataclasses.field(default_factory=dict)

    def _params(self, locale: str) -> dict[str, str]:
        key = "zh" if locale == "zh_CN" else "en"
        return {k: v[key] if isinstance(v, Mapping) else v for k, v in self.params.items()}

    def text(self, locale: str | None = None) -> str:
        locale = locale or get_locale()
        return translate(locale, self.message, **self._params(locale))

    def fix_text(self, locale: str | None = None) -> str:
        locale = locale or get_locale()
        return translate(locale, self.fix, **self._params(locale)) if self.fix else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "field": self.field,
            "message": {"zh": self.text("zh_CN"), "en": self.text("en")},
            "fix": {"zh": self.fix_text("zh_CN"), "en": self.fix_text("en")} if self.fix else None,
        }


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "block"]


def _label(f: Field) -> dict[str, str]:
    return {"zh": str(f.spec["label"]), "en": str(f.spec.get("label_en") or f.spec["label"])}


def empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


FORMATS = FormatChecker(formats=())


@FORMATS.checks("date")
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@FORMATS.checks("region-code")
def _region(value: object) -> bool:
    return not isinstance(value, str) or identifiers.check_region_code(value).valid


@FORMATS.checks("credit-code")
def _credit(value: object) -> bool:
    return not isinstance(value, str) or identifiers.check_uscc(value).valid


@FORMATS.checks("mobile")
def _mobile(value: object) -> bool:
    return not isinstance(value, str) or identifiers.check_mobile(value).valid


@lru_cache(maxsize=256)
def _validator(definition: Definition, codes: tuple[str, ...]) -> Draft202012Validator:
    props = definition.schema["properties"]
    schema = {
        "$schema": definition.schema["$schema"],
        "type": "object",
        "properties": {c: props[c] for c in codes},
    }
    return Draft202012Validator(schema, format_checker=FORMATS)


IDENTIFIER_CHECKS = {
    "credit_code": identifiers.check_uscc,
    "mobile": identifiers.check_mobile,
    "region": identifiers.check_region_code,
}


def _schema_finding(f: Field, error: ValidationError) -> Finding:
    kind = str(error.validator)
    if kind == "format":
        check = IDENTIFIER_CHECKS.get(f.widget)
        if check is not None:
            result = check(str(error.instance))
            return Finding(
                f"format_{result.reason}",
                "block",
                f.code,
                identifier_message(result.reason),
                N_("Check the number against the original document."),
                dict(result.params),
            )
        return Finding("format_date", "block", f.code, N_("Enter a date like 2026-12-31."))
    if kind == "maxLength":
        return Finding(
            "too_long",
            "block",
            f.code,
            N_("Enter at most {n} characters."),
            params={"n": str(error.validator_value)},
        )
    if kind in ("minimum", "maximum"):
        bounds = definition_bounds(f)
        return Finding(
            "out_of_range",
            "block",
            f.code,
            N_("Enter a number from {min} to {max}."),
            params=bounds,
        )
    if kind in ("enum", "uniqueItems"):
        return Finding("bad_choice", "block", f.code, N_("Please choose one of the options."))
    if kind == "type" and f.widget == "number":
        return Finding("not_a_number", "block", f.code, N_("Enter a number, such as 86.5."))
    return Finding(f"bad_{kind}", "block", f.code, N_("The value is not valid."))


# What no widget can produce: a word where a number goes, an option that is not offered, a date
# that is not a date. Refused when saved; everything else is kept for the pre-check to explain.
SHAPE_ERRORS = frozenset({"type", "enum"})


def shape_findings(
    definition: Definition, fields: Mapping[str, Field], values: Mapping[str, Any]
) -> list[Finding]:
    found: dict[str, Finding] = {}
    for error in _validator(definition, tuple(sorted(values))).iter_errors(dict(values)):
        code = str(error.absolute_path[0]) if error.absolute_path else ""
        f = fields.get(code)
        shape = str(error.validator) in SHAPE_ERRORS or (
            f is not None and f.widget == "date" and error.validator == "format"
        )
        if f is not None and shape and code not in found:
            found[code] = _schema_finding(f, error)
    return list(found.values())


def definition_bounds(f: Field) -> dict[str, Text]:
    low, high = f.spec.get("minimum"), f.spec.get("maximum")
    return {"min": "" if low is None else f"{low:g}", "max": "" if high is None else f"{high:g}"}


async def precheck(
    reader: registry.Reader,
    definition: Definition,
    items: set[str],
    applicant: Applicant,
    values: Mapping[str, Any],
    attachments: Mapping[str, Any],
) -> list[Finding]:
    """Every finding for the visible fields and materials, most severe first."""
    visible = definition.visible(items, applicant.kind)
    shown = {f.code: f for f in visible}
    findings: list[Finding] = []
    to_validate: list[str] = []
    for f in visible:
        value = values.get(f.code)
        if empty(value):
            if f.required_on(items):
                findings.append(Finding("required", "block", f.code, N_("Please fill this in.")))
            continue
        if f.widget == "id_number" and isinstance(value, Mapping) and value.get("error"):
            findings.append(
                Finding(
                    f"format_{value['error']}",
                    "block",
                    f.code,
                    identifier_message(str(value["error"])),
                    N_("Type the 18 characters exactly as on the ID card."),
                    {k: str(v) for k, v in dict(value.get("params") or {}).items()},
                )
            )
            continue
        to_validate.append(f.code)
    validator = _validator(definition, tuple(to_validate))
    seen: set[str] = set()
    for error in validator.iter_errors({c: values[c] for c in to_validate}):
        code = str(error.absolute_path[0]) if error.absolute_path else ""
        if code in shown and code not in seen:
            seen.add(code)
            findings.append(_schema_finding(shown[code], error))
    valid = {c: values[c] for c in to_validate if c not in seen}
    findings += await _rules(reader, definition, items, shown, valid, applicant)
    findings += _materials(definition, items, attachments)
    order = {code: n for n, code in enumerate(shown)}
    findings.sort(key=lambda x: (SEVERITY_ORDER[x.severity], order.get(x.field, len(order))))
    return findings


async def _rules(
    reader: registry.Reader,
    definition: Definition,
    items: set[str],
    shown: Mapping[str, Field],
    values: Mapping[str, Any],
    applicant: Applicant,
) -> list[Finding]:
    rules = definition.rules_on(items, set(shown))
    lookups = await _lookups(reader, rules, values, applicant)
    ctx = Context(shown, values, lookups, definition, items)
    out: list[Finding] = []
    for rule in rules:
        out += RULES[rule["kind"]](rule, ctx)
    return out


@dataclass
class Lookups:
    people: dict[str, str]  # id hash → name in the population records
    records: dict[str, list[registry.Record]]  # database → the applicant's records


def _wanted(
    rules: list[Mapping[str, Any]], values: Mapping[str, Any], applicant: Applicant
) -> tuple[set[str], dict[str, str]]:
    """(the ID hashes of people to look up, database → the applicant's key for record checks)"""
    hashes = {
        str(values[r["fields"][1]]["hash"])
        for r in rules
        if r["kind"] == "registry_person" and isinstance(values.get(r["fields"][1]), Mapping)
    }
    wanted: dict[str, str] = {}
    for r in rules:
        if r["kind"] == "record_valid" and r["fields"][0] in values:
            key = applicant.key_for(str(r["params"].get("subject", "any")))
            if key:
                wanted[str(r["params"]["database"])] = key
    return hashes, wanted


def _pairs(hashes: set[str], wanted: Mapping[str, str]) -> set[registry.Pair]:
    return {(h, registry.POPULATION) for h in hashes} | {(k, db) for db, k in wanted.items()}


def lookup_pairs(
    definition: Definition,
    items: set[str],
    visible: Iterable[Field],
    applicant: Applicant,
    values: Mapping[str, Any],
) -> set[registry.Pair]:
    """The registry records a pre-check of these values will read, given the visible fields."""
    rules = definition.rules_on(items, {f.code for f in visible})
    return _pairs(*_wanted(rules, values, applicant))


async def _lookups(
    reader: registry.Reader,
    rules: list[Mapping[str, Any]],
    values: Mapping[str, Any],
    applicant: Applicant,
) -> Lookups:
    """The registry reads every rule needs, in at most one query."""
    hashes, wanted = _wanted(rules, values, applicant)
    found = await reader.get(_pairs(hashes, wanted))
    people = {
        h: str(rec.data.get("name", "")) for h in hashes for rec in found[(h, registry.POPULATION)]
    }
    return Lookups(people, {db: found[(key, db)] for db, key in wanted.items()})


@dataclass(frozen=True)
class Context:
    shown: Mapping[str, Field]
    values: Mapping[str, Any]
    lookups: Lookups
    definition: Definition
    items: set[str]


RuleFn = Callable[[Mapping[str, Any], Context], list[Finding]]


def _required_if(rule: Mapping[str, Any], ctx: Context) -> list[Finding]:
    target, when = rule["fields"][:2]
    equals = rule["params"].get("equals")
    expected = {str(v) for v in (equals if isinstance(equals, list | tuple) else [equals])}
    given = ctx.values.get(when)
    chosen = {str(v) for v in given} if isinstance(given, list) else {str(given)}
    if expected & chosen and empty(ctx.values.get(target)):
        return [
            Finding(
                "required_if",
                rule.get("severity", "block"),
                target,
                N_("Please fill this in: your answer to “{other}” needs it."),
                params={"other": _label(ctx.shown[when])},
            )
        ]
    return []


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _date_order(rule: Mapping[str, Any], ctx: Context) -> list[Finding]:
    earlier, later = rule["fields"][:2]
    a, b = _date(ctx.values.get(earlier)), _date(ctx.values.get(later))
    if a is not None and b is not None and b <= a:
        return [
            Finding(
                "date_order",
                rule.get("severity", "block"),
                later,
                N_("“{later}” must be after “{earlier}”."),
                N_("Check both dates."),
                {"later": _label(ctx.shown[later]), "earlier": _label(ctx.shown[earlier])},
            )
        ]
    return []


def _not_future(rule: Mapping[str, Any], ctx: Context) -> list[Finding]:
    code = rule["fields"][0]
    day = _date(ctx.values.get(code))
    if day is not None and day > local_today():
        return [
            Finding(
                "date_in_future",
                rule.get("severity", "block"),
                code,
                N_("This date cannot be in the future."),
            )
        ]
    return []


def _not_past(rule: Mapping[str, Any], ctx: Context) -> list[Finding]:
    code = rule["fields"][0]
    day = _date(ctx.values.get(code))
    if day is not None and day < local_today():
        return [
            Finding(
                "date_in_past",
                rule.get("severity", "block"),
                code,
                N_("This date cannot be in the past."),
            )
        ]
    return []


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _not_greater(rule: Mapping[str, Any], ctx: Context) -> list[Finding]:
    a_code, b_code = rule["fields"][:2]
    a, b = _number(ctx.values.get(a_code)), _number(ctx.values.get(b_code))
    if a is not None and b is not None and a > b:
        return [
            Finding(
                "too_large",
                rule.get("severity", "block"),
                a_code,
                N_("“{a}” cannot be more than “{b}” ({limit})."),
                N_("Check both figures."),
                {"a": _label(ctx.shown[a_code]), "b": _label(ctx.shown[b_code]), "limit": f"{b:g}"},
            )
        ]
    return []


def _registry_person(rule: Mapping[str, Any], ctx: Context) -> list[Finding]:
    name_code, id_code = rule["fields"][:2]
    number, name = ctx.values.get(id_code), ctx.values.get(name_code)
    if not isinstance(number, Mapping) or not isinstance(name, str) or not name.strip():
        return []
    on_record = ctx.lookups.people.get(str(number.get("hash")))
    if on_record is None:
        return [
            Finding(
                "person_not_found",
                "warn",
                id_code,
                N_("No population record was found for this ID number."),
                N_("Check the number; if it is right, staff will verify it by hand."),
            )
        ]
    if on_record != name.strip():
        return [
            Finding(
                "person_mismatch",
                rule.get("severity", "block"),
                name_code,
                N_("The name does not match the population records for this ID number."),
                N_("Check the name and the ID number against the ID card."),
            )
        ]
    return []


def _record_valid(rule: Mapping[str, Any], ctx: Context) -> list[Finding]:
    code = rule["fields"][0]
    number = str(ctx.values.get(code, "")).strip()
    if not number:
        return []
    params = rule["params"]
    records = [
        r
        for r in ctx.lookups.records.get(str(params["database"]), [])
        if str(r.data.get(str(params["key"]), "")).strip() == number
    ]
    severity = rule.get("severity", "block")
    if not records:
        return [
            Finding(
                "licence_not_found",
                severity,
                code,
                N_("No licence with this number is on record for the applicant."),
                N_("Check the number on the licence."),
            )
        ]
    data = records[0].data
    until = _date(data.get("valid_until"))
    if until is not None and until < local_today():
        return [
            Finding(
                "licence_expired",
                severity,
                code,
                N_("The licence {number} expired on {date}."),
                N_("Apply for its renewal first, or together with this application."),
                {"number": number, "date": until.isoformat()},
            )
        ]
    if data.get("status", "valid") != "valid":
        return [
            Finding(
                "licence_not_valid",
                severity,
                code,
                N_("The licence {number} is not valid at present."),
                N_("Contact the issuing department."),
                {"number": number},
            )
        ]
    return []


def _scope_keywords(rule: Mapping[str, Any], ctx: Context) -> list[Finding]:
    code = rule["fields"][0]
    value = ctx.values.get(code)
    labels = {o[0]: f"{o[0]} {o[1]}" for o in ctx.shown[code].options}
    text = (
        " ".join(labels.get(str(v), str(v)) for v in value)
        if isinstance(value, list)
        else str(value or "")
    )
    on_path = {str(ctx.definition.ui["items"][c].get("basic_code", "")) for c in ctx.items}
    out: list[Finding] = []
    for keyword, basic_code, name, name_en in rule["params"].get("keywords", []):
        if keyword in text and basic_code not in on_path:
            out.append(
                Finding(
                    "needs_item",
                    rule.get("severity", "inform"),
                    code,
                    N_("Your business scope includes “{keyword}”: you also need “{item}”."),
                    N_("Apply for it as well, in this one-go service or separately."),
                    {"keyword": keyword, "item": {"zh": name, "en": name_en or name}},
                )
            )
    return out


RULES: dict[str, RuleFn] = {
    "required_if": _required_if,
    "date_order": _date_order,
    "not_future": _not_future,
    "not_past": _not_past,
    "not_greater": _not_greater,
    "registry_person": _registry_person,
    "record_valid": _record_valid,
    "scope_keywords": _scope_keywords,
}


def _materials(
    definition: Definition, items: set[str], attachments: Mapping[str, Any]
) -> list[Finding]:
    out: list[Finding] = []
    for m in definition.materials_on(items):
        where = f"materials.{m.key}"
        got = attachments.get(m.key)
        name = {"zh": str(m.spec["name"]), "en": str(m.spec.get("name_en") or m.spec["name"])}
        if got is None:
            if m.required_on(items):
                out.append(
                    Finding(
                        "material_missing",
                        "block",
                        where,
                        N_("Please upload “{material}”."),
                        N_("The platform found no copy in your records; upload a scan or photo.")
                        if m.platform
                        else "",
                        {"material": name},
                    )
                )
            continue
        notes = got.get("notes") or {}
        if notes.get("signature") == "invalid":
            out.append(
                Finding(
                    "signature_invalid",
                    "block",
                    where,
                    N_("The signature on “{material}” is not valid: it changed after signing."),
                    N_("Upload the original signed file."),
                    {"material": name},
                )
            )
        if notes.get("encrypted"):
            out.append(
                Finding(
                    "file_encrypted",
                    "block",
                    where,
                    N_("“{material}” is password-protected, so reviewers cannot open it."),
                    N_("Remove the password and upload it again."),
                    {"material": name},
                )
            )
        if notes.get("low_resolution"):
            out.append(
                Finding(
                    "low_resolution",
                    "warn",
                    where,
                    N_("“{material}” is a small image; its text may be unreadable."),
                    N_("Scan or photograph it again at a higher resolution."),
                    {"material": name},
                )
            )
    return out
