"""The demo data reproduces the bureau's 2024 report."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from common.numbers import round_half_up
from completion.models import Completion
from demo import figures
from demo.services import demo_load
from indicators.models import FigureChange, MonthlyValue

CITY = "429005"


@pytest.fixture
def demo(demo_whole_for_module, db):
    """The whole demo (2024 and the year in progress): 2024's figures must be the report's with the
    current year there."""
    return demo_whole_for_module


def city_december(code: str) -> Completion:
    return Completion.objects.get(indicator__code=code, org_unit__code=CITY, year=2024, month=12)


@pytest.mark.parametrize(("code", "rate"), figures.REPORT_RATES.items())
def test_the_demo_reproduces_the_reports_completion_rates(demo, code, rate):
    places = max(0, -rate.as_tuple().exponent)
    assert round_half_up(city_december(code).completion_rate, places) == rate


@pytest.mark.parametrize(
    ("code", "actual"),
    [
        ("social_insurance.ecard_coverage", "70.58"),
        ("labor_relations.mediation_rate", "91.51"),
        ("labor_relations.arbitration_finality_rate", "94.65"),
    ],
)
def test_the_demo_reproduces_the_reports_rates(demo, code, actual):
    assert str(round_half_up(city_december(code).actual, 2)) == actual


@pytest.mark.parametrize(
    ("code", "total"),
    [
        ("employment.guarantee_loans", "1440"),
        ("employment.guarantee_loan_amount", "39000"),
        ("employment.returnee_jobs_created", "2519"),
        ("labor_relations.dispute_cases", "508"),
        ("labor_relations.wages_recovered", "1545.7482"),
        ("social_insurance.pension_insured", "551600"),
    ],
)
def test_the_demo_reproduces_the_reports_other_figures(demo, code, total):
    assert city_december(code).actual.normalize() == city_december(code).actual.__class__(total).normalize()


def test_township_months_add_up_to_the_years_figure(demo):
    total = MonthlyValue.objects.filter(indicator__code="employment.urban_new_jobs", year=2024).aggregate(
        s=Sum("value")
    )
    assert total["s"] == 12367
    assert (
        MonthlyValue.objects.filter(indicator__code="employment.urban_new_jobs", org_unit__code=CITY).count()
        == 0
    )


def test_township_quotas_add_up_to_the_citys(demo):
    assert (
        Completion.objects.filter(
            indicator__code="employment.urban_new_jobs", year=2024, month=12, org_unit__level="township"
        ).aggregate(s=Sum("quota"))["s"]
        == 7000
    )


def test_loading_the_demo_twice_changes_nothing(demo):
    values, history = MonthlyValue.objects.count(), FigureChange.objects.count()
    stats = demo_load()
    assert stats["written"] == 0
    assert (MonthlyValue.objects.count(), FigureChange.objects.count()) == (values, history)


def test_the_report_command_prints_json_with_the_reports_rates(demo):
    out = StringIO()
    call_command("completion_report", year=2024, month=12, org=CITY, format="json", stdout=out)
    rows = {row["code"]: row for row in json.loads(out.getvalue())}
    jobs = rows["employment.urban_new_jobs"]
    assert set(jobs) == {
        "code",
        "name",
        "unit",
        "org",
        "actual",
        "quota",
        "completion_rate",
        "time_progress",
        "gap",
        "status",
    }
    assert (jobs["name"], jobs["unit"], jobs["org"], jobs["actual"], jobs["quota"]) == (
        "城镇新增就业人数",
        "人",
        CITY,
        "12367.000000",
        "7000.000000",
    )
    assert jobs["completion_rate"] == "176.6714" and jobs["time_progress"] == "100.0000"
    assert jobs["gap"] == "76.6714" and jobs["status"] == "ahead"
    assert rows["social_insurance.ecard_coverage"]["actual"] == "70.584112"
    assert set(rows) >= set(figures.REPORT_RATES)


def test_the_report_command_lists_indicators_without_quota_with_null_rates(demo):
    out = StringIO()
    call_command("completion_report", year=2024, month=12, format="json", all=True, stdout=out)
    loans = next(r for r in json.loads(out.getvalue()) if r["code"] == "employment.guarantee_loans")
    assert loans["quota"] is None and loans["completion_rate"] is None and loans["status"] == "no_quota"


def test_the_report_command_prints_a_table(demo):
    out = StringIO()
    call_command("completion_report", year=2024, month=12, stdout=out)
    assert "城镇新增就业人数" in out.getvalue() and "176.7%" in out.getvalue()
