"""The page where people and enterprises see who used their shared data."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from yiwang.accounts import service as accounts
from yiwang.forms import labels
from yiwang.registry import usage
from yiwang.web.deps import DbSession, LoggedIn
from yiwang.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/me/data-usage")
async def data_usage(
    request: Request, session: DbSession, principal: LoggedIn, enterprise: int | None = None
) -> Response:
    enterprises = [
        e
        for e, _ in await accounts.enterprises_for(session, principal.person_id)
        if (await accounts.enterprise_actions(session, principal.person_id, e.id) or set())
        & {"view", "apply"}
    ]
    return render(
        request,
        "registry/usage.html",
        {
            "lines": await usage.lines(session, principal, enterprise),
            "enterprises": enterprises,
            "enterprise": next((e for e in enterprises if e.id == enterprise), None),
            "purposes": labels.PURPOSE_LABELS,
        },
    )
