from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.catalog.small import TREE
from yiwang.catalog import tree
from yiwang.kit.errors import Invalid

KNOWN = {"T-FOOD-NEW", "T-FOOD-CANCEL", "T-WINE-NEW"}


def _fields(errors: list[Any]) -> list[str]:
    return [e.field for e in errors]


def test_a_good_tree_validates() -> None:
    assert tree.validate(TREE, KNOWN) == []


def test_a_loop_names_the_question() -> None:
    t = copy.deepcopy(TREE)
    t["questions"]["q2"]["choices"][1] = {"label": "否", "next": "q1"}
    errors = tree.validate(t, KNOWN)
    assert _fields(errors) == ["questions.q2"]
    assert errors[0].params["target"] == "q1"
    assert "q2" in errors[0].text() and "q1" in errors[0].text()


def test_a_path_that_ends_nowhere_names_the_question() -> None:
    t = copy.deepcopy(TREE)
    t["questions"]["q2"]["choices"][0] = {"label": "是", "next": "q9"}
    t["questions"]["q1"]["choices"][1] = {"label": "注销"}
    errors = tree.validate(t, KNOWN)
    assert sorted(_fields(errors)) == ["questions.q1", "questions.q2"]


def test_unreachable_question_and_unknown_item_are_reported() -> None:
    t = copy.deepcopy(TREE)
    t["questions"]["q3"] = {
        "text": "孤立",
        "choices": [{"label": "a", "outcome": "open"}, {"label": "b", "outcome": "close"}],
    }
    assert _fields(tree.validate(t, KNOWN)) == ["questions.q3"]
    t = copy.deepcopy(TREE)
    t["outcomes"]["open"]["items"] = ["NOPE"]
    errors = tree.validate(t, KNOWN)
    assert errors[0].params["item"] == "NOPE"


def test_walk_follows_answers() -> None:
    assert tree.walk(TREE, []).question_id == "q1"
    assert tree.walk(TREE, [0]).question_id == "q2"
    done = tree.walk(TREE, [0, 0])
    assert done.outcome_id == "open_alcohol" and len(done.steps) == 2
    assert tree.walk(TREE, [1]).outcome_id == "close"
    with pytest.raises(Invalid):
        tree.walk(TREE, [5])
    with pytest.raises(Invalid):
        tree.walk(TREE, [1, 0])


def test_editor_form_round_trip() -> None:
    from starlette.datastructures import FormData

    from yiwang.catalog import tree_form

    rows = tree_form.rows(TREE)
    fields: list[tuple[str, str]] = []
    for n, q in enumerate(rows["questions"]):
        fields += [
            (f"q-{n}-id", q["id"]),
            (f"q-{n}-pos", str(n + 1)),
            (f"q-{n}-text", q["text"]),
            (f"q-{n}-text_en", q["text_en"]),
        ]
        for m, c in enumerate(q["choices"]):
            fields += [
                (f"q-{n}-c-{m}-label", c["label"]),
                (f"q-{n}-c-{m}-label_en", c["label_en"]),
                (f"q-{n}-c-{m}-target", c["target"]),
            ]
    for k, o in enumerate(rows["outcomes"]):
        fields += [
            (f"o-{k}-id", o["id"]),
            (f"o-{k}-label", o["label"]),
            (f"o-{k}-label_en", o["label_en"]),
            (f"o-{k}-case_type", o["case_type"]),
            (f"o-{k}-items", o["codes"]),
        ]
    parsed = tree_form.parse(FormData(fields))
    assert parsed["start"] == "q1"
    for qid, q in TREE["questions"].items():
        got = parsed["questions"][qid]["choices"]
        assert [(c["label"], c.get("next"), c.get("outcome")) for c in got] == [
            (c["label"], c.get("next"), c.get("outcome")) for c in q["choices"]
        ]
    assert tree.validate(parsed, KNOWN) == []
    assert parsed["outcomes"]["open_alcohol"]["items"] == ["T-FOOD-NEW", "T-WINE-NEW"]
    assert len(tree_form.paths(parsed)) == 3
