"""Pages that belong to no domain: the home page and the language switch."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from yiwang.config import get_settings
from yiwang.kit.i18n import LOCALES
from yiwang.web.deps import LANG_COOKIE, MaybePrincipal
from yiwang.web.templating import render

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths: an open redirect would let a phishing link borrow our name."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


@router.get("/")
async def home(request: Request, principal: MaybePrincipal) -> Response:
    return render(request, "home.html")


@router.get("/lang/{locale}")
async def switch_language(locale: str, next: str | None = None) -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    if locale in LOCALES:
        response.set_cookie(
            LANG_COOKIE,
            locale,
            max_age=365 * 86400,
            samesite="lax",
            secure=get_settings().secure_cookies,
            httponly=True,
        )
    return response
