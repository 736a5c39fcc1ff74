"""一张表单, the acceptance path in a real browser: the demo citizen answers the questions of
开办餐饮店一件事, applies for his shop, sees his identity and the shop's data filled in with where
each came from, answers the choices, is warned beside the field about a mistyped ID number,
fixes it, uploads the five materials, submits, reads the 办件编号, and finds the use of the
shop's data for that application under 我的数据使用记录.

Things are found by what the citizen reads (questions, legends, labels, headings, buttons), so a
wrong label fails here; only where the page gives no role or label (a read-only prefilled field,
its source tag) the form's own classes are used. No ID number is printed: the privacy scan reads
every page the browser received.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, ViewportSize, expect

from tests.e2e.test_browser import CITIZEN, log_in
from tests.files import samples
from tests.forms import flow
from yiwang.accounts.demo import ENTERPRISES
from yiwang.kit.identifiers import check_resident_id, mask_id

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
# The login tests end by locking 127.0.0.1 out on purpose; this citizen comes from elsewhere.
CLIENT_ADDRESS = "192.0.2.45"
SHOP = ENTERPRISES[1]
CITIZEN_NAME = "张伟"  # the demo login 13800000001, legal representative of SHOP
NUMBER = re.compile(r"^370202\d{16}[\dX]$")
MASKED_ID = re.compile(r"\d{4}\*{10}[\dX]{4}")

# The question tree, as the citizen reads it: an existing licence, a regular restaurant, a sign.
ANSWERS = (
    ("您是否已经办理营业执照？", "已经有营业执照"),
    ("您的餐饮店属于哪一类？", "一般餐饮服务（有堂食，面积较大）"),
    ("是否在门头设置户外招牌？", "设置"),
)
ENTERPRISE_DB = "法人基础信息"
ACCOUNT = "您的实名账户"
PROPERTY_DB = "不动产登记信息"
# The choices of tests/forms/flow.py values(), by the legend and label on the page.
CHOICES = (
    ("是否委托代理人办理", "否"),
    ("场所使用方式", "自有房屋"),
    ("设置形式", "平行于墙面设置"),
    ("是否设置照明", "否"),
    ("排水类别", "餐饮污水"),
    ("是否设置隔油池等预处理设施", "是"),
    ("排放口数量", "1个"),
    ("用水来源", "市政供水"),
    ("主体业态", "餐饮服务经营者"),
    ("是否通过网络经营", "否"),
    ("从业人数", "1–5人"),
)
FOOD_ITEMS = ("热食类食品制售", "冷食类食品制售")
TYPED = (
    ("经营场所使用面积（平方米）", "premises.area"),
    ("招牌文字内容", "sign.text"),
    ("招牌长度（米）", "sign.length"),
    ("招牌高度（米）", "sign.height"),
    ("计划设置日期", "sign.install_date"),
    ("日排水量（立方米）", "drainage.volume"),
    ("食品安全管理员姓名", "food.manager_name"),
)
MANAGER_ID_LABEL = "食品安全管理员身份证号"
UPLOADS = (
    "排水户内部排水管网图",
    "经营场所平面图",
    "主要设备设施布局及操作流程",
    "食品安全管理制度",
    "招牌设置效果图",
)


def shoot(page: Page, name: str, viewport: ViewportSize, top: Locator) -> None:
    """A screenshot of the viewport with `top` scrolled to the top of it."""
    page.set_viewport_size(viewport)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
    top.evaluate("el => el.scrollIntoView({block: 'start'})")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=False, animations="disabled", caret="hide")
    page.set_viewport_size(DESKTOP)


def field(page: Page, label: str) -> Locator:
    """The block of one form field, found by the label the citizen reads."""
    return page.locator("div.field").filter(has=page.get_by_text(label, exact=True))


def summary(page: Page, label: str) -> Locator:
    """The answer shown for one question in a summary list (review and application pages)."""
    row = page.locator("dl.summary > div").filter(has=page.get_by_text(label, exact=True))
    return row.get_by_role("definition")


def settled(page: Page) -> None:
    """Every autosave answered (HTMX marks the form while a request is out)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    expect(page.locator("#autosave-status")).to_have_text("已保存。")


