"""The `yiwang` command line."""

from __future__ import annotations

import asyncio
import contextlib
import getpass
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang import migrate
from yiwang.config import get_settings
from yiwang.db import Database, create_engine_for
from yiwang.kit import identifiers
from yiwang.kit.i18n import translate

app = typer.Typer(
    help="yiwang 一网: digital government services", no_args_is_help=True, add_completion=False
)
db_app = typer.Typer(help="Database migrations", no_args_is_help=True)
user_app = typer.Typer(help="Accounts", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(audit_app, name="audit")
verifier_app = typer.Typer(
    help="The local identity verifier (face / certificate)", no_args_is_help=True
)
app.add_typer(verifier_app, name="verifier")

T = TypeVar("T")


def _in_transaction(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def run() -> T:
        db = Database(create_engine_for(get_settings().resolved_database_url))
        try:
            async with db.transaction() as session:
                return await work(session)
        finally:
            await db.engine.dispose()

    return asyncio.run(run())


def _upgrade() -> None:
    from yiwang.accounts import reference

    migrate.upgrade(get_settings().resolved_database_url)
    _in_transaction(reference.load)


@app.command()
def init() -> None:
    """Create var/, the secret key when none is configured, and the database at head."""
    s = get_settings()
    s.var_dir.mkdir(parents=True, exist_ok=True)
    if s.ensure_secret():
        typer.echo(f"secret key written to {s.secret_file}")
    _upgrade()
    typer.echo(f"database ready: {s.resolved_database_url.split('@')[-1]}")
    from yiwang.signing.pki import ensure_ca

    ensure_ca(s)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate to the newest schema and load the reference data (regions, departments, roles)."""
    _upgrade()
    typer.echo("upgraded to head")


@db_app.command("downgrade")
def db_downgrade(revision: str) -> None:
    migrate.downgrade(get_settings().resolved_database_url, revision)
    typer.echo(f"downgraded to {revision}")


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[int, typer.Option(min=1)] = 1,
) -> None:
    """Serve the web application."""
    import uvicorn

    from yiwang.kit import logging as kitlog

    s = get_settings()
    s.secret()
    kitlog.configure(s.log_level, s.log_json)
    typer.echo(f"yiwang 一网: http://{host}:{port}")
    uvicorn.run(
        "yiwang.asgi:app",
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        proxy_headers=True,
        server_header=False,
    )


@app.command()
def demo(
    scale: Annotated[
        str,
        typer.Option(
            help="demo: a few hundred items and halls; "
            "city: the seed's scale (1,614 items, 45 scenarios, 3,000+ halls)"
        ),
    ] = "demo",
) -> None:
    """Load the Qingdao demo data and print a login for every role."""
    from yiwang import demo as all_demo
    from yiwang.accounts import demo as accounts_demo
    from yiwang.catalog import demo as catalog_demo

    if scale not in catalog_demo.SCALES:
        raise typer.BadParameter("demo or city", param_hint="--scale")
    logins, added = _in_transaction(lambda session: all_demo.load(session, scale))
    typer.echo(f"\n演示账号 / demo logins (password 密码: {accounts_demo.DEMO_PASSWORD})")
    for item in logins:
        role = f"{translate('zh_CN', item.role)} / {translate('en', item.role)}"
        typer.echo(f"  {item.login:<18} {item.name}  {role}  {item.where}")
    rows = ", ".join(f"{table} +{n}" for table, n in added.items() if n) or "—"
    typer.echo(f"\n演示数据 / demo data ({scale}): {rows}")


@app.command()
def reindex() -> None:
    """Rebuild the catalogue search index."""
    from yiwang.catalog import search

    typer.echo(f"{_in_transaction(search.reindex)} documents indexed")


@user_app.command("create")
def user_create(
    login: str,
    name: Annotated[str, typer.Option(help="Full name")],
    id_number: Annotated[str, typer.Option(help="Resident ID number")],
    role: Annotated[str | None, typer.Option(help="Staff role, e.g. clerk or admin")] = None,
    department: Annotated[str | None, typer.Option(help="Department code, e.g. xzsp")] = None,
    region: Annotated[str, typer.Option(help="Department region and scope")] = "370200",
    password: Annotated[str | None, typer.Option(help="Asked for when omitted")] = None,
) -> None:
    """Create a person, optionally with a staff role in a department."""
    from yiwang.accounts import service
    from yiwang.kit.errors import AppError, InvalidMany

    secret = password or getpass.getpass("password / 密码: ")

    async def work(session: AsyncSession) -> str:
        person = await service.create_person(
            session,
            name=name,
            id_number=id_number,
            login=login,
            password=secret,
        )
        if role:
            dept = await service.department_by_code(session, department or "xzsp", region)
            await service.assign_role(
                session, by=None, person=person, department=dept, role=role, region_code=region
            )
        return f"created person {person.id} ({person.id_masked})"

    try:
        typer.echo(_in_transaction(work))
    except AppError as exc:
        for e in exc.errors if isinstance(exc, InvalidMany) else [exc]:
            typer.echo(
                f"{e.field or '-'}: {translate('zh_CN', e.msgid, **e.params)} / "
                f"{translate('en', e.msgid, **e.params)}",
                err=True,
            )
        raise typer.Exit(1) from None


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the hash chain; exit 1 naming the first broken event."""
    from yiwang.audit import service as audit

    result = _in_transaction(audit.verify)
    if result.ok:
        typer.echo(f"audit chain intact: {result.checked} events / 审计链完整：{result.checked} 条")
        return
    typer.echo(
        f"audit chain broken at event {result.broken_seq} ({result.reason}); "
        f"{result.checked} events before it are intact / "
        f"审计链在第 {result.broken_seq} 条事件处断裂",
        err=True,
    )
    raise typer.Exit(1)


KIND_LABELS = {
    "resident_id": "resident ID number / 居民身份证号码",
    "uscc": "unified social credit code / 统一社会信用代码",
    "region": "administrative division code / 行政区划代码",
    "mobile": "mobile number / 手机号码",
    "unknown": "unknown / 无法识别",
}


@app.command("check-id")
def check_id(value: str) -> None:
    """Tell which kind of identifier VALUE is and whether it is valid (exit 0) or not (exit 1)."""
    from yiwang.accounts.service import identifier_message

    c = identifiers.identify(value)
    typer.echo(KIND_LABELS[c.kind])
    if c.region_name:
        typer.echo(f"region / 地区: {c.region_name}")
    if c.valid:
        typer.echo("valid / 有效")
        return
    msg = identifier_message(c.reason)
    typer.echo(
        f"invalid / 无效: {translate('zh_CN', msg, **c.params)} / "
        f"{translate('en', msg, **c.params)} [{c.reason}]"
    )
    raise typer.Exit(1)


@verifier_app.command("answer")
def verifier_answer(
    login: str,
    challenge: str,
    method: Annotated[str, typer.Option(help="face (level 4) or certificate (level 5)")] = "face",
) -> None:
    """Act as the local verifier: print the answer for the code shown on the trust-level page."""
    from yiwang.accounts import service, sessions

    verifier = sessions.verifiers().get(method)
    if verifier is None or not get_settings().verifier_secret():
        typer.echo(
            "no such method, or no verifier key configured / 核验方式不存在或未配置核验密钥",
            err=True,
        )
        raise typer.Exit(1)

    async def work(session: AsyncSession) -> int:
        person = await service.find_person_by_login(session, login)
        if person is None:
            raise typer.BadParameter(f"unknown login {login}", param_hint="LOGIN")
        return person.id

    typer.echo(verifier.expected(_in_transaction(work), challenge.strip()))


@app.command("import")
def import_file(
    kind: Annotated[str, typer.Argument(help="items, materials, scenarios, halls or hall_items")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Import a CSV or JSON file; on any error nothing changes and every error is listed
    by row and column (exit 1)."""
    from yiwang.kit.tabular import ImportReport
    from yiwang.transfer import service as transfer

    if kind not in transfer.KINDS:
        typer.echo(f"unknown kind / 未知类型: {kind} ({', '.join(transfer.KINDS)})", err=True)
        raise typer.Exit(2)
    data = file.read_bytes()
    fmt = transfer.detect_format(file.name, data)
    if fmt is None:
        typer.echo("not a CSV or JSON file / 不是 CSV 或 JSON 文件", err=True)
        raise typer.Exit(2)

    async def work(session: AsyncSession) -> ImportReport:
        return await transfer.import_bytes(session, kind, data, fmt, actor="cli")

    report = _in_transaction(work)
    if not report.ok:
        for line in transfer.error_lines(report):
            typer.echo(line, err=True)
        n = len(report.errors)
        typer.echo(f"{n} error(s), nothing changed / 共 {n} 处错误，未做任何更改", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"{report.rows} rows: {report.inserted} added, {report.updated} updated, "
        f"{report.unchanged} unchanged / 共 {report.rows} 行：新增 {report.inserted}，"
        f"更新 {report.updated}，未变 {report.unchanged}"
    )


@app.command("export")
def export_file(
    kind: Annotated[str, typer.Argument(help="items, materials, scenarios, halls or hall_items")],
    file: Annotated[Path, typer.Argument(dir_okay=False, help="ends in .csv or .json")],
) -> None:
    """Export to a CSV (UTF-8 with BOM) or JSON file, by the file's extension."""
    from yiwang.transfer import service as transfer

    fmt = file.suffix.lower().lstrip(".")
    kind_ = transfer.KINDS.get(kind)
    if kind_ is None or fmt not in kind_.formats:
        typer.echo(f"cannot export {kind} as {fmt or '?'} / 无法导出", err=True)
        raise typer.Exit(2)

    async def work(session: AsyncSession) -> bytes:
        return await transfer.export_bytes(session, kind, fmt)

    file.write_bytes(_in_transaction(work))
    typer.echo(f"written / 已写入: {file}")


forms_app = typer.Typer(help="Forms: definitions and their statistics", no_args_is_help=True)
app.add_typer(forms_app, name="forms")
files_app = typer.Typer(help="Stored files", no_args_is_help=True)
app.add_typer(files_app, name="files")


@forms_app.command("stats")
def forms_stats(
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Fill-free rate (by design and as submitted) and first-time pass rate per scenario."""
    import json

    from yiwang.forms import stats

    result = _in_transaction(stats.summary)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value:.0%}"

    typer.echo("免填率 fill-free: design / submitted · 一次通过率 first-time pass · scenario")
    for row in result["scenarios"]:
        typer.echo(
            f"  {pct(row['design_rate']):>5} / {pct(row['observed_rate']):>5}"
            f" · {pct(row['first_pass_rate']):>5} · {row['name']} ({row['fields']})"
        )
    typer.echo(
        f"average / 平均: {pct(result['average_design_rate'])} by design, "
        f"{pct(result['average_observed_rate'])} as submitted; "
        f"first-time pass {pct(result['first_time_pass_rate'])}"
    )


@forms_app.command("build")
def forms_build(
    scenario: Annotated[
        str | None, typer.Argument(help="one scenario code; all when left out")
    ] = None,
) -> None:
    """Rebuild forms from the catalogue and the field sets; a version is added only on change."""
    from yiwang.catalog import service as catalog
    from yiwang.forms import build

    async def work(session: AsyncSession) -> list[str]:
        codes = (
            [scenario]
            if scenario
            else [s.code for s in await catalog.list_scenarios(session, published_only=False)]
        )
        return [f"{code}: v{(await build.publish(session, code, 'cli')).version}" for code in codes]

    for line in _in_transaction(work):
        typer.echo(line)


@files_app.command("gc")
def files_gc(
    older_than: Annotated[int, typer.Option(help="seconds a file must be old")] = 3600,
) -> None:
    """Delete stored files no record refers to (left by requests that never committed)."""
    from yiwang.files import service as files

    async def work(session: AsyncSession) -> int:
        return await files.collect_orphans(session, older_than_seconds=older_than)

    typer.echo(f"{_in_transaction(work)} orphan file(s) deleted / 已删除孤立文件")


sign_app = typer.Typer(
    help="Seals: the platform CA, checking signatures, the local timestamp authority",
    no_args_is_help=True,
)
app.add_typer(sign_app, name="sign")


@sign_app.command("export-ca")
def sign_export_ca(
    output: Annotated[
        Path, typer.Option("-o", "--output", dir_okay=False, help="where to write the PEM file")
    ] = Path("ca.pem"),
) -> None:
    """Write the platform's root certificate: the trust anchor for checking its seals."""
    from yiwang.signing import pki

    root = pki.ensure_ca(get_settings()).root
    output.write_text(pki.pem(root))
    typer.echo(f"written / 已写入: {output} (SHA-256 {pki.fingerprint(root)})")


@sign_app.command("verify")
def sign_verify(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Check every signature in a PDF; exit 0 when all are valid and trusted, 1 otherwise."""
    from yiwang.kit.errors import AppError
    from yiwang.signing import verify

    try:
        report = asyncio.run(verify.verify_pdf(file.read_bytes()))
    except AppError as exc:
        zh, en = (translate(lang, exc.msgid, **exc.params) for lang in ("zh_CN", "en"))
        typer.echo(f"{zh} / {en}", err=True)
        raise typer.Exit(1) from None
    for line in verify.lines(report):
        typer.echo(line)
    if not report.valid:
        raise typer.Exit(1)


@sign_app.command("tsa")
def sign_tsa(
    port: Annotated[int, typer.Option(help="0 picks a free port")] = 3161,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
) -> None:
    """Serve the local RFC 3161 timestamp authority (demo and tests) until interrupted."""
    from yiwang.signing.tsa_server import TimestampServer

    server = TimestampServer(host, port)
    typer.echo(f"timestamp authority / 时间戳服务: {server.url} (YIWANG_TSA_URL)")
    try:
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how it is meant to stop
            server.serve_forever()
    finally:
        server.server_close()
