"""Question trees for the demo scenarios, written as a list of questions and expanded into the
format of catalog.tree: one path per combination of answers, so every outcome lists exactly the
handling items its answers called for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class C:
    """A choice: the items it adds ("key" for 新办, "key:cancel" …), and where it goes."""

    label: str
    label_en: str
    items: tuple[str, ...] = ()
    case: str | None = None
    end: bool = False  # go straight to an outcome
    skip: tuple[str, ...] = ()  # question keys not to ask on this path


@dataclass(frozen=True)
class Q:
    key: str
    text: str
    text_en: str
    choices: tuple[C, ...]


@dataclass(frozen=True)
class Sc:
    code: str
    name: str
    name_en: str
    summary: str
    summary_en: str
    domain: str
    who: str
    questions: tuple[Q, ...]
    base: tuple[str, ...] = ()  # items every outcome includes
    case: str = "new"


def yes_no(key: str, text: str, text_en: str, *items: str, skip: tuple[str, ...] = ()) -> Q:
    return Q(key, text, text_en, (C("是", "Yes", items), C("否", "No", (), skip=skip)))


def build(sc: Sc, resolve: Callable[[str], str]) -> dict[str, Any]:
    """The tree of a scenario; resolve turns an item reference into a handling item code."""
    questions: dict[str, Any] = {}
    outcomes: dict[str, Any] = {}

    def outcome(items: tuple[str, ...], case: str, labels: list[tuple[str, str]]) -> str:
        oid = f"o{len(outcomes) + 1}"
        codes = list(dict.fromkeys(resolve(ref) for ref in (*sc.base, *items)))
        outcomes[oid] = {
            "label": "；".join(zh for zh, _ in labels),
            "label_en": "; ".join(en for _, en in labels),
            "case_type": case,
            "items": codes,
        }
        return oid

    def ask(
        index: int,
        items: tuple[str, ...],
        case: str,
        labels: list[tuple[str, str]],
        skip: frozenset[str],
    ) -> tuple[str, str]:
        while index < len(sc.questions) and sc.questions[index].key in skip:
            index += 1
        if index == len(sc.questions):
            return "outcome", outcome(items, case, labels)
        q = sc.questions[index]
        qid = f"q{len(questions) + 1}"
        questions[qid] = {}  # reserve the place: the start stays first
        choices = []
        for c in q.choices:
            path = (items + c.items, c.case or case, [*labels, (c.label, c.label_en)])
            if c.end:
                target = ("outcome", outcome(*path))
            else:
                target = ask(index + 1, *path, skip | set(c.skip))
            choices.append({"label": c.label, "label_en": c.label_en, target[0]: target[1]})
        questions[qid] = {"text": q.text, "text_en": q.text_en, "choices": choices}
        return "next", qid

    start = ask(0, (), sc.case, [], frozenset())
    return {"start": start[1], "questions": questions, "outcomes": outcomes}


SUBJECT = Q(
    "subject",
    "您是否已经办理营业执照？",
    "Do you already have a business licence?",
    (
        C(
            "还没有，登记为个体工商户",
            "Not yet: register as an individual business",
            ("individual",),
        ),
        C("还没有，设立有限责任公司", "Not yet: set up a limited company", ("llc",)),
        C("已经有营业执照", "Yes, I have one"),
    ),
)
SIGN = Q(
    "sign",
    "是否在门头设置户外招牌？",
    "Will you put up a shop sign?",
    (C("设置", "Yes", ("shop_sign",)), C("不设置", "No")),
)


def open_shop(
    code: str,
    name: str,
    name_en: str,
    domain: str,
    licences: tuple[str, ...],
    *extra: Q,
    sign: bool = True,
    subject: Q = SUBJECT,
) -> Sc:
    """The 一业一证 pattern: business licence if needed, the trade's permits, optional extras."""
    trade = name.removeprefix("开办").removesuffix("一件事")
    return Sc(
        code,
        name,
        name_en,
        f"开办{trade}涉及的营业执照和行业许可一次告知、一表申请、一窗受理、并联审批，办结后统一发放。",
        f"{name_en}: the business licence and the trade's permits are requested with one form at "
        "one window, reviewed in parallel and delivered together.",
        domain,
        "pe",
        (subject, *extra, *((SIGN,) if sign else ())),
        base=licences,
    )
