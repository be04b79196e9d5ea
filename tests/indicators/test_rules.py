"""The year's validation rules (indicators.rules), judged by the write path every door uses: each kind
(bound, comparison, change, outlier) and each severity (强制 refuses, 核实 wants an explanation, 提示
tells). The doors themselves are tried in test_rule_doors.py."""

from decimal import Decimal as D

import pytest
import time_machine

from common.errors import PortalError, ProblemKind
from indicators.models import Channel, FigureChange, MonthlyValue, Severity, ValidationRule
from indicators.rules import explained
from indicators.services import ValueEntry, figures_check, monthly_values_apply
from tests.conftest import TOWNSHIP_A, indicator_of

CITY = "429005"
JOBS = "employment.urban_new_jobs"
CLOSED, RECEIVED = "labor_relations.cases_closed", "labor_relations.dispute_cases"
Rule = ValidationRule


@pytest.fixture(autouse=True)
def early_december():
    with time_machine.travel("2024-12-05 10:00 +0800", tick=False):
        yield


def entry(orgs, code: str, value, *, org: str = TOWNSHIP_A, year: int = 2024, month: int = 11, **kw):
    return ValueEntry(
        indicator=indicator_of(code, year), org_unit=orgs[org], year=year, month=month, value=D(value), **kw
    )


def check(orgs, *entries):
    return figures_check(entries=list(entries), user=None, channel=Channel.COMMAND)


def a_full_year(put, code: str, org: str, year: int, each) -> None:
    """A city reported in all twelve months (only a whole year has a whole total)."""
    for month in range(1, 13):
        put(code, org, year, month, each)


# --- the built-in rules every year starts with ---


@pytest.fixture(autouse=True)
def catalogue(indicator_sets):
    return indicator_sets


def test_every_year_starts_with_the_built_in_rules(indicator_sets):
    for year in indicator_sets:
        assert set(Rule.objects.filter(year=year).values_list("builtin", flat=True)) == {
            "people_within_population",
            "township_within_city_last_year",
            "change_against_last_year",
            "outlier_own_history",
        }


def test_a_count_of_people_above_the_citys_residents_is_refused_whatever_is_explained(orgs):
    found = check(orgs, entry(orgs, JOBS, "390000000", explanation="确实如此,已核对多遍"))

    assert [p.message for p in found.problems] == [
        "“城镇新增就业人数”填报390,000,000人,超过全市常住人口(856,000人)。"
        "请检查是否多填了位数或填错了单位(如把“万人”填成了“人”)。不能保存。"
    ]
    with pytest.raises(PortalError):
        monthly_values_apply(entries=[entry(orgs, JOBS, "390000000")], user=None, channel=Channel.COMMAND)
    assert not MonthlyValue.objects.exists()


def test_the_population_bound_reads_the_residents_stored_for_the_city(orgs, put):
    put("social_insurance.resident_population", CITY, 2024, 6, 1000)

    found = check(orgs, entry(orgs, JOBS, 1001))

    assert "超过全市常住人口(1,000人)" in found.problems[0].message


def test_a_township_month_above_the_citys_whole_last_year_needs_an_explanation(orgs, put):
    a_full_year(put, JOBS, CITY, 2023, 10)  # 120 in 2023

    found = check(orgs, entry(orgs, JOBS, 121))

    assert [(p.kind, p.message) for p in found.problems] == [
        (
            ProblemKind.EXPLAIN,
            "“城镇新增就业人数”填报121人,超过全市2023年全年数(120人)。一个区镇街道一个月的数超过了全市去年全年,"
            "请核实。如确实无误,请填写核实说明(至少6个字)。",
        )
    ]


def test_an_explained_figure_is_kept_with_its_explanation_and_in_the_history(orgs, put):
    a_full_year(put, JOBS, CITY, 2023, 10)
    why = "本月新开园区集中招工"

    monthly_values_apply(
        entries=[entry(orgs, JOBS, 121, explanation=why)], user=None, channel=Channel.COMMAND
    )

    stored = MonthlyValue.objects.get(year=2024, month=11)
    assert (stored.value, stored.explanation) == (121, why)
    assert FigureChange.objects.get(year=2024, month=11).explanation == why


