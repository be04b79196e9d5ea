"""The demo's social insurance records reproduce the report's 2024 figures at city level."""

from decimal import Decimal as D

import pytest
from django.db.models import Sum

from common.numbers import round_half_up
from completion.models import Completion
from demo import figures
from indicators.models import Indicator, MonthlyValue
from social_insurance.models import CardIssuance, InsuredCount

CITY = "429005"


def series(code: str) -> list:
    return list(
        MonthlyValue.objects.filter(indicator__code=code, org_unit__code=CITY, year=2024)
        .order_by("month")
        .values_list("value", flat=True)
    )


@pytest.mark.parametrize("code", list(figures.CITY_STOCKS))
def test_the_demos_stock_series_month_by_month(demo_2024, code):
    """Counted from a register or typed at 市本级, each at the indicator's own decimal places (人均缴费
    678.53元: two)."""
    start, end = figures.CITY_STOCKS[code]
    unit = D(1).scaleb(-Indicator.objects.get(code=code, year=2024).value_places)
    expected = [(start + (end - start) * m / 12).quantize(unit) for m in range(1, 13)]

    assert series(code) == expected


@pytest.mark.parametrize(
    ("code", "year_end"),
    [
        ("social_insurance.pension_insured", 551600),
        ("social_insurance.injury_insured", 56900),
        ("social_insurance.unemployment_insured", 50000),
        ("social_insurance.ecard_issued", 604200),
    ],
)
def test_the_city_reaches_the_reports_year_end_levels(demo_2024, code, year_end):
    assert (
        Completion.objects.get(indicator__code=code, org_unit__code=CITY, year=2024, month=12).actual
        == year_end
    )


def test_e_card_coverage_is_70_58_percent_against_the_66_percent_target(demo_2024):
    row = Completion.objects.get(
        indicator__code="social_insurance.ecard_coverage", org_unit__code=CITY, year=2024, month=12
    )

    assert round_half_up(row.actual, 2) == D("70.58") and row.quota == 66 and row.status == "ahead"


def test_the_card_register_gives_7_18_wan_cards_this_year_and_31_46_wan_in_all(demo_2024):
    def cards(**period) -> dict:
        return CardIssuance.objects.filter(**period).aggregate(
            physical=Sum("physical_cards"), ecards=Sum("ecards_signed")
        )

    assert cards(year=2024) == {"physical": 71800, "ecards": 68700}  # 申领电子社保卡6.87万张
    assert cards(year__lte=2024) == {"physical": 314600, "ecards": 604200}  # the 2023-12 opening included


def test_the_demo_records_sit_at_city_level(demo_2024):
    assert set(InsuredCount.objects.values_list("org_unit__code", flat=True)) == {CITY}
    assert InsuredCount.objects.count() == 36
    assert CardIssuance.objects.count() == 13  # the 2023-12 opening record and twelve months
