"""One Jinja environment for every domain's templates, with the catalogue and CSRF at hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.responses import Response

from yiwang.audit.service import action_label
from yiwang.config import get_settings
from yiwang.kit.i18n import (
    HTML_LANG,
    LANGUAGE_NAMES,
    LOCALES,
    get_locale,
    gettext,
    localized,
    ngettext,
)
from yiwang.kit.timeutil import format_local
from yiwang.web.deps import CSRF_FIELD, csrf_token

SRC = Path(__file__).resolve().parent.parent
DOMAINS = (
    "web",
    "accounts",
    "audit",
    "catalog",
    "halls",
    "transfer",
    "forms",
    "applications",
    "registry",
)


def html_attrs(**attrs: str | bool | None) -> Markup:
    """Attributes with a leading space each; None and False are left out, True is bare."""
    out = Markup()
    for key, value in attrs.items():
        name = key.replace("_", "-")
        if value is True:
            out += Markup(" {}").format(name)
        elif value is not None and value is not False:
            out += Markup(' {}="{}"').format(name, value)
    return out


def local_iso(value: str) -> str:
    """An ISO timestamp stored in JSON, shown in the city's local time."""
    try:
        return format_local(dt.datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return ""


def _environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(SRC / d / "templates") for d in DOMAINS]),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        _=gettext,
        gettext=gettext,
        ngettext=ngettext,
        LOCALES=LOCALES,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        attrs=html_attrs,
        loc=localized,
        action_label=action_label,
        HTML_LANG=HTML_LANG,
    )
    env.filters["local_time"] = format_local
    env.filters["local_iso"] = local_iso
    return env


templates = Jinja2Templates(env=_environment())


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    settings = get_settings()
    locale = get_locale()
    ctx: dict[str, Any] = {
        "principal": getattr(request.state, "principal", None),
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request),
        "locale": locale,
        "html_lang": HTML_LANG[locale],
        "city_name": settings.city_name if locale == "zh_CN" else settings.city_name_en,
        "path": request.url.path,
        "oidc_enabled": bool(settings.oidc_issuer),
        "errors": {},
        "form": {},
    }
    ctx.update(context or {})
    response = templates.TemplateResponse(
        request, name, ctx, status_code=status_code, headers=headers
    )
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def field_errors(errors: list[Any]) -> dict[str, str]:
    """AppErrors by field, translated, for the template to show beside each input."""
    return {e.field or "_form": e.text() for e in errors}
