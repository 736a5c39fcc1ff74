"""一个入口 pages: the catalogue by domain, the item page, scenarios answered question by question,
and the administrators' scenario editor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from yiwang.accounts import service as accounts
from yiwang.accounts.authz import Principal
from yiwang.accounts.reference import DISTRICTS
from yiwang.catalog import search, service, tree_form
from yiwang.catalog import tree as trees
from yiwang.catalog.models import Scenario
from yiwang.kit.errors import AppError, Invalid, InvalidMany
from yiwang.kit.i18n import N_
from yiwang.web.deps import DbSession, MaybePrincipal, require
from yiwang.web.templating import field_errors, render

router = APIRouter(include_in_schema=False)
admin = APIRouter(prefix="/admin/scenarios", include_in_schema=False)
synonyms = APIRouter(prefix="/admin/synonyms", include_in_schema=False)
Admin = Annotated[Principal, Depends(require("admin.access"))]

LABELS = {
    "kinds": service.KIND_LABELS,
    "sources": service.SOURCE_LABELS,
    "forms": service.FORM_LABELS,
    "depths": service.DEPTH_LABELS,
    "units": service.UNIT_LABELS,
    "supplied": service.SUPPLIED,
}


@router.get("/services")
async def services(request: Request, session: DbSession, principal: MaybePrincipal) -> Response:
    return render(
        request,
        "catalog/services.html",
        {
            "domains": await service.domains_with_counts(session),
            "scenarios": await service.list_scenarios(session),
        },
    )


@router.get("/services/{domain_code}")
async def domain_page(
    request: Request, domain_code: str, session: DbSession, principal: MaybePrincipal
) -> Response:
    domain = await service.get_domain(session, domain_code)
    return render(
        request,
        "catalog/domain.html",
        {"domain": domain, "items": await service.items_in_domain(session, domain.code)},
    )


@router.get("/search")
async def search_page(
    request: Request,
    session: DbSession,
    principal: MaybePrincipal,
    q: str = "",
    domain: str = "",
    district: str = "",
    applicant: str = "",
    online: str = "",
) -> Response:
    q = q.strip()
    form = {
        "q": q,
        "domain": domain,
        "district": district,
        "applicant": applicant,
        "online": online,
    }
    ctx: dict[str, object] = {
        "form": form,
        "domains": [d for d, _ in await service.domains_with_counts(session)],
        "districts": DISTRICTS,
        "hits": None,
        **LABELS,
    }
    if len(q) > 100:
        error = Invalid(N_("Enter at most {n} characters."), field="q", n=100)
        return render(
            request,
            "catalog/search.html",
            {**ctx, "errors": field_errors([error])},
            status_code=422,
        )
    if q:
        ctx["hits"] = await search.search(
            session,
            q,
            limit=20,
            domain=domain or None,
            district=district if district in {c for c, _, _ in DISTRICTS} else None,
            applicant="person"
            if applicant == "person"
            else "enterprise"
            if applicant == "enterprise"
            else None,
            online_only=online == "1",
        )
    return render(request, "catalog/search.html", ctx)


@router.get("/items/{code}")
async def item_page(
    request: Request, code: str, session: DbSession, principal: MaybePrincipal
) -> Response:
    detail = await service.item_detail(session, code)
    return render(request, "catalog/item.html", {"d": detail, **LABELS})


@router.get("/scenarios/{code}")
async def scenario_page(
    request: Request,
    code: str,
    session: DbSession,
    principal: MaybePrincipal,
    a: Annotated[list[int] | None, Query()] = None,
) -> Response:
    """Stateless: the answers so far travel in the query string, so back, reload and sharing a
    link all work, with or without JavaScript."""
    scenario = await service.scenario_by_code(session, code)
    response = await _walk(request, session, scenario, a or [], "catalog/scenario.html", principal)
    return response


async def applying_as(
    session: DbSession, principal: Principal | None, scenario: Scenario
) -> list[tuple[str, str]]:
    """(value, name) of whom the person may apply for here: themself, enterprises they
    represent or are authorised to apply for."""
    if principal is None:
        return []
    types = scenario.applicant_types.get("types", [])
    out = [("person", principal.name)] if "person" in types else []
    if "enterprise" in types:
        for ent, _ in await accounts.enterprises_for(session, principal.person_id):
            actions = await accounts.enterprise_actions(session, principal.person_id, ent.id)
            if actions and "apply" in actions:
                out.append((str(ent.id), ent.name))
    return out


async def _walk(
    request: Request,
    session: DbSession,
    scenario: Scenario,
    answers: list[int],
    template: str,
    principal: Principal | None = None,
) -> Response:
    tree = scenario.tree
    try:
        walked = trees.walk(tree, answers)
    except AppError as exc:
        return render(
            request,
            template,
            {
                "scenario": scenario,
                "steps": [],
                "answers": [],
                "question": tree["questions"][tree["start"]],
                "errors": field_errors([exc]),
                **LABELS,
            },
            status_code=exc.status,
        )
    ctx = {"scenario": scenario, "steps": walked.steps, "answers": answers, **LABELS}
    if walked.outcome_id is not None:
        outcome = tree["outcomes"][walked.outcome_id]
        items = await service.outcome_items(session, list(outcome.get("items", [])))
        ctx.update(
            outcome=outcome,
            items=items,
            merged=service.merged_materials(items),
            applicants=await applying_as(session, principal, scenario),
            draft_id=request.query_params.get("draft", "")[:32],
        )
    elif walked.question_id is not None:
        ctx.update(question=tree["questions"][walked.question_id])
    return render(request, template, ctx)


@admin.get("")
async def scenario_list(request: Request, session: DbSession, principal: Admin) -> Response:
    return render(
        request,
        "catalog/admin_scenarios.html",
        {
            "scenarios": await service.list_scenarios(session, published_only=False),
            "domains": [d for d, _ in await service.domains_with_counts(session)],
        },
    )


@admin.post("/{code}/move")
async def move(request: Request, code: str, session: DbSession, principal: Admin) -> Response:
    form = await request.form()
    await service.move_scenario(session, principal, code, -1 if form.get("step") == "up" else 1)
    return RedirectResponse("/admin/scenarios", status_code=303)


@admin.post("")
async def create(request: Request, session: DbSession, principal: Admin) -> Response:
    form = await request.form()
    fields = {k: str(form.get(k) or "").strip() for k in ("code", "name", "name_en", "domain_code")}
    try:
        await service.create_scenario(session, principal, **fields)
    except InvalidMany as exc:
        return await _list_with_errors(request, session, exc.errors, fields)
    except AppError as exc:
        return await _list_with_errors(request, session, [exc], fields)
    return RedirectResponse(f"/admin/scenarios/{fields['code']}", status_code=303)


async def _list_with_errors(
    request: Request, session: DbSession, errors: list[AppError], form: dict[str, str]
) -> Response:
    return render(
        request,
        "catalog/admin_scenarios.html",
        {
            "scenarios": await service.list_scenarios(session, published_only=False),
            "domains": [d for d, _ in await service.domains_with_counts(session)],
            "errors": field_errors(errors),
            "form": form,
        },
        status_code=errors[0].status,
    )


@admin.get("/{code}")
async def editor(request: Request, code: str, session: DbSession, principal: Admin) -> Response:
    scenario = await service.scenario_by_code(session, code, published_only=False)
    return _editor(request, scenario, scenario.tree)


def _editor(
    request: Request,
    scenario: Scenario,
    tree: dict[str, object],
    errors: list[AppError] | None = None,
    saved: bool = False,
) -> Response:
    return render(
        request,
        "catalog/admin_editor.html",
        {
            "scenario": scenario,
            "editor": tree_form.rows(tree),
            "paths": tree_form.paths(tree),
            "outcomes": tree.get("outcomes", {}),
            "errors": field_errors(errors or []),
            "error_list": [e.text() for e in errors or []],
            "saved": saved,
            "case_types": trees.CASE_TYPES,
            **LABELS,
        },
        status_code=errors[0].status if errors else 200,
    )


@admin.post("/{code}")
async def save(request: Request, code: str, session: DbSession, principal: Admin) -> Response:
    scenario = await service.scenario_by_code(session, code, published_only=False)
    form = await request.form()
    tree = tree_form.parse(form)
    preview_only = form.get("action") == "preview"
    errors = trees.validate(tree, await service.handling_codes(session))
    if errors or preview_only:
        return _editor(request, scenario, tree, errors)
    try:
        await service.update_details(
            session,
            principal,
            scenario,
            name=str(form.get("name") or ""),
            name_en=str(form.get("name_en") or ""),
            summary=str(form.get("summary") or ""),
            summary_en=str(form.get("summary_en") or ""),
            published=form.get("published") == "on",
        )
        await service.save_tree(session, principal, scenario, tree)
    except InvalidMany as exc:
        return _editor(request, scenario, tree, exc.errors)
    return _editor(request, scenario, scenario.tree, saved=True)


@synonyms.get("")
async def synonym_list(request: Request, session: DbSession, principal: Admin) -> Response:
    return render(
        request, "catalog/admin_synonyms.html", {"synonyms": await service.list_synonyms(session)}
    )


@synonyms.post("")
async def synonym_add(request: Request, session: DbSession, principal: Admin) -> Response:
    form = await request.form()
    fields = {k: str(form.get(k) or "") for k in ("phrase", "expansion")}
    try:
        await service.add_synonym(session, principal, fields["phrase"], fields["expansion"])
    except AppError as exc:
        errors = exc.errors if isinstance(exc, InvalidMany) else [exc]
        return render(
            request,
            "catalog/admin_synonyms.html",
            {
                "synonyms": await service.list_synonyms(session),
                "errors": field_errors(errors),
                "form": fields,
            },
            status_code=exc.status,
        )
    return RedirectResponse("/admin/synonyms", status_code=303)


@synonyms.post("/{synonym_id}/delete")
async def synonym_delete(synonym_id: int, session: DbSession, principal: Admin) -> Response:
    await service.delete_synonym(session, principal, synonym_id)
    return RedirectResponse("/admin/synonyms", status_code=303)
