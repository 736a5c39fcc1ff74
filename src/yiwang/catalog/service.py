"""The catalogue: items as a citizen reads them, scenarios and their question trees."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.accounts.authz import Principal
from yiwang.accounts.models import Department
from yiwang.audit import service as audit
from yiwang.catalog import search
from yiwang.catalog import tree as trees
from yiwang.catalog.models import (
    BasicItem,
    Domain,
    Faq,
    Fee,
    HandlingItem,
    ImplItem,
    Material,
    Result,
    Scenario,
    ScenarioItem,
    Synonym,
)
from yiwang.db import utcnow
from yiwang.kit.errors import AppError, Conflict, Forbidden, Invalid, InvalidMany, NotFound
from yiwang.kit.i18n import N_

KIND_LABELS = {
    "new": N_("New"),
    "change": N_("Change of details"),
    "renew": N_("Renewal"),
    "cancel": N_("Cancellation"),
}
SOURCE_LABELS = {
    "licence": N_("From your electronic licences"),
    "shared": N_("From shared government data"),
    "history": N_("From your earlier applications"),
    "upload": N_("You upload it"),
}
# Materials from these sources the platform fetches itself: the applicant hands in nothing.
SUPPLIED = frozenset({"licence", "shared", "history"})
FORM_LABELS = {
    "original": N_("Original"),
    "copy": N_("Copy"),
    "electronic": N_("Electronic"),
}
DEPTH_LABELS = {
    1: N_("Information online"),
    2: N_("Forms to download online"),
    3: N_("Pre-check online, then in person"),
    4: N_("Handled entirely online"),
}
UNIT_LABELS = {"working": N_("working days"), "natural": N_("calendar days")}


@dataclass(frozen=True)
class ItemDetail:
    item: ImplItem
    basic: BasicItem
    domain: Domain
    department: Department
    handling: list[HandlingItem]
    materials: list[Material]
    fees: list[Fee]
    faqs: list[Faq]
    results: list[Result]

    @property
    def supplied_count(self) -> int:
        return sum(1 for m in self.materials if m.source in SUPPLIED)


async def _all(session: AsyncSession, stmt: Any) -> list[Any]:
    return list((await session.execute(stmt)).scalars())


async def item_detail(session: AsyncSession, code: str) -> ItemDetail:
    row = (
        await session.execute(
            select(ImplItem, BasicItem, Domain, Department)
            .join(BasicItem, BasicItem.id == ImplItem.basic_item_id)
            .join(Domain, Domain.code == BasicItem.domain_code)
            .join(Department, Department.id == ImplItem.department_id)
            .where(ImplItem.code == code, ImplItem.active.is_(True))
        )
    ).first()
    if row is None:
        raise NotFound()
    item, basic, domain, dept = row
    return ItemDetail(
        item=item,
        basic=basic,
        domain=domain,
        department=dept,
        handling=await _all(
            session,
            select(HandlingItem)
            .where(HandlingItem.impl_item_id == item.id)
            .order_by(HandlingItem.id),
        ),
        materials=await _all(
            session,
            select(Material)
            .where(Material.impl_item_id == item.id)
            .order_by(Material.sort, Material.id),
        ),
        fees=await _all(session, select(Fee).where(Fee.impl_item_id == item.id).order_by(Fee.id)),
        faqs=await _all(
            session, select(Faq).where(Faq.impl_item_id == item.id).order_by(Faq.sort, Faq.id)
        ),
        results=await _all(
            session, select(Result).where(Result.impl_item_id == item.id).order_by(Result.id)
        ),
    )


async def domains_with_counts(session: AsyncSession) -> list[tuple[Domain, int]]:
    q = (
        select(Domain, func.count(ImplItem.id))
        .outerjoin(BasicItem, BasicItem.domain_code == Domain.code)
        .outerjoin(ImplItem, (ImplItem.basic_item_id == BasicItem.id) & ImplItem.active.is_(True))
        .group_by(Domain.code)
        .order_by(Domain.sort, Domain.code)
    )
    return [(d, int(n)) for d, n in (await session.execute(q)).all()]


async def get_domain(session: AsyncSession, code: str) -> Domain:
    domain = await session.get(Domain, code)
    if domain is None:
        raise NotFound()
    return domain


async def items_in_domain(
    session: AsyncSession, domain_code: str, region_code: str | None = None
) -> list[tuple[ImplItem, str]]:
    q = (
        select(ImplItem, Department.name)
        .join(BasicItem, BasicItem.id == ImplItem.basic_item_id)
        .join(Department, Department.id == ImplItem.department_id)
        .where(BasicItem.domain_code == domain_code, ImplItem.active.is_(True))
        .order_by(ImplItem.region_code, ImplItem.name)
    )
    if region_code:
        q = q.where(ImplItem.region_code == region_code)
    return [(i, n) for i, n in (await session.execute(q)).all()]


async def list_scenarios(session: AsyncSession, *, published_only: bool = True) -> list[Scenario]:
    q = select(Scenario).order_by(Scenario.sort, Scenario.id)
    if published_only:
        q = q.where(Scenario.published.is_(True))
    return await _all(session, q)


async def scenario_by_code(
    session: AsyncSession, code: str, *, published_only: bool = True
) -> Scenario:
    scenario = (
        await session.execute(select(Scenario).where(Scenario.code == code))
    ).scalar_one_or_none()
    if scenario is None or (published_only and not scenario.published):
        raise NotFound()
    return scenario


@dataclass(frozen=True)
class OutcomeItem:
    handling: HandlingItem
    item: ImplItem
    department: str
    materials: list[Material]
    basic_code: str = ""
    department_en: str = ""
    department_code: str = ""


async def outcome_items(session: AsyncSession, codes: list[str]) -> list[OutcomeItem]:
    """The handling items an outcome names, in the tree's order, each with its materials."""
    rows = (
        await session.execute(
            select(
                HandlingItem,
                ImplItem,
                Department.name,
                Department.name_en,
                BasicItem.code,
                Department.code,
            )
            .join(ImplItem, ImplItem.id == HandlingItem.impl_item_id)
            .join(BasicItem, BasicItem.id == ImplItem.basic_item_id)
            .join(Department, Department.id == ImplItem.department_id)
            .where(HandlingItem.code.in_(codes))
        )
    ).all()
    by_code = {h.code: (h, i, d, d_en, b, dc) for h, i, d, d_en, b, dc in rows}
    item_ids = {i.id for _, i, *_ in rows}
    materials = await _all(
        session,
        select(Material)
        .where(Material.impl_item_id.in_(item_ids))
        .order_by(Material.sort, Material.id),
    )
    out = []
    for code in codes:
        if code not in by_code:
            continue
        h, i, d, d_en, b, dc = by_code[code]
        mats = [
            m for m in materials if m.impl_item_id == i.id and m.handling_kind in (None, h.kind)
        ]
        out.append(
            OutcomeItem(
                handling=h,
                item=i,
                department=d,
                materials=mats,
                basic_code=b,
                department_en=d_en,
                department_code=dc,
            )
        )
    return out