@pytest.mark.parametrize("text", ["", "核实过", "  已 核  实 ", "\n\n\n\n\n\n"])
def test_an_explanation_of_fewer_than_six_characters_is_no_explanation(orgs, put, text):
    a_full_year(put, JOBS, CITY, 2023, 10)

    found = check(orgs, entry(orgs, JOBS, 121, explanation=text))

    assert [p.kind for p in found.problems] == [ProblemKind.EXPLAIN]
    assert not explained(text)


def test_a_partly_reported_last_year_has_no_whole_total_to_compare_with(orgs, put):
    for month in range(1, 12):  # no December
        put(JOBS, CITY, 2023, month, 10)

    assert check(orgs, entry(orgs, JOBS, 121)).problems == []


def test_the_city_itself_is_not_held_to_the_townships_bound(orgs, put):
    a_full_year(put, JOBS, CITY, 2023, 10)

    assert check(orgs, entry(orgs, JOBS, 500, org=CITY)).problems == []


def test_a_change_of_more_than_three_times_last_year_is_a_note_that_stops_nothing(orgs, put):
    put(JOBS, TOWNSHIP_A, 2023, 11, 40)

    found = check(orgs, entry(orgs, JOBS, 400))

    assert found.problems == []
    assert [n.message for n in found.notices] == [
        "【提示】“城镇新增就业人数”填报400人,去年同月为40人,相差超过3倍。"
    ]


def test_an_outlier_against_the_units_own_history_is_noted_by_its_modified_z_score(orgs, put):
    for month, value in enumerate((50, 52, 48, 51, 49, 50, 53, 47, 50, 51), start=1):
        put(JOBS, TOWNSHIP_A, 2024, month, value)

    notes = [n.message for n in check(orgs, entry(orgs, JOBS, 90)).notices]

    assert len(notes) == 1
    assert notes[0].startswith(
        "【提示】“城镇新增就业人数”填报90人,与本单位前10个月的数据(中位数50人)相比明显异常"
    )
    assert "修正Z分数27.0,超过3.5" in notes[0]  # 0.6745 × (90 − 50) ÷ 1
    assert check(orgs, entry(orgs, JOBS, 52)).notices == []


def test_a_figure_sent_again_as_it_is_stored_is_not_judged_again(orgs, put):
    a_full_year(put, JOBS, CITY, 2023, 10)
    monthly_values_apply(
        entries=[entry(orgs, JOBS, 121, explanation="本月新开园区集中招工")],
        user=None,
        channel=Channel.COMMAND,
    )

    assert check(orgs, entry(orgs, JOBS, 121)).problems == []


# --- rules the bureau adds ---


@pytest.mark.usefixtures("typed_by_hand")  # the case counts come from a register: typed here
def test_a_comparison_of_two_indicators_year_to_date_is_refused_when_mandatory(orgs, put):
    Rule.objects.create(
        year=2024, name="结案数不超过受理数", severity=Severity.MANDATORY, kind=Rule.Kind.COMPARE,
        indicator=indicator_of(CLOSED, 2024), right_indicator=indicator_of(RECEIVED, 2024),
        basis=Rule.Basis.YEAR_TO_DATE, operator=Rule.Operator.LE,
    )  # fmt: skip
    put(RECEIVED, CITY, 2024, 10, 8)
    put(CLOSED, CITY, 2024, 10, 5)

    ok = check(orgs, entry(orgs, CLOSED, 3, org=CITY))
    too_many = check(orgs, entry(orgs, CLOSED, 4, org=CITY))

    assert ok.problems == []
    assert [p.message for p in too_many.problems] == [
        "“劳动人事争议案件结案数”2024年1-11月累计9件,超过“劳动人事争议案件受理数”(8件)。不能保存。"
    ]


