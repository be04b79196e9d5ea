"""The completion formulas, one behaviour per test, on hand-computed figures.
Flow = sum of months; stock = latest level; ratio = numerator ÷ denominator; city = own + townships."""

import random
from decimal import Decimal as D

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from completion.engine import COLUMNS, completion_compute, completion_score
from completion.models import Completion, Status
from completion.services import completion_recompute
from indicators.models import Channel, Indicator, ValidationRule
from indicators.services import ValueEntry, monthly_values_apply, quota_set
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B

# These tests are about typed figures: the catalogue as declared, no register feeding it.
pytestmark = pytest.mark.usefixtures("typed_by_hand")

JOBS = "employment.urban_new_jobs"
CITY = "429005"


def cell(code: str, org: str, year: int, month: int) -> Completion:
    return Completion.objects.get(indicator__code=code, org_unit__code=org, year=year, month=month)


def test_flow_actual_is_the_sum_of_months_to_date(put, set_quota):
    put(JOBS, TOWNSHIP_A, 2024, 1, 10)
    put(JOBS, TOWNSHIP_A, 2024, 2, 20)
    put(JOBS, TOWNSHIP_A, 2024, 4, 5)
    set_quota(JOBS, TOWNSHIP_A, 2024, 120)
    completion_recompute(year=2024)
    assert [cell(JOBS, TOWNSHIP_A, 2024, m).actual for m in (1, 2, 3, 4, 12)] == [10, 30, 30, 35, 35]
    march = cell(JOBS, TOWNSHIP_A, 2024, 3)
    assert (march.completion_rate, march.time_progress, march.gap) == (D("25.0000"), D("25.0000"), D("0"))
    assert march.status == Status.AHEAD


def test_months_before_the_first_report_are_not_reported_not_zero(put, set_quota):
    put(JOBS, TOWNSHIP_A, 2024, 3, 7)
    set_quota(JOBS, TOWNSHIP_A, 2024, 100)
    completion_recompute(year=2024)
    february = cell(JOBS, TOWNSHIP_A, 2024, 2)
    assert february.actual is None and february.completion_rate is None
    assert february.status == Status.NO_DATA


def test_city_figure_is_its_own_entries_plus_every_townships(put):
    put(JOBS, CITY, 2024, 1, 5)
    put(JOBS, TOWNSHIP_A, 2024, 1, 10)
    put(JOBS, TOWNSHIP_B, 2024, 1, 20)
    completion_recompute(year=2024)
    assert cell(JOBS, CITY, 2024, 1).actual == 35
    assert cell(JOBS, TOWNSHIP_A, 2024, 1).actual == 10


def test_city_quota_is_compared_with_the_rolled_up_figure(put, set_quota):
    put(JOBS, TOWNSHIP_A, 2024, 6, 300)
    put(JOBS, TOWNSHIP_B, 2024, 6, 100)
    set_quota(JOBS, CITY, 2024, 1000)
    completion_recompute(year=2024)
    june = cell(JOBS, CITY, 2024, 6)
    assert (june.actual, june.quota, june.completion_rate, june.gap) == (
        400,
        1000,
        D("40.0000"),
        D("-10.0000"),
    )
    assert june.status == Status.FAR_BEHIND


@pytest.mark.parametrize(
    ("actual", "status"), [(50, Status.AHEAD), (45, Status.BEHIND), (40.01, Status.BEHIND)]
)
def test_status_against_the_calendar(put, set_quota, indicators, actual, status):
    code = "employment.guarantee_loan_amount"  # 万元, four places allowed
    put(code, CITY, 2024, 6, actual)
    set_quota(code, CITY, 2024, 100)
    completion_recompute(year=2024)
    assert cell(code, CITY, 2024, 6).status == status


def test_stock_is_the_latest_level_carried_forward_and_summed_up_the_tree(put, set_quota):
    code = "social_insurance.pension_insured"
    put(code, TOWNSHIP_A, 2024, 1, 100)
    put(code, TOWNSHIP_A, 2024, 3, 130)
    put(code, TOWNSHIP_B, 2024, 1, 50)
    set_quota(code, CITY, 2024, 200)
    completion_recompute(year=2024)
    assert [cell(code, CITY, 2024, m).actual for m in (1, 2, 3, 12)] == [150, 150, 180, 180]
    march = cell(code, CITY, 2024, 3)
    # A level target is held at every month: the gap is measured against 100%, not the calendar.
    assert (march.completion_rate, march.gap, march.status) == (
        D("90.0000"),
        D("-10.0000"),
        Status.FAR_BEHIND,
    )


