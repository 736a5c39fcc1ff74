from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import fresh_database_url


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "yiwang", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize(
    "value", ["11010519491231002X", "91350100M000100Y43", "370202", "13800138000"]
)
def test_check_id_valid(value: str) -> None:
    r = _run("check-id", value)
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
    r = _run("check-id", value)
    assert r.returncode == 1
    assert f"[{reason}]" in r.stdout and "无效" in r.stdout


def test_init_and_user_create() -> None:
    import tempfile

    var = tempfile.mkdtemp()
    url = fresh_database_url("yiwang_cli_user")
    env = {"YIWANG_DATABASE_URL": url, "YIWANG_VAR_DIR": var, "YIWANG_SECRET_KEY": ""}
    init = _run("init", env=env)
    assert init.returncode == 0, init.stderr
    assert "secret key written" in init.stdout
    created = _run(
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
    dup = _run(
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
