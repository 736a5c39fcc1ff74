"""Tables in and out of files: CSV (UTF-8 with BOM for spreadsheets, GB18030 tolerated) and
JSON, with every bad cell reported by row and column. No domain knowledge here: the domains
describe their columns with the parsers in `yiwang.kit.columns` and do the cross-row checks.

Row numbers are what a person sees: in a CSV file the header is row 1 (as a spreadsheet shows
it), in a JSON file the first record is row 1.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.kit.columns import Bad, Column
from yiwang.kit.i18n import N_, gettext, translate

FORMATS = ("csv", "json")
BOM = "\ufeff"
# Excel runs a cell that starts with one of these as a formula; exports quote them with an
# apostrophe, and imports take the apostrophe off again, so a round trip is exact.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RowError:
    row: int  # 0: the file as a whole
    column: str
    code: str
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, locale: str | None = None) -> str:
        if locale is None:
            return gettext(self.msgid, **self.params)
        return translate(locale, self.msgid, **self.params)

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "msgid": self.msgid,
            "params": self.params,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RowError:
        return cls(
            int(data["row"]),
            str(data["column"]),
            str(data["code"]),
            str(data["msgid"]),
            dict(data.get("params") or {}),
        )


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(
        self, row: int, column: str, msgid: str, code: str = "invalid", /, **params: Any
    ) -> None:
        # Positional-only: messages have parameters named row, column and code too.
        self.errors.append(RowError(row, column, code, msgid, params))

    def add_bad(self, row: int, column: str, bad: Bad) -> None:
        self.errors.append(RowError(row, column, bad.code, bad.msgid, bad.params))

    def sorted_errors(self) -> list[RowError]:
        return sorted(self.errors, key=lambda e: (e.row, e.column))

    def to_dict(self, max_errors: int = 2000) -> dict[str, Any]:
        """Results are stored on the job run: a file full of errors keeps the first ones only."""
        errors = self.sorted_errors()
        return {
            "kind": self.kind,
            "rows": self.rows,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error_count": len(errors),
            "errors": [e.to_dict() for e in errors[:max_errors]],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImportReport:
        return cls(
            kind=str(data.get("kind", "")),
            rows=int(data.get("rows", 0)),
            inserted=int(data.get("inserted", 0)),
            updated=int(data.get("updated", 0)),
            unchanged=int(data.get("unchanged", 0)),
            errors=[RowError.from_dict(e) for e in data.get("errors", [])],
        )


@dataclass(frozen=True)
class Record:
    """One row of a file before its cells are checked."""

    row: int
    cells: dict[str, Any]


@dataclass(frozen=True)
class Parsed:
    """One row whose cells passed their column checks: only the columns the file has."""

    row: int
    values: dict[str, Any]


Allowed = Callable[[str], bool]  # is this region code inside the importer's scope?


@dataclass(frozen=True)
class TableKind:
    """What a domain offers for one kind of record: its columns and how to check, apply and
    export it. `check` reads the database and may add errors but never writes; `apply` runs
    only when the whole file is clean and returns (inserted, updated, unchanged)."""

    name: str
    label: str  # a catalogue message id
    columns: tuple[Column, ...]
    check: Callable[[AsyncSession, list[Parsed], ImportReport, Allowed | None], Awaitable[Any]]
    apply: Callable[[AsyncSession, Any], Awaitable[tuple[int, int, int]]]
    export: Callable[[AsyncSession, str], Awaitable[list[dict[str, Any]]]]
    formats: tuple[str, ...] = FORMATS
    nested: frozenset[str] = frozenset()  # JSON-only keys holding lists of objects

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def decode(data: bytes) -> str | None:
    """UTF-8 with or without BOM; Excel on Chinese Windows saves GB18030 (a superset of GBK),
    which is tried only when UTF-8 fails, since UTF-8 is strict and rarely decodes by chance."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _unquote(value: str) -> str:
    if value[:1] == "'" and value[1:2] and value[1] in _FORMULA_START:
        return value[1:]
    return value


def read_csv(data: bytes, report: ImportReport) -> tuple[list[str], list[Record]]:
    text = decode(data)
    if text is None:
        report.add(0, "", N_("The file could not be read as UTF-8 or GB18030 text."), "encoding")
        return [], []
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [unicodedata.normalize("NFKC", h).strip() for h in next(rows, [])]
        records: list[Record] = []
        for number, cells in enumerate(rows, start=2):
            if not any(c.strip() for c in cells):
                continue  # spreadsheets leave blank rows behind
            # Some tools drop trailing empty cells: the cells a row lacks are empty ones.
            cells = cells + [""] * (len(header) - len(cells))
            # Spreadsheets also keep empty columns (no name) around; they must stay empty.
            if len(cells) > len(header) or any(
                c.strip() for h, c in zip(header, cells, strict=False) if not h
            ):
                report.add(number, "", N_("This row has more cells than the header."), "extra")
                continue
            records.append(
                Record(number, {h: _unquote(c) for h, c in zip(header, cells, strict=True) if h})
            )
    except csv.Error:
        report.add(0, "", N_("The file is not a valid CSV file."), "bad_csv")
        return [], []
    return header, records


