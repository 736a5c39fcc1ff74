"""Pre-check latency for the largest demo form against its limit, measured in the same run.

    .venv/bin/python bench/precheck.py [--kind sqlite|postgresql|both] [--iterations 500]
                                       [--rounds 5]

For each database: a fresh database built by the migrations with the demo loaded (`yiwang db
upgrade`, `yiwang demo`). The largest form is the scenario whose newest definition
(forms.build.newest_versions) has the most fields; its answers are the path through the question
tree that shows the most fields to the applicant kind. An enterprise form is filled for one of the
demo enterprises (the shop of 13800000001, or 青岛海岸科技有限公司 of its legal representative
13800000002: whichever the pre-check finds fewer problems with); a person's form for 13800000001.
The draft is started and saved through forms.service, so the platform fills what it knows; every
other shown field gets a value a person would type or pick (offers first, dates after today where
a rule wants the future, people from the population records where a rule checks them), and every
required material that the platform did not attach is uploaded (a one-page PDF).

Timed, ITERATIONS after a warm-up, in ROUNDS rounds with the variants taking turns call by call
(a neighbour's test run slows every variant of a round alike):
- PK SELECT (the limit): `SELECT id FROM persons WHERE id = :id` on the same session;
- precheck.precheck(): the rules engine with its registry look-ups, on the same session;
- service.check(): what the API route calls (the applicant's rights and the definition, then the
  pre-check), on the same session;
- per request: a transaction of its own with a new session (service.get + service.check), against
  a PK SELECT in a transaction of its own; what the route pays apart from HTTP and the login.
Target: pre-check p95 ≤ 20 ms for the largest demo form.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("YIWANG_SECRET_KEY", "bench-secret")

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import submit as setup
from tests.files import samples

from yiwang.accounts import service as accounts
from yiwang.accounts.authz import Principal
from yiwang.accounts.demo import ENTERPRISES
from yiwang.accounts.models import Enterprise
from yiwang.config import get_settings
from yiwang.db import Database, create_engine_for
from yiwang.forms import build, precheck, service
from yiwang.forms.definition import Definition, Field
from yiwang.forms.precheck import Finding
from yiwang.kit.timeutil import local_today
from yiwang.registry import demo_people
from yiwang.registry import service as registry

TARGET_P95_MS = 20.0
CITIZEN = "13800000001"


# ---- the largest form and a draft that fits ------------------------------------------------


def answer_paths(tree: dict[str, Any]) -> list[list[int]]:
    """Every complete list of answers through a question tree."""
    out: list[list[int]] = []

    def walk(qid: str, answers: list[int]) -> None:
        for i, choice in enumerate(tree["questions"][qid]["choices"]):
            if choice.get("next"):
                walk(choice["next"], [*answers, i])
            else:
                out.append([*answers, i])

    walk(tree["start"], [])
    return out


def applicant_kinds(definition: Definition) -> list[str]:
    types = definition.ui["scenario"]["applicant_types"]
    return list(types if isinstance(types, list) else types.get("types", []))


async def largest(session: AsyncSession) -> tuple[Definition, list[int], str]:
    """(the newest definition with the most fields, the answers showing most, applicant kind)."""
    rows = await build.newest_versions(session)
    definitions = [build.as_definition(row) for row in rows.values()]
    biggest = max(definitions, key=lambda d: (len(d.fields), d.scenario_code))
    best: tuple[int, list[int], str] | None = None
    for answers in answer_paths(dict(biggest.ui["tree"])):
        items = biggest.outcome(answers).item_set
        for kind in applicant_kinds(biggest):
            shown = len(biggest.visible(items, kind))
            if best is None or shown > best[0]:
                best = (shown, answers, kind)
    assert best is not None
    return biggest, best[1], best[2]


def typed_value(f: Field, offers: list[Any], when: str, person: demo_people.SynthPerson) -> Any:
    """What a person would enter in a field the platform left empty."""
    if offers:
        return offers[0]
    spec = f.spec
    options = [o[0] for o in f.options]
    if f.widget == "yesno":
        return "no"
    if f.widget == "multichoice":
        return options[:2]
    if options:
        return options[0]
    if f.widget == "number":
        low, high = spec.get("minimum"), spec.get("maximum")
        value = 30.0
        if high is not None:
            value = min(value, float(high))
        if low is not None:
            value = max(value, float(low))
        return value
    if f.widget == "date":
        today = local_today()
        days = {"future": 30, "later": 3 * 365, "past": -400}[when]
        return (today + dt.timedelta(days=days)).isoformat()
    if f.widget == "id_number":
        return person.id_number
    if f.widget == "mobile":
        return person.mobile
    if f.code.endswith(("_name", ".name", "manager")) and "proposed" not in f.code:
        return person.name
    if f.widget in ("address", "textarea"):
        return "青岛市市南区香港中路10号"
    limit = int(spec.get("max_length") or 30)
    return "海岸大药房"[:limit]


def plan(definition: Definition, items: set[str], shown: list[Field]) -> dict[str, Any]:
    """Per field: when its date must fall, and who (for name and ID pairs checked against the
    population records: one living person per pair)."""
    codes = {f.code for f in shown}
    living = demo_people.people()  # each has a population record
    whom: dict[str, demo_people.SynthPerson] = {}
    when: dict[str, str] = {}
    pick = iter(living[100:])
    for rule in definition.rules_on(items, codes):
        kind, fields = rule["kind"], rule["fields"]
        if kind == "registry_person":
            person = next(pick)
            whom[fields[0]] = whom[fields[1]] = person
        elif kind == "not_past":
            when.setdefault(fields[0], "future")
        elif kind == "date_order":
            when.setdefault(fields[0], "past")
            when[fields[1]] = "later"
    return {"whom": whom, "when": when, "default": living[99]}


async def fill(
    session: AsyncSession, enterprise: str | None
) -> tuple[Principal, str, list[Finding]]:
    """A draft of the largest form, filled and with its materials; (principal, id, findings)."""
    definition, answers, _ = await largest(session)
    legal_rep = next((e.legal_rep for e in ENTERPRISES if e.name == enterprise), CITIZEN)
    person = await accounts.find_person_by_login(session, legal_rep)
    assert person is not None
    principal = Principal(person_id=person.id, name=person.name, trust_level=3, session_id=0)
    ent_id = None
    if enterprise is not None:
        q = select(Enterprise.id).where(Enterprise.name == enterprise)
        ent_id = (await session.execute(q)).scalar_one()
    draft = await service.start(session, principal, definition.scenario_code, answers, ent_id)
    dv = await service.view(session, principal, draft)
    p = plan(definition, dv.items, dv.fields)
    updates = {}
    for f in dv.fields:
        if f.code in draft.values or service.is_read_only(f, draft.provenance):
            continue
        offers = [o["value"] for o in dict(draft.provenance.get(f.code) or {}).get("offers", [])]
        who = p["whom"].get(f.code, p["default"])
        updates[f.code] = typed_value(f, offers, p["when"].get(f.code, "past"), who)
    await service.save(session, principal, draft, updates)
    for m in dv.materials:
        if m.required_on(dv.items) and m.key not in draft.attachments:
            await service.attach(session, principal, draft, m.key, samples.pdf(), "scan.pdf")
    findings = await service.check(session, await service.view(session, principal, draft))
    for _ in range(3):
        fixes = repairs(definition, dv.items, dv.fields, draft.values, findings)
        if not fixes:
            break
        await service.save(session, principal, draft, fixes)
        findings = await service.check(session, await service.view(session, principal, draft))
    return principal, draft.id, findings


def repairs(
    definition: Definition,
    items: set[str],
    shown: list[Field],
    values: dict[str, Any],
    findings: list[Finding],
) -> dict[str, Any]:
    """What a person does when told: a number not on record is taken out again; a field that
    only an answer made necessary gets another answer."""
    by_code = {f.code: f for f in shown}
    fixes: dict[str, Any] = {}
    for finding in precheck.blocking(findings):
        if finding.code.endswith("_not_found"):
            fixes[finding.field] = None
        elif finding.code == "required_if":
            for rule in definition.rules_on(items, set(by_code)):
                if rule["kind"] != "required_if" or rule["fields"][0] != finding.field:
                    continue
                when = by_code[rule["fields"][1]]
                equals = rule["params"].get("equals")
                refused = {str(v) for v in (equals if isinstance(equals, list) else [equals])}
                other = [o[0] for o in when.options if o[0] not in refused]
                if when.widget == "yesno":
                    other = [v for v in ("yes", "no") if v not in refused]
                if other and values.get(when.code) != other[0]:
                    fixes[when.code] = other[0]
    return fixes


# ---- timing --------------------------------------------------------------------------------


async def _interleave(
    variants: dict[str, Callable[[], Awaitable[None]]], calls: int, got: dict[str, list[float]]
) -> None:
    """The variants take turns call by call."""
    for _ in range(calls):
        for label, fn in variants.items():
            t0 = time.perf_counter()
            await fn()
            got[label].append(time.perf_counter() - t0)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


SAME_SESSION = ("PK SELECT (limit)", "precheck.precheck", "service.check")
OWN = ("PK SELECT, own transaction", "get + check, own transaction")
PK_SQL = text("SELECT id FROM persons WHERE id = :id")


async def same_session(
    db: Database, principal: Principal, draft_id: str, calls: int, got: dict[str, list[float]]
) -> None:
    async with db.sessionmaker() as session:
        draft = await service.get(session, principal, draft_id)
        dv = await service.view(session, principal, draft)
        values, attachments = dict(draft.values), dict(draft.attachments)

        async def pk() -> None:
            await session.execute(PK_SQL, {"id": principal.person_id})

        async def rules() -> None:
            await precheck.precheck(
                registry.Reader(session), dv.definition, dv.items, dv.applicant, values, attachments
            )

        async def check() -> None:
            await service.check(session, await service.view(session, principal, draft))

        await _interleave(dict(zip(SAME_SESSION, (pk, rules, check), strict=True)), calls, got)
        await session.rollback()


async def own_transactions(
    db: Database, principal: Principal, draft_id: str, calls: int, got: dict[str, list[float]]
) -> None:
    async def pk() -> None:
        async with db.transaction() as s:
            await s.execute(PK_SQL, {"id": principal.person_id})

    async def per_request() -> None:
        async with db.transaction() as s:
            draft = await service.get(s, principal, draft_id)
            await service.check(s, await service.view(s, principal, draft))

    await _interleave(dict(zip(OWN, (pk, per_request), strict=True)), calls, got)


async def run(kind: str, iterations: int, rounds: int) -> dict[str, Any]:
    name = f"yiwang_bench_precheck_{os.getpid()}"
    url = setup.fresh_url(kind, name, Path(tempfile.mkdtemp(dir=os.environ["YIWANG_VAR_DIR"])))
    try:
        await setup.load(url)
        db = Database(create_engine_for(url))
        async with db.transaction() as session:
            definition, answers, applicant = await largest(session)
        candidates: list[str | None] = (
            [e.name for e in ENTERPRISES] if applicant == "enterprise" else [None]
        )
        drafts = []
        for enterprise in candidates:
            async with db.transaction() as session:
                principal, draft_id, findings = await fill(session, enterprise)
            drafts.append((sum(f.severity == "block" for f in findings), principal, draft_id))
        blocks, principal, draft_id = min(drafts, key=lambda d: d[0])
        enterprise = candidates[drafts.index((blocks, principal, draft_id))]
        async with db.transaction() as session:
            draft = await service.get(session, principal, draft_id)
            dv = await service.view(session, principal, draft)
            findings = await service.check(session, dv)
        shown = len(dv.fields)
        counts = {
            sev: [f"{f.code} {f.field}" for f in findings if f.severity == sev]
            for sev in ("block", "warn", "inform")
        }

        times: dict[str, list[list[float]]] = {k: [] for k in SAME_SESSION + OWN}
        load = []
        per_round = max(1, iterations // rounds)
        for n_round in range(rounds + 1):  # round 0 is the warm-up
            calls = max(50, iterations // 10) if n_round == 0 else per_round
            got: dict[str, list[float]] = {k: [] for k in times}
            # The open transaction first, then closed: on SQLite it holds the write lock that
            # the variants with transactions of their own need.
            await same_session(db, principal, draft_id, calls, got)
            await own_transactions(db, principal, draft_id, calls, got)
            if n_round:
                for label in times:
                    times[label].append(got[label])
                load.append(os.getloadavg()[0])
        await db.engine.dispose()
        return {
            "kind": kind,
            "scenario": definition.scenario_code,
            "version": definition.version,
            "fields": len(definition.fields),
            "answers": answers,
            "applicant": enterprise or CITIZEN,
            "shown": shown,
            "materials": len(dv.materials),
            "rules": len(dv.definition.rules_on(dv.items, {f.code for f in dv.fields})),
            "findings": counts,
            "times": times,
            "load": load,
        }
    finally:
        setup.drop(kind, name)


def report(r: dict[str, Any], iterations: int) -> None:
    times: dict[str, list[list[float]]] = r["times"]
    print(
        f"\n{r['kind']}: {r['scenario']} v{r['version']} ({r['fields']} fields), answers"
        f" {r['answers']}, for {r['applicant']}: {r['shown']} fields shown, {r['materials']}"
        f" materials, {r['rules']} rules; findings {r['findings']}"
    )
    rounds = len(next(iter(times.values())))
    print(
        f"  {rounds} rounds × {len(times['PK SELECT (limit)'][0])} calls per variant;"
        f" 1-min load average per round: {', '.join(f'{x:.2f}' for x in r['load'])}"
    )
    print(f"  {'variant':<30}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  p95 per round")
    pooled = {k: [t for rnd in v for t in rnd] for k, v in times.items()}
    for label, values in pooled.items():
        rounds_p95 = " ".join(f"{pct(rnd, 95):.2f}" for rnd in times[label])
        print(
            f"  {label:<30}{pct(values, 50):>9.2f}{pct(values, 95):>9.2f}{pct(values, 99):>9.2f}"
            f"  {rounds_p95}"
        )
    limit = pct(pooled["PK SELECT (limit)"], 95)
    own_limit = pct(pooled["PK SELECT, own transaction"], 95)
    for label, base in (
        ("precheck.precheck", limit),
        ("service.check", limit),
        ("get + check, own transaction", own_limit),
    ):
        p95 = pct(pooled[label], 95)
        verdict = "met" if p95 <= TARGET_P95_MS else "NOT met"
        print(
            f"  {label}: p95 ÷ limit p95 = {p95 / base:.1f};"
            f" target ≤ {TARGET_P95_MS:.0f} ms {verdict}"
        )
    print(
        f"  ({iterations} iterations requested; means: "
        + ", ".join(f"{k} {statistics.mean(v) * 1000:.2f} ms" for k, v in pooled.items())
        + ")"
    )


def stolen() -> tuple[float, float]:
    """(stolen, total) CPU ticks since boot: steal is what the hypervisor gave other guests."""
    parts = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return parts[7], sum(parts[:8])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--kind", choices=("sqlite", "postgresql", "both"), default="both")
    p.add_argument("--iterations", type=int, default=500, help="timed calls per variant")
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args()
    kinds = ("sqlite", "postgresql") if args.kind == "both" else (args.kind,)
    # Uploads (and the SQLite database) go here, not to the project's var/.
    os.environ["YIWANG_VAR_DIR"] = tempfile.mkdtemp(prefix="yiwang-bench-precheck-")
    get_settings.cache_clear()
    load = os.getloadavg()
    print(f"load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    try:
        for kind in kinds:
            s0 = stolen()
            result = asyncio.run(run(kind, args.iterations, args.rounds))
            s1 = stolen()
            report(result, args.iterations)
            print(
                f"  CPU stolen by the hypervisor meanwhile: {(s1[0] - s0[0]) / (s1[1] - s0[1]):.0%}"
            )
    finally:
        shutil.rmtree(os.environ["YIWANG_VAR_DIR"], ignore_errors=True)


if __name__ == "__main__":
    main()
