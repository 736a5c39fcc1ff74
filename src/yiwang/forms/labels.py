"""What people read for the codes forms store: fills, trust grades, severities, purposes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from yiwang.forms.precheck import SEVERITY_LABELS
from yiwang.kit.i18n import N_, get_locale, gettext, localized

FILL_LABELS = {
    "auto": N_("Auto-filled"),
    "system": N_("Filled from shared data"),
    "choose": N_("Chosen from your records"),
    "choice": N_("Chosen"),
    "input": N_("Typed"),
}
GRADE_LABELS = {
    "A": N_("Grade A: issued by the authority"),
    "B": N_("Grade B: checked against the original"),
    "C": N_("Grade C: uploaded by the applicant"),
    "D": N_("Grade D: declared by the applicant"),
}
SOURCE_NAMES = {
    "account": N_("your verified account"),
    "application": N_("your earlier application"),
    "form": N_("this form, generated when you submit"),
}
PURPOSE_LABELS = {
    "prefill": N_("Filled into a form you started"),
    "submit": N_("Sent with your application"),
}
TEMPLATE_LABELS: dict[str, Any] = {
    "fills": FILL_LABELS,
    "grades": GRADE_LABELS,
    "source_names": SOURCE_NAMES,
    "severities": SEVERITY_LABELS,
    "purposes": PURPOSE_LABELS,
}


def display_value(options: list[list[str]], value: Any) -> str:
    """A stored value as people read it: option labels, 是/否, masked ID numbers."""
    if value is None or value == "":
        return ""
    if isinstance(value, Mapping):
        return str(value.get("masked", ""))
    if isinstance(value, bool):
        return gettext(N_("Yes") if value else N_("No"))
    names = {
        str(o[0]): localized({"name": o[1], "name_en": o[2] if len(o) > 2 else ""}) for o in options
    }
    if isinstance(value, list):
        sep = "、" if get_locale() == "zh_CN" else ", "
        return sep.join(names.get(str(v), str(v)) for v in value)
    if value in ("yes", "no") and not names:
        return gettext(N_("Yes") if value == "yes" else N_("No"))
    return names.get(str(value), str(value))


TEMPLATE_LABELS["display"] = display_value
