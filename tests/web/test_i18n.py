from __future__ import annotations

import re
from pathlib import Path

import httpx
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from yiwang.kit.i18n import both, negotiate

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "yiwang"
PO = SRC / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _extracted() -> set[str]:
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(SRC), method_map, keywords={"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}
    ):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def test_every_message_has_a_chinese_translation() -> None:
    catalog = read_po(PO.open("rb"), locale="zh_CN")
    translated: dict[str, str] = {}
    for m in catalog:
        if m.id and not m.fuzzy:
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            text = m.string[0] if isinstance(m.string, tuple) else m.string
            translated.update(dict.fromkeys(ids, text))
    missing = sorted(m for m in _extracted() if not translated.get(m))
    assert missing == []


EXPRESSION = re.compile(r"{{.*?}}|{%.*?%}", re.S)


def test_templates_hold_no_chinese_outside_the_catalogue() -> None:
    """Chinese may stand inside a catalogue call (an example in a hint), never in the markup."""
    offenders = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("templates/**/*.html")
        if CJK.search(EXPRESSION.sub("", p.read_text()))
    ]
    assert offenders == []
    assert CJK.search(EXPRESSION.sub("", "<p>{{ _('例如') }}</p><p>办事</p>"))


def test_negotiation_prefers_cookie_then_accept_language() -> None:
    assert negotiate(None, None) == "zh_CN"
    assert negotiate(None, "en-GB,en;q=0.9") == "en"
    assert negotiate(None, "zh-TW,zh;q=0.9") == "zh_CN"
    assert negotiate("en", "zh-CN") == "en"
    assert negotiate("fr", "de") == "zh_CN"


def test_both_languages_and_parameters() -> None:
    assert both("Unknown region code {code}.", code="999999") == {
        "zh": "行政区划代码 999999 不存在。",
        "en": "Unknown region code 999999.",
    }


async def test_language_switch_sets_a_cookie_and_redirects_only_on_site(
    client: httpx.AsyncClient,
) -> None:
    r = await client.get("/lang/en", params={"next": "/login"})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    page = await client.get("/login")
    assert '<html lang="en">' in page.text and "Log in" in page.text
    evil = await client.get("/lang/zh_CN", params={"next": "https://evil.example/"})
    assert evil.headers["location"] == "/"
    assert '<html lang="zh-CN">' in (await client.get("/")).text


async def test_accept_language_english(client: httpx.AsyncClient) -> None:
    page = await client.get("/", headers={"accept-language": "en-US,en;q=0.8"})
    assert "Apply once, online" in page.text
