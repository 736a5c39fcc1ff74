"""Synthetic people living in Qingdao, made household by household so that spouses, parents
and children point at each other. Pure and deterministic: no database, a fixed seed.

The accounts demo's eleven people are among them with their own ID numbers and mobile numbers.
Their records are made by the demo_records_* modules; `demo_records.records` yields them all.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections import Counter
from dataclasses import dataclass, replace

from yiwang.accounts import demo as accounts_demo
from yiwang.halls import demo_places
from yiwang.registry import demo_names as names
from yiwang.registry.demo_base import (
    DISTRICT_NAMES,
    REFERENCE,
    age_on,
    in_qingdao,
    place,
    rng,
)

TARGET = 2600
# fmt: off
# Where households are registered, with rough shares of the city's population.
_HOME_WEIGHTS = {"370202": 8, "370203": 15, "370211": 18, "370212": 6, "370213": 8,
                 "370214": 10, "370215": 11, "370281": 9, "370283": 12, "370285": 7}
_RURAL_SHARE = {"370283": 0.5, "370285": 0.5, "370281": 0.3, "370215": 0.3, "370211": 0.25,
                "370214": 0.1}
_KINDS = {"single": 14, "couple": 10, "family": 26, "young_family": 7, "elderly": 16,
          "three_gen": 8, "divorced": 3, "outsider_single": 10, "outsider_couple": 6}
_WORK = {"office": 22, "food": 14, "retail": 10, "driver": 7, "builder": 7, "public": 11,
         "manager": 20, "self": 6, "unemployed": 4, "pharmacist": 2}
# What the demo logins' people do: login -> (occupation, education level); staff are "public".
_DEMO_ROLES = {"13800000001": ("self", "college"), "13800000002": ("manager", "master"),
               "13800000003": ("office", "bachelor")}
# fmt: on


@dataclass(frozen=True)
class SynthPerson:
    index: int
    id_number: str
    name: str
    gender: str  # "1" male, "2" female: the parity of the ID number's 17th digit
    birth_date: str
    birth_region: str
    household_region: str
    household_no: str
    household_type: str  # urban | rural
    household_address: str
    address: str  # where they live, always in Qingdao
    mobile: str
    relation: str  # to the head of the household: 02 head, 10 spouse, 20 child, 50 parent
    head: int
    spouse: int | None
    father: int | None
    mother: int | None
    marital_status: str  # 10 single, 20 married, 30 widowed, 40 divorced
    education: str  # level in the education database; "" while still at school
    ethnicity: str
    occupation: str  # child, student, retired, farmer, or the kind of work they do
    login: str = ""
    # Databases whose record of this person is deliberately out of date, for pre-checks.
    expired: tuple[str, ...] = ()

    @property
    def born(self) -> dt.date:
        return dt.date.fromisoformat(self.birth_date)

    @property
    def native(self) -> bool:
        return in_qingdao(self.household_region)

    @property
    def residence_region(self) -> str:
        """The district they live in (people registered elsewhere live in Qingdao too)."""
        return next(c for c, n in DISTRICT_NAMES.items() if self.address.startswith(f"青岛市{n}"))


@dataclass(frozen=True)
class Deceased:
    """Someone who died: not among the living people, known from a relative's death record."""

    subject: int  # index of the relative whose record it is
    relation: str  # of the subject to the deceased: spouse | child
    name: str
    id_number: str
    death_date: str


@dataclass(frozen=True)
class _Home:
    region: str
    kind: str  # urban | rural
    address: str
    household_no: str


