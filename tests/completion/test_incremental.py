"""The incremental recompute: a change recomputes only the indicators it touched (and the ratios on
them) along its units' ancestors, and leaves every cell exactly as recomputing the whole year would,
on PostgreSQL and on SQLite. Plus what a request carries, how requests coalesce, and when a run falls
back to the whole year."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import completion.services as services
from completion.models import Completion, CompletionRun, RecomputeRequest
from completion.services import completion_catch_up, completion_recompute
from indicators.models import Channel
from indicators.services import ValueEntry, monthly_values_apply, quota_set
from tests.completion.incremental_check import BATCHES, YEAR, check_in_savepoint, world_build

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def province(db, monkeypatch):
    """The small province of incremental_check, every run incremental however much it touches."""
    monkeypatch.setattr(services, "INCREMENTAL_MAX_UNIT_SHARE", 1.0)
    return world_build()


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batches=BATCHES)
def test_random_edits_recomputed_incrementally_leave_the_cells_the_whole_year_gives(province, batches):
    found = check_in_savepoint(batches, province)
    assert not found, "\n".join(found)


def test_random_edits_recomputed_incrementally_on_sqlite_leave_the_cells_the_whole_year_gives(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_TASK_ALWAYS_EAGER")}
    env.update(
        DJANGO_SETTINGS_MODULE="qianjiang_hrss.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'incremental.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "tests.completion.incremental_check", "25"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    assert "incremental == whole year" in done.stdout


def _figure(code_of, unit, month: int, value) -> None:
    entry = ValueEntry(indicator=code_of, org_unit=unit, year=YEAR, month=month, value=Decimal(value))
    monthly_values_apply(entries=[entry], user=None, channel=Channel.COMMAND)


def _by_code(catalogue, code: str):
    return next(i for i in catalogue if i.code == code)


def test_a_changed_figure_recomputes_its_indicator_and_the_ratio_on_it_along_its_ancestors(province):
    units, _, catalogue = province
    completion_recompute(year=YEAR)
    village = next(u for u in units if u.level == "village" and u.code.startswith("429005"))
    closed = _by_code(catalogue, "labor_relations.arbitration_closed")
    _figure(closed, village, 3, 40)
    run = completion_catch_up(year=YEAR)
    # The village, its township, 潜江市 and the province; the count, the two ratios divided by it
    # (仲裁终结率, and the world's 调解结案数与仲裁结案数之比) and their numerators.
    assert (run.org_units, run.indicators) == (4, 5)


def test_a_request_carries_the_indicators_and_units_a_transaction_changed(province):
    units, typed, _ = province
    completion_recompute(year=YEAR)
    _figure(typed[0], units[7], 2, 11)
    _figure(typed[1], units[8], 2, 12)  # a second write in the same transaction widens its request
    (request,) = RecomputeRequest.objects.all()
    assert sorted(request.indicator_ids) == sorted([typed[0].pk, typed[1].pk])
    assert sorted(request.org_unit_ids) == sorted([units[7].pk, units[8].pk])


def test_a_change_to_the_indicator_set_asks_for_the_whole_year(province):
    from indicators.signals import figures_changed

    figures_changed.send(sender=None, years={YEAR})
    (request,) = RecomputeRequest.objects.all()
    assert request.indicator_ids is None and request.org_unit_ids is None
    completion_recompute(year=YEAR)  # settles it
    assert not RecomputeRequest.objects.exists()


def test_a_quota_change_recomputes_incrementally(province):
    units, typed, _ = province
    completion_recompute(year=YEAR)
    quota_set(
        indicator=typed[2], org_unit=units[9], year=YEAR, target=Decimal(77), user=None, channel="command"
    )
    run = completion_catch_up(year=YEAR)
    assert run.org_units == 4 and Completion.objects.get(
        indicator=typed[2], org_unit=units[9], year=YEAR, month=12
    ).quota == Decimal(77)


def test_a_year_not_computed_up_to_this_month_is_recomputed_whole(province):
    units, typed, _ = province
    _figure(typed[0], units[7], 2, 11)  # never computed: nothing stored to build on
    run = completion_catch_up(year=YEAR)
    assert run.org_units is None and run.indicators is None


def test_a_change_touching_more_than_the_share_of_the_tree_is_recomputed_whole(province, monkeypatch):
    units, typed, _ = province
    completion_recompute(year=YEAR)
    monkeypatch.setattr(services, "INCREMENTAL_MAX_UNIT_SHARE", 0.1)  # 1.6 of the 16 units
    _figure(typed[0], units[7], 2, 11)  # a township: itself, its county, prefecture, province
    run = completion_catch_up(year=YEAR)
    assert run.org_units is None


def test_moving_a_unit_under_another_asks_every_computed_year_to_be_recomputed_whole(province):
    from orgs.services import org_unit_save

    units, _, _ = province
    completion_recompute(year=YEAR)
    township = next(u for u in units if u.code == "420102002")
    township.parent = next(u for u in units if u.code == "420103")
    township.code = "420103002"
    org_unit_save(unit=township)
    (request,) = RecomputeRequest.objects.all()
    assert request.year == YEAR and request.indicator_ids is None
    assert CompletionRun.objects.filter(year=YEAR).exists()
