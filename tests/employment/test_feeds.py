"""The registers produce their indicators: saving, moving and deleting a record recounts the months it
touches, the completion follows, and nobody can type those figures by hand."""

from datetime import date
from decimal import Decimal as D

import pytest

from common.errors import PortalError
from completion.models import CompletionRun
from completion.selectors import completion_for_month
from completion.services import completion_recompute
from indicators.models import Channel, FigureChange, MonthlyValue
from indicators.services import monthly_value_set
from tests.registers.records import delete_record, update_record

A, B, CITY = "429005001", "429005002", "429005"
LOANS, AMOUNT = "employment.guarantee_loans", "employment.guarantee_loan_amount"
TRAINING, STARTUPS, JOBS = (
    "employment.skills_training",
    "employment.returnee_startups",
    "employment.returnee_jobs_created",
)


def value(code: str, org: str, month: int, year: int = 2024) -> D | None:
    row = MonthlyValue.objects.filter(
        indicator__code=code, org_unit__code=org, year=year, month=month
    ).first()
    return None if row is None else row.value


def city_completion(code: str, month: int = 12):
    completion_recompute(year=2024, trigger=CompletionRun.Trigger.COMMAND)
    return next(
        r for r in completion_for_month(year=2024, month=month, org_codes=[CITY]) if r.indicator.code == code
    )


def test_loans_count_and_sum_in_their_issue_month_at_their_township(make_loan):
    make_loan(A, date(2024, 3, 5), "20")
    make_loan(A, date(2024, 3, 28), "12.3456")
    make_loan(B, date(2024, 4, 1), "30")
    assert (value(LOANS, A, 3), value(AMOUNT, A, 3)) == (2, D("32.3456"))
    assert (value(LOANS, B, 4), value(AMOUNT, B, 4)) == (1, 30)
    assert value(LOANS, A, 4) is None  # no record: not reported, not zero


def test_the_recount_is_written_through_the_register_channel(make_loan):
    make_loan(A, date(2024, 3, 5), "20")
    change = FigureChange.objects.get(indicator__code=AMOUNT, org_unit__code=A, month=3)
    assert change.channel == Channel.REGISTER and change.new_value == 20


def test_moving_a_loan_to_another_month_recounts_both_months(make_loan):
    loan = make_loan(A, date(2024, 3, 5), "20")
    make_loan(A, date(2024, 3, 9), "5")
    loan.issued_on = date(2024, 5, 2)
    update_record(loan)
    assert (value(LOANS, A, 3), value(AMOUNT, A, 3)) == (1, 5)
    assert (value(LOANS, A, 5), value(AMOUNT, A, 5)) == (1, 20)


def test_moving_the_only_loan_out_of_a_month_leaves_that_month_unreported(make_loan):
    loan = make_loan(A, date(2024, 3, 5), "20")
    loan.issued_on = date(2024, 6, 1)
    update_record(loan)
    assert value(LOANS, A, 3) is None and value(AMOUNT, A, 3) is None
    assert value(LOANS, A, 6) == 1


def test_deleting_a_loan_removes_its_figures(make_loan):
    loan = make_loan(A, date(2024, 3, 5), "20")
    delete_record(loan)
    assert value(LOANS, A, 3) is None and value(AMOUNT, A, 3) is None


def test_a_training_class_counts_its_trainees_in_the_month_it_ends(make_class):
    make_class(A, date(2024, 1, 20), date(2024, 2, 10), trainees=40, completions=38)
    assert value(TRAINING, A, 1) is None
    assert value(TRAINING, A, 2) == 40  # every trainee enrolled, not only those who completed


def test_a_class_whose_end_is_put_off_moves_to_the_new_month(make_class):
    course = make_class(A, date(2024, 3, 1), date(2024, 3, 20), trainees=40)
    course.end_on = date(2024, 4, 3)
    update_record(course)
    assert value(TRAINING, A, 3) is None and value(TRAINING, A, 4) == 40


def test_start_ups_count_and_their_jobs_add_up_in_their_start_month(make_startup):
    make_startup(A, date(2024, 7, 1), jobs=3)
    make_startup(A, date(2024, 7, 30), jobs=0)
    assert (value(STARTUPS, A, 7), value(JOBS, A, 7)) == (2, 3)


def test_the_completion_follows_records_created_moved_and_deleted(make_startup, set_quota):
    set_quota(STARTUPS, CITY, 2024, 4)
    first = make_startup(A, date(2024, 3, 8))
    make_startup(B, date(2024, 5, 8))
    row = city_completion(STARTUPS)
    assert (row.actual, row.completion_rate) == (2, 50)
    assert city_completion(STARTUPS, month=4).actual == 1
    first.started_on = date(2024, 9, 1)
    update_record(first)
    assert city_completion(STARTUPS, month=4).actual is None
    assert city_completion(STARTUPS, month=9).actual == 2
    delete_record(first)
    assert city_completion(STARTUPS).completion_rate == 25


def test_the_skills_training_completion_counts_classes_at_the_city_and_townships(make_class, set_quota):
    set_quota(TRAINING, CITY, 2024, 200)
    make_class(CITY, trainees=60, training_type="prison", name="潜江监狱服刑人员培训班")
    make_class(A, trainees=50)
    assert city_completion(TRAINING).completion_rate == 55


@pytest.mark.parametrize("code", [LOANS, AMOUNT, TRAINING, STARTUPS, JOBS])
def test_a_fed_indicator_cannot_be_typed_by_hand(indicators, township_a, bureau_user, code):
    with pytest.raises(PortalError, match="台账"):
        monthly_value_set(
            indicator=indicators[code],
            org_unit=township_a,
            year=2024,
            month=3,
            value=D(5),
            user=bureau_user,
            channel=Channel.ADMIN,
        )
    assert value(code, A, 3) is None


def test_fed_indicators_are_not_in_the_township_template(indicators):
    for code in (LOANS, AMOUNT, TRAINING, STARTUPS, JOBS):
        assert indicators[code].fed_by and not indicators[code].township_reported
