"""The record rules on the models (the admin, the API and the import all apply them through full_clean),
and the database constraints behind them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from labor_relations.credit_codes import validate_credit_code
from labor_relations.models import BlacklistEntry, CreditRating, DisputeCase

from .conftest import CODE_1, CODE_2


def messages(exc: ValidationError) -> str:
    return ";".join(m for ms in exc.message_dict.values() for m in ms)


def test_the_deadline_defaults_to_45_days_after_receipt(make_case):
    assert make_case(received_on=date(2024, 3, 5)).deadline_on == date(2024, 4, 19)


def test_an_extended_case_defaults_to_45_plus_15_days(make_case):
    case = make_case(received_on=date(2024, 3, 5), deadline_extended=True)
    assert case.deadline_on == date(2024, 3, 5) + timedelta(days=60)


def test_a_case_closed_before_it_was_received_is_refused(make_case):
    with pytest.raises(ValidationError) as refused:
        make_case(received_on=date(2024, 3, 5), closed_on=date(2024, 3, 1))
    assert "不能早于受理日期(" in messages(refused.value)


def test_a_final_award_on_a_mediated_case_is_refused(make_case):
    with pytest.raises(ValidationError) as refused:
        make_case(closed_on=date(2024, 3, 20), closed_how=DisputeCase.Closing.MEDIATED, final_award=True)
    assert "只有以仲裁裁决结案的案件才能标记为终局裁决。" in messages(refused.value)


def test_an_award_before_the_case_was_filed_for_arbitration_is_refused(make_case):
    with pytest.raises(ValidationError) as refused:
        make_case(closed_on=date(2024, 3, 20), closed_how=DisputeCase.Closing.AWARDED)
    assert "只有仲裁立案审理的案件才能以仲裁裁决结案。" in messages(refused.value)


def test_a_closed_date_without_how_it_closed_is_refused():
    case = DisputeCase(received_on=date(2024, 3, 5), closed_on=date(2024, 3, 20), closed_how="")
    with pytest.raises(ValidationError) as refused:
        case.clean()
    assert "结案日期和结案方式须同时填写。" in messages(refused.value)


def test_a_negative_amount_is_refused(make_case):
    with pytest.raises(ValidationError) as refused:
        make_case(amount="-1")
    assert "涉案金额不能为负数(填写的是" in messages(refused.value)


def test_a_future_received_date_is_refused(make_case):
    with pytest.raises(ValidationError) as refused:
        make_case(received_on=date.today() + timedelta(days=3))
    assert "晚于今天,不能登记未发生的事项。" in messages(refused.value)


def test_a_case_at_a_village_is_refused(make_case, orgs, township_a):
    from orgs.models import OrgUnit

    village = OrgUnit.objects.create(
        code="429005001001", name="测试社区", level="village", kind="community", parent=township_a
    )
    orgs[village.code] = village
    with pytest.raises(ValidationError) as refused:
        make_case(org=village.code)
    assert "须登记在县级及以上单位本级或区镇街道," in messages(refused.value)


def test_a_duplicated_case_number_is_refused_in_chinese(make_case):
    make_case(case_number="潜劳人仲〔2024〕1号")
    with pytest.raises(ValidationError) as refused:
        make_case(case_number="潜劳人仲〔2024〕1号")
    assert "该案号已登记,不能重复。" in messages(refused.value)


def test_the_database_refuses_a_closing_before_receipt_even_without_clean(make_case):
    case = make_case()
    case.closed_on, case.closed_how = date(2024, 1, 1), DisputeCase.Closing.MEDIATED
    with pytest.raises(IntegrityError), transaction.atomic():
        case.save()


def test_the_database_refuses_a_final_award_on_a_non_arbitrated_case(make_case):
    case = make_case(closed_on=date(2024, 3, 20))
    with pytest.raises(IntegrityError), transaction.atomic():
        DisputeCase.objects.filter(pk=case.pk).update(final_award=True)


def test_a_wage_case_closed_before_opening_is_refused(make_wage_case):
    with pytest.raises(ValidationError) as refused:
        make_wage_case(opened_on=date(2024, 3, 5), closed_on=date(2024, 3, 1))
    assert "不能早于立案日期(" in messages(refused.value)


def test_a_negative_wage_amount_is_refused(make_wage_case):
    with pytest.raises(ValidationError) as refused:
        make_wage_case(amount_recovered="-100")
    assert "追发工资待遇金额不能为负数(填写的是" in messages(refused.value)


@pytest.mark.parametrize("code", [CODE_1, CODE_2, "914403001922038216"])
def test_valid_credit_codes_pass(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91429005MA4F0000XA", "校验位不正确"),  # one character mistyped
        ("91429005MA4F0000X", "须为18位"),
        ("91429005MA4F0O00XT", "须为18位"),  # the letter O is not in the alphabet
        ("91429005ma4f0000xt", "须为18位"),
    ],
)
def test_a_malformed_credit_code_is_refused(code, message):
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(code)
    assert message in refused.value.messages[0]


def test_a_blacklist_removal_before_listing_is_refused(township_a):
    entry = BlacklistEntry(
        employer="潜江市华信商贸有限公司",
        credit_code=CODE_1,
        org_unit=township_a,
        listed_on=date(2024, 5, 10),
        removed_on=date(2024, 5, 1),
        reason="拖欠农民工工资",
    )
    with pytest.raises(ValidationError) as refused:
        entry.full_clean()
    assert "不能早于列入日期(" in messages(refused.value)


def test_an_employer_cannot_be_listed_twice_while_on_the_list(make_listing, township_a):
    make_listing()
    again = BlacklistEntry(
        employer="潜江市华信商贸有限公司",
        credit_code=CODE_1,
        org_unit=township_a,
        listed_on=date(2024, 8, 1),
        reason="再次拖欠",
    )
    with pytest.raises(ValidationError) as refused:
        again.full_clean()
    assert "该用人单位已在失信联合惩戒名单中,尚未移出。" in messages(refused.value)


def test_an_employer_removed_from_the_list_may_be_listed_again(make_listing):
    make_listing(listed_on=date(2024, 1, 10), removed_on=date(2024, 4, 1))
    make_listing(listed_on=date(2024, 8, 1)).full_clean()


def test_one_credit_rating_per_employer_and_year(make_rating, township_a):
    make_rating(code=CODE_1, year=2024)
    again = CreditRating(
        employer="潜江市华信商贸有限公司",
        credit_code=CODE_1,
        org_unit=township_a,
        year=2024,
        grade="B",
        rated_on=date(2024, 7, 1),
    )
    with pytest.raises(ValidationError) as refused:
        again.full_clean()
    assert "该用人单位本年度已有诚信等级评价档案。" in messages(refused.value)
    make_rating(code=CODE_1, year=2023)  # another year is another file
