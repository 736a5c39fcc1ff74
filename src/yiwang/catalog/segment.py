"""Chinese text for search: normalising, segmenting, reading a citizen's query and scoring a
candidate. Pure functions, shared by SQLite and PostgreSQL so both rank alike.

Documents are segmented with `rjieba.cut_for_search` (which also emits the shorter words inside
long ones: 餐饮店 → 餐饮, 饮店, 餐饮店) and stored space-joined; the database tokenizers only
split on those spaces.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import rjieba

_NOT_WORD = re.compile(r"[\W_]+")
_EXPANSION_SPLIT = re.compile(r"[\s,，、;；|/]+")
MAX_TERM = 60

# Words that carry no subject in a question ("我想 … 怎么办理"); dropped from queries only.
STOP_TOKENS = frozenset(
    " ".join(
        (
            "我 你 想 要 我要 我想 想要 的 了 个 一个 这个 那个 哪个 吗 呢 啊 吧 么",
            "怎么 怎么办 怎样 如何",
            "哪里 在 在哪 哪儿 什么 需要 要求 办 办理 请问 可以 能 能否 是否 一下 给 去",
            "和 与 及 或 该 都 还 应该 流程 手续",
            "the a an of for to and or how i my me do does want need get apply in on at",
            "what where",
        )
    ).split()
)
# Filler removed from the query text before segmenting: "我想开个饭店" segments as
# 我/想开/个/饭店 and would lose 开 to 想开.
FILLERS = (
    "我想要",
    "我想",
    "我要",
    "想要",
    "请问",
    "怎么办理",
    "如何办理",
    "怎么申请",
    "如何申请",
    "怎么办",
    "怎么",
    "如何",
    "怎样",
    "在哪里",
    "在哪儿",
    "在哪",
    "去哪里",
    "哪里",
    "需要什么",
    "要什么",
    "什么材料",
    "能不能",
    "可不可以",
    "可以",
    "一下",
)
SYNONYM_MAX_GAP = 2  # 开饭店 still matches 开个饭店 and 开一家饭店
NAME_WEIGHT, BODY_WEIGHT = 1.0, 0.5
SHORT_TERM_WEIGHT = 0.3  # single characters: mostly verbs and particles (开, 换, 办)
# In every scenario's name (…一件事): weighed like a single character.
GENERIC_TERMS = frozenset({"一件", "一件事"})
MIN_SCORE = 0.15
TRIGRAM_MIN_OVERLAP = 0.5
TRIGRAM_WEIGHT = 0.6
MAX_ABBREVIATIONS = 2


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, punctuation to single spaces."""
    return _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


def compact(text: str) -> str:
    return normalise(text).replace(" ", "")


@lru_cache(maxsize=4096)
def _compact_cached(text: str) -> str:
    return compact(text)


def tokens(text: str) -> list[str]:
    """Distinct search tokens of a text, in order of appearance."""
    seen: dict[str, None] = {}
    for chunk in normalise(text).split():
        for token in rjieba.cut_for_search(chunk):
            token = token.strip()
            if token and len(token) <= MAX_TERM and not _NOT_WORD.fullmatch(token):
                seen.setdefault(token, None)
    return list(seen)


def chars(text: str) -> str:
    """The distinct characters of a text, space-joined, as the index stores names for
    lookups by character."""
    return " ".join(dict.fromkeys(compact(text)))


def joined(*texts: str) -> str:
    """The space-joined tokens of several texts, as the index stores them."""
    out: dict[str, None] = {}
    for t in texts:
        for token in tokens(t):
            out.setdefault(token, None)
    return " ".join(out)


def strip_fillers(text: str) -> str:
    for filler in FILLERS:
        text = text.replace(filler, "")
    return text


def phrase_in(phrase: str, text: str, max_gap: int = SYNONYM_MAX_GAP) -> bool:
    """`phrase` occurs in `text` in order, with at most `max_gap` other characters in between."""
    if not phrase:
        return False
    if phrase in text:
        return True
    if len(phrase) < 2:
        return False
    start = text.find(phrase[0])
    while start != -1:
        pos, gaps = start + 1, 0
        for ch in phrase[1:]:
            found = text.find(ch, pos, pos + 1 + max_gap - gaps)
            if found == -1:
                break
            gaps += found - pos
            pos = found + 1
        else:
            return True
        start = text.find(phrase[0], start + 1)
    return False


