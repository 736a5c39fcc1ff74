"""A real local timestamp authority, PDFs made here, principals of demo staff, and the
independent tools (pdfsig with an NSS database, pyHanko's CLI, openssl) the tests ask."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfWriter
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts import service as accounts
from yiwang.accounts.authz import Principal
from yiwang.accounts.models import Department
from yiwang.config import get_settings
from yiwang.signing import pki, service
from yiwang.signing.tsa_server import TimestampServer

PYHANKO = Path(sys.executable).parent / "pyhanko"

for tool in ("pdfsig", "certutil", "openssl"):
    if shutil.which(tool) is None:
        raise RuntimeError(f"{tool} is missing: run scripts/system-packages.sh")


def make_pdf(title: str = "测试文书") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def tampered(signed: bytes) -> bytes:
    """One byte changed inside the first signed range (in the page's dictionary)."""
    at = signed.index(b"/MediaBox")
    assert at < signed.index(b"/ByteRange")  # inside [0, start of /Contents)
    return signed[:at] + b"/MediaBoY" + signed[at + len(b"/MediaBox") :]


@pytest.fixture(scope="session")
def ca() -> pki.CA:
    return pki.ensure_ca(get_settings())


@pytest.fixture(scope="session")
def tsa_server(ca: pki.CA) -> Iterator[TimestampServer]:
    with TimestampServer(port=0) as server:
        yield server


@pytest.fixture
def tsa_url(tsa_server: TimestampServer, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(get_settings(), "tsa_url", tsa_server.url)
    return tsa_server.url


@pytest.fixture(scope="session")
def ca_files(ca: pki.CA, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """root.pem, issuing.pem and an NSS database that trusts the root (for pdfsig)."""
    out = tmp_path_factory.mktemp("ca")
    (out / "root.pem").write_text(pki.pem(ca.root))
    (out / "issuing.pem").write_text(pki.pem(ca.issuing))
    nss = out / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
    subprocess.run(
        [
            "certutil",
            "-A",
            "-d",
            f"sql:{nss}",
            "-n",
            "root",
            "-t",
            "CT,C,C",
            "-i",
            out / "root.pem",
        ],
        check=True,
    )
    return {"root": out / "root.pem", "issuing": out / "issuing.pem", "nss": nss}


def pdfsig(nss: Path, pdf: Path) -> str:
    """pdfsig exits 0 whatever it finds: the verdict is in its output."""
    done = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(pdf)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return done.stdout + done.stderr


def pyhanko_validate(root: Path, pdf: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PYHANKO), "sign", "validate", "--trust", str(root), "--trust-replace", str(pdf)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


Staff = Callable[[str], Awaitable[Principal]]


@pytest.fixture
def staff(session: AsyncSession) -> Staff:
    """The principal of a demo login, with the grants it holds."""

    async def make(login: str) -> Principal:
        person = await accounts.find_person_by_login(session, login)
        assert person is not None
        grants = await accounts.grants_of(session, person.id)
        return Principal(person.id, person.name, 3, 0, grants)

    return make


@pytest.fixture
async def xzsp_shinan(session: AsyncSession) -> Department:
    return await accounts.department_by_code(session, "xzsp", "370202")


async def seal(
    session: AsyncSession, staff: Staff, dept: Department, pdf: bytes | None = None
) -> bytes:
    """A 准予行政许可 document sealed by the department's head."""
    return await service.seal_pdf(
        session,
        pdf or make_pdf(),
        principal=await staff("head.shinan"),
        department_id=dept.id,
        reason="准予行政许可",
    )
