"""Tests of yiwang.kit.tabular and yiwang.kit.columns: files in and out, cells checked by row
and column, without any database."""

from __future__ import annotations

import json
from typing import Any

import pytest

from yiwang.kit import columns as c
from yiwang.kit import identifiers
from yiwang.kit.columns import Bad, Column
from yiwang.kit.tabular import (
    BOM,
    ImportReport,
    Parsed,
    Record,
    RowError,
    TableKind,
    check_unique,
    decode,
    parse,
    parse_objects,
    read,
    write_csv,
    write_json,
)


async def _never(*_args: Any) -> Any:
    raise AssertionError("not called in these tests")


KIND = TableKind(
    "things",
    "Things",
    (
        Column("code", c.code(10), required=True),
        Column("name", c.text(8), required=True),
        Column("region", c.region_code()),
        Column("count", c.integer(0, 9), default=1),
        Column("tags", c.choice("a", "b"), many=True, default=[]),
        Column("mon", c.hours(), default=[]),
    ),
    _never,
    _never,
    _never,
    nested=frozenset({"parts"}),
)
HEADER = "code,name,region,count,tags,mon\r\n"


def _csv(*rows: str, header: str = HEADER, encoding: str = "utf-8", bom: bool = False) -> bytes:
    text = header + "".join(r + "\r\n" for r in rows)
    return (BOM if bom else "").encode(encoding) + text.encode(encoding)


def _rows(data: bytes, fmt: str = "csv") -> tuple[ImportReport, list[Parsed]]:
    report = ImportReport("things")
    records = read(data, fmt, KIND, report)
    parsed = [parse(r, KIND, report) for r in records]
    return report, parsed


def _where(report: ImportReport) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.code) for e in report.sorted_errors()]


@pytest.mark.parametrize(
    ("encoding", "bom"), [("utf-8", True), ("utf-8", False), ("gb18030", False)]
)
def test_csv_in_utf8_with_and_without_bom_and_in_gb18030(encoding: str, bom: bool) -> None:
    data = _csv("A1,市南中心,370202,3,a|b,09:00-12:00", encoding=encoding, bom=bom)
    report, parsed = _rows(data)
    assert report.ok, report.errors
    assert parsed[0].row == 2
    assert parsed[0].values == {
        "code": "A1",
        "name": "市南中心",
        "region": "370202",
        "count": 3,
        "tags": ["a", "b"],
        "mon": [["09:00", "12:00"]],
    }


def test_gb18030_is_tried_only_when_utf8_fails() -> None:
    assert decode("青岛".encode()) == "青岛"
    assert decode("青岛".encode("gb18030")) == "青岛"
    assert decode(BOM.encode() + b"x") == "x"


def test_bad_cell_is_reported_by_its_spreadsheet_row_and_column() -> None:
    good = "A{n},名称,370202,1,,"
    rows = [good.format(n=n) for n in range(5)] + ["A9,名称,379999,1,,"]
    report, parsed = _rows(_csv(*rows))
    # Header is row 1, so the sixth data row is row 7, as a spreadsheet shows it.
    assert _where(report) == [(7, "region", "id_unknown_region")]
    assert report.errors[0].text("zh_CN") == "行政区划代码 379999 不存在。"
    assert report.errors[0].text("en") == "Unknown region code 379999."
    # The row's good cells are still there for the domain's checks; the bad one is not.
    assert (
        len(parsed) == 6 and "region" not in parsed[5].values and parsed[5].values["code"] == "A9"
    )


def test_every_bad_cell_of_every_row_is_reported() -> None:
    data = _csv(
        "A1,名称太长了太长了太长了,37020,12,c,",
        ",ok,,x,,25:00-26:00",
        "A3,ok,,,,12:00-10:00",
    )
    report, parsed = _rows(data)
    assert _where(report) == [
        (2, "count", "bad_integer"),
        (2, "name", "too_long"),
        (2, "region", "id_bad_length"),
        (2, "tags", "bad_choice"),
        (3, "code", "required"),
        (3, "count", "bad_integer"),
        (3, "mon", "bad_hours"),
        (4, "mon", "bad_period"),
    ]
    assert [sorted(p.values) for p in parsed] == [
        ["code", "mon"],
        ["name", "region", "tags"],
        ["code", "count", "name", "region", "tags"],
    ]
    texts = {e.column: e.text("en") for e in report.errors if e.row == 2}
    assert texts["name"] == "At most 8 characters are allowed; 11 given."
    assert texts["region"] == "Wrong length: 6/9/12 characters expected, 5 given."


