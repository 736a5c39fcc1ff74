"""The hall map in a real browser: the district GeoJSON basemap, markers from the list, the
district filter, a popup, and not one request to anywhere but the server on 127.0.0.1.

Needs the halls demo in `yiwang demo` (at least one hall in each of several districts) and the
halls routers in the app.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, ViewportSize, expect

from yiwang.kit.i18n import translate

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
SHINAN = ("370202", "市南区")
LEVELS = ("city", "district", "street", "community")


def zh(msgid: str) -> str:
    """The page's Chinese text for a message, whether or not the catalogue has it yet."""
    return translate("zh_CN", msgid)


def watch_requests(page: Page) -> list[str]:
    urls: list[str] = []

    def keep(request: Request) -> None:
        urls.append(request.url)

    page.on("request", keep)
    return urls


def outside(urls: list[str]) -> list[str]:
    """Every request that would leave the machine: anything but data: and 127.0.0.1."""
    return [u for u in urls if urlsplit(u).scheme != "data" and urlsplit(u).hostname != "127.0.0.1"]


def marker_classes(page: Page) -> list[str]:
    classes: list[str] = page.locator("path.hall-marker").evaluate_all(
        "els => els.map(e => e.getAttribute('class'))"
    )
    return classes


def wait_for_map(page: Page) -> None:
    figure = page.locator("#hall-map-figure")
    expect(figure).to_be_visible()
    expect(page.locator("#hall-map")).to_have_attribute("data-ready", re.compile(r"^\d+$"))
    expect(page.locator("path.district-boundary")).to_have_count(10)


def shoot(page: Page, name: str, viewport: ViewportSize, *, top: str | None = None) -> None:
    """A screenshot of the viewport, scrolled so that `top` starts at its top edge."""
    page.set_viewport_size(viewport)
    if top:
        page.locator(top).evaluate("e => e.scrollIntoView({block: 'start'})")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=False, animations="disabled", caret="hide")


def test_map_filtered_to_shinan_shows_only_its_halls_with_no_outside_request(
    page: Page,
) -> None:
    requests = watch_requests(page)
    page.goto("/map")
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Service halls near you"))
    wait_for_map(page)
    # Before filtering, the first page of the list spans several districts, and so do markers.
    before = {c.split("district-")[1] for c in marker_classes(page)}
    assert len(before) > 1, before
    assert len(marker_classes(page)) == page.locator("li.hall").count()

    page.get_by_label(zh("District")).select_option(label=SHINAN[1])
    page.get_by_role("button", name=zh("Show halls")).click()
    expect(page).to_have_url(re.compile(rf"[?&]district={SHINAN[0]}(&|$)"))
    wait_for_map(page)
    items = page.locator("li.hall")
    count = items.count()
    assert count > 0
    assert set(items.locator(".hall-district").all_inner_texts()) == {SHINAN[1]}
    assert {d for d in items.evaluate_all("els => els.map(e => e.dataset.district)")} == {SHINAN[0]}
    classes = marker_classes(page)
    assert len(classes) == count
    assert all(f"district-{SHINAN[0]}" in c for c in classes), classes
    # The chosen district is outlined more heavily than the others.
    chosen = page.locator(f"path.district-boundary.district-{SHINAN[0]}")
    assert chosen.get_attribute("stroke-width") == "3"

    assert outside(requests) == [], outside(requests)
    assert any(u.endswith("/api/v1/regions/boundaries") for u in requests)
    assert any(u.endswith("/static/vendor/leaflet/leaflet.js") for u in requests)


def test_markers_differ_by_level_and_the_legend_says_so_in_words(page: Page) -> None:
    requests = watch_requests(page)
    page.goto("/map")
    wait_for_map(page)
    legend = page.locator("ul.legend li")
    expect(legend).to_have_count(4)
    expect(legend).to_have_text([zh(m) for m in (
        "City service centre",
        "District service centre",
        "Street or town service centre",
        "Community or village service station",
    )])  # fmt: skip
    widths: dict[str, float] = {}
    for level in LEVELS:
        page.goto(f"/map?level={level}")
        wait_for_map(page)
        marker = page.locator(f"path.hall-marker.level-{level}").first
        expect(marker).to_be_attached()
        box = marker.bounding_box()
        assert box is not None
        widths[level] = box["width"]
    assert widths["city"] > widths["district"] > widths["street"] > widths["community"], widths
    assert outside(requests) == []


def test_show_on_map_opens_the_halls_popup_and_its_page(page: Page) -> None:
    requests = watch_requests(page)
    page.goto(f"/map?district={SHINAN[0]}")
    wait_for_map(page)
    shoot(page, "map-desktop.png", DESKTOP, top=".map-layout")
    first = page.locator("li.hall").first
    name = first.locator(".hall-name").inner_text()
    first.get_by_role("button", name=zh("Show on the map")).click()
    popup = page.locator(".leaflet-popup")
    expect(popup).to_be_visible()
    expect(popup.locator(".hall-name")).to_have_text(name)
    # Navigation without the map: a geo: link and the coordinates as text.
    nav = first.locator(".nav-link")
    expect(nav).to_have_attribute("href", re.compile(r"^geo:-?\d+\.\d{6},-?\d+\.\d{6}\?q="))
    expect(first.locator(".coords")).to_contain_text(re.compile(r"\d+\.\d{6}\D+\d+\.\d{6}"))
    expect(first.locator(".coords")).to_contain_text("WGS-84")

    shoot(page, "map-phone.png", PHONE, top="#hall-map-figure")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    popup.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("link", name=re.compile(r"^\d[\d -]+$"))).to_have_attribute(
        "href", re.compile(r"^tel:")
    )
    expect(page.get_by_role("main")).to_contain_text("WGS-84")
    shoot(page, "hall-phone.png", PHONE)
    assert outside(requests) == []


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_the_list_and_filters_work_without_javascript(page: Page) -> None:
    """The server-rendered list is the truth; without JavaScript the map stays hidden."""
    page.goto("/map")
    expect(page.locator("#hall-map-figure")).to_be_hidden()
    page.get_by_label(zh("District")).select_option(label=SHINAN[1])
    page.get_by_role("button", name=zh("Show halls")).click()
    expect(page).to_have_url(re.compile(rf"[?&]district={SHINAN[0]}(&|$)"))
    items = page.locator("li.hall")
    expect(items.first).to_be_visible()
    assert set(items.locator(".hall-district").all_inner_texts()) == {SHINAN[1]}
