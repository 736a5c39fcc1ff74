"""Fill-free and first-time pass rates per scenario, for administrators and `yiwang forms stats`.

Fill-free rate: fields the platform filled or a choice answered ÷ fields shown. By design, over
the whole form (every path, data assumed present); observed, over the submitted applications.
First-time pass rate: applications accepted without a correction request ÷ applications that
were accepted or sent back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from yiwang.applications.models import Application
from yiwang.catalog import service as catalog
from yiwang.forms import build


@dataclass(frozen=True)
class ScenarioStats:
    code: str
    name: str
    name_en: str
    version: int
    checksum: str
    fields: int
    design_free: int
    design_rate: float
    submissions: int
    observed_rate: float | None
    decided: int
    first_pass: int
    first_pass_rate: float | None


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


async def scenarios(session: AsyncSession) -> list[ScenarioStats]:
    newest = await build.newest_versions(session)
    decided = (Application.accepted_at.is_not(None)) | (Application.corrections > 0)
    q = select(
        Application.scenario_code,
        func.count(),
        func.coalesce(func.sum(Application.fields_free), 0),
        func.coalesce(func.sum(Application.fields_shown), 0),
        func.coalesce(func.sum(case((decided, 1), else_=0)), 0),
        func.coalesce(
            func.sum(
                case(
                    ((Application.accepted_at.is_not(None)) & (Application.corrections == 0), 1),
                    else_=0,
                )
            ),
            0,
        ),
    ).group_by(Application.scenario_code)
    observed = {row[0]: tuple(int(x) for x in row[1:]) for row in (await session.execute(q)).all()}
    out = []
    for scenario in await catalog.list_scenarios(session):
        row = newest.get(scenario.code)
        if row is None:
            continue
        free, total = build.as_definition(row).design_rate()
        count, free_sum, shown_sum, decided_n, first = observed.get(scenario.code, (0, 0, 0, 0, 0))
        out.append(
            ScenarioStats(
                code=scenario.code,
                name=scenario.name,
                name_en=scenario.name_en,
                version=row.version,
                checksum=row.checksum,
                fields=total,
                design_free=free,
                design_rate=_rate(free, total) or 0.0,
                submissions=count,
                observed_rate=_rate(free_sum, shown_sum),
                decided=decided_n,
                first_pass=first,
                first_pass_rate=_rate(first, decided_n),
            )
        )
    return out


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


async def summary(session: AsyncSession) -> dict[str, Any]:
    rows = await scenarios(session)
    return {
        "scenarios": [asdict(r) for r in rows],
        "average_design_rate": _mean([r.design_rate for r in rows]),
        "average_observed_rate": _mean(
            [r.observed_rate for r in rows if r.observed_rate is not None]
        ),
        "first_time_pass_rate": _rate(
            sum(r.first_pass for r in rows), sum(r.decided for r in rows)
        ),
    }
