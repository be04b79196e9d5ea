"""The demo's employment registers reproduce the bureau's 2024 report, and the report's completion
rates still come out now that the registers, not typed figures, produce them."""

from decimal import Decimal as D

import pytest
from django.db.models import Count, Sum

from accounts.permissions import RecordScope
from completion.selectors import completion_for_month
from demo.services import demo_load
from employment.models import GigStation, GigStationMonth, GuaranteeLoan, ReturneeStartup, TrainingClass
from employment.selectors import gig_station_year_totals
from indicators.models import FigureChange, Indicator, MonthlyValue

WHOLE_CITY = RecordScope.whole_city()

CITY = "429005"


def city_december() -> dict[str, object]:
    return {row.indicator.code: row for row in completion_for_month(year=2024, month=12, org_codes=[CITY])}


@pytest.mark.parametrize(
    ("code", "rate"),
    [("employment.returnee_startups", "106.6%"), ("employment.skills_training", "155.23%")],
)
def test_the_reports_completion_rates_come_out_of_the_registers(demo_2024, code, rate):
    row = city_december()[code]
    assert row.rate_display == rate  # as the report writes it, at the indicator's rate_places
    assert Indicator.objects.get(code=code).fed_by  # counted from records, not typed


@pytest.mark.parametrize(
    ("code", "actual"),
    [
        ("employment.returnee_startups", "853"),
        ("employment.returnee_jobs_created", "2519"),
        ("employment.skills_training", "6706"),
        ("employment.guarantee_loans", "1440"),
        ("employment.guarantee_loan_amount", "39000"),
    ],
)
def test_the_city_year_figures_are_the_reports(demo_2024, code, actual):
    assert city_december()[code].actual == D(actual)


def test_the_register_counts_match_the_report(demo_2024):
    assert demo_2024["guarantee_loans"] == GuaranteeLoan.objects.count() == 1440
    assert GuaranteeLoan.objects.aggregate(s=Sum("amount"))["s"] == D(39000)
    assert demo_2024["returnee_startups"] == ReturneeStartup.objects.count() == 853
    assert ReturneeStartup.objects.aggregate(s=Sum("jobs_created"))["s"] == 2519
    by_type = dict(TrainingClass.objects.values_list("training_type").annotate(n=Sum("trainees")))
    assert sum(by_type.values()) == 6706
    assert by_type["prison"] == 1011
    assert by_type["lobster"] + by_type["sewing"] == 2024


def test_the_gig_network_matches_the_report(demo_2024):
    stations = dict(GigStation.objects.filter(is_active=True).values_list("kind").annotate(n=Count("id")))
    assert stations == {"hub": 1, "branch": 3, "township": 23, "village": 465}
    assert GigStationMonth.objects.filter(year=2024).aggregate(
        **{n: Sum(n) for n in GigStationMonth.COUNTS}
    ) == {
        "services": 34000,
        "registrations": 4017,
        "job_postings": 8512,
        "consultations": 8287,
        "placements": 1158,
    }


def test_the_year_totals_by_township_and_level_add_up_to_the_network(demo_2024):
    rows = gig_station_year_totals(year=2024, scope=WHOLE_CITY)
    assert sum(r.services for r in rows) == 34000
    assert sum(r.placements for r in rows) == 1158
    assert [(r.org_code, r.level, r.stations) for r in rows[:2]] == [(CITY, "hub", 1), (CITY, "branch", 3)]
    villages = {r.org_code: r.stations for r in rows if r.level == "village"}
    assert len(villages) == 23 and sum(villages.values()) == 465


def test_every_demo_record_is_dated_in_2024_and_in_a_township_or_the_city(demo_2024):
    assert not GuaranteeLoan.objects.exclude(issued_on__year=2024).exists()
    assert not TrainingClass.objects.exclude(start_on__year=2024).exists()
    assert not ReturneeStartup.objects.exclude(started_on__year=2024).exists()
    assert set(GuaranteeLoan.objects.values_list("org_unit__level", flat=True)) == {"township"}
    assert GuaranteeLoan.objects.values("org_unit").distinct().count() == 23
    villages = GigStation.objects.filter(kind="village")
    assert villages.filter(name="园林街道第1村级微站", org_unit__code="429005001").exists()
    assert set(villages.values_list("org_unit__level", flat=True)) == {"township"}


def test_demo_records_pass_the_models_own_rules(demo_2024):
    """bulk_create skips full_clean: check every class and a slice of each bigger register."""
    for record in TrainingClass.objects.all():
        record.full_clean()
    for model in (GuaranteeLoan, ReturneeStartup, GigStation, GigStationMonth):
        for record in model.objects.order_by("-pk")[:60]:
            record.full_clean()


def test_loading_the_demo_twice_changes_nothing(demo_2024):
    before = (
        FigureChange.objects.count(),
        sorted(MonthlyValue.objects.values_list("indicator__code", "org_unit__code", "month", "value")),
        GigStationMonth.objects.count(),
    )
    demo_load(current_year=False)  # the fixture loaded 2024 only
    after = (
        FigureChange.objects.count(),
        sorted(MonthlyValue.objects.values_list("indicator__code", "org_unit__code", "month", "value")),
        GigStationMonth.objects.count(),
    )
    assert after == before


def test_every_township_has_its_village_points_and_micro_station(demo_2024):
    per_township = (
        GigStation.objects.filter(kind="township")
        .annotate(villages=Count("children"))
        .values_list("villages", flat=True)
    )
    assert len(per_township) == 23 and min(per_township) >= 1 and sum(per_township) == 465
