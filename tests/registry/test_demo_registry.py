"""The registry's demo data: the catalogue, the synthetic people and enterprises, and every record
they hold. Pure: generated in process with a stand-in for the keyed ID hash, no database."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from typing import Any

import pytest

from yiwang.accounts import demo as accounts_demo
from yiwang.accounts.reference import DEPARTMENTS
from yiwang.kit.identifiers import (
    check_mobile,
    check_region_code,
    check_resident_id,
    check_uscc,
    mask_id,
)
from yiwang.kit.timeutil import local_today
from yiwang.registry import demo_catalog, demo_enterprises, demo_people, demo_records
from yiwang.registry.demo_records import RecordRow

CATALOG = {db.code: db for db in demo_catalog.DATABASES}
ELEMENTS = {db.code: {e.key: e for e in db.elements} for db in demo_catalog.DATABASES}
ID_SHAPE = re.compile(r"(?=(\d{17}[\dX]))")
HEX64 = re.compile(r"[0-9a-f]{64}")
ZHANG_WEI, LI_NA = "13800000001", "13800000002"
# Statuses of records in good standing, across the databases.
CURRENT = ("valid", "married", "active", "normal", "A", "drawing", "employed", "self")


def fake_hash(number: str) -> str:
    return hashlib.sha256(number.encode()).hexdigest()


@pytest.fixture(scope="module")
def rows() -> list[RecordRow]:
    return list(demo_records.records(fake_hash))


@pytest.fixture(scope="module")
def by_subject(rows: list[RecordRow]) -> dict[str, list[RecordRow]]:
    found: dict[str, list[RecordRow]] = defaultdict(list)
    for row in rows:
        found[row.subject_key].append(row)
    return found


def person(login: str) -> demo_people.SynthPerson:
    return next(p for p in demo_people.people() if p.login == login)


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings(v)]
    return []


def test_the_catalogue_has_42_databases_and_290_elements() -> None:
    dbs = demo_catalog.DATABASES
    codes = [f"{db.code}.{e.key}" for db in dbs for e in db.elements]
    assert len(dbs) == 42
    assert len({db.code for db in dbs}) == 42
    assert len(codes) == 290
    assert len(set(codes)) == 290
    owners = {code for code, _, _ in DEPARTMENTS}
    for db in dbs:
        assert db.owner in owners, db.code
        assert db.subject in demo_catalog.SUBJECTS, db.code
        assert db.frequency in demo_catalog.FREQUENCY, db.code
        for e in db.elements:
            assert e.type in demo_catalog.VALUE_TYPES, (db.code, e.key)
            assert e.sensitivity in demo_catalog.SENSITIVITY, (db.code, e.key)
            assert bool(e.options) == (e.type == "code"), (db.code, e.key)


def test_people_are_many_with_valid_and_unique_identifiers() -> None:
    folks = demo_people.people()
    assert len(folks) >= 2000
    assert len({p.id_number for p in folks}) == len(folks)
    assert [p.index for p in folks] == list(range(len(folks)))
    for p in folks:
        check = check_resident_id(p.id_number)
        assert check.valid, (p.id_number, check.reason)
        assert p.gender == ("1" if int(p.id_number[16]) % 2 else "2"), p.id_number
        assert p.id_number[6:14] == p.birth_date.replace("-", "")
        assert p.id_number[:6] == p.birth_region
        assert 1940 <= p.born.year <= 2020
        assert check_mobile(p.mobile).valid, p.mobile
        assert p.address.startswith("青岛市"), p.address
        assert re.search(r"[号室]", p.address), p.address
        assert 2 <= len(p.name) <= 3, p.name
    regions = Counter(p.birth_region for p in folks)
    assert sum(n for region, n in regions.items() if not region.startswith("3702")) > 100


def test_enterprises_are_many_with_valid_and_unique_credit_codes() -> None:
    ents = demo_enterprises.enterprises()
    folks = demo_people.people()
    assert len(ents) >= 500
    assert len({e.credit_code for e in ents}) == len(ents)
    assert len({e.name for e in ents}) == len(ents)
    for e in ents:
        check = check_uscc(e.credit_code)
        assert check.valid, (e.credit_code, check.reason)
        assert e.credit_code[:2] == e.kind
        assert not folks[e.legal_rep].login or e.index < 2, e.name
    kinds = Counter(e.kind for e in ents)
    assert kinds["91"] > len(ents) / 2
    assert {"92", "93", "51", "52"} <= set(kinds)


def test_the_demo_people_are_among_them_as_the_accounts_demo_has_them() -> None:
    folks = {p.id_number: p for p in demo_people.people()}
    for login, name, region, birth, seq, *_ in accounts_demo.PEOPLE:
        p = folks[accounts_demo.resident_id(region, birth, seq)]
        assert (p.login, p.name, p.birth_region) == (login, name, region)
        assert p.birth_date.replace("-", "") == birth
        if login.isdigit():
            assert p.mobile == login


def test_the_demo_enterprises_are_among_them_with_their_representatives() -> None:
    ents = {e.credit_code: e for e in demo_enterprises.enterprises()}
    folks = demo_people.people()
    for demo in accounts_demo.ENTERPRISES:
        e = ents[demo.credit_code]
        assert e.name == demo.name
        assert folks[e.legal_rep].login == demo.legal_rep


def test_every_record_fits_its_database(rows: list[RecordRow]) -> None:
    seen: set[tuple[str, str, str]] = set()
    for row in rows:
        db, elements = CATALOG[row.database], ELEMENTS[row.database]
        where = (row.database, row.record_no, row.data)
        assert set(row.data) == set(elements), where
        assert row.grade == "A"
        assert (row.database, row.subject_key, row.record_no) not in seen, where
        seen.add((row.database, row.subject_key, row.record_no))
        keyed_by_person = bool(HEX64.fullmatch(row.subject_key))
        assert keyed_by_person or check_uscc(row.subject_key).valid, where
        assert db.subject == "any" or keyed_by_person == (db.subject == "person"), where
        for key, value in row.data.items():
            kind = elements[key].type
            if kind == "code":
                assert value == "" or value in {o[0] for o in elements[key].options}, (key, where)
            elif kind == "date":
                assert dt.date.fromisoformat(value), (key, where)
            elif kind == "region":
                assert value == "" or check_region_code(value).valid, (key, where)
            elif kind in ("number", "money"):
                assert isinstance(value, int | float) and not isinstance(value, bool), key
            elif kind == "boolean":
                assert isinstance(value, bool), (key, where)
            elif kind == "id_number":
                assert set(value) == {"masked", "hash"}, (key, where)
                assert HEX64.fullmatch(value["hash"]) and "*" in value["masked"], (key, where)
            elif kind == "credit_code":
                assert value == "" or check_uscc(value).valid, (key, where)
            elif kind == "mobile":
                assert check_mobile(value).valid, (key, where)
            else:
                assert isinstance(value, str), (key, where)


def test_only_validity_dates_lie_ahead(rows: list[RecordRow]) -> None:
    today = local_today().isoformat()
    ahead = {"valid_until", "term_until", "inspection_until", "due_date", "id_valid_until"}
    for row in rows:
        assert len(row.record_no) <= 60, row.record_no
        for key, value in row.data.items():
            if ELEMENTS[row.database][key].type == "date" and key not in ahead:
                assert value <= today, (row.database, key, value)


def test_no_record_holds_a_plain_id_number(rows: list[RecordRow]) -> None:
    for row in rows:
        for text in strings(row.data):
            for match in ID_SHAPE.finditer(text):
                assert not check_resident_id(match.group(1)).valid, (row.database, text)


def test_the_databases_are_covered_as_a_city_would_be(rows: list[RecordRow]) -> None:
    subjects: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        subjects[row.database].add(row.subject_key)
    assert set(subjects) == set(CATALOG)
    people = len(demo_people.people())
    for db in ("population", "household"):
        assert len(subjects[db]) == people
    for db, share in (
        ("social_insurance", 0.8),
        ("medical_insurance", 0.9),
        ("ss_card", 0.7),
        ("education", 0.6),
        ("real_estate", 0.45),
        ("driver_licence", 0.5),
        ("provident_fund", 0.55),
        ("vehicle", 0.4),
    ):
        held = [key for key in subjects[db] if HEX64.fullmatch(key)]
        assert abs(len(held) / people - share) < 0.12, db
    ents = demo_enterprises.enterprises()
    for db in ("legal_person", "public_credit", "bank_account", "annual_report"):
        assert len(subjects[db]) == len(ents), db
    owners = Counter(r.subject_key for r in rows if r.database == "real_estate")
    assert max(owners.values()) >= 2
    plates = [r.record_no for r in rows if r.database == "vehicle"]
    assert len(set(plates)) == len(plates)


def test_marriages_point_both_ways(rows: list[RecordRow]) -> None:
    married = {
        r.subject_key: r.data
        for r in rows
        if r.database == "marriage" and r.data["status"] == "married"
    }
    assert len(married) > 500
    for key, data in married.items():
        other = married[data["spouse_id"]["hash"]]
        assert other["spouse_id"]["hash"] == key
        assert other["certificate_no"] == data["certificate_no"]
        assert other["registration_date"] == data["registration_date"]


def test_birth_certificates_name_the_parents_child(rows: list[RecordRow]) -> None:
    folks = {fake_hash(p.id_number): p for p in demo_people.people()}
    births = [r for r in rows if r.database == "birth_medical"]
    assert births
    for row in births:
        parent = folks[row.subject_key]
        assert row.subject_key in (row.data["mother_id"]["hash"], row.data["father_id"]["hash"])
        kids = [demo_people.people()[c] for c in demo_people.children_of(parent.index)]
        assert (row.data["child_name"], row.data["birth_date"]) in {
            (k.name, k.birth_date) for k in kids
        }
        assert row.data["birth_date"][:4] in ("2019", "2020")


def test_e_licences_mirror_the_source_records(rows: list[RecordRow]) -> None:
    sources = {
        "driving": ("driver_licence", "file_no"),
        "food_business": ("food_licence", "licence_no"),
        "drug_retail": ("drug_licence", "licence_no"),
        "road_transport": ("road_transport", "licence_no"),
        "drainage": ("drainage_permit", "permit_no"),
        "marriage": ("marriage", "certificate_no"),
        "real_estate": ("real_estate", "certificate_no"),
        "ss_card": ("ss_card", "card_no"),
        "residence_permit": ("residence_permit", "permit_no"),
        "disability": ("disability", "certificate_no"),
        "vehicle_licence": ("vehicle", "plate_no"),
        "qualification": ("qualification", "certificate_no"),
        "household_booklet": ("household", "household_no"),
    }
    numbers: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        for db, field in sources.values():
            if row.database == db:
                numbers[(row.subject_key, db)].add(str(row.data[field]))
    masks = {fake_hash(p.id_number): mask_id(p.id_number) for p in demo_people.people()}
    licences = [r for r in rows if r.database == "e_licence"]
    for row in licences:
        kind, number = row.data["licence_type"], row.data["licence_no"]
        if kind == "business_licence":
            assert number == row.subject_key
        else:
            db, _ = sources[kind]
            assert number in numbers[(row.subject_key, db)], (kind, number)
        holder = masks.get(row.subject_key, row.subject_key)
        assert row.data["holder_code"] == holder
    market = [e for e in demo_enterprises.enterprises() if e.kind.startswith("9")]
    assert sum(r.data["licence_type"] == "business_licence" for r in licences) == len(market)


def test_some_licences_have_run_out(rows: list[RecordRow]) -> None:
    today = local_today().isoformat()
    expired = Counter(
        r.database
        for r in rows
        if "valid_until" in r.data and r.data["valid_until"] < today and r.database != "e_licence"
    )
    for db in ("driver_licence", "health_certificate", "residence_permit", "food_licence"):
        assert 1 <= expired[db] <= 10, (db, expired)
    for row in rows:
        if row.data.get("status") == "expired":
            assert row.data["valid_until"] < today, row


def test_the_demo_accounts_records_are_all_current(
    by_subject: dict[str, list[RecordRow]],
) -> None:
    today = local_today().isoformat()
    keys = [fake_hash(p.id_number) for p in demo_people.people() if p.login]
    keys += [e.credit_code for e in accounts_demo.ENTERPRISES]
    for key in keys:
        assert by_subject[key]
        for row in by_subject[key]:
            assert row.data.get("valid_until", today) >= today, row
            assert row.data.get("status", "valid") in CURRENT, row
            assert not row.data.get("seized") and not row.data.get("dishonest"), row


def test_the_demo_citizen_owns_his_restaurant_and_may_apply_for_its_food_licence(
    by_subject: dict[str, list[RecordRow]],
) -> None:
    zhang = by_subject[fake_hash(person(ZHANG_WEI).id_number)]
    estates = [r.data for r in zhang if r.database == "real_estate"]
    shop = next(d for d in estates if d["usage"] == "commercial")
    assert shop["region"] == "370202" and 80 <= shop["floor_area"] <= 90
    assert shop["location"].startswith("青岛市市南区")
    assert any(d["usage"] == "residential" for d in estates)
    assert [r for r in zhang if r.database == "health_certificate"]
    business = accounts_demo.ENTERPRISES[1]
    held = {r.database: r.data for r in by_subject[business.credit_code]}
    needed = {"legal_person", "tax_registration", "bank_account", "annual_report"}
    assert needed | {"public_credit", "e_licence"} <= set(held)
    assert "food_licence" not in held
    assert held["public_credit"]["credit_level"] == "A"
    assert held["legal_person"]["industry"] == "H62"
    assert held["legal_person"]["entity_type"] == "individual"
    assert held["legal_person"]["address"] == shop["location"]
    assert held["e_licence"]["licence_type"] == "business_licence"


def test_the_demo_company_is_complete(by_subject: dict[str, list[RecordRow]]) -> None:
    company = accounts_demo.ENTERPRISES[0]
    held = {r.database: r.data for r in by_subject[company.credit_code]}
    expected = {
        "legal_person",
        "public_credit",
        "tax_registration",
        "unit_insurance",
        "bank_account",
        "annual_report",
        "shareholders",
        "e_licence",
    }
    assert expected <= set(held)
    li_na = person(LI_NA)
    assert held["legal_person"]["legal_rep_name"] == li_na.name == "李娜"
    assert held["legal_person"]["legal_rep_id"]["hash"] == fake_hash(li_na.id_number)
    assert (held["legal_person"]["industry"], held["legal_person"]["entity_type"]) == (
        "I65",
        "llc",
    )


def test_the_food_safety_manager_works_in_the_restaurant_with_a_valid_certificate(
    by_subject: dict[str, list[RecordRow]],
) -> None:
    manager = demo_people.food_safety_manager()
    assert not manager.login and check_resident_id(manager.id_number).valid
    held = {r.database: r.data for r in by_subject[fake_hash(manager.id_number)]}
    assert held["health_certificate"]["valid_until"] >= local_today().isoformat()
    assert held["health_certificate"]["result"] == "fit"
    assert held["employment"]["employer_name"] == accounts_demo.ENTERPRISES[1].name
    assert held["population"]["name"] == manager.name


def test_generation_is_the_same_in_another_process(rows: list[RecordRow]) -> None:
    """Another interpreter with another string-hash seed: nothing may depend on set order."""
    script = (
        "import hashlib, json\n"
        "from yiwang.registry import demo_records\n"
        "h = lambda n: hashlib.sha256(n.encode()).hexdigest()\n"
        "rows = list(demo_records.records(h))\n"
        "print(hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    )
    here = hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()
    assert out.stdout.strip() == here
    assert list(demo_records.records(fake_hash)) == rows
