from __future__ import annotations

import pytest

from tests.conftest import fresh_database_url
from tests.support import run_cli


@pytest.mark.parametrize(
    "value", ["11010519491231002X", "91350100M000100Y43", "370202", "13800138000"]
)
def test_check_id_valid(value: str) -> None:
    r = run_cli("check-id", value)
    assert r.returncode == 0, r.stdout
    assert "valid / 有效" in r.stdout


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("11010519491231003X", "bad_check_character"),
        ("11010519490231002X", "impossible_birth_date"),
        ("99010519491231002X", "unknown_region"),
        ("91350100M000100Y44", "bad_check_character"),
        ("hello", "unrecognised"),
    ],
)
def test_check_id_invalid_names_the_reason(value: str, reason: str) -> None:
    r = run_cli("check-id", value)
    assert r.returncode == 1
    assert f"[{reason}]" in r.stdout and "无效" in r.stdout


def test_init_and_user_create() -> None:
    import tempfile

    var = tempfile.mkdtemp()
    url = fresh_database_url("yiwang_cli_user")
    env = {"YIWANG_DATABASE_URL": url, "YIWANG_VAR_DIR": var, "YIWANG_SECRET_KEY": ""}
    init = run_cli("init", env=env)
    assert init.returncode == 0, init.stderr
    assert "secret key written" in init.stdout
    created = run_cli(
        "user",
        "create",
        "clerk.new",
        "--name",
        "测试员",
        "--id-number",
        "11010519491231002X",
        "--role",
        "clerk",
        "--department",
        "xzsp",
        "--region",
        "370202",
        "--password",
        "clerk-pass-2026",
        env=env,
    )
    assert created.returncode == 0, created.stderr
    assert "1101**********002X" in created.stdout
    dup = run_cli(
        "user",
        "create",
        "clerk.new2",
        "--name",
        "测试员",
        "--id-number",
        "11010519491231002X",
        "--password",
        "clerk-pass-2026",
        env=env,
    )
    assert dup.returncode == 1 and "id_number" in dup.stderr


def test_local_verifier_answers_what_the_site_accepts() -> None:
    from sqlalchemy import create_engine, text

    from yiwang.accounts import sessions
    from yiwang.db import sync_url

    url = fresh_database_url("yiwang_cli_verifier")
    env = {"YIWANG_DATABASE_URL": url}
    assert run_cli("db", "upgrade", env=env).returncode == 0
    assert run_cli("demo", env=env).returncode == 0
    done = run_cli("verifier", "answer", "13800000001", "c0de", "--method", "certificate", env=env)
    assert done.returncode == 0, done.stderr
    engine = create_engine(sync_url(url))
    with engine.connect() as conn:
        person_id = conn.execute(
            text("SELECT id FROM persons WHERE login = '13800000001'")
        ).scalar_one()
    engine.dispose()
    answer = done.stdout.strip()
    assert sessions.verifiers()["certificate"].verify(person_id, "c0de", answer)
    assert not sessions.verifiers()["face"].verify(person_id, "c0de", answer)
    assert run_cli("verifier", "answer", "nobody", "c0de", env=env).returncode != 0
