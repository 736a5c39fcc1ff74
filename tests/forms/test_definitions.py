"""Versioned form definitions: JSON Schema 2020-12 plus a UI description, one per scenario, a new
version only when something changed."""

from __future__ import annotations

import httpx
from jsonschema import Draft202012Validator
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.forms import build
from yiwang.forms.models import FormField
from yiwang.forms.spec import WIDGETS


async def test_definition_is_a_valid_2020_12_schema_with_its_checksum(
    client: httpx.AsyncClient,
) -> None:
    r = await client.get("/api/v1/forms/open-restaurant")
    assert r.status_code == 200
    doc = r.json()
    assert doc["schema"]["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(doc["schema"])
    stored = {k: doc[k] for k in ("schema", "ui", "rules")}
    assert doc["checksum"] == build.checksum(stored)
    assert doc["version"] >= 1
    ui = doc["ui"]
    assert {f["widget"] for f in ui["fields"].values()} <= set(WIDGETS)
    sectioned = [c for s in ui["sections"] for c in s["fields"]]
    assert sorted(sectioned) == sorted(ui["fields"])
    assert (await client.get("/api/v1/forms/no-such-scenario")).status_code == 404


async def test_merged_form_asks_each_data_element_once(client: httpx.AsyncClient) -> None:
    ui = (await client.get("/api/v1/forms/open-restaurant")).json()["ui"]
    elements = [f["element"] for f in ui["fields"].values() if f["element"]]
    assert len(elements) == len(set(elements))
    # Three departments' items share the enterprise identity and premises address.
    assert len(ui["items"]) >= 3
    owner = ui["fields"]["premises.address"]["items"]
    assert len(owner) >= 2, "the premises address is asked once for several items"


async def test_a_new_version_only_when_the_form_changes(session: AsyncSession) -> None:
    first = await build.publish(session, "open-restaurant")
    again = await build.publish(session, "open-restaurant")
    assert (again.id, again.version) == (first.id, first.version)
    await session.execute(
        update(FormField).where(FormField.code == "sign.text").values(label="招牌上的文字")
    )
    changed = await build.publish(session, "open-restaurant")
    assert changed.version == first.version + 1 and changed.checksum != first.checksum
    assert changed.document["ui"]["fields"]["sign.text"]["label"] == "招牌上的文字"
    # The older version stays readable for the applications that used it.
    old = await build.by_id(session, first.id)
    assert old.checksum == first.checksum
    assert [v.version for v in await build.versions(session, "open-restaurant")][:2] == [
        changed.version,
        first.version,
    ]
