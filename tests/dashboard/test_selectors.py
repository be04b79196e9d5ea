"""The dashboard selectors against hand-computed figures (see conftest.py), and their query counts."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from dashboard import selectors
from dashboard.selectors import (
    STAMP_SECONDS,
    dashboard_cockpit,
    dashboard_indicator,
    dashboard_reporting_record,
    dashboard_warnings,
    figures_state,
)

from .conftest import JOBS


def _row(cockpit, code=JOBS):
    return next(r for r in cockpit.rows if r.indicator.code == code)


def test_cockpit_shows_year_to_date_against_quota_and_calendar(small, city):
    row = _row(dashboard_cockpit(org=city, year=2024, month=3))
    assert row.actual == D(220) and row.quota == D(1200)
    assert row.completion_rate == D("18.3333")  # 220 / 1200
    assert row.time_progress == D("25.0000")  # March = 3 / 12
    assert row.gap == D("-6.6667") and row.status == "behind"
    assert row.rate_display == "18.3%" and row.gap_display == "-6.7"


def test_cockpit_trend_is_the_completion_rate_month_by_month(small, city):
    row = _row(dashboard_cockpit(org=city, year=2024, month=3))
    assert row.trend == [D("5.0000"), D("10.8333"), D("18.3333")]  # 60, 130, 220 of 1,200


def test_cockpit_counts_indicators_by_status(small, city, township_a, township_b):
    assert dashboard_cockpit(org=city, year=2024, month=3).behind == 1
    assert dashboard_cockpit(org=township_a, year=2024, month=3).ahead == 1  # 180/600 = 30% ≥ 25%
    assert dashboard_cockpit(org=township_b, year=2024, month=3).far_behind == 1  # 40/400 = 10%, 15 points


def test_cockpit_groups_rows_by_area_in_catalogue_order(small, city, set_quota, put):
    set_quota("social_insurance.flexible_new_insured", "429005", 2024, 100)
    put("social_insurance.flexible_new_insured", "429005", 2024, 1, 5)
    from completion.services import completion_recompute

    completion_recompute(year=2024)
    cockpit = dashboard_cockpit(org=city, year=2024, month=3)
    assert [a.label for a in cockpit.areas] == ["就业", "社会保险"]


def test_projection_uses_last_years_monthly_profile(small, city, township_a):
    row = _row(dashboard_cockpit(org=city, year=2024, month=3))
    # Last year 90 of 990 had arrived by March (1/11): 220 × 11 = 2,420 expected, 201.67% of 1,200.
    assert row.last_year_actual == D(90)
    assert row.projected_actual == D(2420)
    assert row.projected_rate.quantize(D("0.01")) == D("201.67") and not row.will_miss
    assert _row(dashboard_cockpit(org=township_a, year=2024, month=3)).projected_actual == D(1980)


def test_projection_falls_back_to_the_calendar_without_history(small, township_b):
    row = _row(dashboard_cockpit(org=township_b, year=2024, month=3))
    # No 2023 figures at 杨市: 40 in a quarter of the year → 160 by December, 40% of 400.
    assert row.projected_actual == D(160) and row.projected_rate == D(40)
    assert row.will_miss


def test_indicator_series_has_this_year_and_last_year_by_month(small, city, indicators):
    detail = dashboard_indicator(indicator=indicators[JOBS], org=city, year=2024, month=3)
    assert [p.actual for p in detail.series[:4]] == [D(60), D(130), D(220), None]
    assert [p.last_year_actual for p in detail.series[:4]] == [D(30), D(60), D(90), D(190)]
    assert detail.series[11].last_year_actual == D(990)
    assert detail.series[5].time_progress == D("50.0000")


def test_indicator_ranks_townships_by_completion_rate(small, city, indicators):
    detail = dashboard_indicator(indicator=indicators[JOBS], org=city, year=2024, month=3)
    assert [(r.org_name, r.completion_rate) for r in detail.ranking] == [
        ("园林街道", D("30.0000")),
        ("杨市街道", D("10.0000")),
    ]
    assert detail.ranking[1].shortfall == D(60)  # 25% of 400 = 100 due by March, 40 done


def test_ranking_can_be_limited_to_some_townships(small, city, indicators, orgs):
    detail = dashboard_indicator(
        indicator=indicators[JOBS], org=city, year=2024, month=3, townships=[orgs["429005002"]]
    )
    assert [r.org_code for r in detail.ranking] == ["429005002"]


def test_warnings_list_the_largest_shortfall_first_by_default(small):
    # The city: 300 due by March (25% of 1,200), 220 done: 80 short. 杨市: 100 due, 40 done: 60 short,
    # though its gap in points is the larger.
    rows = dashboard_warnings(year=2024, month=3)
    assert [(r.org_name, r.status, r.shortfall) for r in rows] == [
        ("潜江市", "behind", D("80")),
        ("杨市街道", "far_behind", D("60")),
    ]


def test_warnings_sorted_by_gap_put_the_worst_gap_first(small):
    rows = dashboard_warnings(year=2024, month=3, sort="gap")
    assert [(r.org_name, r.status, r.gap) for r in rows] == [
        ("杨市街道", "far_behind", D("-15.0000")),
        ("潜江市", "behind", D("-6.6667")),
    ]


def test_warnings_for_one_township_only(small, orgs):
    rows = dashboard_warnings(year=2024, month=3, orgs=[orgs["429005001"]])
    assert rows == []  # 园林街道 is ahead


def test_reporting_record_marks_each_month(township_a):
    from datetime import date

    record = dashboard_reporting_record(township=township_a, year=2024, today=date(2024, 4, 20))
    assert [r.state for r in record[:5]] == ["missing", "missing", "missing", "not_due", "not_due"]


@pytest.mark.parametrize("panel", ["cockpit", "indicator", "warnings"])
def test_each_panel_takes_the_same_few_queries_however_much_data(
    panel,
    small,
    put,
    set_quota,
    city,
    indicators,
    orgs,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    def run():
        if panel == "cockpit":
            dashboard_cockpit(org=city, year=2024, month=3)
        elif panel == "indicator":
            dashboard_indicator(indicator=indicators[JOBS], org=city, year=2024, month=3)
        else:
            dashboard_warnings(year=2024, month=3)

    with django_assert_max_num_queries(3) as before:
        run()
    # Ten times the townships, more indicators, another year: still the same number of queries.
    from completion.services import completion_recompute

    codes = [o for o in orgs if len(o) == 9]
    for code in codes:
        set_quota(JOBS, code, 2024, 500) if code not in ("429005001", "429005002") else None
        set_quota("employment.unemployed_reemployed", code, 2024, 100)
        for month in (1, 2, 3):
            put(JOBS, code, 2024, month, 7)
            put("employment.unemployed_reemployed", code, 2024, month, 3)
            put(JOBS, code, 2022, month, 9)
    for year in (2022, 2024):
        completion_recompute(year=year)
    with django_assert_num_queries(len(before.captured_queries)):
        run()


def test_demo_cockpit_reproduces_the_reports_rates(demo, city):
    cockpit = dashboard_cockpit(org=city, year=2024, month=12)
    shown = {r.indicator.code: r.rate_display for r in cockpit.rows}
    assert shown["employment.urban_new_jobs"] == "176.7%"
    assert shown["employment.skills_training"] == "155.23%"
    assert shown["social_insurance.flexible_new_insured"] == "135%"
    assert shown["talent.senior_workers"] == "193%"


@pytest.fixture
def clock(monkeypatch):
    """The dashboards' monotonic clock, held still (moved by hand), and no figures state kept before
    or after the test."""
    now = SimpleNamespace(seconds=1000.0)
    monkeypatch.setattr(selectors, "time", SimpleNamespace(monotonic=lambda: now.seconds))
    selectors._kept_figures_state.cache_clear()
    yield now
    selectors._kept_figures_state.cache_clear()


def test_the_figures_state_is_read_once_a_window_and_again_in_the_next(
    transactional_db, clock, django_assert_num_queries
):
    with django_assert_num_queries(1):
        first = figures_state()
        clock.seconds += STAMP_SECONDS / 2
        assert figures_state() is first
    clock.seconds += STAMP_SECONDS
    with django_assert_num_queries(1):
        again = figures_state()
        assert figures_state() is again and again == first


def test_inside_a_transaction_the_figures_state_is_read_each_time_and_never_kept(
    db, clock, django_assert_num_queries, put
):
    before = figures_state().stamp
    put(JOBS, "429005001", 2024, 1, 5)  # a figure change, not yet committed
    with django_assert_num_queries(2):
        assert figures_state().stamp != before
        figures_state()
    assert selectors._kept_figures_state.cache_info().currsize == 0
