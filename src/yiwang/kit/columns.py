"""Column checks for imported tables: each parser turns one cell's text into a value or raises
`Bad` with a catalogue message, so the importer can name the row and column."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from yiwang.kit import identifiers
from yiwang.kit.i18n import N_

Parser = Callable[[str], Any]

# List cells: "|" is easy to type; a full-width semicolon is what Chinese input methods give.
LIST_SEPARATORS = re.compile(r"[|；]")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# The same message ids as the accounts forms use for identifiers, so both read alike.
_ID_MESSAGES: dict[str, str] = {
    "empty": N_("Please fill this in."),
    "bad_length": N_("Wrong length: {expected} characters expected, {got} given."),
    "bad_characters": N_("Character {position} is not allowed here."),
    "bad_check_character": N_("The check character is wrong: {expected} expected, {got} given."),
    "unknown_region": N_("Unknown region code {code}."),
    "bad_registration_authority": N_("Unknown registration authority code."),
    "bad_organisation_type": N_("Unknown organisation type for this registration authority."),
}


class Bad(Exception):
    def __init__(self, msgid: str, code: str = "invalid", /, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Column:
    """A named column: `parse` reads one non-empty cell; an empty cell gives `default` unless
    the column is required; `many` cells hold a list separated by "|" or "；"."""

    name: str
    parse: Parser
    required: bool = False
    many: bool = False
    default: Any = ""

    def read(self, cell: Any) -> Any:
        if self.many:
            return self._read_list(cell)
        if not isinstance(cell, str):
            raise Bad(N_("A single value is expected here, not a list."), "not_single")
        text = cell.strip()
        if not text:
            if self.required:
                raise Bad(N_("Please fill this in."), "required")
            return list(self.default) if isinstance(self.default, list) else self.default
        return self.parse(text)

    def _read_list(self, cell: Any) -> list[Any]:
        parts = LIST_SEPARATORS.split(cell) if isinstance(cell, str) else cell
        if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
            raise Bad(N_("A list of texts is expected here."), "not_list")
        values = [self.parse(p.strip()) for p in parts if p.strip()]
        if self.required and not values:
            raise Bad(N_("Please fill this in."), "required")
        return values


def _nfkc(value: str) -> str:
    # Chinese input methods often give full-width digits, colons and letters.
    return unicodedata.normalize("NFKC", value).strip()


def text(max_length: int) -> Parser:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise Bad(
                N_("At most {max} characters are allowed; {got} given."),
                "too_long",
                max=max_length,
                got=len(value),
            )
        return value

    return parse


_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def code(max_length: int) -> Parser:
    def parse(value: str) -> str:
        value = _nfkc(value)
        text(max_length)(value)
        if not _CODE.fullmatch(value):
            raise Bad(N_("Only letters, digits, '.', '_' and '-' are allowed."), "bad_code")
        return value

    return parse


def integer(low: int, high: int) -> Parser:
    def parse(value: str) -> int:
        try:
            number = float(_nfkc(value))
        except ValueError:
            number = math.nan
        if not number.is_integer() or not low <= number <= high:
            raise Bad(
                N_("A whole number from {min} to {max} is expected."),
                "bad_integer",
                min=low,
                max=high,
            )
        return int(number)

    return parse


def decimal(low: float, high: float) -> Parser:
    def parse(value: str) -> float:
        try:
            number = float(_nfkc(value))
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or not low <= number <= high:
            raise Bad(
                N_("A number from {min} to {max} is expected."), "bad_number", min=low, max=high
            )
        return number

    return parse


def latitude() -> Parser:
    return decimal(-90.0, 90.0)


def longitude() -> Parser:
    return decimal(-180.0, 180.0)


def choice(*options: str) -> Parser:
    folded = {o.casefold(): o for o in options}

    def parse(value: str) -> str:
        found = folded.get(_nfkc(value).casefold())
        if found is None:
            raise Bad(
                N_("One of these is expected: {options}."),
                "bad_choice",
                options=" | ".join(options),
            )
        return found

    return parse


_TRUE = frozenset({"true", "yes", "y", "1", "是"})
_FALSE = frozenset({"false", "no", "n", "0", "否"})


def boolean() -> Parser:
    def parse(value: str) -> bool:
        folded = _nfkc(value).casefold()
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
        raise Bad(N_("Write true or false."), "bad_boolean")

    return parse


def _identifier_problem(check: identifiers.IdCheck) -> Bad:
    return Bad(
        _ID_MESSAGES.get(check.reason or "", N_("The value is not valid.")),
        f"id_{check.reason}",
        **check.params,
    )


def region_code(lengths: tuple[int, ...] = (6, 9, 12)) -> Parser:
    """A GB/T 2260 code, or its 9-digit (street) or 12-digit (community) extension, whose first
    six digits are a known division."""

    def parse(value: str) -> str:
        value = _nfkc(value)
        for position, char in enumerate(value, start=1):
            if char not in identifiers.DIGITS:
                raise Bad(_ID_MESSAGES["bad_characters"], "id_bad_characters", position=position)
        if len(value) not in lengths:
            raise Bad(
                _ID_MESSAGES["bad_length"],
                "id_bad_length",
                expected="/".join(str(n) for n in lengths),
                got=len(value),
            )
        check = identifiers.check_region_code(value[:6])
        if not check.valid:
            raise _identifier_problem(check)
        return value

    return parse


def credit_code() -> Parser:
    def parse(value: str) -> str:
        check = identifiers.check_uscc(value)
        if not check.valid:
            raise _identifier_problem(check)
        return check.value

    return parse


def url(max_length: int) -> Parser:
    def parse(value: str) -> str:
        text(max_length)(value)
        if not value.startswith(("https://", "http://", "/")) or any(c.isspace() for c in value):
            raise Bad(N_("A web address starting with https://, http:// or / is expected."), "url")
        return value

    return parse


_PERIOD = re.compile(r"(\d{1,2}):(\d{2})\s*[-–—~至]\s*(\d{1,2}):(\d{2})")


def hours() -> Parser:
    """One day's opening periods, "09:00-12:00,13:30-17:00", as [["09:00", "12:00"], …]."""

    def parse(value: str) -> list[list[str]]:
        periods: list[list[str]] = []
        for part in re.split(r"[,、;]", _nfkc(value)):
            part = part.strip()
            if not part:
                continue
            match = _PERIOD.fullmatch(part)
            if match is None:
                raise Bad(N_("Write opening hours like 09:00-12:00,13:30-17:00."), "bad_hours")
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            if m1 > 59 or m2 > 59 or h1 > 23 or h2 * 60 + m2 > 24 * 60:
                raise Bad(N_("Write opening hours like 09:00-12:00,13:30-17:00."), "bad_hours")
            start, end = f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"
            if start >= end:
                raise Bad(
                    N_("The period {period} ends before it starts."),
                    "bad_period",
                    period=f"{start}-{end}",
                )
            if periods and start < periods[-1][1]:
                raise Bad(
                    N_("The periods {first} and {second} overlap or are out of order."),
                    "overlap",
                    first="-".join(periods[-1]),
                    second=f"{start}-{end}",
                )
            periods.append([start, end])
        return periods

    return parse


def format_hours(periods: list[list[str]]) -> str:
    return ",".join(f"{start}-{end}" for start, end in periods)
