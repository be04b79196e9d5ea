"""The quick start (SQLite, `make run`) shows exactly the figures PostgreSQL shows. The demo is loaded on
both: here into the test database (PostgreSQL), and in a subprocess into a fresh SQLite file with the
local settings and no Redis (Celery eager), as `make run` does; then every completion cell, every
monthly value (typed and register-fed), every quota, the registers' year summaries and the work
report's sentences are compared as exact text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from tests.conftest import DEMO_TODAY
from tests.demo.figures_dump import demo_load_and_compute, figures_dump

# The dumps are taken in the fixture; the mark makes pytest-django create the test database for it.
pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SQLITE_SECONDS = 600


def _sqlite_run(tmp_path: Path) -> tuple[subprocess.Popen, Path, Path]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_TASK_ALWAYS_EAGER")}
    env.update(
        DJANGO_SETTINGS_MODULE="qianjiang_hrss.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'quickstart.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        QJ_DEMO_TODAY=DEMO_TODAY,
    )
    out, log = tmp_path / "sqlite.json", tmp_path / "sqlite.log"
    with log.open("w") as log_file:  # a file, not a pipe: nobody reads it until the run ends
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.demo.figures_dump", str(out)],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    return process, out, log


@pytest.fixture(scope="module")
def both(tmp_path_factory, django_db_setup, django_db_blocker) -> tuple[dict, dict]:
    """(PostgreSQL's dump, SQLite's dump). The SQLite run works while PostgreSQL loads its demo."""
    process, out, log = _sqlite_run(tmp_path_factory.mktemp("quickstart"))
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    clock = time_machine.travel(DEMO_TODAY, tick=False)
    with django_db_blocker.unblock(), media, clock, transaction.atomic():
        demo_load_and_compute()
        postgresql = figures_dump()
        transaction.set_rollback(True)
    process.wait(timeout=SQLITE_SECONDS)
    assert process.returncode == 0, log.read_text()[-3000:]
    return postgresql, json.loads(out.read_text(encoding="utf-8"))


def _differences(postgresql: dict, sqlite: dict) -> list[str]:
    keys = sorted(set(postgresql) | set(sqlite))
    return [
        f"{k}: PostgreSQL {postgresql.get(k)} / SQLite {sqlite.get(k)}"
        for k in keys
        if postgresql.get(k) != sqlite.get(k)
    ]


def test_the_test_database_is_postgresql():
    from django.db import connection

    assert connection.vendor == "postgresql"


def test_every_completion_cell_is_identical_on_sqlite_and_postgresql(both):
    postgresql, sqlite = (d["completion"] for d in both)
    assert len(postgresql) > 4000  # every indicator × org × month of 2024, not an empty table
    assert _differences(postgresql, sqlite)[:20] == []


def test_the_year_in_progress_is_identical_on_both(both):
    """2026 January to November (DEMO_TODAY): quotas split to the townships, figures typed, counted
    from the registers and approved through the reporting workflow, completion and status."""
    postgresql, sqlite = (d["completion"] for d in both)
    current = {k: v for k, v in postgresql.items() if k.split("|")[2] == "2026"}
    assert len(current) > 3000
    assert any(v[-1] == "far_behind" for k, v in current.items() if k.endswith("|2026|11"))
    assert [k for k in current if current[k] != sqlite.get(k)][:20] == []
    for part in ("monthly_values", "quotas"):
        pg = {k: v for k, v in both[0][part].items() if "|2026" in k}
        assert pg and pg == {k: v for k, v in both[1][part].items() if "|2026" in k}, part


def test_every_monthly_value_typed_or_register_fed_is_identical(both):
    postgresql, sqlite = (d["monthly_values"] for d in both)
    fed = {k for k, (_, _, _, fed_by) in postgresql.items() if fed_by}
    assert len(fed) > 300 and len(postgresql) > len(fed)
    assert _differences(postgresql, sqlite)[:20] == []


def test_every_figure_change_is_recorded_alike(both):
    """The write path's history (indicators.batch_write: set-based SQL on both backends): every change
    of every door the demo goes through, approvals of township reports among them, old and new side by
    side, with its remark, explanation, door and note."""
    postgresql, sqlite = (d["history"] for d in both)
    assert len(postgresql) > 10_000 and any("|upload|月报第" in row for row in postgresql)
    missing, extra = sorted(set(postgresql) - set(sqlite)), sorted(set(sqlite) - set(postgresql))
    assert (missing[:10], extra[:10]) == ([], [])
    assert postgresql == sqlite


def test_the_wages_recovered_are_the_reports_on_both(both):
    """The figure that showed the defect: SQLite divided a month of whole-元 amounts as integers (1,469)."""
    for dump in both:
        cell = dump["completion"]["labor_relations.wages_recovered|429005|2024|12"]
        assert cell[0] == "1545.748200"


def test_quotas_and_register_summaries_are_identical(both):
    (pg_quotas, sq_quotas), (pg_registers, sq_registers) = (
        (both[0][part], both[1][part]) for part in ("quotas", "registers")
    )
    assert _differences(pg_quotas, sq_quotas) == []
    assert _differences(pg_registers, sq_registers) == []


def test_the_work_report_reads_the_same_on_both(both):
    postgresql, sqlite = (d["work_reports"] for d in both)
    assert len(postgresql) == 24 * 12
    city_december = [item["text"] for section in postgresql["429005|12"] for item in section["items"]]
    assert any("为1244名劳动者追发工资待遇1545.7482万元" in text for text in city_december)
    assert _differences(postgresql, sqlite)[:20] == []


def test_awkward_figures_come_out_exact_on_both(both):
    """Halves round up, −10 points is 严重落后, cents round half up to 万元, whole 元 keep their decimals."""
    for dump in both:
        cells, values = dump["completion"], dump["monthly_values"]
        assert cells["employment.urban_new_jobs|429005001|2023|1"][4] == "0.7813"  # 1 ÷ 128 = 0.78125%
        assert cells["employment.urban_new_jobs|429005002|2023|8"][6:] == ["-10.0000", "far_behind"]
        wages = [values[f"labor_relations.wages_recovered|429005001|2023|{m}"][0] for m in (3, 4, 5, 6)]
        assert wages == ["0.123500", "0.123500", "3.500000", "0.000000"]
        assert cells["labor_relations.wages_recovered|429005001|2023|12"][0] == "3.747000"
        assert cells["labor_relations.wages_recovered|429005001|2023|12"][4] == "18.2959"  # 3.747 ÷ 20.48