class _Builder:
    def __init__(self) -> None:
        self.r = rng("people")
        self.people: list[SynthPerson] = []
        self.deaths: list[Deceased] = []
        self.ids: set[str] = set()
        self.mobiles: set[str] = set()
        self.household_nos: set[str] = set()

    # --- identity -----------------------------------------------------------------------------

    def id_number(self, region: str, born: dt.date, gender: str) -> str:
        while True:
            seq = self.r.randrange(1 if gender == "1" else 2, 1000, 2)
            number = accounts_demo.resident_id(region, born.strftime("%Y%m%d"), seq)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def mobile(self) -> str:
        while True:
            number = self.r.choice(names.MOBILE_PREFIXES) + f"{self.r.randrange(10**8):08d}"
            if number not in self.mobiles:
                self.mobiles.add(number)
                return number

    def surname(self) -> str:
        return self.r.choices([s for s, _ in names.SURNAMES], [w for _, w in names.SURNAMES])[0]

    def given(self, born: dt.date, gender: str) -> str:
        era = "old" if born.year < 1960 else "mid" if born.year < 1980 else "young"
        return self.r.choice(names.GIVEN["new" if born.year >= 2000 else era, gender])

    def birthday(self, first_year: int, last_year: int) -> dt.date:
        start = dt.date(max(first_year, 1940), 1, 1)
        end = dt.date(min(last_year, 2020), 12, 31)
        return start + dt.timedelta(days=self.r.randint(0, (end - start).days))

    # --- places -------------------------------------------------------------------------------

    def home(self, region: str) -> _Home:
        r = self.r
        streets, towns, _ = demo_places.PLACES[region]
        number = self.household_no()
        if r.random() < _RURAL_SHARE.get(region, 0.0):
            town = f"{r.choice(towns)[0]}镇" if towns else f"{r.choice(streets)[0]}街道"
            side, surname = r.choice(demo_places.SIDES)[0], r.choice(demo_places.SURNAMES)[0]
            village = f"{side}{surname}家{r.choice(demo_places.PLACE_ENDS)[0]}村"
            address = f"{place(region)}{town}{village}{r.randint(1, 280)}号"
            return _Home(region, "rural", address, number)
        return _Home(region, "urban", self.flat(region), number)

    def flat(self, region: str) -> str:
        return flat(self.r, region)

    def outside_address(self, region: str) -> str:
        return f"{place(region)}{self.r.choice(names.OUTSIDE_ROADS)}{self.r.randint(1, 299)}号"

    # --- people -------------------------------------------------------------------------------

    def occupation(self, born: dt.date, gender: str, rural: bool) -> str:
        age = age_on(born, REFERENCE)
        if age < 18:
            return "child"
        if age >= (60 if gender == "1" else 55):
            return "retired"
        if age < 22 and self.r.random() < 0.6:
            return "student"
        if rural and age >= 30 and self.r.random() < 0.5:
            return "farmer"
        return self.r.choices(list(_WORK), list(_WORK.values()))[0]

    def education(self, born: dt.date, occupation: str) -> str:
        r = self.r
        if age_on(born, REFERENCE) < 22 or occupation == "farmer":
            return "" if age_on(born, REFERENCE) < 22 else "secondary"
        levels = ("doctor", "master", "bachelor", "college", "secondary")
        if occupation in ("manager", "office", "public", "pharmacist"):
            level = r.choices(levels, (3, 18, 55, 20, 4))[0]
        elif born.year < 1965:
            level = r.choices(levels, (0, 1, 8, 10, 81))[0]
        else:
            level = r.choices(levels, (0, 1, 10, 27, 62))[0]
        # Too young to have finished a doctorate (28) or a master's degree (25) yet.
        if level == "doctor" and age_on(born, REFERENCE) < 29:
            level = "master"
        if level == "master" and age_on(born, REFERENCE) < 26:
            level = "bachelor"
        return level

    def add(
        self,
        home: _Home,
        born: dt.date,
        gender: str,
        *,
        relation: str,
        head: int,
        marital: str,
        surname: str = "",
        birth_region: str = "",
        spouse: int | None = None,
        father: int | None = None,
        mother: int | None = None,
        name: str = "",
        number: str = "",
        mobile: str = "",
        login: str = "",
        occupation: str = "",
        education: str | None = None,
        address: str = "",
    ) -> int:
        index = len(self.people)
        birth_region = birth_region or home.region
        occupation = occupation or self.occupation(born, gender, home.kind == "rural")
        if not name:
            name = (surname or self.surname()) + self.given(born, gender)
        kin = {p.name for p in self.people[head:]}
        while name in kin:  # two members of one household never share a name
            name = name[0] + self.given(born, gender)
        if not mobile:
            parent = mother if mother is not None else father
            if parent is not None and age_on(born, REFERENCE) < 16:
                mobile = self.people[parent].mobile  # children are reached through a parent
            else:
                mobile = self.mobile()
        ethnicity = "01"
        if self.r.random() < 0.03:
            minorities = names.ETHNIC_MINORITIES
            ethnicity = self.r.choices([c for c, _ in minorities], [w for _, w in minorities])[0]
        if education is None:
            education = self.education(born, occupation)
        self.people.append(
            SynthPerson(
                index=index,
                id_number=number or self.id_number(birth_region, born, gender),
                name=name,
                gender=gender,
                birth_date=born.isoformat(),
                birth_region=birth_region,
                household_region=home.region,
                household_no=home.household_no,
                household_type=home.kind,
                household_address=home.address,
                address=address or home.address,
                mobile=mobile,
                relation=relation,
                head=head,
                spouse=spouse,
                father=father,
                mother=mother,
                marital_status=marital,
                education=education,
                ethnicity=ethnicity,
                occupation=occupation,
                login=login,
            )
        )
        return index

    def couple(self, home: _Home, first: int, last: int) -> tuple[int, int]:
        """Husband (the head) and wife, within a few years of each other's age."""
        r = self.r
        husband_born = self.birthday(first, last)
        wife_born = husband_born + dt.timedelta(days=r.randint(-365, 4 * 365))
        wife_born = min(max(wife_born, dt.date(1940, 1, 1)), dt.date(2002, 12, 31))
        h = len(self.people)
        wife_region = ""
        if in_qingdao(home.region) and r.random() < 0.15:  # married in from elsewhere
            wife_region = r.choice(names.OUTSIDE_REGIONS)
        address = "" if in_qingdao(home.region) else self.flat(self.region())
        self.add(
            home,
            husband_born,
            "1",
            relation="02",
            head=h,
            marital="20",
            spouse=h + 1,
            address=address,
        )
        self.add(
            home,
            wife_born,
            "2",
            relation="10",
            head=h,
            marital="20",
            spouse=h,
            birth_region=wife_region,
            address=address,
        )
        return h, h + 1

    def children(self, home: _Home, father: int, mother: int, births: list[dt.date]) -> None:
        surname = self.people[father].name[0]
        for born in births:
            self.add(
                home,
                born,
                self.r.choice("12"),
                relation="20",
                head=father,
                marital="10",
                surname=surname,
                father=father,
                mother=mother,
            )

    def births(self, mother: int, count: int, earliest: int = 1940) -> list[dt.date]:
        mother_born = self.people[mother].born
        start = max(mother_born.year + 23, earliest)
        end = min(mother_born.year + 38, 2020)
        return sorted(self.birthday(start, end) for _ in range(count)) if start <= end else []

    def single(self, home: _Home, born: dt.date, marital: str) -> int:
        address = "" if in_qingdao(home.region) else self.flat(self.region())
        return self.add(
            home,
            born,
            self.r.choice("12"),
            relation="02",
            head=len(self.people),
            marital=marital,
            address=address,
        )

    def household(self) -> None:
        r = self.r
        kind = r.choices(list(_KINDS), list(_KINDS.values()))[0]
        if kind.startswith("outsider"):  # registered at home, living in Qingdao
            region = r.choice(names.OUTSIDE_REGIONS)
            home = _Home(region, "urban", self.outside_address(region), self.household_no())
        else:
            home = self.home(self.region())
        if kind in ("single", "outsider_single"):
            head = self.single(home, self.birthday(1980, 2004), "10")
        elif kind == "divorced":
            head = self.single(home, self.birthday(1970, 1990), "40")
        elif kind in ("couple", "outsider_couple"):
            head, _ = self.couple(home, 1968, 1998)
        elif kind in ("family", "young_family"):
            first, last = (1985, 1994) if kind == "young_family" else (1962, 1992)
            head, wife = self.couple(home, first, last)
            births = self.births(wife, r.choice((1, 1, 2)))
            if kind == "young_family":  # a baby born 2019-2020: birth certificates on record
                older = self.births(wife, int(r.random() < 0.4), 2012)
                births = [b for b in older if b.year < 2018] + [self.birthday(2019, 2020)]
            self.children(home, head, wife, births)
        elif kind == "elderly":
            if r.random() < 0.25:
                head = self.single(home, self.birthday(1940, 1960), "30")
                self.died(head, "spouse")
            else:
                head, _ = self.couple(home, 1940, 1962)
        else:  # three generations: a widowed grandparent lives with the family
            head, wife = self.couple(home, 1975, 1992)
            self.children(home, head, wife, self.births(wife, r.choice((1, 2)), 2006))
            gender = r.choice("12")
            surname = self.people[head].name[0] if gender == "1" else ""
            elder = self.add(
                home,
                self.birthday(1940, 1956),
                gender,
                relation="50",
                head=head,
                marital="30",
                surname=surname,
            )
            self.died(elder, "spouse")
        if r.random() < 0.03 and age_on(self.people[head].born, REFERENCE) < 60:
            self.died(head, "child")

    def region(self) -> str:
        return self.r.choices(list(_HOME_WEIGHTS), list(_HOME_WEIGHTS.values()))[0]

    def household_no(self) -> str:
        number = f"{self.r.randrange(10**8, 10**9)}"
        while number in self.household_nos:
            number = f"{self.r.randrange(10**8, 10**9)}"
        self.household_nos.add(number)
        return number

    def died(self, subject: int, relation: str) -> None:
        """A spouse or parent of `subject` who died; their ID number is as valid as anyone's."""
        person = self.people[subject]
        if relation == "spouse":
            gender = "2" if person.gender == "1" else "1"
            born = person.born + dt.timedelta(days=self.r.randint(-1500, 1500))
            name = self.surname() + self.given(born, gender)
        else:
            gender = self.r.choice("12")
            born = self.birthday(person.born.year - 34, person.born.year - 22)
            name = (person.name[0] if gender == "1" else self.surname()) + self.given(born, gender)
        born = max(born, dt.date(1925, 1, 1))
        number = self.id_number(self.r.choice(list(DISTRICT_NAMES)), born, gender)
        died_on = dt.date(2016, 1, 1) + dt.timedelta(days=self.r.randint(0, 3700))
        self.deaths.append(Deceased(subject, relation, name, number, died_on.isoformat()))

    # --- the demo logins ----------------------------------------------------------------------

    def demo_people(self) -> None:
        for login, name, region, birth, seq, *_ in accounts_demo.PEOPLE:
            number = accounts_demo.resident_id(region, birth, seq)
            self.ids.add(number)
            gender = "1" if int(number[16]) % 2 else "2"
            occupation, education = _DEMO_ROLES.get(login, ("public", "bachelor"))
            mobile = login if login.isdigit() else self.mobile()
            self.mobiles.add(mobile)
            born = dt.datetime.strptime(birth, "%Y%m%d").date()
            home = self.home(region)
            if home.kind == "rural":
                home = replace(home, kind="urban", address=self.flat(region))
            self.add(
                home,
                born,
                gender,
                relation="02",
                head=len(self.people),
                marital="10",
                name=name,
                number=number,
                mobile=mobile,
                login=login,
                occupation=occupation,
                education=education,
            )