def test_ratio_is_numerator_over_denominator_of_the_rolled_up_figures(put):
    put("labor_relations.cases_closed", CITY, 2024, 1, 400)
    put("labor_relations.cases_mediated", CITY, 2024, 1, 370)
    put("labor_relations.cases_closed", CITY, 2024, 2, 83)
    put("labor_relations.cases_mediated", CITY, 2024, 2, 72)
    completion_recompute(year=2024)
    february = cell("labor_relations.mediation_rate", CITY, 2024, 2)
    assert (february.numerator, february.denominator) == (442, 483)
    assert february.actual == D("91.511387")  # 442 ÷ 483 = 91.5113871…%
    assert february.status == Status.NO_QUOTA and february.completion_rate is None


def test_ratio_target_is_a_rate_and_completion_compares_rates(put, set_quota):
    put("social_insurance.ecard_issued", CITY, 2024, 12, 604200)
    put("social_insurance.resident_population", CITY, 2024, 12, 856000)
    set_quota("social_insurance.ecard_coverage", CITY, 2024, 66)
    completion_recompute(year=2024)
    december = cell("social_insurance.ecard_coverage", CITY, 2024, 12)
    assert december.actual == D("70.584112")
    assert december.completion_rate == D("106.9456")  # 70.584112 ÷ 66
    assert december.status == Status.AHEAD


def test_ratio_with_a_zero_denominator_has_no_figure(put):
    put("labor_relations.arbitration_closed", CITY, 2024, 1, 0)
    put("labor_relations.arbitration_final", CITY, 2024, 1, 0)
    completion_recompute(year=2024)
    assert cell("labor_relations.arbitration_finality_rate", CITY, 2024, 1).actual is None


def test_rates_are_rounded_half_up_at_four_places(put, set_quota):
    put(JOBS, TOWNSHIP_A, 2024, 1, 1)
    set_quota(JOBS, TOWNSHIP_A, 2024, 128)  # 1 ÷ 128 = 0.78125%: half up gives 0.7813, half even 0.7812
    completion_recompute(year=2024)
    assert cell(JOBS, TOWNSHIP_A, 2024, 1).completion_rate == D("0.7813")


def test_time_progress_is_the_share_of_the_year_elapsed(put):
    put(JOBS, TOWNSHIP_A, 2024, 1, 1)
    completion_recompute(year=2024)
    progress = [cell(JOBS, TOWNSHIP_A, 2024, m).time_progress for m in (1, 6, 9, 12)]
    assert progress == [D("8.3333"), D("50.0000"), D("75.0000"), D("100.0000")]


def test_a_quota_without_any_figure_shows_as_not_reported(set_quota):
    set_quota(JOBS, TOWNSHIP_B, 2024, 500)
    completion_recompute(year=2024)
    assert cell(JOBS, TOWNSHIP_B, 2024, 5).status == Status.NO_DATA
    assert cell(JOBS, TOWNSHIP_B, 2024, 5).quota == 500


def test_recomputing_without_changes_changes_nothing(put, set_quota):
    put(JOBS, TOWNSHIP_A, 2024, 1, 10)
    set_quota(JOBS, TOWNSHIP_A, 2024, 100)
    first = completion_recompute(year=2024)
    second = completion_recompute(year=2024)
    assert first.rows == second.rows > 0
    assert second.rows_changed == 0


def test_removed_figures_remove_their_cells(put):
    put(JOBS, TOWNSHIP_A, 2024, 1, 10)
    completion_recompute(year=2024)
    assert Completion.objects.filter(year=2024).exists()
    put(JOBS, TOWNSHIP_A, 2024, 1, None)
    run = completion_recompute(year=2024)
    assert not Completion.objects.filter(year=2024).exists()
    assert run.rows == 0 and run.rows_changed > 0


def test_one_month_recompute_touches_only_that_month(put):
    put(JOBS, TOWNSHIP_A, 2024, 1, 10)
    completion_recompute(year=2024)
    Completion.objects.filter(year=2024, month=2).update(actual=999)
    Completion.objects.filter(year=2024, month=3).update(actual=999)
    completion_recompute(year=2024, month=3)
    assert cell(JOBS, TOWNSHIP_A, 2024, 3).actual == 10
    assert cell(JOBS, TOWNSHIP_A, 2024, 2).actual == 999


