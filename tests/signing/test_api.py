from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.signing.conftest import Staff, make_pdf, seal, tampered
from tests.support import form_token
from yiwang.accounts.models import Department

URL = "/api/v1/signatures/verify"


async def _post(client: httpx.AsyncClient, name: str, data: bytes) -> httpx.Response:
    # No login, no cookie, no token: as `curl -F file=@x.pdf` would send it.
    return await client.post(URL, files={"file": (name, data)})


@pytest.mark.usefixtures("tsa_url")
async def test_verify_reports_each_signature(
    client: httpx.AsyncClient, session: AsyncSession, staff: Staff, xzsp_shinan: Department
) -> None:
    sealed = await seal(session, staff, xzsp_shinan)
    r = await _post(client, "licence.pdf", sealed)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["valid"] is True
    (sig,) = body["signatures"]
    assert sig["intact"] and sig["trusted"] and sig["timestamp_trusted"]
    assert sig["department"] == "青岛市市南区行政审批服务局"
    assert sig["coverage"] == "entire_file" and sig["changed_after_signing"] is False
    assert sig["timestamp_at"] and sig["signed_at"] and sig["problems"] == []

    r = await _post(client, "licence.pdf", tampered(sealed))
    assert r.status_code == 200
    body = r.json()
    assert body["valid"] is False and body["signatures"][0]["intact"] is False
    problem = body["signatures"][0]["problems"][0]
    assert problem["code"] == "digest_mismatch"
    assert set(problem["message"]) == {"zh", "en"} and problem["message"]["en"]


async def test_unsigned_pdf_is_not_valid(client: httpx.AsyncClient) -> None:
    r = await _post(client, "plain.pdf", make_pdf())
    assert r.status_code == 200
    assert r.json() == {"valid": False, "signatures": []}


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "file_empty"),
        (b"MZ\x90\x00 a program", "not_pdf"),
        (b"%PDF-1.7\n garbage that is no PDF", "pdf_unreadable"),
    ],
)
async def test_bad_input_is_422_naming_the_field(
    client: httpx.AsyncClient, data: bytes, code: str
) -> None:
    r = await _post(client, "x.pdf", data)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["code"] == code and body["field"] == "file"
    assert body["message"]["zh"] and body["message"]["en"]


async def test_missing_file_is_422(client: httpx.AsyncClient) -> None:
    headers = {"X-CSRF-Token": await form_token(client, "/login")}
    r = await client.post(URL, data={"other": "x"}, headers=headers)
    assert r.status_code == 422
    assert r.json()["field"] == "file"


async def test_too_large_is_refused(client: httpx.AsyncClient) -> None:
    r = await _post(client, "big.pdf", b"%PDF-1.7\n" + b"0" * 20_000_000)
    assert r.status_code == 413
    assert r.json()["field"] == "file"


async def test_only_the_verification_is_open_to_posts_without_a_token(
    client: httpx.AsyncClient,
) -> None:
    r = await client.post(URL, files={"file": ("plain.pdf", make_pdf())})
    assert r.status_code == 200 and r.json() == {"valid": False, "signatures": []}
    other = await client.post("/api/v1/drafts", json={"scenario": "open-restaurant", "answers": []})
    assert other.status_code == 400 and other.json()["code"] == "csrf_failed"
