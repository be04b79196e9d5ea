"""The rules every register shares, in one wording: the day that has not come is the bureau's (Asia/Shanghai),
and an empty value is left to the field's own "required" check."""

from datetime import UTC, date, datetime
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
import time_machine
from django.core.exceptions import ValidationError

from orgs.models import OrgUnit
from registers.validators import (
    NotNegative,
    RecordErrors,
    at_most,
    month_has_come,
    not_after_today,
    not_before,
    not_negative,
    positive,
    registered_at,
    year_not_after_this_year,
)

# 2025-01-01 07:30 in Qianjiang is still 2024-12-31 in UTC.
NEW_YEAR_MORNING = datetime(2024, 12, 31, 23, 30, tzinfo=UTC)


@time_machine.travel(NEW_YEAR_MORNING, tick=False)
def test_today_is_qianjiangs_not_utcs():
    assert not_after_today(date(2025, 1, 1), "受理日期") is None
    assert (
        not_after_today(date(2025, 1, 2), "受理日期") == "受理日期(2025-01-02)晚于今天,不能登记未发生的事项。"
    )
    assert year_not_after_this_year(2025, "评价年度") is None
    assert year_not_after_this_year(2026, "评价年度") == "评价年度(2026年)晚于今年,不能登记未发生的事项。"
    assert month_has_come(2025, 1) is None
    assert month_has_come(2025, 2) == "2025年2月尚未到来,不能登记。"


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        (not_before(date(2024, 3, 1), date(2024, 3, 5), "结案日期", "受理日期"),
         "结案日期(2024-03-01)不能早于受理日期(2024-03-05)。"),
        (at_most(41, 40, "结业人数", "培训人数"), "结业人数(41)不能大于培训人数(40)。"),
        (not_negative(D("-300.00"), "涉案金额"), "涉案金额不能为负数(填写的是-300)。"),
        (not_negative(-3, "人数"), "人数不能为负数(填写的是-3)。"),
        (positive(D("0"), "贷款金额"), "贷款金额须大于0(填写的是0)。"),
    ],
)  # fmt: skip
def test_each_rule_names_the_values(problem, message):
    assert problem == message


@pytest.mark.parametrize(
    "problem",
    [
        not_after_today(None, "受理日期"),
        not_after_today(date(2000, 1, 1), "受理日期"),
        not_before(date(2024, 3, 5), date(2024, 3, 5), "结案日期", "受理日期"),
        not_before(None, date(2024, 3, 5), "结案日期", "受理日期"),
        at_most(40, 40, "结业人数", "培训人数"),
        at_most(None, 40, "结业人数", "培训人数"),
        not_negative(D(0), "涉案金额"),
        positive(None, "贷款金额"),
        month_has_come(None, 3),
    ],
)
def test_a_value_within_the_rule_or_not_filled_in_passes(problem):
    assert problem is None


def test_the_errors_are_raised_together_field_by_field():
    errors = RecordErrors()
    errors.raise_any()  # nothing to say
    errors.add("closed_on", None)
    errors.add("closed_on", "甲。")
    errors.add("closed_on", "乙。")
    errors.add("amount", "丙。")
    with pytest.raises(ValidationError) as caught:
        errors.raise_any()
    assert caught.value.message_dict == {"closed_on": ["甲。", "乙。"], "amount": ["丙。"]}


def test_a_count_field_refuses_a_negative_count_in_the_same_words():
    with pytest.raises(ValidationError) as caught:
        NotNegative("参保人数(人)")(-10)
    assert caught.value.messages == ["参保人数(人)不能为负数(填写的是-10)。"]
    NotNegative("参保人数(人)")(0)


def test_a_record_counts_only_at_the_org_levels_its_register_allows():
    def record(level):
        return SimpleNamespace(org_unit_id=1, org_unit=OrgUnit(name="某村", level=level))

    both = [*OrgUnit.UPPER_LEVELS, OrgUnit.Level.TOWNSHIP]
    assert registered_at(record(OrgUnit.Level.TOWNSHIP), both, "欠薪案件") is None
    assert registered_at(record(OrgUnit.Level.VILLAGE), both, "欠薪案件") == (
        "欠薪案件须登记在县级及以上单位本级或区镇街道,“某村”是村(社区)。"
    )
    assert (
        registered_at(SimpleNamespace(org_unit_id=None), both, "欠薪案件") is None
    )  # not set: the field says so