@dataclass(frozen=True)
class Alternative:
    """One reading of the query: the citizen's own words, or one synonym expansion."""

    phrase: str  # compact text whose presence in a name earns a bonus
    terms: tuple[str, ...]
    via_synonym: bool


@dataclass(frozen=True)
class Query:
    text: str  # compact query without filler, for the substring fallback
    alternatives: tuple[Alternative, ...]

    @property
    def terms(self) -> list[str]:
        out: dict[str, None] = {}
        for alt in self.alternatives:
            for t in alt.terms:
                out.setdefault(t, None)
        return list(out)


@lru_cache(maxsize=4096)
def _content(text: str) -> frozenset[str]:
    # Cached: every query tests every synonym phrase, and segmenting is the cost.
    return frozenset(t for t in map(_unmeasure, tokens(text)) if t not in STOP_TOKENS)


def synonym_matches(phrase: str, text: str, words: frozenset[str]) -> bool:
    """A synonym applies when its phrase occurs in the query (gaps allowed), or when every
    content word of the phrase is among the query's words: 办社保卡 ~ 社保卡怎么办."""
    if phrase_in(_compact_cached(phrase), text):
        return True
    content = _content(phrase)
    return bool(content) and content <= words


def expansions(text: str, synonyms: Iterable[tuple[str, str]]) -> list[str]:
    """The expansion phrases of every synonym that applies to the (compact) query."""
    out: dict[str, None] = {}
    words = _content(text)
    for phrase, expansion in synonyms:
        if synonym_matches(phrase, text, words):
            for part in _EXPANSION_SPLIT.split(expansion):
                if compact(part):
                    out.setdefault(compact(part), None)
    return list(out)


def _unmeasure(token: str) -> str:
    # 开个 / 办个 / 换个 are words to jieba; the verb is what the name will contain.
    return token[0] if len(token) == 2 and token[1] == "个" else token


def analyse(q: str, synonyms: Iterable[tuple[str, str]] = ()) -> Query:
    whole = normalise(q)
    core = " ".join(strip_fillers(w) for w in whole.split()).strip() or whole
    phrase = core.replace(" ", "")
    own = tuple(dict.fromkeys(t for t in map(_unmeasure, tokens(core)) if t not in STOP_TOKENS))
    alts = [Alternative(phrase, own, False)] if own else []
    seen = {phrase}
    # Match synonyms on the text with and without filler: either may carry the phrase.
    for expanded in expansions(whole.replace(" ", ""), synonyms) + expansions(phrase, synonyms):
        if expanded not in seen:
            seen.add(expanded)
            alts.append(Alternative(expanded, tuple(tokens(expanded)), True))
    plain = (
        t
        for chunk in core.split()
        for t in map(_unmeasure, tokens_plain(chunk))
        if t not in STOP_TOKENS
    )
    return Query("".join(plain), tuple(alts))


def tokens_plain(text: str) -> list[str]:
    """Segmentation without the overlapping sub-words, to rebuild a query's core text."""
    return [t for t in rjieba.cut(text) if t.strip()]


def idf(df: int, total: int) -> float:
    return math.log(1.0 + total / df)


def term_weight(term: str) -> float:
    return SHORT_TERM_WEIGHT if len(term) == 1 or term in GENERIC_TERMS else 1.0


def _covered(name: str, terms: Iterable[str]) -> float:
    """Share of the name's characters inside matched terms (食品经营许可 vs a longer name)."""
    if not name:
        return 0.0
    marks = bytearray(len(name))
    for t in terms:
        start = name.find(t)
        while start != -1:
            marks[start : start + len(t)] = b"\x01" * len(t)
            start = name.find(t, start + 1)
    return sum(marks) / len(name)


