"""The demo's labour-relations registers reproduce the report's 2024 figures, from records."""

from decimal import Decimal as D

from accounts.permissions import RecordScope
from completion.models import Completion
from labor_relations.demo import demo_registers_load
from labor_relations.models import BlacklistEntry, CreditRating, DisputeCase, WageArrearsCase
from labor_relations.selectors import credit_year_summary, dispute_year_summary, wage_arrears_year_summary
from orgs.models import OrgUnit

WHOLE_CITY = RecordScope.whole_city()


def city_december(code: str) -> D:
    return Completion.objects.get(indicator__code=code, org_unit__code="429005", year=2024, month=12).actual


def test_the_dispute_register_reproduces_the_reports_rates(demo):
    summary = dispute_year_summary(year=2024, scope=WHOLE_CITY)
    assert (summary.received, summary.closed, summary.closed_by["调解"]) == (508, 483, 442)
    assert (summary.arbitration_closed, summary.arbitration_final) == (187, 177)
    assert (summary.mediation_rate, summary.arbitration_finality_rate) == (D("91.51"), D("94.65"))
    assert summary.closure_rate_at_term == D("100.00")


def test_the_demo_indicators_are_counted_from_the_records(demo):
    assert city_december("labor_relations.dispute_cases") == 508
    assert city_december("labor_relations.cases_closed") == 483
    assert city_december("labor_relations.cases_mediated") == 442
    assert city_december("labor_relations.arbitration_closed") == 187
    assert city_december("labor_relations.arbitration_final") == 177
    assert city_december("labor_relations.closed_on_time") == 483
    assert round(city_december("labor_relations.mediation_rate"), 2) == D("91.51")
    assert round(city_december("labor_relations.arbitration_finality_rate"), 2) == D("94.65")
    assert round(city_december("labor_relations.closure_rate_at_term"), 2) == D("100.00")
    assert city_december("labor_relations.wages_recovered") == D("1545.7482")


def test_the_wage_arrears_register_reproduces_the_report(demo):
    summary = wage_arrears_year_summary(year=2024, scope=WHOLE_CITY)
    assert (summary.cases, summary.workers, summary.recovered_wan) == (241, 1244, D("1545.7482"))
    assert (summary.referred_to_police, summary.court_enforcement) == (12, 7)
    campaign = WageArrearsCase.objects.filter(source=WageArrearsCase.Source.CAMPAIGN)
    assert campaign.count() == 16


def test_the_credit_registers_reproduce_the_report(demo):
    summary = credit_year_summary(year=2024, scope=WHOLE_CITY)
    assert (summary.rated, summary.blacklisted_in_year, summary.blacklist_current) == (1619, 14, 14)


def test_every_demo_record_passes_the_models_own_rules(demo):
    for model in (DisputeCase, WageArrearsCase, CreditRating, BlacklistEntry):
        for record in model.objects.select_related("org_unit"):
            record.full_clean()


def test_loading_the_demo_registers_twice_changes_nothing(demo):
    before = {
        model: sorted(model.objects.values_list("pk", "updated_at"))
        for model in (DisputeCase, WageArrearsCase, CreditRating, BlacklistEntry)
    }
    townships = list(OrgUnit.objects.filter(level=OrgUnit.Level.TOWNSHIP))
    demo_registers_load(2024, townships)
    after = {model: sorted(model.objects.values_list("pk", "updated_at")) for model in before}
    assert after == before
