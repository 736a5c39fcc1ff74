"""Search over catalogue items and scenarios: the ranked query (the index is written by
`search_index`, whose functions are re-exported here).

The index is one row per active implementation item and per published scenario in
`catalog_search_docs`, holding segmented name and body tokens; SQLite indexes them with FTS5
(plus an FTS5 trigram table over names), PostgreSQL with a generated tsvector (GIN) and a
pg_trgm index on names. The database picks candidates; `segment.score` ranks them the same
way on both. Items with one name in several regions collapse to one hit (the requested
district's, else the city's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.catalog import segment
from yiwang.catalog.search_index import expanding_ids, index_items, index_scenarios, reindex
from yiwang.db import is_postgresql

__all__ = ["Hit", "index_items", "index_scenarios", "reindex", "search"]

HitType = Literal["item", "scenario"]
Applicant = Literal["person", "enterprise"]
CITY_CODE = "370200"
MIN_CANDIDATES = 50
INNER_FACTOR = 8  # rows ranked per candidate wanted: same-named copies collapse afterwards
MATCH_BUDGET = 1500
NO_FILTER = "1 = 1"
FALLBACK_BELOW = 0.5  # a best score under this means no reading of the query matched well
FALLBACK_FEWER_THAN = 3

_DOC_COLUMNS = (
    "d.id, d.kind, d.ref_id, d.code, d.name, d.name_en, d.department, d.department_en, "
    "d.domain_code, d.online_depth, d.name_tokens, d.body_tokens"
)


@dataclass(frozen=True)
class Hit:
    type: HitType
    id: int
    code: str
    name: str
    name_en: str
    department: str | None
    department_en: str | None
    domain_code: str
    online_depth: int
    score: float


@dataclass(frozen=True)
class Filters:
    domain: str | None = None
    department_id: int | None = None
    district: str | None = None
    applicant: Applicant | None = None
    online_only: bool = False

    def sql(self) -> tuple[str, dict[str, Any]]:
        """A WHERE fragment over the docs alias `d` and the preference order among
        same-named items (the requested district, then the city, then the rest)."""
        where: list[str] = []
        params: dict[str, Any] = {"city": CITY_CODE, "district": self.district or ""}
        if self.domain:
            where.append("d.domain_code = :domain")
            params["domain"] = self.domain
        if self.department_id is not None:
            where.append("d.dept_ids LIKE :dept")
            params["dept"] = f"%,{int(self.department_id)},%"
        if self.district:
            # City-level items serve every district; scenarios are not tied to a region.
            where.append("(d.kind = 'scenario' OR d.region_code IN (:district, :parent))")
            params["parent"] = self.district[:4] + "00"
        if self.applicant == "person":
            where.append("d.for_person = :yes")
            params["yes"] = True
        elif self.applicant == "enterprise":
            where.append("d.for_enterprise = :yes")
            params["yes"] = True
        if self.online_only:
            where.append("d.online_depth >= 4")
        return " AND ".join(where) or NO_FILTER, params


# ---- query ----------------------------------------------------------------------------------


async def _synonyms(session: AsyncSession) -> list[tuple[str, str]]:
    # Read on every query: administrators' edits apply at once, and the table is small.
    rows = await session.execute(text("SELECT phrase, expansion FROM catalog_synonyms"))
    return [(p, e) for p, e in rows.all()]


@dataclass(frozen=True)
class Stats:
    df: dict[str, int]  # documents holding the term, for terms in any document
    in_names: frozenset[str]  # terms found in some name
    total: int  # documents


async def _stats(session: AsyncSession, terms: Sequence[str]) -> Stats:
    rows = (
        await session.execute(
            text(
                "SELECT term, df, name_df FROM catalog_search_terms WHERE term IN :ids"
            ).bindparams(expanding_ids()),
            {"ids": ["", *terms]},
        )
    ).all()
    df = {t: n for t, n, _ in rows if n > 0 and t}
    total = max([0, *(n for t, n, _ in rows if not t), *df.values()])
    return Stats(df, frozenset(t for t, _, n in rows if n > 0 and t), total)


def _matchable(terms: Sequence[str], df: dict[str, int]) -> list[str]:
    """A reading's terms worth matching on: known ones, without single characters or
    一件事 when it has real words, and without the sub-words search segmentation adds
    (二手 beside 二手房: a document with the longer word holds the shorter too)."""
    known = [t for t in terms if t in df]
    words = [t for t in known if segment.term_weight(t) == 1.0] or known
    return [t for t in words if not any(t != o and t in o for o in words)]


def _match_terms(query: segment.Query, df: dict[str, int]) -> list[str]:
    """The terms the database matches on: the rarest term of every reading, then the rarest
    of the rest while their postings stay within MATCH_BUDGET. Ranking costs grow with
    postings times terms, and a common term's thousands of postings tell little (许可,
    登记); every term still counts when the candidates are scored."""
    chosen: dict[str, None] = {}
    rest: set[str] = set()
    for alt in query.alternatives:
        words = _matchable(alt.terms, df)
        if words:
            first = min(words, key=lambda t: (df[t], t))
            chosen.setdefault(first, None)
            rest.update(words)
    spent = sum(df[t] for t in chosen)
    for t in sorted(rest - set(chosen), key=lambda t: (df[t], t)):
        if spent + df[t] > MATCH_BUDGET:
            break
        chosen[t] = None
        spent += df[t]
    return list(chosen)


async def match_terms(session: AsyncSession, q: str) -> list[str]:
    """The terms the database is asked to match for `q` (diagnostics and the benchmark)."""
    query = segment.analyse(q, await _synonyms(session))
    return _match_terms(query, (await _stats(session, query.terms)).df)


def _grouped(matches: str) -> str:
    """One candidate per (kind, name) from `matches` (id, r; higher r is better), preferring
    the requested district's copy, then the city's. Every fragment is a constant of this
    module; values travel as bound parameters."""
    return (
        f"WITH m AS ({matches}) "  # noqa: S608
        f"SELECT {_DOC_COLUMNS}, g.r FROM ("
        "SELECT m.id, m.r, ROW_NUMBER() OVER (PARTITION BY d.kind, d.name ORDER BY "
        "CASE WHEN d.region_code = :district THEN 0 WHEN d.region_code = :city THEN 1 "
        "ELSE 2 END, d.id) AS rn "
        "FROM m JOIN catalog_search_docs d ON d.id = m.id"
        ") g JOIN catalog_search_docs d ON d.id = g.id WHERE g.rn = 1 ORDER BY g.r DESC, d.id "
        "LIMIT :k"
    )


def _sqlite_fts(table: str, rank: str, where: str) -> str:
    # Without filters, skip the join: ranking thousands of postings is the cost here.
    if where == NO_FILTER:
        return (
            f"SELECT rowid AS id, {rank} AS r FROM {table} WHERE {table} MATCH :match "  # noqa: S608
            "ORDER BY r DESC LIMIT :inner"
        )
    return (
        f"SELECT d.id, {rank} AS r FROM {table} JOIN catalog_search_docs d "  # noqa: S608
        f"ON d.id = {table}.rowid WHERE {table} MATCH :match AND {where} "
        "ORDER BY r DESC LIMIT :inner"
    )


async def _token_candidates(
    session: AsyncSession, terms: Sequence[str], where: str, params: dict[str, Any], k: int
) -> list[Any]:
    if is_postgresql(session):
        matches = (
            "SELECT d.id, ts_rank(d.tsv, q) AS r FROM catalog_search_docs d, "  # noqa: S608
            f"to_tsquery('simple', :match) q WHERE d.tsv @@ q AND {where} "
            "ORDER BY r DESC LIMIT :inner"
        )
        match = " | ".join(f"'{t}'" for t in terms)
    else:
        rank = "-bm25(catalog_search_fts, 4.0, 1.0, 0.0)"
        matches = _sqlite_fts("catalog_search_fts", rank, where)
        match = "{name_tokens body_tokens} : (" + " OR ".join(f'"{t}"' for t in terms) + ")"
    stmt = text(_grouped(matches))
    bound = {**params, "match": match, "k": k, "inner": k * INNER_FACTOR}
    return list((await session.execute(stmt, bound)).all())


async def _trigram_candidates(
    session: AsyncSession, query_text: str, where: str, params: dict[str, Any], k: int
) -> list[Any]:
    """Names sharing a three-character piece with the query (typos, unsegmented words)."""
    grams = segment.trigrams(query_text)[:16]
    if is_postgresql(session):
        likes = " OR ".join(f"d.name LIKE :g{i}" for i in range(len(grams)))
        matches = (
            "SELECT d.id, word_similarity(:qt, d.name) AS r FROM catalog_search_docs d "  # noqa: S608
            f"WHERE ({likes}) AND {where} ORDER BY r DESC LIMIT :inner"
        )
        extra = {f"g{i}": f"%{g}%" for i, g in enumerate(grams)} | {"qt": query_text}
    else:
        matches = _sqlite_fts("catalog_search_tri", "-bm25(catalog_search_tri)", where)
        extra = {"match": " OR ".join(f'"{g}"' for g in grams)}
    stmt = text(_grouped(matches))
    bound = {**params, **extra, "k": k, "inner": k * INNER_FACTOR}
    return list((await session.execute(stmt, bound)).all())


async def _character_candidates(
    session: AsyncSession, groups: Sequence[str], where: str, params: dict[str, Any], k: int
) -> list[Any]:
    """Names holding every character of any group, fewest characters first: for abbreviations
    (低保 → 最低生活保障) and two-character queries; the caller checks the order."""
    if is_postgresql(session):
        matches = (
            "SELECT d.id, -length(d.name_chars) AS r FROM catalog_search_docs d "  # noqa: S608
            f"WHERE d.chars_tsv @@ to_tsquery('simple', :match) AND {where} "
            "ORDER BY r DESC LIMIT :inner"
        )
        match = " | ".join("(" + " & ".join(f"'{c}'" for c in g) + ")" for g in groups)
    else:
        rank = "-length(catalog_search_fts.name_chars)"
        matches = _sqlite_fts("catalog_search_fts", rank, where)
        match = (
            "{name_chars} : ("
            + " OR ".join("(" + " AND ".join(f'"{c}"' for c in g) + ")" for g in groups)
            + ")"
        )
    stmt = text(_grouped(matches))
    bound = {**params, "match": match, "k": k, "inner": k * INNER_FACTOR}
    return list((await session.execute(stmt, bound)).all())


def _hit(row: Any, score: float) -> Hit:
    return Hit(
        type=row.kind,
        id=row.ref_id,
        code=row.code,
        name=row.name,
        name_en=row.name_en,
        department=row.department or None,
        department_en=row.department_en or None,
        domain_code=row.domain_code,
        online_depth=row.online_depth,
        score=round(score, 4),
    )


async def search(
    session: AsyncSession,
    q: str,
    limit: int = 10,
    *,
    domain: str | None = None,
    department_id: int | None = None,
    district: str | None = None,
    applicant: Applicant | None = None,
    online_only: bool = False,
) -> list[Hit]:
    """Ranked items and scenarios for a query as citizens type it."""
    query = segment.analyse(q, await _synonyms(session))
    where, params = Filters(domain, department_id, district, applicant, online_only).sql()
    k = max(MIN_CANDIDATES, limit * 4)
    scored: dict[tuple[str, str], tuple[float, Any]] = {}

    def keep(s: float, row: Any) -> None:
        key = (row.kind, row.name)
        if s >= segment.MIN_SCORE and s > scored.get(key, (0.0, None))[0]:
            scored[key] = (s, row)

    stats = await _stats(session, query.terms)
    abbreviations = segment.abbreviations(query, stats.in_names)
    idfs = {t: segment.idf(n, stats.total) for t, n in stats.df.items()}
    rare = segment.idf(1, max(stats.total, 1))

    def score(row: Any) -> float:
        names, body = row.name_tokens.split(), row.body_tokens.split()
        return segment.score(query, row.name, names, body, idfs, rare, abbreviations)

    terms = _match_terms(query, stats.df)
    if terms:
        for row in await _token_candidates(session, terms, where, params, k):
            keep(score(row), row)
    # The fallback, when the words found little: the typed characters in names.
    best = max((s for s, _ in scored.values()), default=0.0)
    if best < FALLBACK_BELOW or len(scored) < min(limit, FALLBACK_FEWER_THAN):
        if len(query.text) >= 3:
            for row in await _trigram_candidates(session, query.text, where, params, k):
                keep(max(score(row), segment.trigram_score(query.text, row.name)), row)
        groups = [*abbreviations, *([query.text] if len(query.text) == 2 else [])]
        if groups:
            for row in await _character_candidates(session, groups, where, params, k):
                keep(max(score(row), segment.trigram_score(query.text, row.name)), row)
    ranked = sorted(
        scored.values(),
        key=lambda sr: (-sr[0], sr[1].kind != "scenario", len(sr[1].name), sr[1].code),
    )
    return [_hit(row, s) for s, row in ranked[:limit]]