@dataclass(frozen=True)
class Terms:
    """What the implementation item behind a handling item promises, and who handles it."""

    department_id: int
    region_code: str
    promised_limit: int
    promised_unit: str  # working | natural


async def terms(session: AsyncSession, codes: list[str]) -> list[Terms]:
    """In the order of `codes`."""
    q = (
        select(
            HandlingItem.code,
            ImplItem.department_id,
            ImplItem.region_code,
            ImplItem.promised_limit,
            ImplItem.promised_unit,
        )
        .join(HandlingItem, HandlingItem.impl_item_id == ImplItem.id)
        .where(HandlingItem.code.in_(codes))
    )
    found = {row[0]: Terms(row[1], row[2], row[3], row[4]) for row in await session.execute(q)}
    return [found[c] for c in codes if c in found]


def merged_materials(items: list[OutcomeItem]) -> list[tuple[Material, list[str]]]:
    """One line per distinct material name across the outcome: 一件事 asks for it once."""
    seen: dict[str, tuple[Material, list[str]]] = {}
    for oi in items:
        for m in oi.materials:
            if m.name in seen:
                seen[m.name][1].append(oi.item.name)
            else:
                seen[m.name] = (m, [oi.item.name])
    return list(seen.values())


async def handling_codes(session: AsyncSession) -> set[str]:
    return set((await session.execute(select(HandlingItem.code))).scalars())


async def save_tree(
    session: AsyncSession, by: Principal, scenario: Scenario, tree: Mapping[str, Any]
) -> None:
    """Rejects a tree with any error (each naming its question) and changes nothing then."""
    _require_admin(by)
    errors = trees.validate(tree, await handling_codes(session))
    if errors:
        raise InvalidMany(errors)
    scenario.tree = dict(tree)
    scenario.updated_at = utcnow()
    await _sync_scenario_items(session, scenario)
    await search.index_scenarios(session, [scenario.id])
    await audit.record(
        session,
        by.actor,
        "scenario.update",
        f"scenario:{scenario.code}",
        {"questions": len(tree["questions"]), "outcomes": len(tree["outcomes"])},
    )


async def _sync_scenario_items(session: AsyncSession, scenario: Scenario) -> None:
    codes = trees.all_items(scenario.tree)
    ids = set(
        (
            await session.execute(select(HandlingItem.id).where(HandlingItem.code.in_(codes)))
        ).scalars()
    )
    have = {
        si.handling_item_id: si
        for si in await _all(
            session, select(ScenarioItem).where(ScenarioItem.scenario_id == scenario.id)
        )
    }
    for hid, si in have.items():
        if hid not in ids:
            await session.delete(si)
    for hid in ids - set(have):
        session.add(ScenarioItem(scenario_id=scenario.id, handling_item_id=hid))
    await session.flush()