def score(
    query: Query,
    name: str,
    name_tokens: Sequence[str],
    body_tokens: Sequence[str],
    idfs: Mapping[str, float],
    unknown_idf: float,
    abbrs: Collection[str] = (),
) -> float:
    """Best reading of the query for this document, roughly 0 … 1.4.

    Per reading: IDF-weighted share of its terms found (name counts double the body; an
    abbreviation found spread out in the name counts by its tightness), scaled by how much
    of the name those terms cover, plus a bonus when the name contains or equals the
    reading's phrase (a synonym that names an item exactly puts that item first).
    """
    name_c = compact(name)
    in_name, in_body = set(name_tokens), set(body_tokens)
    best = 0.0
    for alt in query.alternatives:
        total = got = 0.0
        matched: list[str] = []
        for t in alt.terms:
            w = idfs.get(t)
            if w is None:
                # In no document. The citizen's own unknown words are noise or typos,
                # unless they may abbreviate a name; an unknown word of a synonym's phrase
                # means that name is not here, so the phrase must not score on its generic
                # words (一件事) alone.
                if not alt.via_synonym and t not in abbrs:
                    continue
                w = unknown_idf
            w *= term_weight(t)
            total += w
            if t in in_name:
                got += w * NAME_WEIGHT
                matched.append(t)
            elif t in abbrs and (tight := _tightness(t, name_c)):
                got += w * NAME_WEIGHT * tight
            elif t in in_body:
                got += w * BODY_WEIGHT
        if total == 0.0 or got == 0.0:
            continue
        s = got / total * (0.7 + 0.3 * _covered(name_c, matched))
        if alt.phrase and len(alt.phrase) >= 2:
            if name_c == alt.phrase:
                s += 0.4
            elif alt.phrase in name_c:
                s += 0.2
        best = max(best, s)
    return best


def trigrams(text: str) -> list[str]:
    return list(dict.fromkeys(text[i : i + 3] for i in range(len(text) - 2)))


def trigram_score(query_text: str, name: str) -> float:
    """Share of the query's trigrams found in the name (a two-character query: contained or
    not); below TRIGRAM_MIN_OVERLAP it is no match."""
    name_c = compact(name)
    if len(query_text) < 2:
        return 0.0
    if len(query_text) == 2:
        overlap = 1.0 if query_text in name_c else 0.0
    else:
        grams = trigrams(query_text)
        overlap = sum(1 for g in grams if g in name_c) / len(grams)
    return TRIGRAM_WEIGHT * overlap if overlap >= TRIGRAM_MIN_OVERLAP else 0.0


def abbreviations(query: Query, in_names: frozenset[str]) -> list[str]:
    """The citizen's own two- to four-character Chinese words that no name contains:
    candidates for abbreviations (社保, 低保, 网约车). Longest first, without the sub-words
    search segmentation adds (公积金, not also 公积 and 积金): each widens the look-up."""
    own = next((a.terms for a in query.alternatives if not a.via_synonym), ())
    found = sorted(
        (
            t
            for t in own
            if 2 <= len(t) <= 4 and t not in in_names and all("\u4e00" <= c <= "\u9fff" for c in t)
        ),
        key=len,
        reverse=True,
    )
    chosen: list[str] = []
    for t in found:
        if not any(t in c for c in chosen):
            chosen.append(t)
    return chosen[:MAX_ABBREVIATIONS]


def _span(abbr: str, name: str) -> int:
    """Length of the shortest stretch of `name` holding `abbr`'s characters in order; 0 if
    none does."""
    best = 0
    start = name.find(abbr[0])
    while start != -1:
        pos = start
        for ch in abbr[1:]:
            pos = name.find(ch, pos + 1)
            if pos == -1:
                return best
        span = pos - start + 1
        best = span if not best else min(best, span)
        start = name.find(abbr[0], start + 1)
    return best


def _tightness(abbr: str, name_c: str) -> float:
    """1 when the abbreviation's characters stand together in the name, less the further
    apart they are (低保 in 最低生活保障: 2/4); 0 beyond three name characters for each."""
    span = _span(abbr, name_c)
    return len(abbr) / span if span and span <= 3 * len(abbr) else 0.0
