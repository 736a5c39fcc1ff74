from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.signing.conftest import Staff, make_pdf, seal, tampered
from tests.support import run_cli
from yiwang.accounts.models import Department


@pytest.mark.usefixtures("tsa_url")
async def test_verify_exit_codes(
    session: AsyncSession, staff: Staff, xzsp_shinan: Department, tmp_path: Path
) -> None:
    sealed = await seal(session, staff, xzsp_shinan)
    (tmp_path / "good.pdf").write_bytes(sealed)
    (tmp_path / "bad.pdf").write_bytes(tampered(sealed))
    (tmp_path / "plain.pdf").write_bytes(make_pdf())
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.7 junk")

    good = run_cli("sign", "verify", str(tmp_path / "good.pdf"))
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Seal1" in good.stdout and "青岛市市南区行政审批服务局" in good.stdout

    bad = run_cli("sign", "verify", str(tmp_path / "bad.pdf"))
    assert bad.returncode == 1
    assert "Seal1" in bad.stdout and "no longer matches the signature" in bad.stdout

    assert run_cli("sign", "verify", str(tmp_path / "plain.pdf")).returncode == 1
    junk = run_cli("sign", "verify", str(tmp_path / "junk.pdf"))
    assert junk.returncode == 1 and "PDF" in junk.stderr


def test_tsa_command_serves_timestamps(tmp_path: Path, ca_files: dict[str, Path]) -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "yiwang", "sign", "tsa", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        url = line.split(": ", 1)[1].split()[0]
        assert url.startswith("http://127.0.0.1:")
        data = tmp_path / "data.txt"
        data.write_text("办件 370202 准予许可")
        subprocess.run(
            [
                "openssl",
                "ts",
                "-query",
                "-data",
                data,
                "-sha256",
                "-cert",
                "-out",
                tmp_path / "q.tsq",
            ],
            check=True,
        )
        import httpx

        reply = httpx.post(
            url,
            content=(tmp_path / "q.tsq").read_bytes(),
            headers={"Content-Type": "application/timestamp-query"},
        )
        assert reply.status_code == 200
        assert reply.headers["content-type"] == "application/timestamp-reply"
        (tmp_path / "r.tsr").write_bytes(reply.content)
        done = subprocess.run(
            [
                *("openssl", "ts", "-verify", "-in", tmp_path / "r.tsr", "-data", data),
                *("-CAfile", ca_files["root"], "-untrusted", ca_files["issuing"]),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0 and "Verification: OK" in done.stdout, done.stderr
        wrong = httpx.post(url, content=b"x", headers={"Content-Type": "text/plain"})
        assert wrong.status_code == 415
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
