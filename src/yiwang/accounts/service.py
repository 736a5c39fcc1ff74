"""People, enterprises, agents, departments and staff grants. No HTTP here, and no commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from yiwang.accounts.authz import ROLE_GRANTS, Grant, Principal, region_contains
from yiwang.accounts.models import (
    AgentAuthorisation,
    Department,
    Enterprise,
    Person,
    Region,
    Role,
    StaffAssignment,
)
from yiwang.accounts.passwords import hash_password, password_problems
from yiwang.audit import service as audit
from yiwang.config import get_settings
from yiwang.db import get_or_404, utcnow
from yiwang.kit import identifiers
from yiwang.kit.crypto import seal
from yiwang.kit.errors import AppError, Conflict, Forbidden, Invalid, InvalidMany, NotFound
from yiwang.kit.i18n import N_
from yiwang.registry import service as registry


@cache
def _id_key(secret: str) -> bytes:
    return hmac.new(secret.encode(), b"yiwang id-number key", hashlib.sha256).digest()


def hash_id(number: str) -> str:
    """Keyed hash of an ID number: equal numbers meet, the number cannot be read back."""
    key = _id_key(get_settings().secret())
    return hmac.new(key, number.strip().upper().encode(), hashlib.sha256).hexdigest()


def protect_id(number: str) -> dict[str, Any]:
    """An ID number as forms and records keep it: masked for display, the keyed hash for
    lookups, and sealed for the departments that must read it. A number that fails its check
    keeps only the masked form and the reason."""
    check = identifiers.check_resident_id(number)
    masked = identifiers.mask_id(check.value)
    if not check.valid:
        return {"masked": masked, "error": check.reason, "params": check.params}
    return {"masked": masked, "hash": hash_id(check.value), "sealed": seal(check.value, "id")}


def check_field(field: str, check: identifiers.IdCheck) -> AppError | None:
    if check.valid:
        return None
    return Invalid(
        identifier_message(check.reason),
        field=field,
        error_code=f"id_{check.reason}",
        **check.params,
    )


REASON_MESSAGES: dict[str, str] = {
    "empty": N_("Please fill this in."),
    "bad_length": N_("Wrong length: {expected} characters expected, {got} given."),
    "bad_characters": N_("Character {position} is not allowed here."),
    "bad_check_character": N_("The check character is wrong: {expected} expected, {got} given."),
    "unknown_region": N_("Unknown region code {code}."),
    "impossible_birth_date": N_("The birth date {date} does not exist."),
    "future_birth_date": N_("The birth date {date} is in the future."),
    "bad_registration_authority": N_("Unknown registration authority code."),
    "bad_organisation_type": N_("Unknown organisation type for this registration authority."),
    "bad_mobile_prefix": N_("This is not a mainland mobile number."),
    "unrecognised": N_("Not a resident ID, credit code, region code or mobile number."),
}


def identifier_message(reason: str | None) -> str:
    return REASON_MESSAGES.get(reason or "", N_("The value is not valid."))


async def find_person_by_login(session: AsyncSession, login: str) -> Person | None:
    login = login.strip()
    q = select(Person).where(Person.login == login)
    person = (await session.execute(q)).scalar_one_or_none()
    if person is None and len(login) == 18:
        q = select(Person).where(Person.id_hash == hash_id(login))
        person = (await session.execute(q)).scalar_one_or_none()
    return person


async def get_person(session: AsyncSession, person_id: int) -> Person:
    return await get_or_404(session, Person, person_id)


async def create_person(
    session: AsyncSession,
    *,
    name: str,
    id_number: str,
    password: str | None,
    login: str | None = None,
    mobile: str | None = None,
    actor: str = "system",
) -> Person:
    """Validates everything first and reports every bad field at once; writes nothing on error.
    `password=None` makes an account that logs in only through an identity provider."""
    errors: list[AppError] = password_problems(password) if password is not None else []
    name = name.strip()
    if not 2 <= len(name) <= 60:
        errors.append(Invalid(N_("Please enter your full name."), field="name"))
    id_check = identifiers.check_resident_id(id_number)
    if err := check_field("id_number", id_check):
        errors.append(err)
    if mobile:
        if err := check_field("mobile", identifiers.check_mobile(mobile)):
            errors.append(err)
        else:
            mobile = identifiers.check_mobile(mobile).value
    if errors:
        raise InvalidMany(errors)
    id_hash = hash_id(id_check.value)
    login = (login or mobile or id_check.value).strip()
    taken = await session.execute(
        select(Person.id).where((Person.id_hash == id_hash) | (Person.login == login))
    )
    if taken.first():
        raise Conflict(
            N_("An account with this ID number or login already exists."), field="id_number"
        )
    matched = await registry.person_matches(session, id_hash, name)
    person = Person(
        login=login,
        name=name,
        id_type="resident_id",
        id_hash=id_hash,
        id_masked=identifiers.mask_id(id_check.value),
        mobile=mobile,
        password_hash=await hash_password(password) if password is not None else None,
        verified_level=3 if matched else 2,
    )
    session.add(person)
    await session.flush()
    await audit.record(
        session,
        actor,
        "person.create",
        f"person:{person.id}",
        {"verified_level": person.verified_level, "id": person.id_masked},
    )
    return person


async def create_enterprise(
    session: AsyncSession,
    *,
    name: str,
    credit_code: str,
    legal_rep: Person,
    region_code: str,
    actor: str = "system",
) -> Enterprise:
    check = identifiers.check_uscc(credit_code)
    if err := check_field("credit_code", check):
        raise err
    ent = Enterprise(
        name=name, credit_code=check.value, legal_rep_id=legal_rep.id, region_code=region_code
    )
    session.add(ent)
    await session.flush()
    await audit.record(
        session,
        actor,
        "enterprise.create",
        f"enterprise:{ent.id}",
        {"credit_code": ent.credit_code},
    )
    return ent


AGENT_ACTIONS: dict[str, str] = {
    "apply": N_("Apply for services for the enterprise"),
    "licences": N_("Show and manage the enterprise's licences"),
    "view": N_("Follow the enterprise's cases"),
}


async def get_enterprise(session: AsyncSession, enterprise_id: int) -> Enterprise:
    return await get_or_404(session, Enterprise, enterprise_id)


async def authorise_agent(
    session: AsyncSession,
    *,
    enterprise: Enterprise,
    agent: Person,
    actions: list[str],
    valid_until: dt.datetime,
    granted_by: Person,
) -> AgentAuthorisation:
    if granted_by.id != enterprise.legal_rep_id:
        raise Forbidden(N_("Only the legal representative can authorise agents."))
    errors: list[AppError] = []
    if agent.id == enterprise.legal_rep_id:
        errors.append(
            Invalid(N_("The legal representative needs no authorisation."), field="login")
        )
    if not actions or not set(actions) <= set(AGENT_ACTIONS):
        errors.append(Invalid(N_("Choose at least one thing the agent may do."), field="actions"))
    if valid_until <= utcnow():
        errors.append(Invalid(N_("The expiry must be in the future."), field="valid_until"))
    elif valid_until > utcnow() + dt.timedelta(days=3 * 366):
        errors.append(
            Invalid(N_("An authorisation lasts at most three years."), field="valid_until")
        )
    if errors:
        raise InvalidMany(errors)
    if agent.id in {a.person_id for a in await agents_of(session, enterprise.id)}:
        raise Conflict(
            N_("This person is already an agent; revoke the old authorisation first."),
            field="login",
        )
    auth = AgentAuthorisation(
        enterprise_id=enterprise.id,
        person_id=agent.id,
        scope={"actions": sorted(actions)},
        valid_until=valid_until,
        granted_by=granted_by.id,
    )
    session.add(auth)
    await session.flush()
    await audit.record(
        session,
        f"person:{granted_by.id}",
        "agent.authorise",
        f"enterprise:{enterprise.id}",
        {"agent": agent.id, "actions": sorted(actions), "valid_until": valid_until.isoformat()},
    )
    return auth


def _in_force() -> ColumnElement[bool]:
    """Not revoked, already started, not yet expired."""
    now = utcnow()
    return and_(
        AgentAuthorisation.revoked_at.is_(None),
        AgentAuthorisation.valid_from <= now,
        AgentAuthorisation.valid_until > now,
    )


async def agents_of(session: AsyncSession, enterprise_id: int) -> list[AgentAuthorisation]:
    q = (
        select(AgentAuthorisation)
        .where(AgentAuthorisation.enterprise_id == enterprise_id, _in_force())
        .order_by(AgentAuthorisation.id)
    )
    return list((await session.execute(q)).scalars())


async def revoke_agent(
    session: AsyncSession, *, enterprise: Enterprise, authorisation_id: int, by: Person
) -> None:
    if by.id != enterprise.legal_rep_id:
        raise Forbidden(N_("Only the legal representative can authorise agents."))
    auth = await session.get(AgentAuthorisation, authorisation_id)
    if auth is None or auth.enterprise_id != enterprise.id or auth.revoked_at is not None:
        raise NotFound()
    auth.revoked_at = utcnow()
    await audit.record(
        session,
        f"person:{by.id}",
        "agent.revoke",
        f"enterprise:{enterprise.id}",
        {"agent": auth.person_id, "authorisation": auth.id},
    )


async def enterprise_actions(
    session: AsyncSession, person_id: int, enterprise_id: int
) -> frozenset[str] | None:
    """What the person may do for the enterprise now; None when nothing (or no longer)."""
    ent = await session.get(Enterprise, enterprise_id)
    if ent is None:
        return None
    if ent.legal_rep_id == person_id:
        return frozenset(AGENT_ACTIONS)
    for auth in await agents_of(session, enterprise_id):
        if auth.person_id == person_id:
            return frozenset(auth.scope.get("actions", []))
    return None


async def enterprises_for(session: AsyncSession, person_id: int) -> list[tuple[Enterprise, str]]:
    """Enterprises the person may act for now: as legal representative or as a current agent."""
    own = await session.execute(select(Enterprise).where(Enterprise.legal_rep_id == person_id))
    out = [(e, "legal_rep") for e in own.scalars()]
    agent_q = (
        select(Enterprise)
        .join(AgentAuthorisation, AgentAuthorisation.enterprise_id == Enterprise.id)
        .where(AgentAuthorisation.person_id == person_id, _in_force())
    )
    seen = {e.id for e, _ in out}
    out += [(e, "agent") for e in (await session.execute(agent_q)).scalars() if e.id not in seen]
    return out


async def get_department(session: AsyncSession, department_id: int) -> Department:
    return await get_or_404(session, Department, department_id)


async def department_by_code(session: AsyncSession, code: str, region_code: str) -> Department:
    q = select(Department).where(Department.code == code, Department.region_code == region_code)
    dept = (await session.execute(q)).scalar_one_or_none()
    if dept is None:
        raise Invalid(
            N_("No such department in this region."),
            field="department",
            error_code="unknown_department",
        )
    return dept


async def list_departments(
    session: AsyncSession, region_code: str | None = None
) -> list[Department]:
    q = select(Department).order_by(Department.region_code, Department.id)
    if region_code:
        q = q.where(Department.region_code == region_code)
    return list((await session.execute(q)).scalars())


async def list_regions(session: AsyncSession) -> list[Region]:
    return list((await session.execute(select(Region).order_by(Region.code))).scalars())


# A grant as one row: the staff assignment with its department's code and its role's permissions.
GRANT_COLUMNS = (
    StaffAssignment.role_code,
    StaffAssignment.department_id,
    Department.code,
    StaffAssignment.region_code,
    Role.permissions,
)


def with_grants(
    q: Select[*tuple[Any, ...]], person_id: InstrumentedAttribute[int]
) -> Select[*tuple[Any, ...]]:
    """`q` with GRANT_COLUMNS outer-joined: one row per grant in force, or one row of NULLs."""
    return (
        q.add_columns(*GRANT_COLUMNS)
        .outerjoin(
            StaffAssignment,
            (StaffAssignment.person_id == person_id) & StaffAssignment.revoked_at.is_(None),
        )
        .outerjoin(Department, Department.id == StaffAssignment.department_id)
        .outerjoin(Role, Role.code == StaffAssignment.role_code)
        .order_by(StaffAssignment.id)
    )


def grants_from(rows: Iterable[Sequence[Any]]) -> tuple[Grant, ...]:
    """The grants in rows that end with GRANT_COLUMNS."""
    n = len(GRANT_COLUMNS)
    return tuple(
        Grant(
            role=role,
            department_id=department_id,
            department_code=code,
            region_code=region,
            permissions=frozenset(perms.get("grants", [])),
        )
        for role, department_id, code, region, perms in (tuple(r)[-n:] for r in rows)
        if role is not None
    )


async def grants_of(session: AsyncSession, person_id: int) -> tuple[Grant, ...]:
    q = with_grants(select(Person.id), Person.id).where(Person.id == person_id)
    return grants_from((await session.execute(q)).all())


async def assignments(
    session: AsyncSession, region_code: str | None = None
) -> list[tuple[StaffAssignment, Person, Department]]:
    q = (
        select(StaffAssignment, Person, Department)
        .join(Person, Person.id == StaffAssignment.person_id)
        .join(Department, Department.id == StaffAssignment.department_id)
        .where(StaffAssignment.revoked_at.is_(None))
        .order_by(Department.region_code, Department.id, StaffAssignment.id)
    )
    rows = [(a, p, d) for a, p, d in (await session.execute(q)).all()]
    if region_code:
        rows = [r for r in rows if region_contains(region_code, r[0].region_code)]
    return rows


async def assign_role(
    session: AsyncSession,
    *,
    by: Principal | None,
    person: Person,
    department: Department,
    role: str,
    region_code: str,
) -> StaffAssignment:
    """`by=None` is the installation itself (CLI, demo): no administrator exists yet to ask."""
    if role not in ROLE_GRANTS:
        raise Invalid(N_("Unknown role."), field="role")
    if not region_contains(department.region_code, region_code):
        raise Invalid(N_("The scope must lie inside the department's region."), field="region_code")
    if await session.get(Region, region_code) is None:
        raise Invalid(
            N_("Unknown region code {code}."),
            field="region_code",
            error_code="unknown_region",
            code=region_code,
        )
    if by is not None and not by.can("admin.accounts", region_code=region_code):
        raise Forbidden()
    a = StaffAssignment(
        person_id=person.id,
        department_id=department.id,
        role_code=role,
        region_code=region_code,
        granted_by=by.person_id if by else None,
    )
    session.add(a)
    await session.flush()
    await audit.record(
        session,
        by.actor if by else "system",
        "staff.grant",
        f"person:{person.id}",
        {"role": role, "department": department.id, "region": region_code, "assignment": a.id},
    )
    return a


async def revoke_role(
    session: AsyncSession, *, by: Principal, assignment_id: int
) -> StaffAssignment:
    a = await session.get(StaffAssignment, assignment_id)
    if a is None or a.revoked_at is not None:
        raise NotFound()
    if not by.can("admin.accounts", region_code=a.region_code):
        raise Forbidden()
    a.revoked_at = utcnow()
    await audit.record(
        session,
        by.actor,
        "staff.revoke",
        f"person:{a.person_id}",
        {
            "role": a.role_code,
            "department": a.department_id,
            "region": a.region_code,
            "assignment": a.id,
        },
    )
    return a


async def upsert_roles(session: AsyncSession) -> None:
    for code, grants in ROLE_GRANTS.items():
        role = await session.get(Role, code)
        if role is None:
            session.add(Role(code=code, permissions={"grants": list(grants)}))
        else:
            role.permissions = {"grants": list(grants)}
    await session.flush()