def flat(r: random.Random, region: str) -> str:
    """An address in a block of flats: road, number, building, entrance and flat."""
    road = r.choice(demo_places.PLACES[region][2])
    return (
        f"{place(region)}{road}{r.randint(1, 399)}号{r.randint(1, 12)}号楼"
        f"{r.randint(1, 4)}单元{r.randint(1, 18)}{r.randint(1, 4):02d}室"
    )


def _mark_expired(people: list[SynthPerson], r: random.Random) -> None:
    """A handful of people whose licence or permit has run out, never a demo login's."""
    spared = {p.index for p in people if p.login} | {_manager_index(people)}
    pools = {
        "driver_licence": [p for p in people if p.occupation not in ("child", "student")],
        "health_certificate": [p for p in people if p.occupation in ("food", "retail")],
        "residence_permit": [p for p in people if not p.native],
    }
    for database, pool in pools.items():
        for p in r.sample([p for p in pool if p.index not in spared], 4):
            people[p.index] = replace(people[p.index], expired=(*p.expired, database))


def _manager_index(people: list[SynthPerson]) -> int:
    """The first food worker of working age who lives near the demo restaurant (市南, 市北)."""
    return next(
        p.index
        for p in people
        if p.occupation == "food"
        and not p.login
        and p.residence_region in ("370202", "370203")
        and 28 <= age_on(p.born, REFERENCE) <= 50
    )


@functools.cache
def _world() -> tuple[tuple[SynthPerson, ...], tuple[Deceased, ...]]:
    b = _Builder()
    b.demo_people()
    while len(b.people) < TARGET:
        b.household()
    _mark_expired(b.people, b.r)
    return tuple(b.people), tuple(b.deaths)


def people() -> tuple[SynthPerson, ...]:
    return _world()[0]


def deaths() -> tuple[Deceased, ...]:
    return _world()[1]


def children_of(parent: int) -> tuple[int, ...]:
    return _children().get(parent, ())


@functools.cache
def _children() -> dict[int, tuple[int, ...]]:
    found: dict[int, list[int]] = {}
    for p in people():
        for parent in (p.father, p.mother):
            if parent is not None:
                found.setdefault(parent, []).append(p.index)
    return {parent: tuple(kids) for parent, kids in found.items()}


def household_size(household_no: str) -> int:
    return _sizes()[household_no]


@functools.cache
def _sizes() -> Counter[str]:
    return Counter(p.household_no for p in people())


def food_safety_manager() -> SynthPerson:
    """A person with no login and a valid health certificate, working in the demo citizen's
    restaurant: the one to name as its food safety manager when it applies for a licence."""
    return people()[_manager_index(list(people()))]
