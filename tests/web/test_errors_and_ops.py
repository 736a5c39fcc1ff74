from __future__ import annotations

import json
import logging

import httpx
import pytest

from tests.support import login


@pytest.mark.parametrize(("status", "path"), [(404, "/no/such/page"), (403, "/admin")])
async def test_error_pages_in_both_languages(
    client: httpx.AsyncClient, status: int, path: str
) -> None:
    if status == 403:
        await login(client, "13800000001")
    zh = await client.get(path)
    assert zh.status_code == status and '<html lang="zh-CN">' in zh.text
    client.cookies.set("yiwang_lang", "en")
    en = await client.get(path)
    assert en.status_code == status and '<html lang="en">' in en.text
    assert ("Page not found" if status == 404 else "Access denied") in en.text


async def test_api_errors_have_one_shape(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/identifiers/check")
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "missing" and body["field"] == "value"
    assert body["message"] == {"zh": "此项必填。", "en": "Please fill this in."}
    assert body["errors"][0]["field"] == "value"
    missing = await client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and set(missing.json()) == {"code", "message", "field"}


async def test_identifier_check_api(client: httpx.AsyncClient) -> None:
    ok = (
        await client.get("/api/v1/identifiers/check", params={"value": "91350100M000100Y43"})
    ).json()
    assert ok["kind"] == "uscc" and ok["valid"] and ok["region_name"] == "福建省福州市"
    bad = (
        await client.get("/api/v1/identifiers/check", params={"value": "11010519491231003X"})
    ).json()
    assert bad["kind"] == "resident_id" and not bad["valid"]
    assert bad["value"] == "1101**********003X"
    assert bad["message"]["zh"].startswith("校验码错误") and bad["message"]["en"].startswith(
        "The check"
    )


async def test_health_metrics_and_openapi(client: httpx.AsyncClient) -> None:
    health = await client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    await client.get("/")
    metrics = await client.get("/metrics")
    assert 'yiwang_http_requests_total{method="GET",route="/",status="200"}' in metrics.text
    spec = (await client.get("/api/v1/openapi.json")).json()
    assert "/api/v1/me" in spec["paths"]
    docs = await client.get("/api/v1/docs")
    assert (
        "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
        and "cdn" not in docs.text.lower()
    )
    assert (await client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")).status_code == 200


async def test_security_headers_and_request_id(client: httpx.AsyncClient) -> None:
    r = await client.get("/", headers={"x-request-id": "abc123"})
    assert r.headers["x-request-id"] == "abc123"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    csrf = next(h for h in r.headers.get_list("set-cookie") if h.startswith("yiwang_csrf="))
    assert "HttpOnly" in csrf and "SameSite=strict" in csrf


async def test_access_log_is_json_with_the_request_id(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    from yiwang.kit.logging import JsonFormatter

    with caplog.at_level(logging.INFO, logger="yiwang.access"):
        await client.get("/healthz", headers={"x-request-id": "req-42"})
    record = next(r for r in caplog.records if r.name == "yiwang.access")
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-42" and line["path"] == "/healthz" and line["status"] == 200


async def test_commit_failure_is_not_acknowledged(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commit runs before the response leaves: a failed commit is a 500, not a success."""
    from sqlalchemy.ext.asyncio import AsyncSession

    from tests.support import csrf_from

    page = await client.get("/login")

    async def broken_commit(self: AsyncSession) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(AsyncSession, "commit", broken_commit)
    # The server logs the crash after answering; this transport must not re-raise it into the test.
    client._transport = httpx.ASGITransport(app=client._transport.app, raise_app_exceptions=False)  # type: ignore[attr-defined]
    r = await client.post(
        "/login",
        data={
            "login": "13800000001",
            "password": "qingdao2026",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert r.status_code == 500
    assert "yiwang_session" not in r.headers.get("set-cookie", "")


async def test_district_boundaries_match_the_reference_districts(client: httpx.AsyncClient) -> None:
    from yiwang.accounts.reference import DISTRICTS

    r = await client.get("/api/v1/regions/boundaries")
    assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json"
    features = {
        str(f["properties"]["adcode"]): f["properties"]["name"] for f in r.json()["features"]
    }
    assert features == {code: name for code, name, _ in DISTRICTS}
    regions = {x["code"]: x["name"] for x in (await client.get("/api/v1/regions")).json()}
    assert all(regions[code] == name for code, name, _ in DISTRICTS)
