"""The shape of the demo catalogue data and the codes derived from it.

Every code is computed from the data alone (no database ids), so the question trees can name
handling items before anything is loaded, and a second load finds the same codes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from yiwang.kit import identifiers

CITY = "370200"
SHINAN = "370202"

# Two-digit type part of a basic code; the order follows the national catalogue's item types.
ITEM_TYPES: dict[str, tuple[str, str]] = {
    "XK": ("01", "行政许可"),
    "ZS": ("04", "行政征收"),
    "GF": ("05", "行政给付"),
    "QR": ("07", "行政确认"),
    "JL": ("08", "行政奖励"),
    "QT": ("10", "其他行政权力"),
    "BA": ("11", "行政备案"),
    "GG": ("20", "公共服务"),
}
LEVELS = {"city": "市级", "district": "县级", "both": "市级、县级"}
KINDS = {"n": "new", "c": "change", "r": "renew", "x": "cancel"}
# Same suffixes as catalog.transfer.handling_code, so exported and demo codes read alike.
KIND_SUFFIX = {"new": "01", "change": "02", "renew": "03", "cancel": "04"}
KIND_LABELS = {
    "new": ("新办", "new"),
    "change": ("变更", "change"),
    "renew": ("延续", "renewal"),
    "cancel": ("注销", "cancellation"),
}
UNITS = {"w": "working", "n": "natural"}


@dataclass(frozen=True)
class Basic:
    """One basic catalogue item and how Qingdao implements it."""

    key: str
    domain: str
    seq: int
    name: str
    name_en: str
    type: str  # a key of ITEM_TYPES
    dept: str  # department code in accounts.reference
    level: str  # city | district | both
    law: str
    limits: str  # "20w/5w": statutory 20 working days, promised 5 working days
    kinds: str  # letters of KINDS, in order
    materials: tuple[str, ...]  # "名称", "名称?条件", "名称@change@cancel"
    result: tuple[str, str, str] | None = None  # (name, kind, licence type code)
    who: str = "e"  # p person, e enterprise, pe both
    topics: tuple[str, ...] = ()
    depth: int = 3
    visits: int = 1
    reach: str = ""  # street | community: also handled at that level's halls
    fees: tuple[tuple[str, str, str], ...] = ()
    faqs: tuple[tuple[str, str], ...] = ()
    cond: str = ""
    labels: tuple[tuple[str, str, str], ...] = ()  # (kind, zh, en) overriding KIND_LABELS
    variants: tuple[tuple[str, str], ...] = ()  # sub-types generated at city scale

    @property
    def item_type(self) -> str:
        return ITEM_TYPES[self.type][1]

    def kind_list(self) -> list[str]:
        return [KINDS[k] for k in self.kinds]

    def kind_label(self, kind: str) -> tuple[str, str]:
        for k, zh, en in self.labels:
            if k == kind:
                return zh, en
        return KIND_LABELS[kind]

    def regions(self, districts: tuple[str, ...]) -> list[str]:
        return ([CITY] if self.level in ("city", "both") else []) + (
            list(districts) if self.level in ("district", "both") else []
        )

    def primary_region(self) -> str:
        """Where the scenarios point: the 市南区 implementation when there is one."""
        return CITY if self.level == "city" else SHINAN


def basic_code(domain_index: int, b: Basic, sub: int = 0) -> str:
    return f"{ITEM_TYPES[b.type][0]}{domain_index:02d}{b.seq:03d}{sub:03d}00"


def impl_code(basic: str, region: str, dept: str) -> str:
    return f"{basic}-{region}-{dept}"


def handling_code(impl: str, kind: str) -> str:
    return f"{impl}{KIND_SUFFIX[kind]}"


def parse_limits(text: str) -> tuple[int, str, int, str]:
    statutory, promised = text.split("/")
    return int(statutory[:-1]), UNITS[statutory[-1]], int(promised[:-1]), UNITS[promised[-1]]


def parse_material(text: str) -> tuple[str, str, list[str | None]]:
    """'名称?条件@change@cancel' → (name, condition, handling kinds; [None] for all)."""
    head, *kinds = text.split("@")
    name, _, condition = head.partition("?")
    return name, condition, list(kinds) or [None]


# 11 (机构编制 authority, 机关 type) + region + organisation code: how a government
# department's 统一社会信用代码 is built. The organisation part is a stable digest, not the
# department's real code.
def department_credit_code(dept: str, region: str) -> str:
    digest = int(hashlib.sha256(f"{dept}:{region}".encode()).hexdigest(), 16)
    org8 = f"MB{digest % 1_000_000:06d}"
    body = f"11{region}{org8}{identifiers.gb11714_check(org8)}"
    return body + identifiers.gb32100_check(body)