def test_header_problems_are_row_one() -> None:
    report, _ = _rows(_csv("A1,x,,,", header="code,nmae,code,count,tags\r\n"))
    assert _where(report) == [
        (1, "code", "invalid"),
        (1, "name", "invalid"),
        (1, "nmae", "invalid"),
    ]
    messages = {e.column: e.text("en") for e in report.errors}
    assert messages == {
        "code": "The column code appears twice.",
        "name": "The required column name is missing.",
        "nmae": "Unknown column nmae.",
    }


def test_blank_rows_are_skipped_but_counted_and_short_rows_are_padded() -> None:
    report, parsed = _rows(_csv("A1,x,,,", ",,,,,", "A2,y"))
    assert report.ok
    assert [(p.row, p.values["count"], p.values["tags"]) for p in parsed] == [
        (2, 1, []),
        (4, 1, []),
    ]


def test_long_row_and_empty_file() -> None:
    report, _ = _rows(_csv("A1,x,,,,,extra"))
    assert _where(report) == [(2, "", "extra")]
    report, _ = _rows(_csv())
    assert _where(report) == [(0, "", "empty")]


def test_undecodable_file() -> None:
    report, _ = _rows(b"\xff\xfe\x00\x81code")
    assert [e.code for e in report.errors] == ["encoding"]


def test_json_rows_are_counted_from_one_and_scalars_read_like_cells() -> None:
    doc = [
        {"code": "A1", "name": "一", "count": 2, "tags": ["a"], "mon": "09:00-12:00"},
        {"code": "A2", "name": "二", "count": 10, "region": 370202},
        "not an object",
        {"code": "A4", "name": "四", "colour": "red", "parts": [{"x": 1}]},
    ]
    report, parsed = _rows(json.dumps(doc, ensure_ascii=False).encode(), "json")
    assert _where(report) == [
        (2, "count", "bad_integer"),
        (3, "", "bad_json"),
        (4, "colour", "invalid"),
    ]
    assert parsed[0].values["count"] == 2 and parsed[0].values["tags"] == ["a"]
    # Nested values are handed to the domain untouched.
    assert parsed[0].row == 1


def test_json_document_with_rows_and_bad_json() -> None:
    report, parsed = _rows(json.dumps({"rows": [{"code": "A", "name": "n"}]}).encode(), "json")
    assert report.ok and parsed[0].values["code"] == "A"
    report, _ = _rows(b'[{"code": "A",]', "json")
    assert report.errors[0].code == "bad_json"
    assert report.errors[0].params["line"] == 1
    report, _ = _rows(b'{"code": "A"}', "json")
    assert report.errors[0].text("en") == "A JSON file holds a list of records."


def test_nested_objects_name_their_position() -> None:
    cols = (Column("name", c.text(5), required=True), Column("n", c.integer(0, 3), default=0))
    report = ImportReport("x")
    out = parse_objects(4, "parts", [{"name": "ok", "n": 1}, {"n": 7, "x": 1}], cols, report)
    assert out is None
    assert _where(report) == [
        (4, "parts[2].n", "bad_integer"),
        (4, "parts[2].name", "required"),
        (4, "parts[2].x", "invalid"),
    ]
    report = ImportReport("x")
    assert parse_objects(4, "parts", [{"name": "ok", "n": 1}], cols, report) == [
        {"name": "ok", "n": 1}
    ]
    assert parse_objects(4, "parts", "nope", cols, report) is None


def test_duplicates_point_at_the_first_row() -> None:
    report = ImportReport("x")
    rows = [Parsed(2, {"code": "A"}), Parsed(3, {"code": "B"}), Parsed(5, {"code": "A"})]
    check_unique(report, rows, lambda p: p.values["code"], "code")
    assert [(e.row, e.params) for e in report.errors] == [(5, {"row": 2})]
    assert report.errors[0].text("en") == (
        "This appears more than once in the file (first in row 2)."
    )


def test_csv_export_has_bom_crlf_lists_and_quoted_formulas() -> None:
    rows = [
        {"code": "A1", "name": "=1+1", "tags": ["a", "b"], "count": 3, "region": None},
        {"code": "A2", "name": "+86 532", "tags": [], "count": 0, "region": "370202"},
    ]
    data = write_csv(["code", "name", "region", "count", "tags"], rows)
    assert data.startswith(BOM.encode())
    text = data.decode("utf-8-sig")
    assert text.split("\r\n") == [
        "code,name,region,count,tags",
        "A1,'=1+1,,3,a|b",
        "A2,'+86 532,370202,0,",
        "",
    ]
    # The apostrophe that keeps Excel from running a formula comes off again on import, and
    # an empty column a spreadsheet added is no unknown column.
    report, parsed = _rows(data.replace(b"tags\r\n", b"tags,\r\n"))
    assert report.ok, report.errors
    assert [p.values["name"] for p in parsed] == ["=1+1", "+86 532"]


