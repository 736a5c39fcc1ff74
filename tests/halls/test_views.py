"""The map page (a GET form and a server-rendered list that work without JavaScript) and the
hall page. Texts are checked through the catalogue, in the page's own language."""

from __future__ import annotations

import re

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from tests.halls import fixture
from yiwang.kit.i18n import translate, translations

HALL_LI = re.compile(r'<li class="hall" id="hall-([^"]+)"[^>]*data-district="(\d{6})"')


def zh(msgid: str, **params: object) -> str:
    return translate("zh_CN", msgid, **params)


def listed(html: str) -> list[tuple[str, str]]:
    return HALL_LI.findall(html)


async def test_map_lists_the_filtered_halls_without_javascript(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await fixture.standard(session)
    r = await client.get("/map", params={"item": "T-ITEM-A", "district": "370202"})
    assert r.status_code == 200
    html = r.text
    assert listed(html) == [("T-H1", "370202"), ("T-H3", "370202"), ("T-H2", "370202")]
    assert 'value="370202" selected' in html and 'value="T-ITEM-A" selected' in html
    found = translations("zh_CN").ngettext("{n} hall found", "{n} halls found", 3)
    assert f'<h2 id="list-title">{found.format(n=3)}</h2>' in html
    assert '<a href="/halls/T-H1">' in html
    # Navigation: a geo: URI and the coordinates in text, labelled WGS-84.
    lat, lng = fixture.moved(fixture.HERE, 300, 0)
    point = f"{lat:.6f},{lng:.6f}"
    assert f'href="geo:{point}?q={point}(' in html
    coords = zh("Latitude {lat}, longitude {lng}", lat=f"{lat:.6f}", lng=f"{lng:.6f}")
    assert f'{coords} <span class="datum">{zh("(WGS-84)")}</span>' in html
    assert 'href="tel:0532-80000000"' in html
    # Open-now is text, not colour alone (T-H1 is always open, T-H2 never).
    t_h1 = html[html.index('id="hall-T-H1"') : html.index('id="hall-T-H3"')]
    t_h2 = html[html.index('id="hall-T-H2"') :]
    assert zh("Open now") in t_h1 and zh("Closed now") in t_h2
    # The map enhances the list: its data comes from the list, its basemap from our own GeoJSON.
    assert 'data-lat="' in html and 'data-level="city"' in html
    assert 'data-boundaries="/api/v1/regions/boundaries"' in html
    assert zh("The boundaries are for orientation only: not an officially approved map.") in html


async def test_map_page_makes_no_outside_requests_and_has_no_inline_script(
    client: httpx.AsyncClient,
) -> None:
    html = (await client.get("/map")).text
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/static/' in s for s in scripts), scripts
    for attr in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not attr.startswith(("http:", "https:", "//")), attr
    assert 'href="/static/vendor/leaflet/leaflet.css"' in html
    assert 'src="/static/vendor/leaflet/leaflet.js"' in html
    assert 'src="/static/js/map.js"' in html
    script = (await client.get("/static/js/map.js")).text
    assert "tileLayer" not in script and "http" not in script
    for asset in (
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet/leaflet.css",
        "/static/css/map.css",
    ):
        assert (await client.get(asset)).status_code == 200, asset


async def test_the_legend_names_every_level_in_text(client: httpx.AsyncClient) -> None:
    html = (await client.get("/map")).text
    legend = html[html.index('<ul class="legend"') : html.index("</ul>", html.index("legend"))]
    for msgid in (
        "City service centre",
        "District service centre",
        "Street or town service centre",
        "Community or village service station",
    ):
        assert zh(msgid) in legend
    # Sizes differ by level, so colour is not the only cue.
    radii = re.findall(r'<circle [^>]*r="([\d.]+)"', legend)
    assert len(set(radii)) == 4, radii


async def test_open_now_and_text_filters(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await fixture.standard(session)
    r = await client.get("/map", params={"item": "T-ITEM-A", "open_now": "1", "level": "community"})
    assert r.status_code == 200 and listed(r.text) == []  # T-H2 is never open
    assert 'name="open_now" type="checkbox" value="1" checked' in r.text
    r = await client.get("/map", params={"q": "T-C"})
    assert [code for code, _ in listed(r.text)] == ["T-C1", "T-C2"]


async def test_bad_filters_show_errors_beside_the_fields(client: httpx.AsyncClient) -> None:
    r = await client.get("/map", params={"level": "province", "district": "110101"})
    assert r.status_code == 422
    assert 'id="f-level-error"' in r.text and 'id="f-district-error"' in r.text
    assert 'aria-invalid="true" aria-describedby="f-level-error"' in r.text
    assert 'href="#f-level"' in r.text  # the summary links to the field
    assert listed(r.text) == []
    r = await client.get("/map", params={"item": "NO-SUCH"})
    assert r.status_code == 422 and 'id="f-item-error"' in r.text
    assert zh("Choose an item from the list.") in r.text
    r = await client.get("/map", params={"item": "NO-SUCH", "level": "province"})
    assert r.status_code == 422
    assert 'id="f-item-error"' in r.text and 'id="f-level-error"' in r.text


async def test_pages_keep_the_filters(client: httpx.AsyncClient, session: AsyncSession) -> None:
    items = await fixture.add_items(session)
    for n in range(55):
        await fixture.add_hall(
            session, f"T-P{n:02d}", fixture.moved(fixture.HERE, n * 10, 0), [items["T-ITEM-R"]]
        )
    first = await client.get("/map", params={"item": "T-ITEM-R"})
    assert len(listed(first.text)) == 50
    assert 'href="/map?item=T-ITEM-R&amp;page=2" rel="next"' in first.text
    second = await client.get("/map", params={"item": "T-ITEM-R", "page": "2"})
    assert [c for c, _ in listed(second.text)] == [f"T-P{n:02d}" for n in range(50, 55)]
    assert 'href="/map?item=T-ITEM-R&amp;page=1" rel="prev"' in second.text
    assert (await client.get("/map", params={"page": "nonsense"})).status_code == 200


async def test_hall_page(client: httpx.AsyncClient, session: AsyncSession) -> None:
    f = await fixture.standard(session)
    h3 = f.halls["T-H3"]
    r = await client.get("/halls/T-H3")
    assert r.status_code == 200
    html = r.text
    assert "<h1>测试T-H3便民服务站</h1>" in html
    assert h3.address in html and "370202001001" in html
    assert 'href="tel:0532-80000000"' in html
    assert f'href="geo:{h3.lat:.6f},{h3.lng:.6f}?q=' in html and "WGS-84" in html
    assert html.count("<tr") == 1 + 7 + 1 + 7  # two tables: seven days each, with headers
    assert zh("Monday") in html and "08:30–12:00" in html
    assert zh("Closed on public holidays.") in html
    assert zh("Step-free ramp") in html and zh("Accessible toilet") in html
    assert '<a href="/items/T-ITEM-A">测试事项0</a>' in html
    assert 'href="/map?district=370202"' in html
    assert (await client.get("/halls/NO-SUCH")).status_code == 404
    assert (await client.get("/halls/T-H5")).status_code == 404


async def test_pages_in_english(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await fixture.standard(session)
    client.cookies.set("yiwang_lang", "en")
    html = (await client.get("/map", params={"item": "T-ITEM-B"})).text
    assert "Test hall T-H1" in html and "Shinan District" in html
    assert "not an officially approved map" in html
    assert "Latitude " in html and "(WGS-84)" in html
    hall = (await client.get("/halls/T-H1")).text
    assert "Test hall T-H1" in hall and "Open on public holidays" in hall
    assert "Test item 0" in hall
