"""The catalogue knows which indicators the registers produce: they are marked with their register,
left out of the township templates, and refused at every door that types figures."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Avg, Sum

from common.db import DecimalSum
from common.errors import PortalError
from indicators.feeds import Feed, fed_indicators, feed
from indicators.models import Channel, MonthlyValue
from indicators.services import monthly_value_set
from reporting.templates_xlsx import template_workbook


def test_register_fed_indicators_name_their_register(indicators):
    assert indicators["employment.guarantee_loans"].fed_by == "创业担保贷款台账"
    assert indicators["talent.senior_workers"].fed_by
    assert indicators["employment.urban_new_jobs"].fed_by == ""


def test_register_fed_indicators_are_not_in_township_templates(indicators):
    fed = {code for code, ind in indicators.items() if ind.fed_by}
    assert {"employment.skills_training", "talent.skill_certificates"} <= fed
    assert not any(indicators[code].township_reported for code in fed)


def test_the_township_template_lists_only_typed_indicators(indicators, township_a):
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(template_workbook(township=township_a, year=2024, month=3)))
    codes = {row[0] for row in book["月报"].iter_rows(min_row=5, values_only=True) if row[0]}
    assert "employment.urban_new_jobs" in codes
    assert not codes & {code for code, ind in indicators.items() if ind.fed_by}


@pytest.mark.parametrize("channel", [Channel.ADMIN, Channel.API, Channel.IMPORT, Channel.UPLOAD])
def test_a_fed_indicator_cannot_be_typed_through_any_door(indicators, city, bureau_user, channel):
    with pytest.raises(PortalError, match="由“创业担保贷款台账”自动汇总,不能手工填报或修改"):
        monthly_value_set(
            indicator=indicators["employment.guarantee_loans"],
            org_unit=city,
            year=2024,
            month=3,
            value=Decimal(3),
            user=bureau_user,
            channel=channel,
        )
    assert not MonthlyValue.objects.exists()


# A feed's value must be the same figure on every backend: one aggregate, units converted in Python.
@pytest.mark.parametrize(
    ("values", "divide_by", "message"),
    [
        ({"x.amount": Sum("amount_recovered") / 10000}, {}, "convert units with divide_by"),
        ({"x.amount": Sum("amount_recovered")}, {}, "use common.db.DecimalSum"),
        ({"x.amount": Avg("workers")}, {}, "give one Count/Sum/DecimalSum/Max/Min"),
        ({"x.amount": DecimalSum("amount_recovered")}, {"x.amount": 3}, "must be a power of ten"),
    ],
)
def test_a_feed_whose_figure_would_differ_between_backends_is_refused(values, divide_by, message):
    declared = Feed(
        register="试验台账",
        model="labor_relations.WageArrearsCase",
        date_field="closed_on",
        values=values,
        divide_by=divide_by,
    )
    with pytest.raises(ValueError, match=message):
        feed(declared)
    assert "x.amount" not in fed_indicators()


def test_a_decimal_sum_is_exact(db, city):
    from labor_relations.models import WageArrearsCase

    for i, amount in enumerate(["0.10", "0.20", "15000", "20000"]):
        WageArrearsCase.objects.create(
            case_number=f"试验{i}",
            org_unit=city,
            employer="试验",
            source=WageArrearsCase.Source.COMPLAINT,
            opened_on=date(2024, 5, 1),
            amount_recovered=Decimal(amount),
        )
    total = WageArrearsCase.objects.aggregate(total=DecimalSum("amount_recovered"))["total"]
    assert total == Decimal("35000.30")
