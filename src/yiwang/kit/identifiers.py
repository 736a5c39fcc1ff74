"""Checks for Chinese identifiers: resident ID, credit code, region code, mobile number.

Every check is a pure function returning an `IdCheck`; it never raises on bad input. A failed
check carries a reason code from `REASONS` (a message-catalogue key) and the `params` its
message needs, so this module holds no wording and no translations.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Literal

__all__ = [
    "REASONS",
    "IdCheck",
    "IdKind",
    "check_mobile",
    "check_region_code",
    "check_resident_id",
    "check_uscc",
    "gb11714_check",
    "gb32100_check",
    "identify",
    "iso7064_mod11_2",
    "iso7064_mod37_36",
    "mask_id",
    "region_name",
]

IdKind = Literal["resident_id", "uscc", "region", "mobile", "unknown"]

REASONS: tuple[str, ...] = (
    "empty",
    "bad_length",
    "bad_characters",
    "bad_check_character",
    "unknown_region",
    "impossible_birth_date",
    "future_birth_date",
    "bad_registration_authority",
    "bad_organisation_type",
    "bad_mobile_prefix",
    "unrecognised",
)

DIGITS = "0123456789"
ALNUM36 = DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
RESIDENT_CHECK_CHARS = DIGITS + "X"
# GB 32100 leaves out I, O, Z, S and V, which are easily confused with 1, 0, 2, 5 and U.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_GB11714_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Registration authority (position 1) -> organisation types (position 2) it may assign:
# the GB 32100-2015 table with the later additions A (中央军委改革和编制办公室) and N (农业).
USCC_TYPES: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 编办直管群众团体, 其他
    "2": "19",  # 外交: 外国常驻新闻机构, 其他
    "3": "123459",  # 司法行政: 律所, 公证处, 基层法律服务所, 司法鉴定, 仲裁委, 其他
    "4": "19",  # 文化: 外国在华文化中心, 其他
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游: 外国旅游部门代表机构, 港澳台旅游部门代表机构, 其他
    "7": "129",  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": "19",  # 工会: 基层工会, 其他
    "9": "123",  # 工商: 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": "1239",  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": "1",  # 其他
}
# Organisations registered by a national authority carry 100000 (全国), which is no GB/T 2260
# code, in positions 3-8.
_USCC_NATIONWIDE = "100000"
_EARLIEST_BIRTH = date(1900, 1, 1)
# Level names that only group counties and would read wrongly inside a full name.
_PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "市"})
_MOBILE_SHAPE = re.compile(r"(?:\+86|0086)?1\d{10}")


@dataclass(frozen=True)
class IdCheck:
    kind: IdKind
    valid: bool
    value: str
    reason: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    region_name: str | None = None


def _normalise(value: str) -> str:
    # NFKC because Chinese input methods often produce full-width digits and letters.
    return unicodedata.normalize("NFKC", value).strip().upper()


def _fail(kind: IdKind, value: str, reason: str, **params: str) -> IdCheck:
    return IdCheck(kind=kind, valid=False, value=value, reason=reason, params=params)


def _first_bad(text: str, allowed: str, offset: int = 0) -> int | None:
    """1-based position (plus offset) of the first character of text not in allowed."""
    for index, char in enumerate(text):
        if char not in allowed:
            return offset + index + 1
    return None


def _length_and_characters(
    kind: IdKind, value: str, length: int, *allowed: tuple[int, int, str]
) -> IdCheck | None:
    """The empty, bad_length or bad_characters failure of value, or None if it has none.

    Each (start, stop, chars) in allowed says which characters value[start:stop] may hold.
    """
    if not value:
        return _fail(kind, value, "empty")
    if len(value) != length:
        return _fail(kind, value, "bad_length", expected=str(length), got=str(len(value)))
    bad = [
        position
        for start, stop, chars in allowed
        if (position := _first_bad(value[start:stop], chars, start)) is not None
    ]
    if bad:
        return _fail(kind, value, "bad_characters", position=str(min(bad)))
    return None


def _values(body: str, alphabet: str) -> list[int]:
    values = []
    for char in body:
        index = alphabet.find(char)
        if index < 0:
            raise ValueError(f"{char!r} is not one of {alphabet!r}")
        values.append(index)
    return values


def iso7064_mod11_2(body: str) -> str:
    """ISO 7064 MOD 11-2 check character ("0"-"9" or "X") for a string of digits.

    GB 11643 resident IDs use it over their first 17 digits.
    """
    total = 0
    for value in _values(body, DIGITS):
        total = (total + value) * 2 % 11
    return RESIDENT_CHECK_CHARS[(12 - total) % 11]


def iso7064_mod37_36(body: str) -> str:
    """ISO 7064 MOD 37,36 (hybrid system) check character over digits and A-Z.

    Used by the GB/T 3690x-2018 electronic licence (电子证照) identifiers, ISAN and GRid.
    """
    product = 36
    for value in _values(body.upper(), ALNUM36):
        remainder = (product + value) % 36 or 36
        product = remainder * 2 % 37
    return ALNUM36[(37 - product) % 36]


def gb32100_check(body17: str) -> str:
    """The 18th character of a unified social credit code: MOD 31 over the first 17."""
    if len(body17) != 17:
        raise ValueError(f"a credit code body has 17 characters, not {len(body17)}")
    values = _values(body17, USCC_ALPHABET)
    total = sum(value * weight for value, weight in zip(values, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[-total % 31]


def gb11714_check(body8: str) -> str:
    """Check character of a GB 11714 organisation code (positions 9-16 of a credit code)."""
    values = _values(body8, ALNUM36)
    total = sum(value * weight for value, weight in zip(values, _GB11714_WEIGHTS, strict=True))
    return "0123456789X0"[11 - total % 11]


@functools.cache
def _regions() -> dict[str, str]:
    text = resources.files("yiwang.data").joinpath("gb2260.tsv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        code, _, name = line.partition("\t")
        table[code] = name
    return table


@functools.cache
def _provinces() -> frozenset[str]:
    return frozenset(code[:2] for code in _regions() if code.endswith("0000"))


def region_name(code: str) -> str | None:
    """Full name of a GB/T 2260 code ("370202" -> "山东省青岛市市南区"), None if unknown.

    The table holds codes of every revision since 1980, so retired codes have names too.
    """
    table = _regions()
    name = table.get(code)
    if name is None:
        return None
    if code.endswith("0000"):
        return name
    parts = [table.get(code[:2] + "0000", "")]
    if not code.endswith("00"):
        prefecture = table.get(code[:4] + "00")
        if prefecture and prefecture not in _PLACEHOLDER_NAMES and "直辖" not in prefecture:
            parts.append(prefecture)
    parts.append(name)
    return "".join(parts)


def check_region_code(value: str) -> IdCheck:
    """GB/T 2260 administrative division code: six digits, present in the table."""
    code = _normalise(value)
    failure = _length_and_characters("region", code, 6, (0, 6, DIGITS))
    if failure is not None:
        return failure
    name = region_name(code)
    if name is None:
        return _fail("region", code, "unknown_region", code=code)
    return IdCheck(kind="region", valid=True, value=code, region_name=name)


def check_resident_id(value: str) -> IdCheck:
    """GB 11643-1999 citizen identity number: region, birth date, sequence, check character."""
    number = _normalise(value)
    failure = _length_and_characters(
        "resident_id", number, 18, (0, 17, DIGITS), (17, 18, RESIDENT_CHECK_CHARS)
    )
    if failure is not None:
        return failure
    region = number[:6]
    name = region_name(region)
    if name is None:
        return _fail("resident_id", number, "unknown_region", code=region)
    birth = number[6:14]
    try:
        born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError:
        return _fail("resident_id", number, "impossible_birth_date", date=birth)
    if born < _EARLIEST_BIRTH:
        return _fail("resident_id", number, "impossible_birth_date", date=birth)
    if born > date.today():
        return _fail("resident_id", number, "future_birth_date", date=birth)
    expected = iso7064_mod11_2(number[:17])
    if number[17] != expected:
        return _fail(
            "resident_id",
            number,
            "bad_check_character",
            expected=expected,
            got=number[17],
            position="18",
        )
    return IdCheck(kind="resident_id", valid=True, value=number, region_name=name)


def check_uscc(value: str) -> IdCheck:
    """GB 32100-2015 unified social credit code (统一社会信用代码)."""
    code = _normalise(value)
    failure = _length_and_characters("uscc", code, 18, (0, 18, USCC_ALPHABET), (2, 8, DIGITS))
    if failure is not None:
        return failure
    types = USCC_TYPES.get(code[0])
    if types is None:
        return _fail("uscc", code, "bad_registration_authority", code=code[0])
    if code[1] not in types:
        return _fail("uscc", code, "bad_organisation_type", authority=code[0], code=code[1])
    region = code[2:8]
    # Only the province is checked: counties are merged and renumbered, and the code
    # keeps the region it was first issued in.
    if region != _USCC_NATIONWIDE and region[:2] not in _provinces():
        return _fail("uscc", code, "unknown_region", code=region)
    for position, expected in ((17, gb11714_check(code[8:16])), (18, gb32100_check(code[:17]))):
        got = code[position - 1]
        if got != expected:
            return _fail(
                "uscc",
                code,
                "bad_check_character",
                expected=expected,
                got=got,
                position=str(position),
            )
    return IdCheck(kind="uscc", valid=True, value=code, region_name=region_name(region))


def check_mobile(value: str) -> IdCheck:
    """Mainland mobile number: 11 digits starting 13-19, optionally after +86 or 0086.

    Spaces and hyphens inside the number are dropped, as people write "138-0013-8000".
    """
    number = re.sub(r"[\s-]", "", _normalise(value))
    for prefix in ("+86", "0086"):
        if number.startswith(prefix):
            number = number[len(prefix) :]
            break
    failure = _length_and_characters("mobile", number, 11, (0, 11, DIGITS))
    if failure is not None:
        return failure
    if number[0] != "1" or number[1] not in "3456789":
        return _fail("mobile", number, "bad_mobile_prefix", prefix=number[:2])
    return IdCheck(kind="mobile", valid=True, value=number)


def identify(value: str) -> IdCheck:
    """Guess the kind of identifier from its shape and run that kind's check."""
    text = _normalise(value)
    if not text:
        return _fail("unknown", text, "empty")
    if len(text) == 18:
        if _first_bad(text[:17], DIGITS) is None:
            resident = check_resident_id(text)
            if resident.valid:
                return resident
            credit = check_uscc(text)
            # Seventeen digits that pass neither check were most likely meant as an ID.
            return credit if credit.valid else resident
        return check_uscc(text)
    if len(text) == 6 and _first_bad(text, DIGITS) is None:
        return check_region_code(text)
    if _MOBILE_SHAPE.fullmatch(re.sub(r"[\s-]", "", text)):
        return check_mobile(text)
    return _fail("unknown", text, "unrecognised")


def mask_id(value: str) -> str:
    """Keep the first and last four characters and star the rest; eight or fewer: all stars."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
