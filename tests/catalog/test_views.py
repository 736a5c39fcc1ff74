from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.catalog.small import small_catalogue
from tests.support import csrf_from, login
from yiwang.audit.models import AuditEvent
from yiwang.catalog.models import Scenario, ScenarioItem


async def test_item_page_has_what_a_citizen_needs(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await small_catalogue(session)
    page = await client.get("/items/T-FOOD")
    assert page.status_code == 200
    text = page.text
    for expected in (
        "食品经营许可（测试）",
        "营业执照",
        "经营场所平面图",
        "平台自动获取",
        "5 个工作日",
        "不收费",
        "市南区政务服务中心",
        "全程网办",
        "/map?item=T-FOOD",
    ):
        assert expected in text, expected
    assert (await client.get("/items/NO-SUCH")).status_code == 404


async def test_item_page_in_english(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await small_catalogue(session)
    client.cookies.set("yiwang_lang", "en")
    page = await client.get("/items/T-FOOD")
    assert "T-FOOD (test)" in page.text and "Handled entirely online" in page.text


async def test_scenario_walk_without_javascript(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await small_catalogue(session)
    first = await client.get("/scenarios/t-restaurant")
    assert first.status_code == 200 and "您要做什么？" in first.text
    second = await client.get("/scenarios/t-restaurant", params=[("a", "0")])
    assert "是否销售酒类？" in second.text and "新开一家餐饮店" in second.text
    done = await client.get("/scenarios/t-restaurant", params=[("a", "0"), ("a", "0")])
    assert "办理食品经营许可和酒类备案" in done.text
    # Both items are listed, and the shared material appears once.
    assert "食品经营许可（测试）新设" in done.text and "酒类经营备案（测试）新设" in done.text
    assert done.text.count("<td>营业执照") == 1
    bad = await client.get("/scenarios/t-restaurant", params=[("a", "7")])
    assert bad.status_code == 422 and "请选择一个答案" in bad.text


async def test_unpublished_scenario_is_hidden(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    data = await small_catalogue(session)
    data["scenario"].published = False
    await session.flush()
    assert (await client.get("/scenarios/t-restaurant")).status_code == 404


async def test_admin_saves_a_tree_and_a_loop_is_rejected(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await small_catalogue(session)
    await login(client, "admin")
    page = await client.get("/admin/scenarios/t-restaurant")
    assert page.status_code == 200 and 'name="q-0-id" value="q1"' in page.text
    form = _form_from_editor(page.text)
    # q2's second choice now goes back to q1: a loop, named.
    form["q-1-c-1-target"] = "q:q1"
    looped = await client.post("/admin/scenarios/t-restaurant", data=form)
    assert looped.status_code == 422
    assert "问题 q2 又绕回到问题 q1" in looped.text and "未保存" in looped.text
    scenario = (
        await session.execute(select(Scenario).where(Scenario.code == "t-restaurant"))
    ).scalar_one()
    await session.refresh(scenario)
    assert scenario.tree["questions"]["q2"]["choices"][1]["outcome"] == "open"

    form["q-1-c-1-target"] = "o:close"
    form["summary"] = "改过的说明"
    saved = await client.post("/admin/scenarios/t-restaurant", data=form)
    assert saved.status_code == 200 and "已保存" in saved.text
    await session.refresh(scenario)
    assert scenario.tree["questions"]["q2"]["choices"][1]["outcome"] == "close"
    assert scenario.summary == "改过的说明"
    codes = (
        (
            await session.execute(
                select(ScenarioItem.handling_item_id).where(ScenarioItem.scenario_id == scenario.id)
            )
        )
        .scalars()
        .all()
    )
    assert len(codes) == 3
    last = (
        await session.execute(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    ).scalar_one()
    assert last.action == "scenario.update"


async def test_preview_shows_paths_and_saves_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await small_catalogue(session)
    await login(client, "admin")
    page = await client.get("/admin/scenarios/t-restaurant")
    form = _form_from_editor(page.text)
    form["action"] = "preview"
    form["q-0-text"] = "预览中的问题"
    preview = await client.post("/admin/scenarios/t-restaurant", data=form)
    assert preview.status_code == 200 and "预览中的问题" in preview.text
    assert preview.text.count('<li><span class="hint">') == 3
    again = await client.get("/admin/scenarios/t-restaurant")
    assert "预览中的问题" not in again.text


async def test_admin_creates_and_reorders_scenarios(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await small_catalogue(session)
    await login(client, "admin")
    page = await client.get("/admin/scenarios")
    token = csrf_from(page.text)
    bad = await client.post(
        "/admin/scenarios",
        data={"code": "bad code!", "name": "", "domain_code": "t-food", "csrf_token": token},
    )
    assert (
        bad.status_code == 422
        and 'id="f-code-error"' in bad.text
        and 'id="f-name-error"' in bad.text
    )
    ok = await client.post(
        "/admin/scenarios",
        data={
            "code": "t-new",
            "name": "新一件事",
            "name_en": "",
            "domain_code": "t-food",
            "csrf_token": token,
        },
    )
    assert ok.status_code == 303
    assert (await client.get("/scenarios/t-new")).status_code == 404  # a draft stays hidden
    assert (await client.get("/admin/scenarios")).text.count("t-new") >= 1
    before = await _order(session)
    await client.post("/admin/scenarios/t-new/move", data={"step": "up", "csrf_token": token})
    after = await _order(session)
    assert after.index("t-new") == before.index("t-new") - 1
    assert after[before.index("t-new")] == before[before.index("t-new") - 1]


async def _order(session: AsyncSession) -> list[str]:
    session.expire_all()
    return [
        s.code
        for s in (
            await session.execute(select(Scenario).order_by(Scenario.sort, Scenario.id))
        ).scalars()
    ]


async def test_citizen_cannot_edit_scenarios(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await small_catalogue(session)
    await login(client, "13800000001")
    assert (await client.get("/admin/scenarios")).status_code == 403
    page = await client.get("/me")
    r = await client.post(
        "/admin/scenarios/t-restaurant", data={"csrf_token": csrf_from(page.text)}
    )
    assert r.status_code == 403


def _form_from_editor(html: str) -> dict[str, str]:
    """The editor's fields as a browser would send them (inputs, textareas, selected options)."""
    import re

    form: dict[str, str] = {}
    for m in re.finditer(r'<input[^>]*name="([^"]+)"[^>]*>', html):
        tag = m.group(0)
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        form[m.group(1)] = "on" if 'type="checkbox"' in tag else (value.group(1) if value else "")
    for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        form[m.group(1)] = m.group(2)
    for m in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', m.group(2))
        form[m.group(1)] = chosen.group(1) if chosen else ""
    import html as h

    return {k: h.unescape(v) for k, v in form.items()}


async def test_admin_keeps_the_synonyms_and_search_uses_them(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    from yiwang.catalog import search

    await small_catalogue(session)
    await search.reindex(session)
    await login(client, "admin")
    page = await client.get("/admin/synonyms")
    token = csrf_from(page.text)
    bad = await client.post(
        "/admin/synonyms", data={"phrase": "", "expansion": "", "csrf_token": token}
    )
    assert bad.status_code == 422 and 'id="f-phrase-error"' in bad.text
    ok = await client.post(
        "/admin/synonyms",
        data={"phrase": "想卖盒饭", "expansion": "开办餐饮店（测试）", "csrf_token": token},
    )
    assert ok.status_code == 303
    dup = await client.post(
        "/admin/synonyms", data={"phrase": "想卖盒饭", "expansion": "x", "csrf_token": token}
    )
    assert dup.status_code == 409
    found = await client.get("/search", params={"q": "想卖盒饭"})
    assert "/scenarios/t-restaurant" in found.text
    listed = await client.get("/admin/synonyms")
    row = listed.text.split("<td>想卖盒饭</td>")[1]
    synonym_id = row.split('action="/admin/synonyms/')[1].split("/")[0]
    await client.post(f"/admin/synonyms/{synonym_id}/delete", data={"csrf_token": token})
    assert "想卖盒饭" not in (await client.get("/admin/synonyms")).text


async def test_search_page_lists_items_and_scenarios(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    from yiwang.catalog import search

    await small_catalogue(session)
    await search.reindex(session)
    page = await client.get("/search", params={"q": "餐饮店"})
    assert page.status_code == 200 and "/scenarios/t-restaurant" in page.text
    assert "一件事" in page.text
    too_long = await client.get("/search", params={"q": "长" * 101})
    assert too_long.status_code == 422 and 'id="f-q-error"' in too_long.text


async def test_scenario_edits_reach_the_search_index(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    from yiwang.catalog import search

    await small_catalogue(session)
    await search.reindex(session)
    await login(client, "admin")
    page = await client.get("/admin/scenarios/t-restaurant")
    form = _form_from_editor(page.text)
    form["name"] = "开办奶茶店一件事（测试）"
    assert (await client.post("/admin/scenarios/t-restaurant", data=form)).status_code == 200
    hits = await search.search(session, "奶茶店")
    assert [h.code for h in hits][:1] == ["t-restaurant"]
