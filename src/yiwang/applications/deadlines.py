"""承诺时限: when an accepted application is due, with the clock stopped during 补正 and 特别程序.

The clock starts on the day of acceptance and the limit counts from the day after it, in working
days (工作日, the official calendar with its make-up days and the administrators' overrides) or
in natural days, as the catalogue promises. Days on which the clock stood (after the day it
stopped, up to and including the day it restarted) are added back in the same unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from yiwang.kit.workdays import Calendar

WORKING, NATURAL = "working", "natural"
# Yellow card: this many working days or fewer left, the due day included.
NEAR_DAYS = 2


@dataclass(frozen=True)
class Limit:
    days: int
    unit: str  # working | natural


def due_on(calendar: Calendar, start: dt.date, limit: Limit, paused: int = 0) -> dt.date:
    if limit.unit == NATURAL:
        return start + dt.timedelta(days=limit.days + paused)
    return calendar.add_workdays(start, limit.days + paused)


def longest(calendar: Calendar, start: dt.date, limits: list[Limit]) -> Limit:
    """The limit that ends last: a one-go service is done when its slowest item is."""
    return max(limits, key=lambda lim: (due_on(calendar, start, lim), lim.unit == WORKING))


def counted_days(calendar: Calendar, unit: str, after: dt.date, until: dt.date) -> int:
    """Days that count in this unit from the day after `after` to `until`, both included."""
    days = [after + dt.timedelta(days=n) for n in range(1, (until - after).days + 1)]
    return len(days) if unit == NATURAL else sum(1 for d in days if calendar.is_workday(d))


def flag(calendar: Calendar, due: dt.date | None, today: dt.date, *, stopped: bool) -> str:
    """none (not started), paused, overdue (red card), near (yellow card) or ok."""
    if due is None:
        return "none"
    if stopped:
        return "paused"
    if today > due:
        return "overdue"
    left = counted_days(calendar, WORKING, today - dt.timedelta(days=1), due)
    return "near" if left <= NEAR_DAYS else "ok"