def test_a_bound_on_a_constant_applies_to_its_indicator_only(orgs):
    Rule.objects.create(
        year=2024, name="每月不超过500人", severity=Severity.VERIFY, kind=Rule.Kind.BOUND,
        indicator=indicator_of(JOBS, 2024), bound=Rule.Bound.CONSTANT, constant=D(500), advice="请附名单。",
    )  # fmt: skip

    assert check(orgs, entry(orgs, JOBS, 500)).problems == []
    assert [p.message for p in check(orgs, entry(orgs, JOBS, 501)).problems] == [
        "“城镇新增就业人数”填报501人,超过规定的界限(500人)。请附名单。如确实无误,请填写核实说明(至少6个字)。"
    ]
    assert check(orgs, entry(orgs, "employment.unemployed_reemployed", 501)).problems == []


def test_a_bound_relative_to_another_indicator_uses_its_factor(orgs, put):
    Rule.objects.create(
        year=2024, name="再就业不超过新增就业的2倍", severity=Severity.NOTE, kind=Rule.Kind.BOUND,
        indicator=indicator_of("employment.unemployed_reemployed", 2024), bound=Rule.Bound.INDICATOR,
        right_indicator=indicator_of(JOBS, 2024), factor=D(2),
    )  # fmt: skip
    put(JOBS, TOWNSHIP_A, 2024, 11, 30)

    notes = [n.message for n in check(orgs, entry(orgs, "employment.unemployed_reemployed", 61)).notices]

    assert notes == ["【提示】“失业人员再就业人数”填报61人,超过“城镇新增就业人数”的2倍(60人)。"]


def test_a_change_against_last_month_in_january_looks_at_last_december(orgs, put):
    Rule.objects.create(
        year=2024, name="与上月相差超过5倍", severity=Severity.VERIFY, kind=Rule.Kind.CHANGE,
        against=Rule.Against.LAST_MONTH, threshold=D(5),
    )  # fmt: skip
    put(JOBS, TOWNSHIP_A, 2023, 12, 10)

    found = check(orgs, entry(orgs, JOBS, 51, month=1))

    assert [p.message for p in found.problems] == [
        "“城镇新增就业人数”填报51人,上月为10人,相差超过5倍。如确实无误,请填写核实说明(至少6个字)。"
    ]


def test_a_rule_switched_off_or_of_another_year_judges_nothing(orgs, put):
    a_full_year(put, JOBS, CITY, 2023, 10)
    Rule.objects.filter(year=2024, builtin="township_within_city_last_year").update(is_active=False)

    assert check(orgs, entry(orgs, JOBS, 121)).problems == []
    Rule.objects.filter(year=2025, builtin="people_within_population").update(is_active=False)
    assert check(orgs, entry(orgs, JOBS, 900_000)).problems != []  # 2024's own rule still holds


def test_a_register_recount_is_refused_by_a_mandatory_rule_and_only_told_of_a_verify_one(
    orgs, indicators, bureau_user
):
    from datetime import date

    from employment.models import GuaranteeLoan
    from registers.services import records_import

    Rule.objects.create(
        year=2024, name="每月贷款不超过1笔", severity=Severity.MANDATORY, kind=Rule.Kind.BOUND,
        indicator=indicator_of("employment.guarantee_loans", 2024), bound=Rule.Bound.CONSTANT, constant=D(1),
    )  # fmt: skip

    def loan(n: int) -> GuaranteeLoan:
        return GuaranteeLoan(
            loan_number=f"QJ-R-{n}", org_unit=orgs[TOWNSHIP_A], borrower_name="李娜", amount=D("10"),
            borrower_kind=GuaranteeLoan.BorrowerKind.values[0], issued_on=date(2024, 11, 5), term_months=12,
        )  # fmt: skip

    with pytest.raises(PortalError) as refused:
        records_import(user=bureau_user, model=GuaranteeLoan, created=[loan(1), loan(2)])
    assert "超过规定的界限(1笔)。不能保存。" in refused.value.message
    assert not GuaranteeLoan.objects.exists()  # the records go back with the figure

    Rule.objects.filter(builtin="", year=2024).update(severity=Severity.VERIFY)
    records_import(user=bureau_user, model=GuaranteeLoan, created=[loan(3), loan(4)])
    assert MonthlyValue.objects.get(indicator__code="employment.guarantee_loans", month=11).value == 2