def wrong_check_character(id_number: str) -> str:
    wrong = id_number[:-1] + next(c for c in "0123456789" if c != id_number[-1])
    assert not check_resident_id(wrong).valid
    return wrong


def expect_prefilled(page: Page, label: str, value: str | re.Pattern[str], source: str) -> None:
    block = field(page, label)
    expect(block.locator(".value")).to_have_text(value)
    expect(block.locator(".source")).to_contain_text(f"来自{source}")
    expect(block.locator(".source")).to_contain_text("A级")
    # Read-only: nothing to type over what the platform vouches for.
    expect(block.get_by_role("textbox")).to_have_count(0)


def answer_the_questions(page: Page) -> None:
    page.goto("/scenarios/open-restaurant")
    expect(page.get_by_role("heading", level=1)).to_have_text("开办餐饮店一件事")
    for question, choice in ANSWERS:
        page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()
        page.get_by_role("button", name="继续").click()
    expect(page.get_by_role("heading", name="您需要办理")).to_be_visible()
    answers = page.locator("dl.answers")
    for question, choice in ANSWERS:
        expect(answers).to_contain_text(f"{question}{choice}")


def test_citizen_fills_in_one_form_for_his_restaurant_and_submits(
    page: Page, tmp_path: Path
) -> None:
    values = flow.values()
    manager_id = str(values["food.manager_id"])
    page.set_extra_http_headers({"X-Forwarded-For": CLIENT_ADDRESS})
    log_in(page, CITIZEN)
    expect(page.get_by_role("heading", level=1, name="我的")).to_be_visible()

    answer_the_questions(page)
    apply = page.get_by_role("region", name="在线申请")
    apply.get_by_role("group", name="谁来申请？").get_by_label(SHOP.name).check()
    apply.get_by_role("button", name="在线申请").click()
    page.wait_for_url(re.compile(r"/drafts/[\w-]+$"))
    draft_url = page.url
    expect(page.get_by_role("heading", level=1)).to_contain_text("开办餐饮店一件事")
    expect(page.locator("dl.applicant")).to_contain_text(SHOP.name)

    # Identity and enterprise data: filled in, read-only, each with its source and grade.
    expect_prefilled(page, "单位名称", SHOP.name, ENTERPRISE_DB)
    expect_prefilled(page, "统一社会信用代码", SHOP.credit_code, ENTERPRISE_DB)
    expect_prefilled(page, "法定代表人（负责人、经营者）", CITIZEN_NAME, ENTERPRISE_DB)
    expect_prefilled(page, "经办人姓名", CITIZEN_NAME, ACCOUNT)
    expect_prefilled(page, "经办人身份证号", MASKED_ID, ACCOUNT)
    expect_prefilled(page, "经办人手机号码", CITIZEN, ACCOUNT)
    # What the platform found but the citizen confirms: offered as choices, with their source.
    premises = page.get_by_role("group", name="经营场所（住所）")
    expect(premises.get_by_role("radio", checked=True)).to_have_count(1)
    expect(premises.locator(".source").first).to_contain_text(f"来自{PROPERTY_DB}")
    expect(page.locator("#fill-free")).to_contain_text(re.compile(r"免填率\d+%"))

    for legend, label in CHOICES:
        page.get_by_role("group", name=legend).get_by_label(label, exact=True).check()
    items = page.get_by_role("group", name="经营项目")
    for label in FOOD_ITEMS:
        items.get_by_label(label, exact=True).check()
    for label, code in TYPED:
        page.get_by_label(label, exact=True).fill(str(values[code]))

    # A mistyped check character: the warning appears beside the field, as its description,
    # while the page stays where it is (the autosave answers, not a reload).
    page.evaluate("window.stillThisPage = true")
    id_input = page.get_by_label(MANAGER_ID_LABEL, exact=True)
    id_input.fill(wrong_check_character(manager_id))
    id_input.press("Tab")
    warning = field(page, MANAGER_ID_LABEL).locator(".finding")
    expect(warning).to_contain_text("校验码错误")
    expect(id_input).to_have_accessible_description(re.compile("校验码错误"))
    expect(id_input).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("window.stillThisPage") is True
    id_input.fill(manager_id)
    id_input.press("Tab")
    expect(warning).to_have_count(0)
    expect(id_input).not_to_have_accessible_description(re.compile("校验码"))
    expect(id_input).not_to_have_attribute("aria-invalid", "true")
    settled(page)
    assert page.evaluate("window.stillThisPage") is True
    shoot(page, "form-phone.png", PHONE, page.get_by_role("heading", name="企业（单位）信息"))

    pdf = tmp_path / "材料.pdf"
    pdf.write_bytes(samples.pdf())
    for material in UPLOADS:
        chooser = page.get_by_label(f"为“{material}”选择文件")
        item = page.locator("li.material").filter(has=chooser)
        chooser.set_input_files(pdf)
        item.get_by_role("button", name="上传").click()
        page.wait_for_url(f"{draft_url}#materials")
        expect(item).to_contain_text("已上传")
    # The reloaded page shows what autosave kept; the ID number only masked.
    expect(page.get_by_label("招牌文字内容", exact=True)).to_have_value(str(values["sign.text"]))
    expect(field(page, MANAGER_ID_LABEL)).to_contain_text(f"已保存：{mask_id(manager_id)}")
    expect(page.get_by_label(MANAGER_ID_LABEL, exact=True)).to_have_value("")

    page.get_by_role("button", name="检查并继续").click()
    page.wait_for_url(f"{draft_url}/review")
    expect(page.get_by_role("heading", level=1)).to_have_text("核对申请")
    precheck = page.get_by_role("region", name="智能预审")
    expect(precheck).to_be_visible()
    expect(precheck.locator(".finding-block")).to_have_count(0)
    expect(summary(page, MANAGER_ID_LABEL)).to_have_text(mask_id(manager_id))
    expect(summary(page, "招牌文字内容")).to_have_text(str(values["sign.text"]))
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/applications/370202\w+\?submitted=1$"))
    confirmation = page.get_by_role("status").filter(has_text="申请已提交")
    expect(confirmation).to_contain_text("您的办件编号")
    number = confirmation.locator("#application-number")
    expect(number).to_have_text(NUMBER)
    application_no = number.inner_text()
    assert f"/applications/{application_no}?" in page.url
    expect(summary(page, MANAGER_ID_LABEL)).to_have_text(mask_id(manager_id))
    assert manager_id not in page.content()
    shoot(page, "application-phone.png", PHONE, page.get_by_role("main"))

    page.goto("/me")
    page.get_by_role("main").get_by_role("link", name="我的数据使用记录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的数据使用记录")
    # The citizen's own records (his property, his health certificate) went with it too.
    mine = page.get_by_role("table").filter(has=page.locator("caption", has_text="您的数据"))
    expect(mine.get_by_role("row").filter(has_text=application_no).first).to_be_visible()
    page.get_by_role("navigation", name="数据主体").get_by_role("link", name=SHOP.name).click()
    usage = page.get_by_role("table").filter(has=page.locator("caption", has_text=SHOP.name))
    sent = usage.get_by_role("row").filter(has_text=application_no)
    from_registry = sent.filter(has_text=ENTERPRISE_DB)
    expect(from_registry).to_have_count(1)
    expect(from_registry).to_contain_text("随申请报送")
    expect(from_registry.get_by_role("link", name=application_no)).to_have_attribute(
        "href", f"/applications/{application_no}"
    )