def test_json_export_keeps_chinese_readable() -> None:
    data = write_json([{"name": "青岛"}])
    assert "青岛" in data.decode("utf-8")


def test_report_round_trips_through_the_job_result() -> None:
    report = ImportReport("things", rows=3, inserted=1, updated=1, unchanged=1)
    report.add(7, "region", "Unknown region code {code}.", "id_unknown_region", code="379999")
    data = json.loads(json.dumps(report.to_dict()))
    back = ImportReport.from_dict(data)
    assert back.errors == [
        RowError(
            7, "region", "id_unknown_region", "Unknown region code {code}.", {"code": "379999"}
        )
    ]
    assert (back.rows, back.inserted, back.updated, back.unchanged) == (3, 1, 1, 1)
    assert data["error_count"] == 1


def test_region_codes_short_and_extended() -> None:
    parse_region = c.region_code()
    assert parse_region("370202") == "370202"
    assert parse_region("３７０２０２０１０") == "370202010"
    assert parse_region("370202010001") == "370202010001"
    with pytest.raises(Bad) as bad:
        parse_region("3702O2")
    assert (bad.value.code, bad.value.params) == ("id_bad_characters", {"position": 5})
    with pytest.raises(Bad) as bad:
        parse_region("999999000000")
    assert bad.value.code == "id_unknown_region"
    with pytest.raises(Bad):
        c.region_code((6,))("370202010")


def test_credit_code() -> None:
    body = "91370202" + "MA3C1234"
    body += identifiers.gb11714_check("MA3C1234")
    valid = body + identifiers.gb32100_check(body)
    assert c.credit_code()(valid.lower()) == valid
    wrong = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    with pytest.raises(Bad) as bad:
        c.credit_code()(wrong)
    assert bad.value.code == "id_bad_check_character"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("09:00-12:00,13:30-17:00", [["09:00", "12:00"], ["13:30", "17:00"]]),
        ("9:00 - 12:00，13:30～17:00", [["09:00", "12:00"], ["13:30", "17:00"]]),
        ("00:00-24:00", [["00:00", "24:00"]]),
    ],
)
def test_hours_accept_what_people_type(cell: str, expected: list[list[str]]) -> None:
    assert c.hours()(cell) == expected


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("9-12", "bad_hours"),
        ("09:00-12:60", "bad_hours"),
        ("12:00-09:00", "bad_period"),
        ("13:00-17:00,09:00-12:00", "overlap"),
        ("09:00-12:00,11:00-13:00", "overlap"),
        ("00:00-24:01", "bad_hours"),
    ],
)
def test_hours_reject_nonsense(cell: str, code: str) -> None:
    with pytest.raises(Bad) as bad:
        c.hours()(cell)
    assert bad.value.code == code


def test_lists_numbers_choices_and_booleans() -> None:
    tags = Column("tags", c.choice("person", "enterprise"), many=True, required=True)
    assert tags.read("person|enterprise") == ["person", "enterprise"]
    assert tags.read("Person；enterprise") == ["person", "enterprise"]
    assert tags.read(["person"]) == ["person"]
    with pytest.raises(Bad):
        tags.read(" | ")
    with pytest.raises(Bad):
        Column("n", c.integer(0, 3)).read(["1"])
    assert c.integer(0, 10)("７") == 7
    assert c.latitude()("36.0620") == pytest.approx(36.062)
    for bad_number in ("91", "nan", "x"):
        with pytest.raises(Bad):
            c.latitude()(bad_number)
    assert c.longitude()("-120.5") == -120.5
    assert [c.boolean()(v) for v in ("true", "是", "0", "No")] == [True, True, False, False]
    with pytest.raises(Bad):
        c.boolean()("maybe")
    with pytest.raises(Bad):
        c.code(10)("a b")
    with pytest.raises(Bad):
        c.url(50)("javascript:alert(1)")
    assert c.url(50)("https://qingdao.gov.cn/a.pdf") == "https://qingdao.gov.cn/a.pdf"


def test_record_missing_required_key_in_json() -> None:
    report = ImportReport("things")
    assert parse(Record(3, {"code": "A"}), KIND, report) == Parsed(3, {"code": "A"})
    assert _where(report) == [(3, "name", "required")]
