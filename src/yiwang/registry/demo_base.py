"""What the synthetic registry generators share: the row they yield, seeded randomness, dates
and the names of Qingdao's districts and their offices."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from yiwang.accounts.reference import DISTRICTS
from yiwang.kit import identifiers
from yiwang.registry.demo_catalog import DATABASES

HashId = Callable[[str], str]

SEED = "yiwang-registry-demo"
# Registers write 长期 (no end date) as the last day they can store.
LONG_TERM = "9999-12-31"
# Life stages (child, working, retired) are fixed as of this day, so people and enterprises are
# the same whenever they are generated; validity dates in records follow the real today.
REFERENCE = dt.date(2026, 7, 1)
QINGDAO = "3702"
COUNTY_CITIES = frozenset({"370281", "370283", "370285"})
DISTRICT_NAMES: dict[str, str] = {code: name for code, name, _ in DISTRICTS}
_ID_SHAPE = re.compile(r"(?=(\d{17}[\dX]))")


class RecordRow(NamedTuple):
    database: str
    subject_key: str
    record_no: str
    data: dict[str, Any]
    grade: str


def rng(*parts: object) -> random.Random:
    """A generator of its own for each subject and purpose: adding a person or a database
    leaves everyone else's data as it was."""
    return random.Random(":".join((SEED, *map(str, parts))))  # noqa: S311 - demo data, no secret


def iso(day: dt.date) -> str:
    return day.isoformat()


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def between(r: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=r.randint(0, (end - start).days))


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def protected(number: str, hash_id: HashId) -> dict[str, str]:
    """An ID number as shared data holds it: never plain."""
    return {"masked": identifiers.mask_id(number), "hash": hash_id(number)}


def holds_id_number(text: str) -> bool:
    """Whether a valid resident ID number hides anywhere in text (numbers made of random digits
    must not look like one)."""
    return any(identifiers.check_resident_id(m.group(1)).valid for m in _ID_SHAPE.finditer(text))


def in_qingdao(region: str) -> bool:
    return region.startswith(QINGDAO)


def place(region: str) -> str:
    """How an address starts: 青岛市市南区, 青岛市胶州市; outside Qingdao the full name."""
    if in_qingdao(region):
        return f"青岛市{DISTRICT_NAMES[region]}"
    return (identifiers.region_name(region) or "").removeprefix("山东省")


def office(region: str, department: str) -> str:
    """A district's office (青岛市市南区民政局) or a county-level city's (胶州市民政局)."""
    name = DISTRICT_NAMES[region]
    return f"{name}{department}" if region in COUNTY_CITIES else f"青岛市{name}{department}"


def police_bureau(region: str) -> str:
    if not in_qingdao(region):
        county = identifiers.region_name(region) or ""
        prefecture = (identifiers.region_name(region[:4] + "00") or "").removeprefix("山东省")
        short = county.removeprefix("山东省").removeprefix(prefecture)
        if short.endswith("区"):
            return f"{prefecture}公安局{short[:-1]}分局"
        return f"{short}公安局"
    name = DISTRICT_NAMES[region]
    return f"{name}公安局" if region in COUNTY_CITIES else f"青岛市公安局{name[:-1]}分局"


def tax_office(region: str) -> str:
    name = DISTRICT_NAMES[region]
    return f"国家税务总局{name if region in COUNTY_CITIES else '青岛市' + name}税务局"


def _licence_names() -> dict[str, str]:
    e_licence = next(db for db in DATABASES if db.code == "e_licence")
    kinds = next(e for e in e_licence.elements if e.key == "licence_type")
    return {value: zh for value, zh, _ in kinds.options}


LICENCE_NAMES = _licence_names()


@dataclass(frozen=True)
class Ctx:
    """What every record generator needs: the day validity is measured from, and the keyed hash
    of ID numbers (passed in, so that generating stays free of settings and secrets)."""

    today: dt.date
    hash_id: HashId

    def validity(self, r: random.Random, years: int, expired: bool = False) -> tuple[str, str]:
        """Issued on and valid until for a document valid `years`: current, or (when expired)
        run out a few weeks or months ago."""
        if expired:
            until = self.today - dt.timedelta(days=r.randint(15, 200))
            return iso(add_years(until, -years)), iso(until)
        issued = between(r, add_years(self.today, -years) + dt.timedelta(days=20), self.today)
        issued -= dt.timedelta(days=10)
        return iso(issued), iso(add_years(issued, years))


def licence(
    subject_key: str,
    kind: str,
    number: str,
    holder: tuple[str, str],
    issuer: str,
    issued_on: str,
    valid_until: str = LONG_TERM,
    status: str = "valid",
) -> RecordRow:
    """The e-licence mirror of a licence held in a source database, under the same number.
    `holder` is (name, code): the masked ID number of a person, the credit code of an entity."""
    data = {
        "licence_type": kind,
        "licence_name": LICENCE_NAMES[kind],
        "licence_no": number,
        "holder_name": holder[0],
        "holder_code": holder[1],
        "issuer": issuer,
        "issued_on": issued_on,
        "valid_until": valid_until,
        "status": status,
    }
    return RecordRow("e_licence", subject_key, f"{kind}:{number}", data, "A")
