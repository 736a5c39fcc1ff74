"""Pages: the map of service halls (a filter form and a list, with the map on top) and one hall.

The list is the server-rendered truth and works without JavaScript; static/js/map.js draws the
same halls on a Leaflet map over the project's own district GeoJSON.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from yiwang.halls import directory, hours, service
from yiwang.kit.errors import AppError, Invalid, InvalidMany, NotFound
from yiwang.kit.i18n import N_, get_locale
from yiwang.web.deps import DbSession
from yiwang.web.templating import field_errors, render

router = APIRouter(include_in_schema=False)

MAP_PAGE_SIZE = 50
# One source for the map markers (map.js) and the legend: size and fill tell the levels apart,
# so colour is never the only cue; community stations are rings.
MARKER_STYLES: dict[str, dict[str, Any]] = {
    "city": {"radius": 12, "color": "#1b1b1b", "weight": 2, "fillColor": "#0b3d6b"},
    "district": {"radius": 9, "color": "#1b1b1b", "weight": 2, "fillColor": "#1d70b8"},
    "street": {"radius": 7, "color": "#1b1b1b", "weight": 1.5, "fillColor": "#00703c"},
    "community": {"radius": 5, "color": "#6f2c91", "weight": 3, "fillColor": "#ffffff"},
}


def _page_number(raw: str) -> int:
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1


def _named(zh: str, en: str) -> str:
    return en if get_locale() == "en" and en else zh


def _common() -> dict[str, Any]:
    return {
        "levels": service.LEVELS,
        "level_labels": service.LEVEL_LABELS,
        "district_names": {code: _named(*names) for code, names in service.DISTRICT_NAMES.items()},
        "named": _named,
        "reason_labels": hours.REASON_LABELS,
        "weekday_labels": hours.WEEKDAY_LABELS,
        "marker_styles": MARKER_STYLES,
    }


@router.get("/map")
async def map_page(
    request: Request,
    session: DbSession,
    level: str = "",
    district: str = "",
    item: str = "",
    open_now: str = "",
    q: str = "",
    page: str = "1",
) -> Response:
    form = {"level": level, "district": district, "item": item, "open_now": open_now, "q": q}
    filters = directory.HallFilters(
        level=level, district=district, item=item, open_now=bool(open_now), q=q.strip()
    )
    options = await directory.item_options(session)
    ctx: dict[str, Any] = {
        **_common(),
        "form": form,
        "filters": filters,
        "districts": directory.reference_districts(),
        "item_groups": [
            (region, list(items)) for region, items in groupby(options, lambda i: i.region_code)
        ],
        "result": None,
    }
    try:
        result = await directory.list_halls(
            session, filters, page=_page_number(page), page_size=MAP_PAGE_SIZE
        )
    except (NotFound, InvalidMany) as exc:
        if exc.field != "item" and not isinstance(exc, InvalidMany):
            raise
        # On a form an unknown item is a wrong answer to a question, not a missing page.
        errors: list[AppError] = [
            Invalid(N_("Choose an item from the list."), field="item", error_code="unknown_item")
            if e.field == "item"
            else e
            for e in (exc.errors if isinstance(exc, InvalidMany) else [exc])
        ]
        return render(request, "halls/map.html", {**ctx, "errors": field_errors(errors)}, 422)
    query = {k: v for k, v in form.items() if v}
    ctx["result"] = result
    ctx["prev_url"] = (
        f"/map?{urlencode({**query, 'page': result.page - 1})}" if result.page > 1 else None
    )
    ctx["next_url"] = (
        f"/map?{urlencode({**query, 'page': result.page + 1})}"
        if result.page < result.pages
        else None
    )
    return render(request, "halls/map.html", ctx)


@router.get("/halls/{code}")
async def hall_page(request: Request, session: DbSession, code: str) -> Response:
    detail = await directory.hall_detail(session, code)
    weekly = detail.hall.weekly_hours if isinstance(detail.hall.weekly_hours, dict) else {}
    return render(
        request,
        "halls/hall.html",
        {
            **_common(),
            "d": detail,
            "h": detail.hall,
            "regular": [(day, hours.periods(weekly.get(day))) for day in hours.WEEKDAYS],
            "facility_label": directory.facility_label,
        },
    )
