"""Runs last: every page, API answer and log line the suite produced holds no whole ID number."""

from __future__ import annotations

import re

from tests.support import OUTPUTS, demo_id_numbers
from yiwang.kit.identifiers import check_resident_id

CANDIDATE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def test_no_unmasked_id_number_in_any_page_or_log_line() -> None:
    scanned = [c for c in OUTPUTS if "/static/" not in c.source]
    # The suite must actually have produced pages and logs, or this proves nothing.
    assert len(scanned) > 100
    assert any(c.source.startswith("log:") for c in scanned)
    known = demo_id_numbers()
    leaks = []
    for c in scanned:
        for number in known:
            if number in c.text:
                leaks.append((c.source, number[:4] + "…"))
        for m in CANDIDATE.finditer(c.text):
            if check_resident_id(m.group()).valid:
                leaks.append((c.source, m.group()[:4] + "…"))
    assert leaks == []


def test_the_scan_would_catch_a_leak() -> None:
    sample = f"<td>{demo_id_numbers()[0]}</td>"
    assert any(check_resident_id(m.group()).valid for m in CANDIDATE.finditer(sample))
