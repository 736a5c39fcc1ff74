"""The demo form building blocks, checked without a database: every code, element, reference,
rule and material source is well formed, and every demo scenario's form mostly fills itself."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest

from yiwang.catalog.demo_materials import MATERIALS
from yiwang.catalog.demo_plan import BY_KEY
from yiwang.catalog.demo_scenarios import DEMO_COUNT, SCENARIOS
from yiwang.catalog.demo_spec import parse_material
from yiwang.forms.demo_fields import (
    APPLICANT,
    BY_CODE,
    ITEM_FIELDS,
    ITEM_RULES,
    LIBRARY,
    MATERIAL_SOURCES,
    design_rate,
    parse_ref,
    scenario_fields,
)
from yiwang.forms.spec import CHOICE_WIDGETS, FILLS, RULE_KINDS, SECTIONS, SEVERITIES, WIDGETS, F
from yiwang.registry.demo_catalog import DATABASES, E

ELEMENTS: dict[str, E] = {f"{db.code}.{e.key}": e for db in DATABASES for e in db.elements}
DATABASE_CODES = {db.code for db in DATABASES}
KINDS = ("new", "change", "renew", "cancel")
# What a platform-filled value of each element type must be shown with. Boolean elements are
# absent on purpose: records hold True/False, while a yesno field's schema takes "yes"/"no".
WIDGETS_FOR_TYPE = {
    "string": {"text"},
    "text": {"text", "textarea"},
    "date": {"date"},
    "number": {"number"},
    "money": {"number"},
    "code": {"choice"},
    "region": {"region"},
    "address": {"address"},
    "id_number": {"id_number"},
    "credit_code": {"credit_code"},
    "mobile": {"mobile"},
}
# Identity the signed-in account holds itself (prefill.Applicant.account_value).
ACCOUNT_SUFFIXES = ("name", "id_number", "mobile")


def demo_item_keys() -> set[str]:
    """Straight from the scenarios, so the check does not lean on demo_fields' own walk."""
    keys: set[str] = set()
    for sc in SCENARIOS[:DEMO_COUNT]:
        refs = [*sc.base, *(ref for q in sc.questions for c in q.choices for ref in c.items)]
        keys |= {ref.partition(":")[0] for ref in refs}
    return keys


def refs_for(key: str, kind: str) -> list[str]:
    return [r for r in ITEM_FIELDS[key] if not parse_ref(r)[2] or kind in parse_ref(r)[2]]


def options_of(f: F) -> set[str]:
    if f.widget == "yesno":
        return {"yes", "no"}
    own = f.options or (ELEMENTS[f.element].options if f.element else ())
    return {value for value, _, _ in own}


APPLICANT_CODES = {parse_ref(r)[0] for refs in APPLICANT.values() for r in refs}


def test_field_codes_are_unique_and_readable() -> None:
    counts = Counter(f.code for f in LIBRARY)
    assert [c for c, n in counts.items() if n > 1] == []
    for f in LIBRARY:
        assert re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+", f.code), f.code
        assert f.label and f.label_en, f.code
    assert 150 <= len(LIBRARY) <= 400


def test_widgets_fills_and_sections_are_known() -> None:
    sections = {key for key, _, _ in SECTIONS}
    for f in LIBRARY:
        assert f.widget in WIDGETS, f.code
        assert f.fill in FILLS, f.code
        assert f.section in sections, f.code
        assert f.applicant in ("", "person", "enterprise"), f.code
        values = [value for value, _, _ in f.options]
        assert len(values) == len(set(values)), f.code
        assert all(zh and en for _, zh, en in f.options), f.code
        if f.fill == "choice":
            assert f.widget in CHOICE_WIDGETS, f"{f.code}: answered by picking needs a picker"
        if f.minimum is not None and f.maximum is not None:
            assert f.minimum < f.maximum, f.code


def test_platform_fields_name_existing_elements() -> None:
    for f in LIBRARY:
        for element in (f.element, *f.history):
            if element:
                assert element in ELEMENTS, f"{f.code}: no element {element}"
        if f.fill in ("auto", "system") and not f.element:
            # Only identity the account itself holds may go without an element.
            assert f.fill == "auto", f.code
            assert f.code.split(".")[0] in ("person", "agent"), f.code
            assert f.code.rsplit(".", 1)[-1] in ACCOUNT_SUFFIXES, f.code
        if f.fill == "choose":
            assert f.element or f.history or f.widget in ("address", "text"), f.code


