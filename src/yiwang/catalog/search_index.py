"""The search index: what it holds for each item and scenario (read from the catalogue
tables), the full rebuild and the incremental updates, and the term statistics for IDF."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import BindParameter, bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncSession

# Department names come through the accounts service; the catalogue tables are this
# package's own.
from yiwang.accounts import service as accounts
from yiwang.catalog import segment
from yiwang.catalog.models import (
    BasicItem,
    Domain,
    Faq,
    HandlingItem,
    ImplItem,
    Result,
    Scenario,
    ScenarioItem,
)
from yiwang.db import is_postgresql

ANALYZE_AFTER = 500  # documents written at once

_INSERT = text(
    "INSERT INTO catalog_search_docs (kind, ref_id, code, name, name_en, department_id, "
    "department, department_en, dept_ids, domain_code, region_code, for_person, for_enterprise, "
    "online_depth, name_tokens, body_tokens, name_chars) VALUES (:kind, :ref_id, :code, "
    ":name, :name_en, :department_id, :department, :department_en, :dept_ids, :domain_code, "
    ":region_code, :for_person, :for_enterprise, :online_depth, :name_tokens, :body_tokens, "
    ":name_chars)"
)
_ADD_TERMS = text(
    "INSERT INTO catalog_search_terms (term, df, name_df) VALUES (:term, :df, :name_df) "
    "ON CONFLICT (term) DO UPDATE SET df = catalog_search_terms.df + excluded.df, "
    "name_df = catalog_search_terms.name_df + excluded.name_df"
)


def expanding_ids() -> BindParameter[Any]:
    return bindparam("ids", expanding=True)


@dataclass(frozen=True)
class Doc:
    kind: str
    ref_id: int
    code: str
    name: str
    name_en: str
    department_id: int | None
    department: str
    department_en: str
    dept_ids: str
    domain_code: str
    region_code: str
    for_person: bool
    for_enterprise: bool
    online_depth: int
    name_tokens: str
    body_tokens: str

    def row(self) -> dict[str, Any]:
        return asdict(self) | {"name_chars": segment.chars(self.name)}


def _types(applicant_types: dict[str, Any] | None) -> set[str]:
    return set((applicant_types or {}).get("types") or [])


def _topics(topics: dict[str, Any] | None) -> list[str]:
    return [str(t) for t in (topics or {}).get("topics") or []]


async def _domains(session: AsyncSession) -> dict[str, str]:
    return {d.code: d.name for d in (await session.execute(select(Domain))).scalars()}


async def item_docs(session: AsyncSession, ids: Sequence[int] | None = None) -> list[Doc]:
    """Documents of the active implementation items (all, or those of `ids`)."""
    stmt = (
        select(ImplItem, BasicItem.name, BasicItem.domain_code)
        .join(BasicItem, BasicItem.id == ImplItem.basic_item_id)
        .where(ImplItem.active.is_(True))
        .order_by(ImplItem.id)
    )
    if ids is not None:
        stmt = stmt.where(ImplItem.id.in_(ids))
    rows = (await session.execute(stmt)).all()
    if not rows:
        return []
    extra: dict[int, list[str]] = defaultdict(list)
    # FAQ questions are written the way applicants ask (营业执照多久能拿到？); not the answers,
    # whose long prose would match almost anything.
    for owner, words in (
        (HandlingItem.impl_item_id, HandlingItem.name),
        (Result.impl_item_id, Result.name),
        (Faq.impl_item_id, Faq.question),
    ):
        part = select(owner, words)
        if ids is not None:  # a full rebuild reads whole tables, not an IN list of every id
            part = part.where(owner.in_(ids))
        for impl_id, words_text in (await session.execute(part)).all():
            extra[impl_id].append(words_text)
    domains = await _domains(session)
    depts = {d.id: d for d in await accounts.list_departments(session)}
    docs = []
    for item, basic_name, domain_code in rows:
        dept = depts.get(item.department_id)
        types = _types(item.applicant_types)
        body = [basic_name, domains.get(domain_code, ""), *_topics(item.topics), *extra[item.id]]
        docs.append(
            Doc(
                kind="item",
                ref_id=item.id,
                code=item.code,
                name=item.name,
                name_en=item.name_en,
                department_id=item.department_id,
                department=dept.name if dept else "",
                department_en=dept.name_en if dept else "",
                dept_ids=f",{item.department_id},",
                domain_code=domain_code,
                region_code=item.region_code,
                for_person="person" in types,
                for_enterprise="enterprise" in types,
                online_depth=item.online_depth,
                name_tokens=segment.joined(item.name),
                body_tokens=segment.joined(*body, item.name_en),
            )
        )
    return docs


async def scenario_docs(session: AsyncSession, ids: Sequence[int] | None = None) -> list[Doc]:
    """Documents of the published scenarios; their departments and online depth are those of
    the items they bundle (fully online only when every item is)."""
    stmt = select(Scenario).where(Scenario.published.is_(True)).order_by(Scenario.id)
    if ids is not None:
        stmt = stmt.where(Scenario.id.in_(ids))
    scenarios = list((await session.execute(stmt)).scalars())
    if not scenarios:
        return []
    bundled: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for scenario_id, name, dept_id, depth in (
        await session.execute(
            select(
                ScenarioItem.scenario_id,
                ImplItem.name,
                ImplItem.department_id,
                ImplItem.online_depth,
            )
            .join(HandlingItem, HandlingItem.id == ScenarioItem.handling_item_id)
            .join(ImplItem, ImplItem.id == HandlingItem.impl_item_id)
            .where(ScenarioItem.scenario_id.in_([s.id for s in scenarios]))
        )
    ).all():
        bundled[scenario_id].append((name, dept_id, depth))
    domains = await _domains(session)
    docs = []
    for s in scenarios:
        parts = bundled[s.id]
        types = _types(s.applicant_types)
        dept_ids = sorted({d for _, d, _ in parts})
        docs.append(
            Doc(
                kind="scenario",
                ref_id=s.id,
                code=s.code,
                name=s.name,
                name_en=s.name_en,
                department_id=None,
                department="",
                department_en="",
                dept_ids="," + ",".join(map(str, dept_ids)) + "," if dept_ids else "",
                domain_code=s.domain_code,
                region_code="",
                for_person="person" in types,
                for_enterprise="enterprise" in types,
                online_depth=min((d for _, _, d in parts), default=1),
                name_tokens=segment.joined(s.name),
                body_tokens=segment.joined(
                    s.summary,
                    domains.get(s.domain_code, ""),
                    *dict.fromkeys(n for n, _, _ in parts),
                    s.name_en,
                ),
            )
        )
    return docs


async def scenarios_with_items(session: AsyncSession, impl_item_ids: Sequence[int]) -> list[int]:
    if not impl_item_ids:
        return []
    rows = await session.execute(
        select(ScenarioItem.scenario_id)
        .join(HandlingItem, HandlingItem.id == ScenarioItem.handling_item_id)
        .where(HandlingItem.impl_item_id.in_(impl_item_ids))
        .distinct()
    )
    return list(rows.scalars())


class Terms:
    """Changes to document frequencies: in any field (df) and in names (name_df). The empty
    term carries the number of documents."""

    def __init__(self) -> None:
        self.df: Counter[str] = Counter()
        self.name_df: Counter[str] = Counter()

    def add(self, name_tokens: str, body_tokens: str, sign: int = 1) -> None:
        names = set(name_tokens.split())
        for t in names | set(body_tokens.split()) | {""}:
            self.df[t] += sign
        for t in names | {""}:
            self.name_df[t] += sign

    def rows(self) -> list[dict[str, Any]]:
        terms = {t for t, n in self.df.items() if n} | {t for t, n in self.name_df.items() if n}
        # Sorted: concurrent re-indexing transactions then lock term rows in the same order
        # and cannot deadlock each other on PostgreSQL.
        return [{"term": t, "df": self.df[t], "name_df": self.name_df[t]} for t in sorted(terms)]


async def _insert(session: AsyncSession, docs: Sequence[Doc], terms: Terms) -> None:
    if docs:
        await session.execute(_INSERT, [d.row() for d in docs])
    for d in docs:
        terms.add(d.name_tokens, d.body_tokens)


async def reindex(session: AsyncSession) -> int:
    """Rebuild the whole index from the catalogue; returns the number of documents."""
    await session.execute(text("DELETE FROM catalog_search_docs"))
    await session.execute(text("DELETE FROM catalog_search_terms"))
    docs = await item_docs(session) + await scenario_docs(session)
    terms = Terms()
    await _insert(session, docs, terms)
    # The document count row exists even for an empty catalogue.
    await session.execute(_ADD_TERMS, terms.rows() or [{"term": "", "df": 0, "name_df": 0}])
    if is_postgresql(session):
        # Every row is new: without fresh statistics the planner scans instead of using GIN.
        await session.execute(text("ANALYZE catalog_search_docs, catalog_search_terms"))
    return len(docs)


async def _replace(
    session: AsyncSession, kind: str, ref_ids: Sequence[int], docs: Sequence[Doc]
) -> None:
    if not ref_ids:
        return
    params = {"kind": kind, "ids": list(ref_ids)}
    where = " FROM catalog_search_docs WHERE kind = :kind AND ref_id IN :ids"
    old = await session.execute(
        text("SELECT name_tokens, body_tokens" + where).bindparams(expanding_ids()), params
    )
    terms = Terms()
    for name_tokens, body_tokens in old.all():
        terms.add(name_tokens, body_tokens, -1)
    await session.execute(text("DELETE" + where).bindparams(expanding_ids()), params)
    await _insert(session, docs, terms)
    rows = terms.rows()
    if rows:
        await session.execute(_ADD_TERMS, rows)
        await session.execute(text("DELETE FROM catalog_search_terms WHERE df <= 0 AND term <> ''"))
    if len(docs) >= ANALYZE_AFTER and is_postgresql(session):
        # A bulk load (the demo, an import) would otherwise be searched with the planner's
        # statistics of the empty table until autovacuum runs.
        await session.execute(text("ANALYZE catalog_search_docs, catalog_search_terms"))


async def index_items(session: AsyncSession, impl_item_ids: Iterable[int]) -> None:
    """Re-index these implementation items (removed when gone or inactive) and the scenarios
    that bundle them, whose departments and online depth follow from their items."""
    ids = sorted(set(impl_item_ids))
    await _replace(session, "item", ids, await item_docs(session, ids))
    await index_scenarios(session, await scenarios_with_items(session, ids))


async def index_scenarios(session: AsyncSession, scenario_ids: Iterable[int]) -> None:
    """Re-index these scenarios (removed when gone or unpublished)."""
    ids = sorted(set(scenario_ids))
    await _replace(session, "scenario", ids, await scenario_docs(session, ids))
