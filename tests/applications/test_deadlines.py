"""Due days around the Mid-autumn and National Day holidays of 2026 (9-25…9-27 and 10-1…10-7 off,
Saturday 10-10 worked), counted by hand from the State Council's notice."""

from __future__ import annotations

import datetime as dt

from yiwang.applications import deadlines
from yiwang.applications.deadlines import Limit
from yiwang.kit.workdays import Calendar

CAL = Calendar()
MON = dt.date(2026, 9, 28)


def test_working_days_skip_the_holiday_and_count_the_makeup_saturday() -> None:
    # 9-29, 9-30, 10-8, 10-9, 10-10 (a worked Saturday)
    assert deadlines.due_on(CAL, MON, Limit(5, "working")) == dt.date(2026, 10, 10)
    assert deadlines.due_on(CAL, MON, Limit(5, "natural")) == dt.date(2026, 10, 3)


def test_days_the_clock_stood_are_added_in_the_limits_unit() -> None:
    stopped, restarted = dt.date(2026, 9, 29), dt.date(2026, 10, 8)
    assert deadlines.counted_days(CAL, "working", stopped, restarted) == 2  # 9-30, 10-8
    assert deadlines.counted_days(CAL, "natural", stopped, restarted) == 9
    assert deadlines.counted_days(CAL, "working", stopped, stopped) == 0
    # then 10-12 and 10-13 as well
    assert deadlines.due_on(CAL, MON, Limit(5, "working"), paused=2) == dt.date(2026, 10, 13)


def test_an_override_beats_the_bundled_calendar() -> None:
    closed = Calendar({dt.date(2026, 9, 29): False})  # e.g. a typhoon day
    assert deadlines.due_on(closed, MON, Limit(1, "working")) == dt.date(2026, 9, 30)


def test_the_longest_limit_is_the_one_that_ends_last() -> None:
    limits = [Limit(5, "working"), Limit(10, "natural"), Limit(3, "working")]
    assert deadlines.longest(CAL, MON, limits) == Limit(5, "working")  # 10-10 after 10-8
    assert deadlines.longest(CAL, MON, [Limit(3, "working"), Limit(14, "natural")]) == Limit(
        14, "natural"
    )


def test_flags_yellow_two_working_days_before_and_red_after() -> None:
    due = dt.date(2026, 10, 13)
    assert deadlines.flag(CAL, due, dt.date(2026, 10, 9), stopped=False) == "ok"  # 4 left
    assert deadlines.flag(CAL, due, dt.date(2026, 10, 12), stopped=False) == "near"  # 2 left
    assert deadlines.flag(CAL, due, due, stopped=False) == "near"
    assert deadlines.flag(CAL, due, dt.date(2026, 10, 14), stopped=False) == "overdue"
    assert deadlines.flag(CAL, due, dt.date(2026, 10, 14), stopped=True) == "paused"
    assert deadlines.flag(CAL, None, dt.date(2026, 10, 14), stopped=False) == "none"
