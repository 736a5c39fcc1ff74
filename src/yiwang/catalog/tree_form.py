"""The scenario editor's form: flat fields ↔ a question tree. Works without JavaScript: the page
always offers one blank question, blank choices and one blank outcome to fill in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.datastructures import FormData

BLANK_CHOICES = 2


def _get(form: FormData, key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


def parse(form: FormData) -> dict[str, Any]:
    """Blank rows are ignored; questions are ordered by their position field, the first is the
    start. Targets are "q:<id>" or "o:<id>"."""
    questions: list[tuple[float, str, dict[str, Any]]] = []
    n = 0
    while f"q-{n}-id" in form:
        qid = _get(form, f"q-{n}-id")
        text = _get(form, f"q-{n}-text")
        choices = []
        m = 0
        while f"q-{n}-c-{m}-label" in form:
            label, target = _get(form, f"q-{n}-c-{m}-label"), _get(form, f"q-{n}-c-{m}-target")
            if label or target:
                choice: dict[str, Any] = {
                    "label": label,
                    "label_en": _get(form, f"q-{n}-c-{m}-label_en"),
                }
                kind, _, ref = target.partition(":")
                choice["next" if kind == "q" else "outcome"] = ref
                choices.append(choice)
            m += 1
        if qid or text or choices:
            try:
                pos = float(_get(form, f"q-{n}-pos") or n)
            except ValueError:
                pos = float(n)
            questions.append(
                (
                    pos,
                    qid,
                    {"text": text, "text_en": _get(form, f"q-{n}-text_en"), "choices": choices},
                )
            )
        n += 1
    questions.sort(key=lambda t: t[0])
    outcomes: dict[str, Any] = {}
    k = 0
    while f"o-{k}-id" in form:
        oid = _get(form, f"o-{k}-id")
        items = [c for c in _get(form, f"o-{k}-items").replace(",", "\n").split() if c]
        if oid or items:
            outcomes[oid] = {
                "label": _get(form, f"o-{k}-label"),
                "label_en": _get(form, f"o-{k}-label_en"),
                "case_type": _get(form, f"o-{k}-case_type") or "new",
                "items": items,
            }
        k += 1
    return {
        "start": questions[0][1] if questions else "",
        "questions": {qid: q for _, qid, q in questions},
        "outcomes": outcomes,
    }


def rows(tree: Mapping[str, Any]) -> dict[str, Any]:
    """What the editor template iterates over, with the blank rows appended."""
    qs = []
    for qid, q in tree.get("questions", {}).items():
        choices = [
            {
                "label": c.get("label", ""),
                "label_en": c.get("label_en", ""),
                "target": f"q:{c['next']}" if c.get("next") else f"o:{c.get('outcome', '')}",
            }
            for c in q.get("choices", [])
        ]
        choices += [{"label": "", "label_en": "", "target": ""}] * BLANK_CHOICES
        qs.append(
            {
                "id": qid,
                "text": q.get("text", ""),
                "text_en": q.get("text_en", ""),
                "choices": choices,
            }
        )
    qs.append(
        {
            "id": "",
            "text": "",
            "text_en": "",
            "choices": [{"label": "", "label_en": "", "target": ""}] * (BLANK_CHOICES + 1),
        }
    )
    outs = [
        {
            "id": oid,
            "label": o.get("label", ""),
            "label_en": o.get("label_en", ""),
            "case_type": o.get("case_type", "new"),
            "codes": "\n".join(o.get("items", [])),
        }
        for oid, o in tree.get("outcomes", {}).items()
    ]
    outs.append({"id": "", "label": "", "label_en": "", "case_type": "new", "codes": ""})
    targets = [f"q:{qid}" for qid in tree.get("questions", {})] + [
        f"o:{oid}" for oid in tree.get("outcomes", {})
    ]
    return {"questions": qs, "outcomes": outs, "targets": targets}


def paths(tree: Mapping[str, Any], limit: int = 200) -> list[tuple[list[tuple[str, str]], str]]:
    """Every path from the start to an outcome, as (question text, choice label) pairs: the
    preview shows an editor all the ways a citizen can go."""
    out: list[tuple[list[tuple[str, str]], str]] = []
    questions = tree.get("questions", {})

    def go(qid: str, trail: list[tuple[str, str]], seen: frozenset[str]) -> None:
        if len(out) >= limit or qid not in questions or qid in seen:
            return
        q = questions[qid]
        for c in q.get("choices", []):
            step = [*trail, (q.get("text", ""), c.get("label", ""))]
            if c.get("outcome"):
                out.append((step, c["outcome"]))
            elif c.get("next"):
                go(c["next"], step, seen | {qid})

    go(str(tree.get("start", "")), [], frozenset())
    return out