def _require_admin(by: Principal) -> None:
    if not by.can("admin.access"):
        raise Forbidden()


async def create_scenario(
    session: AsyncSession, by: Principal, *, code: str, name: str, name_en: str, domain_code: str
) -> Scenario:
    """A new scenario starts unpublished with an empty tree; publishing needs a valid one."""
    _require_admin(by)
    errors: list[AppError] = []
    if not code or len(code) > 40 or not code.replace("-", "").replace("_", "").isalnum():
        errors.append(Invalid(N_("Use letters, digits, - and _ (at most 40)."), field="code"))
    if not name.strip():
        errors.append(Invalid(N_("Please fill this in."), field="name"))
    if await session.get(Domain, domain_code) is None:
        errors.append(Invalid(N_("Unknown domain."), field="domain_code"))
    if errors:
        raise InvalidMany(errors)
    if (await session.execute(select(Scenario.id).where(Scenario.code == code))).first():
        raise Conflict(N_("This code is taken."), field="code")
    top = (await session.execute(select(func.max(Scenario.sort)))).scalar_one()
    scenario = Scenario(
        code=code,
        name=name.strip(),
        name_en=name_en.strip(),
        summary="",
        domain_code=domain_code,
        applicant_types={"types": ["person", "enterprise"]},
        tree={"start": "", "questions": {}, "outcomes": {}},
        published=False,
        sort=(top or 0) + 1,
    )
    session.add(scenario)
    await session.flush()
    await audit.record(session, by.actor, "scenario.create", f"scenario:{code}", {})
    return scenario


async def update_details(
    session: AsyncSession,
    by: Principal,
    scenario: Scenario,
    *,
    name: str,
    name_en: str,
    summary: str,
    summary_en: str,
    published: bool,
) -> None:
    _require_admin(by)
    if not name.strip():
        raise InvalidMany([Invalid(N_("Please fill this in."), field="name")])
    scenario.name, scenario.name_en = name.strip(), name_en.strip()
    scenario.summary, scenario.summary_en = summary.strip(), summary_en.strip()
    scenario.published = published
    scenario.updated_at = utcnow()
    await session.flush()
    await search.index_scenarios(session, [scenario.id])
    await audit.record(
        session, by.actor, "scenario.details", f"scenario:{scenario.code}", {"published": published}
    )


async def move_scenario(session: AsyncSession, by: Principal, code: str, step: int) -> None:
    """Swap with the neighbour above (step −1) or below (+1); the list is renumbered densely."""
    _require_admin(by)
    ordered = await list_scenarios(session, published_only=False)
    index = next((n for n, s in enumerate(ordered) if s.code == code), None)
    if index is None:
        raise NotFound()
    target = index + step
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for n, s in enumerate(ordered):
        if s.sort != n:
            await session.execute(update(Scenario).where(Scenario.id == s.id).values(sort=n))
    await audit.record(session, by.actor, "scenario.move", f"scenario:{code}", {"step": step})


async def list_synonyms(session: AsyncSession) -> list[Synonym]:
    return await _all(session, select(Synonym).order_by(Synonym.phrase))


async def add_synonym(session: AsyncSession, by: Principal, phrase: str, expansion: str) -> Synonym:
    """Everyday phrasing → catalogue words, e.g. 开饭店 → 食品经营许可 开办餐饮店一件事."""
    _require_admin(by)
    phrase, expansion = phrase.strip(), " ".join(expansion.split())
    errors: list[AppError] = []
    if not 1 <= len(phrase) <= 60:
        errors.append(Invalid(N_("Enter at most {n} characters."), field="phrase", n=60))
    if not 1 <= len(expansion) <= 200:
        errors.append(Invalid(N_("Enter at most {n} characters."), field="expansion", n=200))
    if errors:
        raise InvalidMany(errors)
    if (await session.execute(select(Synonym.id).where(Synonym.phrase == phrase))).first():
        raise Conflict(N_("This phrase is already in the list."), field="phrase")
    synonym = Synonym(phrase=phrase, expansion=expansion)
    session.add(synonym)
    await session.flush()
    await audit.record(
        session,
        by.actor,
        "synonym.add",
        f"synonym:{synonym.id}",
        {"phrase": phrase, "expansion": expansion},
    )
    return synonym


async def delete_synonym(session: AsyncSession, by: Principal, synonym_id: int) -> None:
    _require_admin(by)
    synonym = await session.get(Synonym, synonym_id)
    if synonym is None:
        raise NotFound()
    await session.delete(synonym)
    await audit.record(
        session, by.actor, "synonym.delete", f"synonym:{synonym_id}", {"phrase": synonym.phrase}
    )
