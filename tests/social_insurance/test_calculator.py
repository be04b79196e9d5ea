"""The unemployment-insurance calculator reads the dated rate records seeded by the migration:
2% (1.5% + 0.5%) from 2017-01-01 through 2023-04-30, 1% (0.7% + 0.3%) from 2023-05-01 through
2025-12-31, and no rate from 2026-01-01 until the bureau enters one."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from common.errors import PortalError
from social_insurance.models import UnemploymentInsuranceRate
from social_insurance.services import unemployment_contribution_calculate

pytestmark = pytest.mark.django_db

CALC = "/api/v1/social-insurance/unemployment-rates/calculate/"


def test_the_last_day_of_the_2_percent_rate_charges_1_5_and_0_5_percent():
    result = unemployment_contribution_calculate(payroll=D("100000"), on=date(2023, 4, 30))

    assert (result.employer, result.individual, result.total) == (D("1500.00"), D("500.00"), D("2000.00"))
    assert result.previous_rate is None and result.employer_saving is None


def test_the_first_day_of_the_1_percent_rate_charges_0_7_and_0_3_percent_and_saves_0_8_percent():
    result = unemployment_contribution_calculate(payroll=D("100000"), on=date(2023, 5, 1))

    assert (result.employer, result.individual, result.total) == (D("700.00"), D("300.00"), D("1000.00"))
    assert result.previous_rate.valid_to == date(2023, 4, 30)
    assert result.employer_saving == D("800.00")


def test_the_last_day_of_2025_is_still_at_1_percent():
    result = unemployment_contribution_calculate(payroll=D("100000"), on=date(2025, 12, 31))

    assert (result.employer, result.individual) == (D("700.00"), D("300.00"))


def test_2026_has_no_rate_in_force_until_the_bureau_enters_one():
    with pytest.raises(PortalError, match="2026年1月1日没有正在执行的失业保险费率"):
        unemployment_contribution_calculate(payroll=D("100000"), on=date(2026, 1, 1))


def test_a_rate_entered_for_2026_is_used_from_then_on():
    UnemploymentInsuranceRate.objects.create(
        valid_from=date(2026, 1, 1),
        employer_rate=D("0.8"),
        individual_rate=D("0.2"),
        policy_document="新政策",
    )

    result = unemployment_contribution_calculate(payroll=D("100000"), on=date(2026, 1, 1))

    assert (result.employer, result.individual) == (D("800.00"), D("200.00"))
    assert result.employer_saving == D("-100.00")  # dearer than the 0.7% before it


def test_contributions_are_rounded_half_up_to_the_fen():
    # 12,345.67 × 0.7% = 86.41969 → 86.42; × 0.3% = 37.03701 → 37.04; × 1.5% = 185.18505 → 185.19
    result = unemployment_contribution_calculate(payroll=D("12345.67"), on=date(2024, 6, 1))

    assert (result.employer, result.individual) == (D("86.42"), D("37.04"))
    assert result.employer_saving == D("185.19") - D("86.42")


def test_half_a_fen_rounds_up_not_to_even():
    # 1.00 × 0.5% = 0.005: 四舍五入 gives 0.01 where banker's rounding would give 0.00.
    result = unemployment_contribution_calculate(payroll=D("1.00"), on=date(2020, 1, 1))

    assert result.individual == D("0.01")


def test_the_bureaus_2025_estimate_of_23_76_million_saved_matches_a_2_97_billion_payroll():
    result = unemployment_contribution_calculate(payroll=D("2970000000"), on=date(2025, 6, 30))

    assert result.employer_saving == D("23760000.00")  # 2,376万元


def test_a_negative_payroll_is_refused_in_chinese():
    with pytest.raises(PortalError, match="缴费工资总额不能为负数"):
        unemployment_contribution_calculate(payroll=D("-1"), on=date(2024, 6, 1))


def test_an_overlapping_rate_period_is_refused_by_clean():
    rate = UnemploymentInsuranceRate(
        valid_from=date(2025, 1, 1), employer_rate=D("0.5"), individual_rate=D("0.5"), policy_document="重叠"
    )

    with pytest.raises(ValidationError, match=r"执行期间与已有的失业保险费率.*重叠"):
        rate.full_clean()


def test_an_overlapping_rate_period_is_refused_by_the_database_too():
    with pytest.raises(IntegrityError), transaction.atomic():
        UnemploymentInsuranceRate.objects.create(
            valid_from=date(2025, 1, 1),
            employer_rate=D("0.5"),
            individual_rate=D("0.5"),
            policy_document="重叠",
        )


def test_an_end_before_the_start_is_refused():
    rate = UnemploymentInsuranceRate(
        valid_from=date(2027, 2, 1),
        valid_to=date(2027, 1, 1),
        employer_rate=D("0.5"),
        individual_rate=D("0.5"),
        policy_document="倒序",
    )

    with pytest.raises(ValidationError, match=r"执行截止日期\(\S+\)不能早于执行起始日期"):
        rate.full_clean()


# --- API ---


def test_the_api_calculates_for_any_signed_in_user(client, township_a_user):
    client.force_login(township_a_user)

    response = client.get(CALC, {"payroll": "100,000", "date": "2023-05-01"})

    assert response.status_code == 200
    body = response.json()
    assert (body["employer"], body["individual"], body["total"]) == ("700.00", "300.00", "1000.00")
    assert body["employer_saving"] == "800.00"
    assert body["rate"]["valid_from"] == "2023-05-01" and body["previous_rate"]["valid_to"] == "2023-04-30"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"payroll": "-5", "date": "2024-01-01"}, "缴费工资总额不能为负数"),
        ({"payroll": "100", "date": "2026-01-01"}, "没有正在执行的失业保险费率"),
        ({"payroll": "十万", "date": "2024-01-01"}, "不是有效的数字"),
        ({"payroll": "100", "date": "2024/13/01"}, "格式应为YYYY-MM-DD"),
    ],
)
def test_the_api_refuses_bad_calculator_input_in_chinese(client, bureau_user, params, message):
    client.force_login(bureau_user)

    response = client.get(CALC, params)

    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


def test_the_api_refuses_a_rate_ending_before_it_starts(client, bureau_user):
    client.force_login(bureau_user)
    before = UnemploymentInsuranceRate.objects.count()

    response = client.post(
        "/api/v1/social-insurance/unemployment-rates/",
        {
            "valid_from": "2027-02-01",
            "valid_to": "2027-01-01",
            "employer_rate": "0.5",
            "individual_rate": "0.5",
            "policy_document": "倒序",
        },
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "不能早于执行起始日期(" in response.json()["error"]["message"]
    assert UnemploymentInsuranceRate.objects.count() == before


def test_the_api_refuses_an_overlapping_rate(client, bureau_user):
    client.force_login(bureau_user)

    response = client.post(
        "/api/v1/social-insurance/unemployment-rates/",
        {
            "valid_from": "2025-06-01",
            "employer_rate": "0.5",
            "individual_rate": "0.5",
            "policy_document": "重叠",
        },
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "重叠" in response.json()["error"]["message"]


def test_a_leader_cannot_enter_a_rate(client, leader_user):
    client.force_login(leader_user)

    response = client.post(
        "/api/v1/social-insurance/unemployment-rates/",
        {
            "valid_from": "2026-01-01",
            "employer_rate": "0.5",
            "individual_rate": "0.5",
            "policy_document": "新",
        },
        content_type="application/json",
    )

    assert response.status_code == 403
    assert UnemploymentInsuranceRate.objects.count() == 2
