"""A citizen's way from everyday words to the services of a scenario, in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def test_search_in_everyday_words_then_answer_the_questions(page: Page) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None
        ),
    )
    page.goto("/")
    page.get_by_role("search").get_by_label("您想办什么事？").fill("开饭店")
    page.get_by_role("search").get_by_role("button", name="搜索").click()
    results = page.get_by_role("list", name=re.compile("条结果"))
    expect(results).to_be_visible()
    scenario_link = results.get_by_role("link", name="开办餐饮店一件事")
    expect(scenario_link).to_be_visible()
    # The hit says it is a scenario, not a single item.
    hit = results.locator("li").filter(has=page.get_by_role("link", name="开办餐饮店一件事"))
    expect(hit.locator(".tag")).to_have_text("一件事")
    scenario_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("开办餐饮店一件事")

    # Answer each question with its first choice until the outcome appears.
    for _ in range(10):
        if page.get_by_role("heading", name="您需要办理").count():
            break
        group = page.get_by_role("group").first
        group.get_by_role("radio").first.check()
        page.get_by_role("button", name="继续").click()
    expect(page.get_by_role("heading", name="您需要办理")).to_be_visible()
    items = page.locator("ol.outcome-items > li")
    expect(items.first).to_be_visible()
    materials = page.get_by_role("table").filter(has_text="材料")
    expect(materials.locator("tbody tr").first).to_be_visible()
    # Changing an answer goes back to that question.
    page.get_by_role("link", name=re.compile("^修改")).first.click()
    expect(page.get_by_role("button", name="继续")).to_be_visible()
    assert outside == []
