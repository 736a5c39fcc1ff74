"""一张表单 in a real browser: the demo citizen applies for 开办餐饮店一件事 for his shop, sees what
the platform filled and where from, is warned inline about a mistyped ID number, fixes it,
submits, gets the 办件编号, and finds the use of his shop's data under 数据使用记录."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.test_browser import CITIZEN, DESKTOP, log_in, shoot
from tests.files import samples
from tests.forms import flow

UPLOADS = (
    "排水户内部排水管网图",
    "经营场所平面图",
    "主要设备设施布局及操作流程",
    "食品安全管理制度",
    "招牌设置效果图",
)
NUMBER = re.compile(r"^370202\d{16}[\dX]$")


def settle(page: Page) -> None:
    """Every autosave request answered."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')", timeout=10_000)


def pick(page: Page, code: str, value: str) -> None:
    page.locator(f'input[name="{code}"][value="{value}"]').check()


def test_citizen_applies_for_his_restaurant_with_one_form(page: Page, tmp_path: Path) -> None:
    # Another citizen's address: the login tests block 127.0.0.1 for a while on purpose.
    page.set_extra_http_headers({"X-Forwarded-For": "192.0.2.44"})
    log_in(page, CITIZEN)
    expect(page.get_by_role("heading", level=1, name="我的")).to_be_visible()
    page.goto("/scenarios/open-restaurant?a=2&a=0&a=0")
    apply = page.get_by_role("region", name="在线申请")
    apply.get_by_label(flow.SHOP).check()
    apply.get_by_role("button", name="在线申请").click()
    expect(page).to_have_url(re.compile(r"/drafts/[\w-]+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("开办餐饮店一件事")

    # Identity and enterprise data are filled, read-only, each with its source.
    name = page.locator("#f-ent-name-wrap")
    expect(name.locator(".value")).to_have_text(flow.SHOP)
    expect(name.locator(".source")).to_contain_text("法人基础信息")
    expect(page.locator("#f-agent-name-wrap .value")).to_have_text("张伟")
    expect(page.locator('input[name="ent.name"]')).to_have_count(0)
    expect(page.locator("#fill-free")).to_contain_text("%")

    values = flow.values()
    for code in ("other.entrusted", "premises.tenure", "sign.form", "sign.lighting"):
        pick(page, code, str(values[code]))
    for code in ("drainage.type", "drainage.pretreatment", "drainage.outlets"):
        pick(page, code, str(values[code]))
    for code in ("drainage.water_source", "food.main_business", "food.online", "biz.staff_range"):
        pick(page, code, str(values[code]))
    for item in values["food.items"]:
        page.locator(f'input[name="food.items"][value="{item}"]').check()
    page.get_by_label("经营场所使用面积（平方米）").fill("86.4")
    page.get_by_label("招牌文字内容").fill("张记海鲜")
    page.get_by_label("招牌长度（米）").fill("4.5")
    page.get_by_label("招牌高度（米）").fill("0.8")
    page.get_by_label("计划设置日期").fill(str(values["sign.install_date"]))
    page.get_by_label("日排水量（立方米）").fill("3.5")
    page.get_by_label("食品安全管理员姓名").fill(str(values["food.manager_name"]))

    # A mistyped ID number: the warning appears beside the field while filling in.
    id_input = page.get_by_label("食品安全管理员身份证号")
    id_number = str(values["food.manager_id"])
    wrong = id_number[:-1] + ("1" if id_number[-1] != "1" else "2")
    id_input.fill(wrong)
    id_input.press("Tab")
    settle(page)
    findings = page.locator("#f-food-manager_id-findings")
    expect(findings).to_contain_text("校验码", timeout=10_000)
    id_input.fill(id_number)
    id_input.press("Tab")
    settle(page)
    expect(findings).not_to_contain_text("校验码", timeout=10_000)
    expect(page.locator("#autosave-status")).to_have_text("已保存。")
    page.get_by_role("heading", level=1).scroll_into_view_if_needed()
    shoot(page, "form-desktop.png", DESKTOP)

    pdf = tmp_path / "材料.pdf"
    pdf.write_bytes(samples.pdf())
    for material in UPLOADS:
        item = page.locator("li.material").filter(has_text=material)
        item.locator('input[type="file"]').set_input_files(pdf)
        item.get_by_role("button", name="上传").click()
        expect(page.locator("li.material").filter(has_text=material)).to_contain_text("已上传")

    page.get_by_role("button", name="检查并继续").click()
    expect(page).to_have_url(re.compile(r"/review$"))
    page.get_by_role("button", name="提交申请").click()
    number = page.locator("#application-number")
    expect(number).to_have_text(NUMBER)
    application_no = number.inner_text()
    shoot(page, "application-desktop.png", DESKTOP)

    page.goto("/me/data-usage")
    page.get_by_role("link", name=flow.SHOP).click()
    used = page.locator("table.usage tbody tr").filter(has_text=application_no)
    expect(used.filter(has_text="法人基础信息")).to_have_count(1)
