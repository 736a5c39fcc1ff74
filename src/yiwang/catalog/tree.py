"""Question trees of scenarios: validation and walking. Pure functions over plain dicts.

A tree::

    {"start": "q1",
     "questions": {"q1": {"text": "…", "text_en": "…",
                          "choices": [{"label": "…", "label_en": "…", "next": "q2"},
                                      {"label": "…", "label_en": "…", "outcome": "o1"}]}},
     "outcomes": {"o1": {"label": "…", "label_en": "…", "case_type": "new",
                         "items": ["<handling item code>", …]}}}

Question order is the order of the "questions" mapping (editors reorder by rewriting it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from yiwang.kit.errors import AppError, Invalid
from yiwang.kit.i18n import N_

CASE_TYPES = ("new", "change", "renew", "cancel")


def _invalid(msg: str, question: str | None = None, **params: Any) -> Invalid:
    field = f"questions.{question}" if question else "tree"
    return Invalid(msg, field=field, error_code="bad_tree", question=question or "", **params)


def validate(tree: Mapping[str, Any], known_items: Iterable[str] | None = None) -> list[AppError]:
    """Every error at once, each naming its question: dangling targets, loops, dead ends,
    unreachable questions, outcomes without items or with unknown ones."""
    errors: list[AppError] = []
    questions = tree.get("questions")
    outcomes = tree.get("outcomes")
    if not isinstance(questions, Mapping) or not questions:
        return [_invalid(N_("The tree needs at least one question."))]
    if not isinstance(outcomes, Mapping) or not outcomes:
        return [_invalid(N_("The tree needs at least one outcome."))]
    start = tree.get("start")
    if start not in questions:
        errors.append(
            _invalid(N_("The first question {question} does not exist."), str(start or ""))
        )
    items = set(known_items) if known_items is not None else None
    for qid, q in questions.items():
        if not str(q.get("text", "")).strip():
            errors.append(_invalid(N_("Question {question} has no text."), qid))
        choices = q.get("choices") or []
        if len(choices) < 2:
            errors.append(_invalid(N_("Question {question} needs at least two choices."), qid))
        for c in choices:
            if not str(c.get("label", "")).strip():
                errors.append(_invalid(N_("A choice of question {question} has no label."), qid))
            nxt, out = c.get("next"), c.get("outcome")
            if bool(nxt) == bool(out):
                errors.append(_invalid(N_("A choice of question {question} leads nowhere."), qid))
            elif nxt and nxt not in questions:
                errors.append(
                    _invalid(
                        N_("Question {question} leads to question {target}, which does not exist."),
                        qid,
                        target=str(nxt),
                    )
                )
            elif out and out not in outcomes:
                errors.append(
                    _invalid(
                        N_("Question {question} leads to outcome {target}, which does not exist."),
                        qid,
                        target=str(out),
                    )
                )
    for oid, o in outcomes.items():
        codes = o.get("items") or []
        if not codes:
            errors.append(
                _invalid(N_("Outcome {target} lists no handling items."), None, target=oid)
            )
        if o.get("case_type", "new") not in CASE_TYPES:
            errors.append(
                _invalid(N_("Outcome {target} has an unknown case type."), None, target=oid)
            )
        if items is not None:
            for code in codes:
                if code not in items:
                    errors.append(
                        _invalid(
                            N_("Outcome {target} names unknown item {item}."),
                            None,
                            target=oid,
                            item=str(code),
                        )
                    )
    if errors:
        return errors
    errors += _loops_and_reach(tree)
    return errors


def _loops_and_reach(tree: Mapping[str, Any]) -> list[AppError]:
    questions = tree["questions"]
    errors: list[AppError] = []
    state: dict[str, str] = {}  # visiting | done

    def visit(qid: str) -> None:
        state[qid] = "visiting"
        for c in questions[qid]["choices"]:
            nxt = c.get("next")
            if not nxt:
                continue
            if state.get(nxt) == "visiting":
                errors.append(
                    _invalid(
                        N_("Question {question} loops back to question {target}."), qid, target=nxt
                    )
                )
            elif nxt not in state:
                visit(nxt)
        state[qid] = "done"

    visit(tree["start"])
    for qid in questions:
        if qid not in state:
            errors.append(
                _invalid(N_("Question {question} cannot be reached from the start."), qid)
            )
    return errors


@dataclass(frozen=True)
class Walk:
    """Where the answers lead: the next question, or the outcome; and the steps taken as
    (question, chosen choice, the answers before it) for "change this answer" links."""

    question_id: str | None
    outcome_id: str | None
    steps: list[tuple[Mapping[str, Any], Mapping[str, Any], list[int]]]


def walk(tree: Mapping[str, Any], answers: list[int]) -> Walk:
    """Follow the chosen choice indexes from the start. Raises Invalid naming the answer's
    position when an index is out of range or answers go on past an outcome."""
    qid: str = tree["start"]
    steps: list[tuple[Mapping[str, Any], Mapping[str, Any], list[int]]] = []
    for n, index in enumerate(answers):
        question = tree["questions"][qid]
        choices = question["choices"]
        if not 0 <= index < len(choices):
            raise Invalid(
                N_("Please choose one of the answers."), field=f"q{n}", error_code="bad_answer"
            )
        choice = choices[index]
        steps.append((question, choice, answers[:n]))
        if choice.get("outcome"):
            if n != len(answers) - 1:
                raise Invalid(
                    N_("Please choose one of the answers."),
                    field=f"q{n + 1}",
                    error_code="bad_answer",
                )
            return Walk(None, str(choice["outcome"]), steps)
        qid = str(choice["next"])
    return Walk(qid, None, steps)


def all_items(tree: Mapping[str, Any]) -> set[str]:
    return {code for o in tree.get("outcomes", {}).values() for code in o.get("items", [])}
