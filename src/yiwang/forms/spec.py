"""The shapes form building blocks are written in: library fields, item field sets, rules.

A field reference in a field set is "code", optionally followed by "?" (may stay empty) and by
"@kind" parts (asked only for those handling kinds: new, change, renew, cancel), e.g.
"food.premises_area?@new".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

WIDGETS = (
    "text",
    "textarea",
    "number",
    "date",
    "choice",
    "multichoice",
    "yesno",
    "region",
    "address",
    "id_number",
    "credit_code",
    "mobile",
)
# How a field gets its value. auto 自动填: identity, from the session and the population or
# legal-person record; system 系统填: from a thematic database, read-only; choose 选择填: offered
# from the applicant's records and earlier applications; choice: answered by picking an option;
# input: typed.
FILLS = ("auto", "system", "choose", "choice", "input")
CHOICE_WIDGETS = frozenset({"choice", "multichoice", "yesno", "region"})
SEVERITIES = ("block", "warn", "inform")
RULE_KINDS = (
    "required_if",
    "date_order",
    "not_future",
    "not_past",
    "not_greater",
    "registry_person",
    "record_valid",
    "scope_keywords",
)

SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("applicant", "申请人信息", "Applicant"),
    ("enterprise", "企业（单位）信息", "Enterprise or organisation"),
    ("agent", "经办人信息", "Person handling the application"),
    ("premises", "经营场所与房屋", "Premises and property"),
    ("business", "经营信息", "Business details"),
    ("staff", "人员信息", "People"),
    ("project", "项目信息", "Project"),
    ("vehicle", "车辆与运输", "Vehicles and transport"),
    ("family", "家庭与亲属", "Family"),
    ("insurance", "社保与医保", "Social and medical insurance"),
    ("payment", "收款与缴费", "Payments"),
    ("other", "其他事项", "Other details"),
)


@dataclass(frozen=True)
class F:
    """A library field. `element` binds it to a shared data element ("<database>.<key>");
    fields bound to one element are merged into one. auto and system fields need an element;
    choose fields offer the values of `history` elements found in the applicant's records,
    besides what the applicant entered in earlier applications."""

    code: str
    label: str
    label_en: str
    widget: str
    fill: str
    section: str
    element: str = ""
    options: tuple[tuple[str, str, str], ...] = ()  # (value, 中文, English); else the element's
    hint: str = ""
    hint_en: str = ""
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    history: tuple[str, ...] = ()
    applicant: str = ""  # person | enterprise: shown only to that kind of applicant


@dataclass(frozen=True)
class R:
    """A pre-check rule over fields (by field code). Parameters by kind:
    required_if (target, when): `equals` = the value (or a tuple of values) of `when`;
    date_order (earlier, later); not_future (date); not_past (date); not_greater (a, b): a ≤ b;
    registry_person (name, id_number): the name matches the population record of the number;
    record_valid (number): `database` and `key` locate the applicant's record holding that
    number, which must be current (valid_until not passed, status valid);
    scope_keywords (scope): `keywords` = ((keyword, item key), …): a scope naming the keyword
    needs the item too."""

    kind: str
    fields: tuple[str, ...]
    severity: str = "block"
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MaterialSource:
    """Where the platform finds a catalogue material itself: the applicant's records in
    `database`, those whose data match `where`."""

    database: str
    where: tuple[tuple[str, str], ...] = ()
