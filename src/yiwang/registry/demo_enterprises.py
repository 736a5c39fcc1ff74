"""Synthetic enterprises and public bodies of Qingdao, led by and employing the synthetic people.

Companies (91), individual businesses (92), farmers' cooperatives (93), social groups (51) and
private non-enterprise units (52), each with a unified social credit code that passes GB 32100.
The accounts demo's two enterprises are among them. Pure and deterministic, like demo_people.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections import defaultdict
from dataclasses import dataclass, replace

from yiwang.accounts import demo as accounts_demo
from yiwang.accounts.reference import CITY, CITY_ONLY, DEPARTMENTS
from yiwang.halls import demo_places
from yiwang.kit import identifiers
from yiwang.registry import demo_names as names
from yiwang.registry.demo_base import (
    COUNTY_CITIES,
    DISTRICT_NAMES,
    LONG_TERM,
    add_years,
    between,
    holds_id_number,
    place,
    rng,
)
from yiwang.registry.demo_people import SynthPerson, food_safety_manager, people

# fmt: off
# (kind, entity type, industry, how many)
_PLAN: tuple[tuple[str, str, str, int], ...] = (
    ("91", "llc", "I65", 80), ("91", "llc", "H62", 65), ("91", "llc", "F52", 75),
    ("91", "pharmacy", "F52", 15), ("91", "llc", "G54", 45), ("91", "llc", "E47", 45),
    ("91", "llc", "M74", 55), ("91", "partnership", "M74", 10), ("91", "corp", "I65", 5),
    ("91", "corp", "E47", 5), ("91", "sole", "F52", 10), ("92", "individual", "", 80),
    ("93", "coop", "", 15), ("51", "", "", len(names.SOCIAL_GROUPS)), ("52", "", "", 12),
)
_CAPITAL = {"llc": (10, 30, 50, 100, 200, 300, 500, 1000, 2000), "corp": (2000, 5000, 10000),
            "sole": (10, 20, 50), "partnership": (10, 50, 100), "individual": (1, 3, 5, 10, 20),
            "coop": (50, 100, 200, 500), "": (3, 10, 30, 50)}
# fmt: on
_NEW_CODES = dt.date(2015, 10, 1)  # unified codes replaced the old organisation codes
_USCC_CHARS = identifiers.USCC_ALPHABET


@dataclass(frozen=True)
class SynthEnterprise:
    index: int
    credit_code: str
    name: str
    kind: str  # the first two characters of the credit code
    entity_type: str  # a legal_person.entity_type option; "" for social organisations
    industry: str  # a legal_person.industry option; "" where the catalogue has none (farming …)
    region: str
    address: str
    legal_rep: int  # index of a synthetic person
    established: str
    term_until: str
    registered_capital: float  # 10,000 yuan
    business_scope: str
    domain: str  # for its website and e-mail; "" for most small businesses
    pharmacy: str = ""  # retail | chain for drug retailers
    employees: tuple[int, ...] = ()


@dataclass(frozen=True)
class Employer:
    name: str
    credit_code: str
    region: str
    enterprise: int | None  # index into enterprises(); None for a public body


def _name_place(region: str) -> str:
    """How a business name starts: 青岛市市南区, but 胶州市 for a county-level city."""
    name = DISTRICT_NAMES[region]
    return name if region in COUNTY_CITIES else f"青岛市{name}"


class _Builder:
    def __init__(self, folks: tuple[SynthPerson, ...]) -> None:
        self.r = rng("enterprises")
        self.people = folks
        self.codes: set[str] = set()
        self.names: set[str] = set()
        self.out: list[SynthEnterprise] = []
        spare = [p for p in folks if not p.login]
        pools = {
            "manager": [p.index for p in spare if p.occupation == "manager"],
            "self": [p.index for p in spare if p.occupation == "self"]
            + [p.index for p in spare if p.occupation in ("food", "retail")][:40],
            "farmer": [p.index for p in spare if p.occupation == "farmer"],
            "elder": [p.index for p in spare if p.occupation in ("retired", "public")],
        }
        for pool in pools.values():
            self.r.shuffle(pool)
        self.pools = pools
        self.turns: dict[str, int] = defaultdict(int)

    def rep(self, pool: str) -> int:
        """People in turn; when a pool runs out, some lead a second enterprise."""
        members = self.pools[pool]
        turn = self.turns[pool]
        self.turns[pool] += 1
        return members[turn % len(members)]

    def credit_code(self, kind: str, region: str, established: dt.date) -> str:
        r = self.r
        while True:
            if established >= _NEW_CODES:
                prefix = "MJ" if kind[0] == "5" else "MA"
                org8 = prefix + "".join(r.choice(_USCC_CHARS) for _ in range(6))
            else:  # an old organisation code: digits, 5… for social groups, 7… for enterprises
                org8 = ("5" if kind[0] == "5" else "7") + f"{r.randrange(10**7):07d}"
            code = accounts_demo.credit_code(region, org8, kind)
            if code not in self.codes and not holds_id_number(code):
                self.codes.add(code)
                return code

    def unique(self, make: list[str]) -> str | None:
        for name in make:
            if name not in self.names:
                self.names.add(name)
                return name
        return None

    def address(self, region: str, shop: bool) -> str:
        r = self.r
        road = r.choice(demo_places.PLACES[region][2])
        if shop:  # street-front premises, as Qingdao writes them
            return f"{place(region)}{road}{r.randint(1, 399)}号网点"
        return (
            f"{place(region)}{road}{r.randint(1, 399)}号{r.randint(1, 20)}{r.randint(1, 30):02d}室"
        )

    def add(self, kind: str, entity: str, industry: str) -> None:
        r = self.r
        rep = self.people[
            self.rep({"91": "manager", "92": "self", "93": "farmer"}.get(kind, "elder"))
        ]
        region = rep.household_region if rep.native and r.random() < 0.7 else self.region()
        first = dt.date(2008 if kind[0] == "9" else 1998, 1, 1)
        established = max(between(r, first, dt.date(2024, 12, 31)) for _ in range(2))
        address = self.address(region, industry in ("H62", "F52"))
        domain = pharmacy = ""
        picked = r.sample(names.TRADE_NAMES, 12)
        trades = [t for t, _ in picked]
        if kind == "91":
            words, scope = names.INDUSTRIES[industry]
            if entity == "pharmacy":
                pharmacy, entity = ("chain" if r.random() < 0.2 else "retail"), "llc"
                words = ("医药连锁",) if pharmacy == "chain" else ("大药房",)
                scope = names.PHARMACY_SCOPE
            end = {"corp": "股份有限公司", "sole": "经营部", "partnership": "事务所（普通合伙）"}
            name = self.unique(
                [f"青岛{t}{w}{end.get(entity, '有限公司')}" for t in trades for w in words]
            )
            pinyin = next((py for t, py in picked if name and name.startswith(f"青岛{t}")), "")
            if r.random() < 0.4:  # under example.com: demo mail must never reach a real domain
                domain = f"{pinyin}{r.choice(('', 'group', 'qd'))}.example.com"
        elif kind == "92":
            industry, shop = r.choice(names.SHOPS)
            address = self.address(region, industry in ("H62", "F52"))
            scope = names.INDUSTRIES[industry][1]
            at = _name_place(region)
            name = self.unique([f"{at}{rep.name[0]}记{shop}"] + [f"{at}{t}{shop}" for t in trades])
        elif kind == "93":
            if not demo_places.PLACES[region][1]:  # farming happens where there are towns
                region = r.choice(("370283", "370285", "370281", "370215", "370211"))
            towns = [t for t, _ in demo_places.PLACES[region][1]]
            produce = r.choice(names.COOP_PRODUCE)
            work = "养殖" if produce == "生猪" else "种植"
            r.shuffle(towns)
            name = self.unique(
                [f"{_name_place(region)}{t}镇{produce}{work}专业合作社" for t in towns]
            )
            address = f"{place(region)}{towns[0]}镇{r.choice(towns)}路{r.randint(1, 99)}号"
            scope = (
                f"组织收购、销售成员{work}的{produce}；引进新技术、新品种，开展与{produce}"
                "生产有关的技术培训、技术交流和信息咨询服务。"
            )
        elif kind == "51":
            group = names.SOCIAL_GROUPS[sum(e.kind == "51" for e in self.out)][0]
            name, region = self.unique([f"青岛市{group}"]), CITY[0]
            address = self.address(r.choice(("370202", "370203")), False)
            scope = "开展行业交流、业务培训、调查研究、咨询服务，承办政府部门委托事项。"
        else:
            word, scope = r.choice(names.NON_ENTERPRISES)
            name = self.unique([f"{_name_place(region)}{t}{word}" for t in trades])
        if name is None:
            return
        term = LONG_TERM
        if kind == "91" and established.year >= 2010 and r.random() < 0.3:
            term = add_years(established, r.choice((20, 30))).isoformat()
        self.out.append(
            SynthEnterprise(
                index=len(self.out),
                credit_code=self.credit_code(kind, region, established),
                name=name,
                kind=kind,
                entity_type=entity,
                industry=industry,
                region=region,
                address=address,
                legal_rep=rep.index,
                established=established.isoformat(),
                term_until=term,
                registered_capital=float(r.choice(_CAPITAL[entity])),
                business_scope=scope,
                domain=domain,
                pharmacy=pharmacy,
            )
        )

    def region(self) -> str:
        return self.r.choice(list(DISTRICT_NAMES))

    def demo(self) -> None:
        """The accounts demo's company and the demo citizen's restaurant, on fixed terms."""
        logins = {p.login: p.index for p in self.people if p.login}
        company, shop = accounts_demo.ENTERPRISES
        self.names.update((company.name, shop.name))
        self.codes.update((company.credit_code, shop.credit_code))
        self.out.append(
            SynthEnterprise(
                index=0,
                credit_code=company.credit_code,
                name=company.name,
                kind=company.kind,
                entity_type="llc",
                industry="I65",
                address="青岛市市南区香港中路76号颐和国际A座1806室",
                legal_rep=logins[company.legal_rep],
                established="2019-06-18",
                registered_capital=500.0,
                business_scope=names.INDUSTRIES["I65"][1],
                domain="haiankeji.example.com",
                region=company.region,
                term_until=LONG_TERM,
            )
        )
        self.out.append(
            SynthEnterprise(
                index=1,
                credit_code=shop.credit_code,
                name=shop.name,
                kind=shop.kind,
                entity_type="individual",
                industry="H62",
                address="青岛市市南区闽江路118号网点",
                legal_rep=logins[shop.legal_rep],
                established="2023-03-15",
                registered_capital=10.0,
                business_scope=names.INDUSTRIES["H62"][1],
                domain="",
                region=shop.region,
                term_until=LONG_TERM,
            )
        )


def _public_bodies(r: random.Random) -> list[Employer]:
    """Departments (机关, 11…), and schools and hospitals (事业单位, 12…), each district's."""
    bodies: list[Employer] = []
    codes: set[str] = set()

    def add(name: str, region: str, kind: str) -> None:
        while True:
            code = accounts_demo.credit_code(region, f"00{r.randrange(10**6):06d}", kind)
            if code not in codes and not holds_id_number(code):
                codes.add(code)
                bodies.append(Employer(name, code, region, None))
                return

    for dept, name, _ in DEPARTMENTS:
        add(f"青岛市{name}", CITY[0], "11")
        if dept not in CITY_ONLY:
            for region, district in DISTRICT_NAMES.items():
                add(f"{district}{name}", region, "11")
    for region in DISTRICT_NAMES:
        add(names.DISTRICT_HOSPITALS[region], region, "12")
        road = demo_places.PLACES[region][2][0].removesuffix("路")
        add(f"{_name_place(region)}{road}路小学", region, "12")
    return bodies


