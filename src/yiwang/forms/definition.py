"""A form definition as the code reads it: one immutable view over the stored document.

The document (stored in form_definitions.document, checksummed whole)::

    {"schema": JSON Schema 2020-12 over every field of the scenario,
     "ui": {"scenario": {code, name, name_en, applicant_types},
            "tree": the scenario's question tree when the version was built,
            "sections": [{key, title, title_en, fields: [code, …]}],
            "fields": {code: {label, label_en, widget, fill, element, section, options,
                              hint, hint_en, history, applicant,
                              items: {handling code: required} | null (asked on every path)}},
            "materials": [{key, name, name_en, items: {handling code: required}, condition,
                           source, platform: {database, where} | null}],
            "items": {handling code: {name, name_en, kind, department_id, department,
                                      region_code, impl_code}}},
     "rules": [{kind, fields, severity, params, items: [handling code, …] | null}]}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from yiwang.catalog import tree as trees
from yiwang.forms.spec import CHOICE_WIDGETS

FREE_FILLS = frozenset({"auto", "system", "choose", "choice"})


@dataclass(frozen=True)
class Field:
    code: str
    spec: Mapping[str, Any]

    @property
    def widget(self) -> str:
        return str(self.spec["widget"])

    @property
    def fill(self) -> str:
        return str(self.spec["fill"])

    @property
    def element(self) -> str:
        return str(self.spec.get("element") or "")

    @property
    def section(self) -> str:
        return str(self.spec["section"])

    @property
    def options(self) -> list[list[str]]:
        return list(self.spec.get("options") or [])

    @property
    def applicant(self) -> str:
        return str(self.spec.get("applicant") or "")

    @property
    def free_by_design(self) -> bool:
        """Needs no typing when the data exists: filled by the platform or a choice."""
        return self.fill in FREE_FILLS or self.widget in CHOICE_WIDGETS

    @property
    def dom_id(self) -> str:
        return "f-" + self.code.replace(".", "-")

    def asked_on(self, items: set[str]) -> bool:
        asked = self.spec.get("items")
        return asked is None or any(code in items for code in asked)

    def required_on(self, items: set[str]) -> bool:
        asked = self.spec.get("items")
        if asked is None:
            return bool(self.spec.get("required", True))
        return any(req for code, req in asked.items() if code in items)


@dataclass(frozen=True)
class Material:
    key: str
    spec: Mapping[str, Any]

    def asked_on(self, items: set[str]) -> bool:
        return any(code in items for code in self.spec["items"])

    def required_on(self, items: set[str]) -> bool:
        return any(req for code, req in self.spec["items"].items() if code in items)

    @property
    def platform(self) -> Mapping[str, Any] | None:
        found: Mapping[str, Any] | None = self.spec.get("platform")
        return found


@dataclass(frozen=True)
class Outcome:
    """Where a draft's answers lead: the handling items, or the next unanswered question."""

    items: tuple[str, ...]
    complete: bool

    @property
    def item_set(self) -> set[str]:
        return set(self.items)


class Definition:
    def __init__(self, id: int, version: int, checksum: str, document: Mapping[str, Any]) -> None:
        self.id = id
        self.version = version
        self.checksum = checksum
        self.document = document
        self.ui: Mapping[str, Any] = document["ui"]
        self.schema: Mapping[str, Any] = document["schema"]

    @property
    def scenario_code(self) -> str:
        return str(self.ui["scenario"]["code"])

    @cached_property
    def fields(self) -> dict[str, Field]:
        by_code = {code: Field(code, spec) for code, spec in self.ui["fields"].items()}
        return {code: by_code[code] for s in self.ui["sections"] for code in s["fields"]}

    @cached_property
    def materials(self) -> list[Material]:
        return [Material(m["key"], m) for m in self.ui["materials"]]

    @property
    def rules(self) -> list[Mapping[str, Any]]:
        return list(self.document["rules"])

    def outcome(self, answers: list[int]) -> Outcome:
        """Raises Invalid naming the answer when an index is out of range."""
        walked = trees.walk(self.ui["tree"], answers)
        if walked.outcome_id is None:
            return Outcome((), False)
        items = self.ui["tree"]["outcomes"][walked.outcome_id].get("items", [])
        return Outcome(tuple(code for code in items if code in self.ui["items"]), True)

    def visible(self, items: set[str], applicant: str) -> list[Field]:
        return [
            f for f in self.fields.values() if f.asked_on(items) and f.applicant in ("", applicant)
        ]

    def sections(self, visible: Iterable[Field]) -> list[tuple[Mapping[str, Any], list[Field]]]:
        shown = {f.code: f for f in visible}
        out = []
        for s in self.ui["sections"]:
            fields = [shown[c] for c in s["fields"] if c in shown]
            if fields:
                out.append((s, fields))
        return out

    def materials_on(self, items: set[str]) -> list[Material]:
        return [m for m in self.materials if m.asked_on(items)]

    def rules_on(self, items: set[str], shown: set[str]) -> list[Mapping[str, Any]]:
        return [
            r
            for r in self.rules
            if (r.get("items") is None or any(code in items for code in r["items"]))
            and all(code in shown for code in r["fields"])
        ]

    def lead_item(self, items: tuple[str, ...]) -> Mapping[str, Any]:
        """The item whose department receives the application: the scenario's lead department's
        first, otherwise the outcome's first."""
        lead = next((c for c in items if self.ui["items"][c].get("lead")), items[0])
        return dict(self.ui["items"][lead])

    def schema_for(self, visible: list[Field], items: set[str]) -> dict[str, Any]:
        props = self.schema["properties"]
        return {
            **{k: v for k, v in self.schema.items() if k not in ("properties", "required")},
            "properties": {f.code: props[f.code] for f in visible},
            "required": [f.code for f in visible if f.required_on(items)],
        }

    def design_rate(self, applicant: str | None = None) -> tuple[int, int]:
        """(fields needing no typing by design, fields) over every path of the form."""
        fields = [
            f for f in self.fields.values() if applicant is None or f.applicant in ("", applicant)
        ]
        return sum(1 for f in fields if f.free_by_design), len(fields)