@time_machine.travel("2026-03-15 10:00 +0800", tick=False)
def test_the_current_year_is_computed_to_the_current_month_only(put):
    put(JOBS, TOWNSHIP_A, 2026, 2, 10)
    completion_recompute(year=2026)
    months = Completion.objects.filter(year=2026, org_unit__code=TOWNSHIP_A).values_list("month", flat=True)
    assert sorted(months) == [1, 2, 3]


# --- exact on every backend: SQLite (the quick start) does the divisions in Python ---


def _random_figures(indicator_sets, orgs, rng: random.Random) -> None:
    """A year of awkward figures: counts, 万元 with four places, stock levels, ratio parts, gaps,
    quotas with six places, cells left unreported. The arithmetic is what is tested, not the year's
    validation rules (a random million people is more than the city has): they are switched off."""
    indicators = indicator_sets[2023]
    ValidationRule.objects.filter(year=2023).update(is_active=False)
    # A ceiling too (rate = ceiling ÷ figure; a figure of 0 has none), worked out both ways.
    Indicator.objects.filter(year=2023, code="employment.guarantee_loan_amount").update(direction="ceiling")
    places = {"employment.guarantee_loan_amount": 4}
    flows = [JOBS, "employment.guarantee_loan_amount", "labor_relations.cases_closed"]
    stocks = [
        "social_insurance.pension_insured",
        "social_insurance.ecard_issued",
        "social_insurance.resident_population",
    ]
    townships = [o for code, o in orgs.items() if len(code) == 9]
    units = [*townships[:8], orgs[CITY]]
    entries = []
    for org in units:
        for code in flows + stocks:
            for month in rng.sample(range(1, 13), rng.randint(0, 12)):
                value = D(rng.randint(0, 10**6)).scaleb(-places.get(code, 0))
                entries.append(
                    ValueEntry(indicator=indicators[code], org_unit=org, year=2023, month=month, value=value)
                )
                if code == "labor_relations.cases_closed":  # its "其中" part, never above it
                    part = D(rng.randint(0, int(value)))
                    mediated = indicators["labor_relations.cases_mediated"]
                    entries.append(
                        ValueEntry(indicator=mediated, org_unit=org, year=2023, month=month, value=part)
                    )
    monthly_values_apply(entries=entries, user=None, channel=Channel.COMMAND)
    quotas = [*flows, *stocks, "labor_relations.mediation_rate", "social_insurance.ecard_coverage"]
    for org in units:
        for code in rng.sample(quotas, 5):
            top = 100 * 10**6 if indicators[code].is_ratio else 10**12
            target = D(rng.randint(1, top)).scaleb(-6)
            quota_set(
                indicator=indicators[code],
                org_unit=org,
                year=2023,
                target=target,
                user=None,
                channel=Channel.COMMAND,
            )


@pytest.mark.parametrize("seed", [1, 2])
def test_the_divisions_in_python_give_exactly_the_sql_cells(indicator_sets, orgs, seed):
    """The SQLite way (sums of whole units in SQL, divisions in Python) run on PostgreSQL, against the
    PostgreSQL statement, on random awkward figures: not one cell differs."""
    _random_figures(indicator_sets, orgs, random.Random(seed))
    run = completion_recompute(year=2023)
    before = list(Completion.objects.filter(year=2023).order_by("id").values_list(*COLUMNS))
    with transaction.atomic():
        again = completion_compute(
            year=2023,
            max_month=12,
            only_month=None,
            far_behind_points=10,
            computed_at=timezone.now(),
            in_python=True,
        )
    assert (again.rows, again.rows_changed) == (run.rows, 0)
    assert list(Completion.objects.filter(year=2023).order_by("id").values_list(*COLUMNS)) == before
    statuses = set(Completion.objects.filter(year=2023).values_list("status", flat=True))
    assert run.rows > 500 and statuses == set(Status.values)  # every branch of the formulas taken


def test_a_gap_of_exactly_ten_points_is_far_behind_in_python_too():
    cell = completion_score(
        kind="flow",
        month=8,
        actual=D(566667),
        numerator=None,
        denominator=None,
        quota=D(10**6),
        far_behind_points=10,
    )
    assert cell[4:] == (D("56.6667"), D("66.6667"), D("-10.0000"), Status.FAR_BEHIND)