@functools.cache
def _world() -> tuple[tuple[SynthEnterprise, ...], dict[int, Employer], tuple[Employer, ...]]:
    folks = people()
    b = _Builder(folks)
    b.demo()
    for kind, entity, industry, count in _PLAN:
        for _ in range(count):
            b.add(kind, entity, industry)
    bodies = _public_bodies(b.r)
    employers = _assign(folks, b.out, bodies, b.r)
    staff: dict[int, list[int]] = defaultdict(list)
    for person, employer in sorted(employers.items()):
        if employer.enterprise is not None:
            staff[employer.enterprise].append(person)
    ents = tuple(replace(e, employees=tuple(staff[e.index])) for e in b.out)
    return ents, employers, tuple(bodies)


def _assign(
    folks: tuple[SynthPerson, ...],
    ents: list[SynthEnterprise],
    bodies: list[Employer],
    r: random.Random,
) -> dict[int, Employer]:
    """Who works where: people go to enterprises of their trade, preferably near home."""

    def of(e: SynthEnterprise) -> Employer:
        return Employer(e.name, e.credit_code, e.region, e.index)

    trades: dict[str, list[SynthEnterprise]] = defaultdict(list)
    for e in ents[2:]:
        key = "pharmacist" if e.pharmacy else e.industry if e.kind in ("91", "92") else e.kind
        trades[key].append(e)
    wanted = {
        "food": ("H62",),
        "retail": ("F52",),
        "pharmacist": ("pharmacist",),
        "driver": ("G54",),
        "builder": ("E47",),
        "office": ("I65", "M74"),
        "farmer": ("93",),
    }
    led: dict[int, SynthEnterprise] = {}
    for e in ents:
        led.setdefault(e.legal_rep, e)
    staff = {
        login: (dept, region)
        for login, _, _, _, _, role, dept, region, _ in accounts_demo.PEOPLE
        if role
    }
    departments = {code: name for code, name, _ in DEPARTMENTS}
    out: dict[int, Employer] = {}
    manager = food_safety_manager().index
    for p in folks:
        if p.login in staff:
            dept, region = staff[p.login]
            name = departments[dept]
            full = f"青岛市{name}" if region == CITY[0] else f"{DISTRICT_NAMES[region]}{name}"
            out[p.index] = next(b for b in bodies if b.name == full)
        elif p.login == "13800000003" or p.index == manager:
            out[p.index] = of(ents[0] if p.login else ents[1])
        elif p.index in led and p.occupation in ("manager", "self", "farmer"):
            out[p.index] = of(led[p.index])
        elif p.occupation == "public":
            local = [b for b in bodies if b.region == p.household_region]
            out[p.index] = r.choice(local or bodies)
        elif p.occupation in wanted and (p.occupation != "farmer" or r.random() < 0.4):
            choices = [e for key in wanted[p.occupation] for e in trades[key]]
            near = [e for e in choices if e.region == p.household_region]
            if choices:
                out[p.index] = of(r.choice(near if near and r.random() < 0.7 else choices))
        elif p.occupation == "manager":
            out[p.index] = of(r.choice(trades["I65"] + trades["M74"]))
    return out


def enterprises() -> tuple[SynthEnterprise, ...]:
    return _world()[0]


def employer_of(person: int) -> Employer | None:
    return _world()[1].get(person)


def public_bodies() -> tuple[Employer, ...]:
    return _world()[2]