def _plain(value: Any) -> Any:
    """JSON scalars become the text a CSV cell would hold; objects stay as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return [v if isinstance(v, dict | list) else _plain(v) for v in value]
    return value


def read_json(data: bytes, report: ImportReport) -> list[Record]:
    text = decode(data)
    if text is None:
        report.add(0, "", N_("The file could not be read as UTF-8 or GB18030 text."), "encoding")
        return []
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        report.add(
            0,
            "",
            N_("The file is not valid JSON (line {line}, column {column})."),
            "bad_json",
            line=exc.lineno,
            column=exc.colno,
        )
        return []
    if isinstance(doc, dict) and isinstance(doc.get("rows"), list):
        doc = doc["rows"]
    if not isinstance(doc, list):
        report.add(0, "", N_("A JSON file holds a list of records."), "bad_json")
        return []
    records: list[Record] = []
    for number, item in enumerate(doc, start=1):
        if not isinstance(item, dict):
            report.add(number, "", N_("Each record must be a JSON object."), "bad_json")
            continue
        records.append(Record(number, {str(k): _plain(v) for k, v in item.items()}))
    return records


def read(data: bytes, fmt: str, kind: TableKind, report: ImportReport) -> list[Record]:
    """The file's records, after the header (CSV) or keys (JSON) are checked against the
    kind's columns: an unknown column is an error, since a misspelt header would otherwise
    be dropped silently."""
    known = {c.name for c in kind.columns}
    required = [c.name for c in kind.columns if c.required]
    if fmt == "csv":
        header, records = read_csv(data, report)
        if header:
            seen: set[str] = set()
            for name in header:
                if not name:
                    continue
                if name in seen:
                    report.add(1, name, N_("The column {column} appears twice."), column=name)
                elif name not in known:
                    report.add(1, name, N_("Unknown column {column}."), column=name)
                seen.add(name)
            for name in required:
                if name not in seen:
                    report.add(1, name, N_("The required column {column} is missing."), column=name)
            if not report.ok:
                # Every row would repeat the header's problem: report it once.
                records = []
    else:
        records = read_json(data, report)
        for rec in records:
            for name in rec.cells:
                if name not in known and name not in kind.nested:
                    report.add(rec.row, name, N_("Unknown column {column}."), column=name)
    if not records and report.ok:
        report.add(0, "", N_("The file holds no rows."), "empty")
    report.rows = len(records)
    return records


def parse(record: Record, kind: TableKind, report: ImportReport) -> Parsed:
    """Every column check of one row. The values hold the good cells only: the domain's
    checks still look at those (an unknown department beside a bad date is reported too),
    and nothing is applied while the report holds any error."""
    values: dict[str, Any] = {}
    for column in kind.columns:
        if column.name not in record.cells:
            if column.required:
                report.add(record.row, column.name, N_("Please fill this in."), "required")
            continue
        try:
            values[column.name] = column.read(record.cells[column.name])
        except Bad as bad:
            report.add_bad(record.row, column.name, bad)
    for name in kind.nested:
        if name in record.cells:
            values[name] = record.cells[name]
    return Parsed(record.row, values)


def parse_objects(
    row: int, name: str, value: Any, columns: Sequence[Column], report: ImportReport
) -> list[dict[str, Any]] | None:
    """A JSON cell holding a list of objects (the materials of an item, say), each checked like
    a row; errors name the column as `materials[2].name`. None when any is bad."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        report.add(row, name, N_("A list of objects is expected here."), "not_objects")
        return None
    before = len(report.errors)
    known = {c.name for c in columns}
    out: list[dict[str, Any]] = []
    for index, obj in enumerate(value, start=1):
        values: dict[str, Any] = {}
        for key in obj:
            if key not in known:
                report.add(
                    row, f"{name}[{index}].{key}", N_("Unknown column {column}."), column=key
                )
        for column in columns:
            where = f"{name}[{index}].{column.name}"
            if column.name not in obj:
                if column.required:
                    report.add(row, where, N_("Please fill this in."), "required")
                continue
            try:
                values[column.name] = column.read(_plain(obj[column.name]))
            except Bad as bad:
                report.add_bad(row, where, bad)
        out.append(values)
    return out if len(report.errors) == before else None


def check_unique(
    report: ImportReport, parsed: Iterable[Parsed], key: Callable[[Parsed], Any], column: str
) -> None:
    """A key twice in one file is an error at its second row, pointing at the first. `key`
    gives None for rows it cannot tell."""
    seen: dict[Any, int] = {}
    for p in parsed:
        k = key(p)
        if k is None:
            continue  # the key's own cell was bad, and is reported already
        if k in seen:
            report.add(
                p.row,
                column,
                N_("This appears more than once in the file (first in row {row})."),
                "duplicate",
                row=seen[k],
            )
        else:
            seen[k] = p.row


def assign(obj: Any, values: Mapping[str, Any]) -> bool:
    """Set the attributes that differ; True when any did (so "unchanged" can be counted)."""
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def chunks(values: Iterable[Any], size: int = 500) -> Iterator[list[Any]]:
    """Bounded IN lists: SQLite caps the parameters of one statement."""
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(_text(v) for v in value)
    return str(value)


def _cell(value: Any) -> str:
    text = _text(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """With a BOM, so Excel opens UTF-8 as UTF-8, and CRLF line ends, as Excel writes them."""
    buf = io.StringIO()
    buf.write(BOM)
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buf.getvalue().encode("utf-8")


def write_json(rows: Any) -> bytes:
    return json.dumps(rows, ensure_ascii=False, indent=1).encode("utf-8")
