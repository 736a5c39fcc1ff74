"""Pages for people (login, register, 我的), staff workbenches and the administrators' area."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from yiwang.accounts import service, sessions
from yiwang.accounts.authz import ROLE_LABELS, Principal, region_contains
from yiwang.accounts.models import Person
from yiwang.audit import service as audit
from yiwang.config import get_settings
from yiwang.kit import identifiers
from yiwang.kit.errors import AppError, Conflict, Forbidden, Invalid, InvalidMany
from yiwang.kit.i18n import N_
from yiwang.kit.timeutil import end_of_local_day, local_today
from yiwang.web.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    DbSession,
    LoggedIn,
    MaybePrincipal,
    client_address,
    require,
)
from yiwang.web.templating import field_errors, render
from yiwang.web.views import safe_next

router = APIRouter(include_in_schema=False)
staff = APIRouter(prefix="/staff", include_in_schema=False)
admin = APIRouter(prefix="/admin", include_in_schema=False)

StaffMember = Annotated[Principal, Depends(require("workbench"))]
Admin = Annotated[Principal, Depends(require("admin.access"))]


def _text(form: FormData, key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _form_error(
    request: Request,
    template: str,
    errors: list[AppError],
    form: dict[str, str],
    ctx: Mapping[str, object] | None = None,
) -> Response:
    # A valid ID number is never echoed into a page; a mistyped one is, so it can be corrected.
    form = {k: v for k, v in form.items() if not identifiers.check_resident_id(v).valid}
    return render(
        request,
        template,
        {"errors": field_errors(errors), "form": form, **(ctx or {})},
        status_code=errors[0].status,
    )


async def logged_in(
    request: Request, session: AsyncSession, person: Person, method: str, target: str
) -> Response:
    """Start a session for the person and send them on, with the session cookie set."""
    token = await sessions.start_session(
        session,
        person,
        method=method,
        address=client_address(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    s = get_settings()
    response = _redirect(safe_next(target, "/me"))
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=s.secure_cookies,
        max_age=s.session_hours * 3600,
        path="/",
    )
    # A fresh CSRF seed at login: a token planted before login is worthless after it.
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("/login")
async def login_page(
    request: Request, principal: MaybePrincipal, next: str | None = None
) -> Response:
    return render(request, "login.html", {"next": safe_next(next, "/me")})


@router.post("/login")
async def login(request: Request, session: DbSession) -> Response:
    form = await request.form()
    login_name, password, target = (
        _text(form, "login"),
        str(form.get("password") or ""),
        _text(form, "next"),
    )
    result = await sessions.authenticate(session, login_name, password, client_address(request))
    if isinstance(result, AppError):
        ctx = {"next": safe_next(target, "/me")}
        return _form_error(request, "login.html", [result], {"login": login_name}, ctx)
    return await logged_in(request, session, result, "password", target)


@router.post("/logout")
async def logout(request: Request, session: DbSession) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await sessions.end_session(session, token)
    response = _redirect("/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/register")
async def register_page(request: Request) -> Response:
    return render(request, "register.html")


@router.post("/register")
async def register(request: Request, session: DbSession) -> Response:
    form = await request.form()
    fields = {k: _text(form, k) for k in ("name", "id_number", "mobile")}
    password = str(form.get("password") or "")
    try:
        person = await service.create_person(
            session,
            name=fields["name"],
            id_number=fields["id_number"],
            mobile=fields["mobile"],
            password=password,
        )
    except InvalidMany as exc:
        return _form_error(request, "register.html", exc.errors, fields)
    except AppError as exc:
        return _form_error(request, "register.html", [exc], fields)
    return await logged_in(request, session, person, "password", "/me")


@router.get("/me")
async def me(request: Request, session: DbSession, principal: LoggedIn) -> Response:
    person = await service.get_person(session, principal.person_id)
    enterprises = await service.enterprises_for(session, principal.person_id)
    acting = next((e for e, _ in enterprises if e.id == principal.acting_enterprise_id), None)
    return render(
        request,
        "me.html",
        {
            "person": person,
            "enterprises": enterprises,
            "acting": acting,
            "trust_label": sessions.TRUST_LABELS[principal.trust_level],
            "role_labels": ROLE_LABELS,
            "events": await audit.recent(session, 10, about=f"person:{person.id}"),
        },
    )


@router.post("/me/act-for")
async def act_for(request: Request, session: DbSession, principal: LoggedIn) -> Response:
    raw = _text(await request.form(), "enterprise_id")
    await sessions.act_for(session, principal, int(raw) if raw.isdigit() else None)
    return _redirect("/me")


@router.get("/me/enterprises/{enterprise_id}")
async def enterprise_page(
    request: Request, enterprise_id: int, session: DbSession, principal: LoggedIn
) -> Response:
    return await _enterprise_page(request, session, principal, enterprise_id)


async def _enterprise_page(
    request: Request,
    session: DbSession,
    principal: Principal,
    enterprise_id: int,
    errors: list[AppError] | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    ent = await service.get_enterprise(session, enterprise_id)
    actions = await service.enterprise_actions(session, principal.person_id, ent.id)
    if actions is None:
        raise Forbidden(N_("You are not authorised to act for this enterprise."))
    is_rep = ent.legal_rep_id == principal.person_id
    agents = []
    if is_rep:
        for auth in await service.agents_of(session, ent.id):
            agents.append((auth, await service.get_person(session, auth.person_id)))
    ctx = {
        "enterprise": ent,
        "is_rep": is_rep,
        "my_actions": sorted(actions),
        "agents": agents,
        "agent_actions": service.AGENT_ACTIONS,
        "today": local_today().isoformat(),
    }
    if errors:
        return _form_error(request, "enterprise.html", errors, form or {}, ctx)
    return render(request, "enterprise.html", ctx)


@router.post("/me/enterprises/{enterprise_id}/agents")
async def add_agent(
    request: Request, enterprise_id: int, session: DbSession, principal: LoggedIn
) -> Response:
    form = await request.form()
    fields = {"login": _text(form, "login"), "valid_until": _text(form, "valid_until")}
    ent = await service.get_enterprise(session, enterprise_id)
    me = await service.get_person(session, principal.person_id)
    try:
        agent = await service.find_person_by_login(session, fields["login"])
        if agent is None:
            raise Invalid(
                N_("No account with this login."), field="login", error_code="unknown_login"
            )
        until = end_of_local_day(fields["valid_until"], field="valid_until")
        actions = [a for a in form.getlist("actions") if isinstance(a, str)]
        await service.authorise_agent(
            session, enterprise=ent, agent=agent, actions=actions, valid_until=until, granted_by=me
        )
    except InvalidMany as exc:
        return await _enterprise_page(request, session, principal, ent.id, exc.errors, fields)
    except (Invalid, Conflict) as exc:
        return await _enterprise_page(request, session, principal, ent.id, [exc], fields)
    return _redirect(f"/me/enterprises/{ent.id}")


@router.post("/me/enterprises/{enterprise_id}/agents/{authorisation_id}/revoke")
async def remove_agent(
    enterprise_id: int, authorisation_id: int, session: DbSession, principal: LoggedIn
) -> Response:
    ent = await service.get_enterprise(session, enterprise_id)
    me = await service.get_person(session, principal.person_id)
    await service.revoke_agent(session, enterprise=ent, authorisation_id=authorisation_id, by=me)
    return _redirect(f"/me/enterprises/{ent.id}")


@router.get("/me/password")
async def password_page(request: Request, principal: LoggedIn) -> Response:
    return render(request, "password.html")


@router.post("/me/password")
async def change_password(request: Request, session: DbSession, principal: LoggedIn) -> Response:
    form = await request.form()
    try:
        await sessions.change_password(
            session,
            principal,
            str(form.get("current_password") or ""),
            str(form.get("new_password") or ""),
        )
    except AppError as exc:
        return _form_error(request, "password.html", [exc], {})
    return render(request, "password.html", {"done": True})


@router.get("/me/trust")
async def trust_page(request: Request, principal: LoggedIn) -> Response:
    return render(
        request,
        "trust.html",
        {
            "challenge": sessions.challenge_for(principal.session_id),
            "trust_label": sessions.TRUST_LABELS[principal.trust_level],
        },
    )


@router.post("/me/trust")
async def raise_trust(request: Request, session: DbSession, principal: LoggedIn) -> Response:
    form = await request.form()
    ctx = {
        "challenge": sessions.challenge_for(principal.session_id),
        "trust_label": sessions.TRUST_LABELS[principal.trust_level],
    }
    try:
        await sessions.raise_trust(
            session, principal, _text(form, "method"), _text(form, "response")
        )
    except AppError as exc:
        return _form_error(request, "trust.html", [exc], {"method": _text(form, "method")}, ctx)
    return _redirect("/me")


@staff.get("")
async def workbench(request: Request, session: DbSession, principal: StaffMember) -> Response:
    depts = {
        g.department_id: await service.get_department(session, g.department_id)
        for g in principal.grants
    }
    return render(
        request, "staff/workbench.html", {"departments": depts, "role_labels": ROLE_LABELS}
    )


@staff.get("/departments/{department_id}")
async def department_page(
    request: Request, department_id: int, session: DbSession, principal: StaffMember
) -> Response:
    dept = await service.get_department(session, department_id)
    if not principal.can("workbench", department_id=dept.id, region_code=dept.region_code):
        raise Forbidden()
    members = [(a, p) for a, p, d in await service.assignments(session) if d.id == dept.id]
    return render(
        request,
        "staff/department.html",
        {"department": dept, "members": members, "role_labels": ROLE_LABELS},
    )


@admin.get("")
async def admin_home(request: Request, session: DbSession, principal: Admin) -> Response:
    scope = principal.grants_for("admin.access")[0].region_code
    return render(
        request,
        "admin/home.html",
        {
            "assignments": await service.assignments(session, scope),
            "departments": [
                d
                for d in await service.list_departments(session)
                if region_contains(scope, d.region_code)
            ],
            "role_labels": ROLE_LABELS,
            "scope": scope,
            "events": await audit.recent(session, 20),
        },
    )


@admin.post("/assignments")
async def grant(request: Request, session: DbSession, principal: Admin) -> Response:
    form = await request.form()
    person = await service.find_person_by_login(session, _text(form, "login"))
    if person is None:
        raise Invalid(N_("No account with this login."), field="login", error_code="unknown_login")
    dept_raw = _text(form, "department_id")
    dept = await service.get_department(session, int(dept_raw) if dept_raw.isdigit() else 0)
    await service.assign_role(
        session,
        by=principal,
        person=person,
        department=dept,
        role=_text(form, "role"),
        region_code=_text(form, "region_code") or dept.region_code,
    )
    return _redirect("/admin")


@admin.post("/assignments/{assignment_id}/revoke")
async def revoke(assignment_id: int, session: DbSession, principal: Admin) -> Response:
    await service.revoke_role(session, by=principal, assignment_id=assignment_id)
    return _redirect("/admin")
