"""The citizen's path through the pages in a real browser, keyboard use, phone layout, screenshots.

Order matters: the login rate limit also counts failures per client address (every test here
comes from 127.0.0.1), so only the last test in this module enters wrong passwords.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support import demo_id_numbers
from yiwang.accounts import demo

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
MASKED_ID = re.compile(r"\d{4}\*{10}[\dX]{4}")
CITIZEN = "13800000001"  # 张伟
AGENT = "13800000003"  # 王强, authorised agent of the demo enterprise
RATE_LIMITED = "13800000002"  # 李娜, only ever given wrong passwords


def main_nav(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("navigation", name="主导航")


def log_in(page: Page, login: str, password: str = demo.DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("手机号、身份证号或用户名").fill(login)
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_role("main").get_by_role("button", name="登录").click()


def shoot(page: Page, name: str, viewport: dict[str, int]) -> None:
    page.set_viewport_size(viewport)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=False, animations="disabled", caret="hide")


def test_citizen_logs_in_switches_language_and_logs_out(page: Page) -> None:
    log_in(page, CITIZEN)
    expect(page).to_have_url(re.compile(r"/me$"))
    expect(page.get_by_role("heading", level=1, name="我的")).to_be_visible()
    summary = page.get_by_role("main").get_by_role("definition")
    expect(summary.filter(has_text="张伟")).to_have_count(1)
    id_shown = summary.filter(has_text=MASKED_ID)
    expect(id_shown).to_have_count(1)
    expect(id_shown).to_have_text(MASKED_ID)
    full_number = demo.resident_id("370202", "19880512", 31)
    assert full_number in demo_id_numbers()
    assert full_number not in page.content()

    page.get_by_role("navigation", name="语言").get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1, name="My account")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/me$"))

    page.get_by_role("navigation", name="Language").get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1, name="我的")).to_be_visible()

    main_nav(page).get_by_role("link", name="首页").click()
    expect(page).to_have_url(re.compile(r"/$"))
    main_nav(page).get_by_role("link", name="我的").click()
    expect(page).to_have_url(re.compile(r"/me$"))
    expect(main_nav(page).get_by_role("link", name="我的")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("main")).to_contain_text("张伟")

    main_nav(page).get_by_role("button", name="退出").click()
    expect(main_nav(page).get_by_role("link", name="登录")).to_be_visible()
    expect(main_nav(page).get_by_role("button", name="退出")).to_have_count(0)

    page.goto("/me")
    expect(page).to_have_url(re.compile(r"/login\?next=/me$"))
    expect(page.get_by_role("heading", level=1, name="登录")).to_be_visible()


def test_first_tab_stop_is_the_skip_link_to_main(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.get_by_role("main")).to_be_focused()


def test_phone_login_page_has_no_sideways_scroll_and_large_fields(page: Page) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/login")
    expect(page.get_by_role("heading", level=1, name="登录")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for field in (
        page.get_by_label("手机号、身份证号或用户名"),
        page.get_by_label("密码", exact=True),
    ):
        box = field.bounding_box()
        assert box is not None
        assert box["height"] >= 44, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    button = page.get_by_role("main").get_by_role("button", name="登录").bounding_box()
    assert button is not None and button["height"] >= 44, button


def test_screenshots_of_home_and_my_account(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shoot(page, "home-phone.png", PHONE)
    shoot(page, "home-desktop.png", DESKTOP)

    log_in(page, AGENT)
    expect(page.get_by_role("heading", level=1, name="我的")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("王强")
    shoot(page, "me-phone.png", PHONE)
    shoot(page, "me-desktop.png", DESKTOP)


def test_zz_last_five_wrong_passwords_then_429(page: Page) -> None:
    """Runs last: its failures count against 127.0.0.1, which every test here shares."""
    password_field = page.get_by_label("密码", exact=True)
    for attempt in range(1, 6):
        with page.expect_response(
            lambda r: r.url.endswith("/login") and r.request.method == "POST"
        ) as posted:
            log_in(page, RATE_LIMITED, "wrong-password")
        assert posted.value.status == 422, (attempt, posted.value.status)
        expect(page.get_by_role("alert")).to_contain_text("登录名或密码错误")
        expect(password_field).to_have_accessible_description(re.compile("登录名或密码错误"))
        expect(password_field).to_have_attribute("aria-invalid", "true")
        expect(page.get_by_role("alert")).to_be_focused()
        expect(page.get_by_label("手机号、身份证号或用户名")).to_have_value(RATE_LIMITED)
        if attempt == 1:
            shoot(page, "login-error-phone.png", PHONE)
            shoot(page, "login-error-desktop.png", DESKTOP)

    with page.expect_response(
        lambda r: r.url.endswith("/login") and r.request.method == "POST"
    ) as posted:
        log_in(page, RATE_LIMITED, "wrong-password")
    assert posted.value.status == 429
    expect(page.get_by_role("alert")).to_contain_text("尝试次数过多")
    expect(password_field).to_have_accessible_description(re.compile("尝试次数过多"))
    expect(page).to_have_title(re.compile("登录"))
