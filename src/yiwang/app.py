"""The ASGI application: routers of every domain, one middleware, one error shape."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import IntegrityError
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from yiwang.accounts import api as accounts_api
from yiwang.accounts import oidc as accounts_oidc
from yiwang.accounts import views as accounts_views
from yiwang.applications import api as applications_api
from yiwang.applications import views as applications_views
from yiwang.catalog import api as catalog_api
from yiwang.catalog import views as catalog_views
from yiwang.config import Settings, get_settings
from yiwang.db import Database, create_engine_for
from yiwang.forms import api as forms_api
from yiwang.forms import views as forms_views
from yiwang.halls import api as halls_api
from yiwang.halls import views as halls_views
from yiwang.kit import logging as kitlog
from yiwang.kit.errors import (
    AppError,
    Conflict,
    Invalid,
    InvalidMany,
    NotFound,
    Unauthenticated,
)
from yiwang.kit.i18n import N_, negotiate, set_locale
from yiwang.registry import api as registry_api
from yiwang.registry import views as registry_views
from yiwang.signing import api as signing_api
from yiwang.transfer import views as transfer_views
from yiwang.web import ops
from yiwang.web import views as web_views
from yiwang.web.deps import CSRF_COOKIE, LANG_COOKIE, csrf_protect
from yiwang.web.templating import SRC, render

log = logging.getLogger("yiwang.access")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
    ),
    "Permissions-Policy": "camera=(self), geolocation=(self), microphone=()",
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, error: AppError) -> Response:
    if _is_api(request):
        return JSONResponse(error.to_dict(), status_code=error.status)
    if isinstance(error, Unauthenticated):
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    return render(
        request, "error.html", {"error": error, "status": error.status}, status_code=error.status
    )


def _validation_errors(exc: RequestValidationError) -> InvalidMany:
    errors: list[AppError] = []
    for e in exc.errors():
        loc = [str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path", "form")]
        field = ".".join(loc) or None
        msg = (
            N_("Please fill this in.")
            if e.get("type") == "missing"
            else N_("The value is not valid.")
        )
        errors.append(Invalid(msg, field=field, error_code=str(e.get("type", "invalid"))))
    return InvalidMany(errors or [Invalid()])


def install_error_handlers(app: FastAPI) -> None:
    async def on_app_error(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, AppError):
            raise exc
        return error_response(request, exc)

    async def on_validation(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, RequestValidationError):
            raise exc
        return error_response(request, _validation_errors(exc))

    async def on_http(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, StarletteHTTPException):
            raise exc
        if exc.status_code == 404:
            return error_response(request, NotFound())
        err = AppError(error_code=f"http_{exc.status_code}")
        err.status = exc.status_code  # type: ignore[misc]
        return error_response(request, err)

    async def on_integrity(request: Request, exc: Exception) -> Response:
        # Two requests raced for the same unique row; the one that lost changed nothing.
        log.info("integrity conflict: %s", type(exc).__name__)
        return error_response(
            request,
            Conflict(
                N_("This was just done by another request. Reload the page to see the result."),
                error_code="concurrent_conflict",
            ),
        )

    async def on_crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error")
        err = AppError(
            N_("Something went wrong on our side. Nothing was saved; please try again."),
            error_code="internal_error",
        )
        err.status = 500  # type: ignore[misc]
        return error_response(request, err)

    app.add_exception_handler(AppError, on_app_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(IntegrityError, on_integrity)
    app.add_exception_handler(Exception, on_crash)


class RequestContext:
    """Request id, locale, security headers, the CSRF seed cookie, metrics and the access log.
    Plain ASGI rather than `@app.middleware("http")`, which runs every request in a task of its
    own with streams between the two: a cost paid on every request."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        rid = request.headers.get("x-request-id", "")[:64] or secrets.token_hex(8)
        kitlog.request_id_var.set(rid)
        set_locale(
            negotiate(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))
        )
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                self._decorate(MutableHeaders(scope=message), rid, scope.get("state", {}))
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            self._observe(request, status, time.perf_counter() - started)

    def _decorate(self, headers: MutableHeaders, rid: str, state: dict[str, Any]) -> None:
        headers["X-Request-ID"] = rid
        for k, v in SECURITY_HEADERS.items():
            headers.setdefault(k, v)
        if self.settings.secure_cookies:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if seed := state.get("new_csrf_seed"):
            cookie = Response()
            cookie.set_cookie(
                CSRF_COOKIE,
                seed,
                httponly=True,
                samesite="strict",
                secure=self.settings.secure_cookies,
                path="/",
            )
            headers.append("set-cookie", cookie.headers["set-cookie"])

    @staticmethod
    def _observe(request: Request, status: int, elapsed: float) -> None:
        route = request.scope.get("route")
        # Route templates, never raw paths: raw paths would make metric labels unbounded.
        template = getattr(route, "path", None) or (
            "/static" if request.url.path.startswith("/static/") else "unmatched"
        )
        ops.observe(request.method, template, status, elapsed)
        log.info(
            "%s %s %s",
            request.method,
            template,
            status,
            extra={
                "method": request.method,
                "path": template,
                "status": status,
                "ms": round(elapsed * 1000, 1),
            },
        )


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.secret()  # fail at start, not at the first form

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = db is None
        app.state.db = db or Database(
            create_engine_for(settings.resolved_database_url, settings.sql_echo)
        )
        yield
        if own:
            await app.state.db.engine.dispose()

    app = FastAPI(
        title="yiwang 一网",
        version="0.1.0",
        lifespan=lifespan,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(csrf_protect)],
    )
    if db is not None:
        app.state.db = db
    app.mount("/static", StaticFiles(directory=SRC / "web" / "static"), name="static")
    for router in (
        web_views.router,
        ops.router,
        accounts_views.router,
        accounts_oidc.router,
        catalog_api.router,
        catalog_views.router,
        catalog_views.admin,
        catalog_views.synonyms,
        transfer_views.router,
        halls_api.router,
        halls_views.router,
        accounts_views.staff,
        accounts_views.admin,
        accounts_api.router,
        forms_api.router,
        forms_views.router,
        forms_views.admin,
        applications_api.router,
        applications_views.router,
        registry_api.router,
        registry_views.router,
        signing_api.router,
    ):
        app.include_router(router)
    install_error_handlers(app)
    app.add_middleware(RequestContext, settings=settings)
    return app
