"""`yiwang forms stats --json` on a fresh database loaded with the demo, as an operator runs it."""

from __future__ import annotations

import json
import tempfile

from tests.conftest import fresh_database_url
from tests.support import run_cli


def test_stats_report_an_average_fill_free_rate_of_at_least_70_percent() -> None:
    env = {
        "YIWANG_DATABASE_URL": fresh_database_url("yiwang_cli_forms"),
        "YIWANG_VAR_DIR": tempfile.mkdtemp(),
    }
    for args in (("db", "upgrade"), ("demo",)):
        done = run_cli(*args, env=env)
        assert done.returncode == 0, done.stderr
    done = run_cli("forms", "stats", "--json", env=env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    rows = report["scenarios"]
    assert len(rows) >= 15
    rates = [r["design_rate"] for r in rows]
    assert report["average_design_rate"] == round(sum(rates) / len(rates), 4)
    assert report["average_design_rate"] >= 0.70
    assert all(r["fields"] > 0 and 0 < r["design_rate"] <= 1 for r in rows)
    restaurant = next(r for r in rows if r["code"] == "open-restaurant")
    assert restaurant["version"] == 1 and len(restaurant["checksum"]) == 64
    # Nothing submitted yet: no observed rate rather than a made-up one.
    assert report["average_observed_rate"] is None and report["first_time_pass_rate"] is None
    human = run_cli("forms", "stats", env=env)
    assert human.returncode == 0 and "开办餐饮店一件事" in human.stdout
