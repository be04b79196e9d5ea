"""Year summaries against hand counts."""

from datetime import date
from decimal import Decimal as D

from accounts.permissions import RecordScope
from labor_relations.models import DisputeCase
from labor_relations.selectors import (
    blacklist_current,
    credit_year_summary,
    dispute_year_summary,
    wage_arrears_year_summary,
)
from orgs.models import OrgUnit

from .conftest import CODE_1, CODE_2

WHOLE_CITY = RecordScope.whole_city()

Closing, Stage = DisputeCase.Closing, DisputeCase.Stage


def test_the_dispute_summary_counts_by_how_and_where_cases_closed(make_case):
    make_case(received_on=date(2023, 12, 20), closed_on=date(2024, 1, 5))  # received last year
    make_case(received_on=date(2024, 2, 1), closed_on=date(2024, 2, 8))
    make_case(received_on=date(2024, 2, 2), closed_on=date(2024, 2, 9), closed_how=Closing.WITHDRAWN)
    arbitration = {"stage": Stage.ARBITRATION}
    make_case(received_on=date(2024, 3, 1), closed_on=date(2024, 4, 1), **arbitration)
    make_case(
        received_on=date(2024, 3, 2),
        closed_on=date(2024, 4, 2),
        closed_how=Closing.AWARDED,
        final_award=True,
        **arbitration,
    )
    make_case(
        received_on=date(2024, 3, 3),
        deadline_on=date(2024, 3, 20),
        closed_on=date(2024, 4, 3),
        closed_how=Closing.AWARDED,
        **arbitration,
    )
    make_case(received_on=date(2024, 12, 20))  # still open at year end
    summary = dispute_year_summary(year=2024, scope=WHOLE_CITY)
    assert (summary.received, summary.closed, summary.open_at_year_end) == (6, 6, 1)
    assert summary.closed_by == {"调解": 3, "仲裁裁决": 2, "撤诉": 1, "其他": 0}
    assert (summary.arbitration_closed, summary.arbitration_final, summary.final_awards) == (3, 2, 1)
    assert summary.mediation_rate == D("50.00")
    assert summary.arbitration_finality_rate == D("66.67")
    assert summary.closure_rate_at_term == D("83.33")


def test_an_empty_year_has_no_rates(indicators):
    summary = dispute_year_summary(year=2024, scope=WHOLE_CITY)
    assert (summary.closed, summary.mediation_rate, summary.closure_rate_at_term) == (0, None, None)


def test_the_wage_summary_counts_cases_closed_in_the_year(make_wage_case, township_a):
    make_wage_case(workers=3, amount_recovered="10000.50", referred_to_police=True)
    make_wage_case(org="429005002", workers=2, amount_recovered="5000", court_enforcement=True)
    make_wage_case(closed_on=None, workers=9, amount_recovered="1")  # open
    summary = wage_arrears_year_summary(year=2024, scope=WHOLE_CITY)
    assert (summary.cases, summary.workers, summary.recovered_wan) == (2, 5, D("1.500050"))
    assert (summary.referred_to_police, summary.court_enforcement) == (1, 1)
    assert summary.by_source["投诉举报"] == 2
    mine = wage_arrears_year_summary(
        year=2024, scope=RecordScope(OrgUnit.objects.filter(pk=township_a.pk).values("id"), False)
    )
    assert (mine.cases, mine.workers) == (1, 3)


def test_the_credit_summary_and_the_current_blacklist(make_rating, make_listing):
    make_rating(code=CODE_1, grade="A")
    make_rating(code=CODE_2, grade="C")
    make_listing(code=CODE_1, listed_on=date(2023, 6, 1), removed_on=date(2024, 7, 1))
    make_listing(code=CODE_2, listed_on=date(2024, 5, 10))
    summary = credit_year_summary(year=2024, scope=WHOLE_CITY)
    assert (summary.rated, summary.by_grade["A级(守法诚信)"], summary.by_grade["C级(不守法诚信)"]) == (
        2,
        1,
        1,
    )
    assert (summary.blacklisted_in_year, summary.blacklist_current) == (1, 1)
    assert blacklist_current(on=date(2024, 6, 1), scope=WHOLE_CITY).count() == 2
    assert [e.credit_code for e in blacklist_current(scope=WHOLE_CITY)] == [CODE_2]
