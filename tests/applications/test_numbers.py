"""办件编号: region, Beijing date, serial, and a check character that catches every typo."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from yiwang.applications.service import make_number, number_is_valid


def test_the_number_reads_region_beijing_date_serial_and_check() -> None:
    # 17:30 UTC on 28 November is already 29 November in Beijing.
    at = dt.datetime(2026, 11, 28, 17, 30, tzinfo=dt.UTC)
    number = make_number("370202", at, 1234)
    assert number[:22] == "370202" + "20261129" + "00001234"
    assert len(number) == 23
    assert number_is_valid(number)


@given(
    serial=st.integers(min_value=1, max_value=99_999_999),
    position=st.integers(min_value=0, max_value=22),
    digit=st.sampled_from("0123456789X"),
)
def test_any_single_changed_character_is_caught(serial: int, position: int, digit: str) -> None:
    number = make_number("370211", dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC), serial)
    changed = number[:position] + digit + number[position + 1 :]
    assert number_is_valid(changed) == (changed == number)