def test_platform_values_fit_the_widget() -> None:
    for f in LIBRARY:
        if f.fill not in ("auto", "system", "choose"):
            continue
        for element in (f.element, *f.history):
            if element:
                kind = ELEMENTS[element].type
                assert f.widget in WIDGETS_FOR_TYPE.get(kind, set()), (
                    f"{f.code}: a {kind} value cannot fill a {f.widget}"
                )


def test_choice_fields_have_options() -> None:
    for f in LIBRARY:
        if f.widget in ("choice", "multichoice") and not f.options:
            assert f.element, f"{f.code}: a choice with nothing to choose from"
            assert ELEMENTS[f.element].type == "code", f.code
            assert ELEMENTS[f.element].options, f.code


def test_each_element_has_one_field() -> None:
    by_element: dict[str, list[str]] = defaultdict(list)
    for f in LIBRARY:
        if f.element:
            by_element[f.element].append(f.code)
    assert {e: codes for e, codes in by_element.items() if len(codes) > 1} == {}


def test_applicant_sets_resolve() -> None:
    assert set(APPLICANT) == {"person", "enterprise"}
    for applicant, refs in APPLICANT.items():
        for ref in refs:
            code, _, kinds = parse_ref(ref)
            assert code in BY_CODE, ref
            assert kinds == (), f"{ref}: identity is asked on every kind"
            f = BY_CODE[code]
            assert f.applicant == applicant, ref
            assert f.fill == "auto", ref
    assert {"agent.name", "agent.id_number", "agent.mobile"} <= {
        parse_ref(r)[0] for r in APPLICANT["enterprise"]
    }
    assert BY_CODE["person.id_number"].widget == "id_number"
    assert BY_CODE["person.id_number"].element == ""


def test_every_demo_item_has_fields() -> None:
    keys = demo_item_keys()
    assert len(keys) == 66
    assert keys <= set(ITEM_FIELDS), sorted(keys - set(ITEM_FIELDS))
    assert set(ITEM_FIELDS) <= set(BY_KEY)
    assert set(ITEM_RULES) <= set(ITEM_FIELDS)


@pytest.mark.parametrize("key", sorted(ITEM_FIELDS))
def test_item_references_resolve(key: str) -> None:
    item_kinds = BY_KEY[key].kind_list()
    asked: dict[str, list[set[str]]] = defaultdict(list)
    for ref in ITEM_FIELDS[key]:
        code, _, kinds = parse_ref(ref)
        assert code in BY_CODE, f"{key}: {ref}"
        assert code not in APPLICANT_CODES, f"{key}: {ref} is asked of every applicant already"
        assert re.fullmatch(r"[a-z0-9_.]+\??(@[a-z]+)*", ref), f"{key}: {ref}"
        for kind in kinds:
            assert kind in KINDS, f"{key}: {ref}"
            assert kind in item_kinds, f"{key} has no {kind} handling: {ref}"
        asked[code].append(set(kinds or item_kinds))
    for code, kind_sets in asked.items():
        # A field may be listed twice (required for one kind, optional for another), never
        # twice for the same kind.
        seen: set[str] = set()
        for kinds in kind_sets:
            assert not (seen & kinds), f"{key}: {code} listed twice for {seen & kinds}"
            seen |= kinds
    for kind in item_kinds:
        n = len(refs_for(key, kind))
        assert 3 <= n <= 12, f"{key} asks {n} fields on {kind}"


def rule_items() -> list[tuple[str, int]]:
    return [(key, n) for key, rules in sorted(ITEM_RULES.items()) for n in range(len(rules))]


