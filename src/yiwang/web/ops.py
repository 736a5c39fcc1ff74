"""Operations: health, Prometheus metrics and the self-hosted API docs page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from sqlalchemy import text
from starlette.responses import Response

from yiwang.db import Database

router = APIRouter(include_in_schema=False)

REQUESTS = Counter("yiwang_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "yiwang_http_request_seconds",
    "HTTP request duration",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def observe(method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


@router.get("/healthz")
async def healthz(request: Request) -> Response:
    db: Database = request.app.state.db
    try:
        async with db.sessionmaker() as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:  # a health check reports, it never raises
        return JSONResponse({"status": "error", "database": type(exc).__name__}, status_code=503)
    return JSONResponse({"status": "ok", "database": db.dialect})


@router.get("/metrics")
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


@router.get("/api/v1/docs")
async def api_docs() -> HTMLResponse:
    # Swagger UI from our own static files: the machine may have no route to a CDN.
    return HTMLResponse("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>yiwang API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/js/api-docs.js"></script></body></html>""")
