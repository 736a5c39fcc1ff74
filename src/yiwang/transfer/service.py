"""Import and export across domains: the registry of kinds and the two phases of an import.

Phase one checks every row against its columns (no database); phase two checks what rows
refer to and, only when the whole file is clean, applies it in the caller's transaction.
Both phases report every error they find, by row and column."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts.authz import region_contains
from yiwang.audit import service as audit
from yiwang.catalog import transfer as catalog_transfer
from yiwang.halls import transfer as halls_transfer
from yiwang.kit import tabular
from yiwang.kit.errors import NotFound
from yiwang.kit.i18n import N_
from yiwang.kit.tabular import Allowed, ImportReport, Parsed, Record, TableKind

KINDS: dict[str, TableKind] = {k.name: k for k in (*catalog_transfer.KINDS, *halls_transfer.KINDS)}
MAX_BYTES = 20 * 1024 * 1024
PROGRESS_EVERY = 250  # rows between progress commits
UNSUPPORTED_FORMAT = N_("This kind cannot be imported from {format} files.")

Progress = Callable[[int], Awaitable[None]]


def get_kind(name: str) -> TableKind:
    kind = KINDS.get(name)
    if kind is None:
        raise NotFound()
    return kind


def detect_format(filename: str, data: bytes) -> str | None:
    """By the file's extension, else by its first character (a spreadsheet may save "data.txt")."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix in tabular.FORMATS:
        return suffix
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"[", b"{"):
        return "json"
    return "csv" if head else None


def scope(region_codes: Sequence[str]) -> Allowed:
    """Inside any of these regions (an administrator's grants)."""
    codes = tuple(region_codes)
    return lambda code: any(region_contains(s, code) for s in codes)


def read(kind: TableKind, data: bytes, fmt: str) -> tuple[ImportReport, list[Record]]:
    report = ImportReport(kind.name)
    return report, tabular.read(data, fmt, kind, report)


async def check_rows(
    kind: TableKind, records: list[Record], report: ImportReport, progress: Progress | None = None
) -> list[Parsed]:
    """Phase one. Awaits between batches so a large file neither freezes the event loop nor
    keeps its watchers waiting."""
    parsed: list[Parsed] = []
    for start in range(0, len(records), PROGRESS_EVERY):
        parsed += [tabular.parse(r, kind, report) for r in records[start : start + PROGRESS_EVERY]]
        if progress is not None:
            await progress(min(start + PROGRESS_EVERY, len(records)))
        else:
            await asyncio.sleep(0)
    return parsed


async def check_and_apply(
    session: AsyncSession,
    kind: TableKind,
    parsed: list[Parsed],
    report: ImportReport,
    *,
    allowed: Allowed | None,
    actor: str,
) -> ImportReport:
    """Phase two, in the caller's transaction. References are checked even when phase one
    found errors (on the cells that passed), so one run reports every error; nothing is
    written unless the report is clean."""
    plan = await kind.check(session, parsed, report, allowed)
    if not report.ok:
        return report
    report.inserted, report.updated, report.unchanged = await kind.apply(session, plan)
    await audit.record(
        session,
        actor,
        "transfer.import",
        f"import:{kind.name}",
        {
            "rows": report.rows,
            "inserted": report.inserted,
            "updated": report.updated,
            "unchanged": report.unchanged,
        },
    )
    return report


async def import_bytes(
    session: AsyncSession,
    kind_name: str,
    data: bytes,
    fmt: str,
    *,
    allowed: Allowed | None = None,
    actor: str = "cli",
) -> ImportReport:
    """Both phases in the caller's transaction (the command line, tests)."""
    kind = get_kind(kind_name)
    if fmt not in kind.formats:
        report = ImportReport(kind.name)
        report.add(0, "", UNSUPPORTED_FORMAT, "format", format=fmt.upper())
        return report
    report, records = read(kind, data, fmt)
    parsed = await check_rows(kind, records, report)
    if records:
        await check_and_apply(session, kind, parsed, report, allowed=allowed, actor=actor)
    return report


async def export_bytes(session: AsyncSession, kind_name: str, fmt: str) -> bytes:
    kind = get_kind(kind_name)
    if fmt not in kind.formats:
        raise NotFound()
    rows = await kind.export(session, fmt)
    if fmt == "csv":
        return tabular.write_csv([c.name for c in kind.columns], rows)
    return tabular.write_json(rows)


def error_lines(report: ImportReport) -> list[str]:
    """For the command line: every error in Chinese and in English."""
    out = []
    for e in report.sorted_errors():
        where = f"row {e.row} 第{e.row}行" if e.row else "file 文件"
        column = f", {e.column}" if e.column else ""
        out.append(f"{where}{column}: {e.text('zh_CN')} / {e.text('en')}")
    return out