@pytest.mark.parametrize(("key", "n"), rule_items())
def test_rules_are_well_formed(key: str, n: int) -> None:
    rule = ITEM_RULES[key][n]
    where = f"{key} rule {n} ({rule.kind})"
    assert rule.kind in RULE_KINDS, where
    assert rule.severity in SEVERITIES, where
    item_codes = {parse_ref(r)[0] for r in ITEM_FIELDS[key]}
    for code in rule.fields:
        assert code in item_codes | APPLICANT_CODES, f"{where}: {code} is not asked by {key}"
    # The rule applies only where all its fields are shown: some kind must show them all.
    assert any(
        set(rule.fields) - APPLICANT_CODES <= {parse_ref(r)[0] for r in refs_for(key, kind)}
        for kind in BY_KEY[key].kind_list()
    ), f"{where}: its fields are never asked together"
    fields = [BY_CODE[c] for c in rule.fields]
    widgets = [f.widget for f in fields]
    params = rule.params
    if rule.kind == "required_if":
        assert len(fields) == 2, where
        assert set(params) == {"equals"}, where
        equals = params["equals"]
        values = equals if isinstance(equals, tuple) else (equals,)
        assert values and all(isinstance(v, str) for v in values), where
        assert set(values) <= options_of(fields[1]), f"{where}: {values} cannot be answered"
    elif rule.kind in ("date_order", "not_greater"):
        assert len(fields) == 2 and params == {}, where
        expected = "date" if rule.kind == "date_order" else "number"
        assert widgets == [expected, expected], where
    elif rule.kind in ("not_future", "not_past"):
        assert len(fields) == 1 and params == {} and widgets == ["date"], where
    elif rule.kind == "registry_person":
        assert widgets == ["text", "id_number"] and params == {}, where
    elif rule.kind == "record_valid":
        assert len(fields) == 1 and widgets == ["text"], where
        assert set(params) == {"database", "key"}, where
        assert params["database"] in DATABASE_CODES, where
        assert f"{params['database']}.{params['key']}" in ELEMENTS, where
    elif rule.kind == "scope_keywords":
        assert len(fields) == 1 and widgets[0] in ("multichoice", "choice", "textarea"), where
        assert set(params) == {"keywords"}, where
        labels = " ".join(zh for _, zh, _ in fields[0].options)
        for keyword, item in params["keywords"]:
            assert item in BY_KEY, f"{where}: no item {item}"
            assert keyword in labels, f"{where}: no option says {keyword}"


def test_rules_cover_every_kind() -> None:
    kinds = Counter(r.kind for rules in ITEM_RULES.values() for r in rules)
    assert set(kinds) == set(RULE_KINDS)
    assert sum(kinds.values()) >= 25


def test_material_sources_name_existing_data() -> None:
    used = {parse_material(m)[0] for key in demo_item_keys() for m in BY_KEY[key].materials}
    for name, source in MATERIAL_SOURCES.items():
        assert name in MATERIALS, name
        assert MATERIALS[name][1] in ("licence", "shared"), f"{name} is uploaded"
        assert name in used, f"{name} is not asked by any demo item"
        assert source.database in DATABASE_CODES, name
        for key, value in source.where:
            element = ELEMENTS.get(f"{source.database}.{key}")
            assert element is not None, f"{name}: {source.database} has no {key}"
            assert element.type != "boolean", f"{name}: records hold True/False, not text"
            if element.type == "code":
                assert value in {v for v, _, _ in element.options}, f"{name}: {key}={value}"


def test_design_fill_free_rate() -> None:
    rows = []
    for sc in SCENARIOS[:DEMO_COUNT]:
        free, total = design_rate(sc)
        assert total == len(scenario_fields(sc)) > 0
        rows.append((sc.code, sc.name, free, total, free / total))
    print()
    print(f"{'scenario':<28} {'free':>5} {'total':>5} {'rate':>6}")
    for code, name, free, total, rate in rows:
        print(f"{code:<28} {free:>5} {total:>5} {rate:>6.1%}  {name}")
    average = sum(r[4] for r in rows) / len(rows)
    print(f"{'average':<28} {'':>5} {'':>5} {average:>6.1%}")
    assert [r[0] for r in rows if r[4] < 0.70] == []
    assert average >= 0.75


def test_design_rate_counts_each_element_once() -> None:
    newborn = next(sc for sc in SCENARIOS if sc.code == "newborn")
    fields = scenario_fields(newborn)
    keys = [f.element or f.code for f in fields]
    assert len(keys) == len(set(keys))
    # Person applicants only: no enterprise identity, and the baby's name must be typed.
    codes = {f.code for f in fields}
    assert "person.id_number" in codes and "ent.name" not in codes
    assert BY_CODE["child.name"].fill == "input" and "child.name" in codes


def test_pe_scenarios_count_both_applicants() -> None:
    restaurant = next(sc for sc in SCENARIOS if sc.code == "open-restaurant")
    codes = {f.code for f in scenario_fields(restaurant)}
    assert {"person.name", "ent.name", "agent.name"} <= codes
    # Cancel-only fields are not on a path that only opens a business.
    assert "cancel.reason" not in codes
