"""The shared feed framework (indicators/feeds.py), exercised through the dispute-case and wage-arrears
registers: every save and delete recounts the months it touches, in the same transaction; a month with
no record left has no value; a batch counts each month once; a fed figure cannot be typed."""

from datetime import date
from decimal import Decimal as D

import pytest

from common.errors import PortalError
from completion.models import CompletionRun
from completion.selectors import completion_for_month
from completion.services import completion_recompute
from indicators.models import Channel, FigureChange
from indicators.services import monthly_value_set
from labor_relations.models import DisputeCase
from registers.services import records_batch
from tests.registers.records import delete_record, update_record

from .conftest import CITY, stored

RECEIVED, CLOSED, MEDIATED = (
    "labor_relations.dispute_cases",
    "labor_relations.cases_closed",
    "labor_relations.cases_mediated",
)


def test_a_new_case_is_counted_in_its_received_month(make_case):
    make_case(received_on=date(2024, 3, 5))
    make_case(received_on=date(2024, 3, 28))
    assert stored(RECEIVED, 3) == 2


def test_moving_a_case_to_another_month_recounts_both_months(make_case):
    stays = make_case(received_on=date(2024, 3, 5))
    moves = make_case(received_on=date(2024, 3, 20))
    moves.received_on = date(2024, 4, 2)
    moves.deadline_on = None  # recomputed from the new received date
    update_record(moves)
    assert (stored(RECEIVED, 3), stored(RECEIVED, 4)) == (1, 1)
    assert stays.pk != moves.pk


def test_deleting_the_last_case_of_a_month_removes_the_value_not_zero(make_case):
    make_case(received_on=date(2024, 3, 5))
    only_in_may = make_case(received_on=date(2024, 5, 5))
    delete_record(only_in_may)
    assert stored(RECEIVED, 5) is None
    assert stored(RECEIVED, 3) == 1


def test_a_month_with_closings_but_no_mediation_stores_zero_mediated(make_case):
    make_case(
        received_on=date(2024, 3, 5),
        closed_on=date(2024, 3, 25),
        closed_how=DisputeCase.Closing.WITHDRAWN,
    )
    assert (stored(CLOSED, 3), stored(MEDIATED, 3)) == (1, 0)


def test_closing_a_case_later_counts_it_in_the_closing_month_only(make_case):
    case = make_case(received_on=date(2024, 3, 5))
    assert stored(CLOSED, 3) is None
    case.closed_on, case.closed_how = date(2024, 4, 10), DisputeCase.Closing.MEDIATED
    update_record(case)
    assert (stored(RECEIVED, 3), stored(CLOSED, 3), stored(CLOSED, 4), stored(MEDIATED, 4)) == (1, None, 1, 1)


def test_a_batch_counts_each_month_once_at_its_end(make_case):
    with records_batch(user=None) as batch:
        for day in (3, 9, 17):
            make_case(received_on=date(2024, 3, day), batch=batch)
        assert stored(RECEIVED, 3) is None  # nothing counted inside the block
    assert stored(RECEIVED, 3) == 3
    history = FigureChange.objects.filter(indicator__code=RECEIVED, month=3)
    assert [(h.old_value, h.new_value) for h in history] == [(None, 3)]


def test_the_register_writes_through_the_register_channel_with_the_registers_name(make_case):
    make_case(received_on=date(2024, 3, 5))
    change = FigureChange.objects.get(indicator__code=RECEIVED, month=3)
    assert change.channel == Channel.REGISTER
    assert "劳动人事争议案件台账" in change.note


def test_typing_a_fed_indicator_by_hand_is_refused(indicators, city, bureau_user):
    with pytest.raises(PortalError) as refused:
        monthly_value_set(
            indicator=indicators[RECEIVED],
            org_unit=city,
            year=2024,
            month=3,
            value=D(5),
            user=bureau_user,
            channel=Channel.ADMIN,
        )
    assert "由“劳动人事争议案件台账”自动汇总" in refused.value.message
    assert "台账" in refused.value.message
    assert stored(RECEIVED, 3) is None


def test_the_fed_indicators_are_not_in_township_templates(indicators):
    fed = [code for code, ind in indicators.items() if ind.fed_by == "劳动人事争议案件台账"]
    assert set(fed) >= {RECEIVED, CLOSED, MEDIATED, "labor_relations.closed_on_time"}
    assert not any(indicators[code].township_reported for code in fed)


def test_wages_recovered_are_summed_in_wan_yuan_by_closing_month(make_wage_case):
    make_wage_case(closed_on=date(2024, 3, 20), amount_recovered="52000")
    make_wage_case(closed_on=date(2024, 3, 28), amount_recovered="1234.56", org="429005001")
    make_wage_case(closed_on=None, amount_recovered="99999")  # still open: not yet counted
    assert stored("labor_relations.wages_recovered", 3, org="429005001") == D("5.3235")


def test_the_rates_and_completion_follow_the_records(make_case):
    make_case(received_on=date(2024, 3, 1), closed_on=date(2024, 3, 10))
    make_case(received_on=date(2024, 3, 2), closed_on=date(2024, 3, 12))
    make_case(
        received_on=date(2024, 3, 3),
        closed_on=date(2024, 3, 30),
        stage=DisputeCase.Stage.ARBITRATION,
        closed_how=DisputeCase.Closing.AWARDED,
        final_award=True,
    )
    late = make_case(
        received_on=date(2024, 3, 4),
        deadline_on=date(2024, 3, 20),
        closed_on=date(2024, 3, 25),
        stage=DisputeCase.Stage.ARBITRATION,
        closed_how=DisputeCase.Closing.AWARDED,
    )
    completion_recompute(year=2024, trigger=CompletionRun.Trigger.COMMAND)
    rates = {r.indicator.code: r.actual for r in completion_for_month(year=2024, month=3, org_codes=[CITY])}
    assert rates["labor_relations.mediation_rate"] == D(50)
    assert rates["labor_relations.arbitration_finality_rate"] == D(50)
    assert rates["labor_relations.closure_rate_at_term"] == D(75)

    delete_record(late)
    completion_recompute(year=2024, trigger=CompletionRun.Trigger.COMMAND)
    rates = {r.indicator.code: r.actual for r in completion_for_month(year=2024, month=3, org_codes=[CITY])}
    assert rates["labor_relations.closure_rate_at_term"] == D(100)
    assert rates["labor_relations.arbitration_finality_rate"] == D(100)
    assert rates[CLOSED] == 3
