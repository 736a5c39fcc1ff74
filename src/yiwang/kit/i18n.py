"""Message catalogues (Babel .po files) and the locale of the current request."""

from __future__ import annotations

import io
from contextvars import ContextVar
from functools import cache
from importlib import resources
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES: tuple[str, ...] = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"
HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}
# Each language is offered under its own name, whatever the page language is.
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}

_current: ContextVar[str] = ContextVar("yiwang_locale", default=DEFAULT_LOCALE)


@cache
def translations(locale: str) -> NullTranslations:
    """Compile the .po catalogue in memory, so a checkout never runs with stale .mo files."""
    if locale == "en":
        return NullTranslations()
    po = resources.files("yiwang").joinpath(f"locale/{locale}/LC_MESSAGES/messages.po")
    with po.open("rb") as f:
        catalog = read_po(f, locale=locale)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(fp=buf)


def set_locale(locale: str) -> None:
    _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def get_locale() -> str:
    return _current.get()


def gettext(msgid: str, **params: Any) -> str:
    return translate(get_locale(), msgid, **params)


_ = gettext


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    text = translations(get_locale()).ngettext(singular, plural, n)
    return text.format(n=n, **params) if params or "{n}" in text else text


def translate(locale: str, msgid: str, **params: Any) -> str:
    text = translations(locale).gettext(msgid)
    return text.format(**params) if params else text


def both(msgid: str, **params: Any) -> dict[str, str]:
    return {"zh": translate("zh_CN", msgid, **params), "en": translate("en", msgid, **params)}


def N_(msgid: str) -> str:
    """Marks a string for extraction where it is translated later (module-level tables)."""
    return msgid


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    if cookie in LOCALES:
        return cookie
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh_CN"
        if tag.startswith("en"):
            return "en"
    return DEFAULT_LOCALE


def localized(obj: Any, attr: str = "name") -> str:
    """Master data in the page language: `name_en` (or `text_en`, `label_en`) in English when
    it is filled in, the Chinese value otherwise."""
    get = obj.get if isinstance(obj, dict) else lambda k, d=None: getattr(obj, k, d)
    if get_locale() == "en":
        english = get(f"{attr}_en", "")
        if english:
            return str(english)
    return str(get(attr, "") or "")
