"""The demo's labour-relations registers reproduce the report's 2024 figures, from records."""

from decimal import Decimal as D

from django.db.models import Count, Q, Sum

from completion.models import Completion
from labor_relations.demo import demo_registers_load
from labor_relations.models import BlacklistEntry, CreditRating, DisputeCase, WageArrearsCase
from orgs.models import OrgUnit
from registers.services import records_batch


def city_december(code: str) -> D:
    return Completion.objects.get(indicator__code=code, org_unit__code="429005", year=2024, month=12).actual


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
    closed = WageArrearsCase.objects.filter(closed_on__year=2024)
    assert closed.aggregate(
        cases=Count("id"),
        workers=Sum("workers"),
        recovered=Sum("amount_recovered"),
        police=Count("id", filter=Q(referred_to_police=True)),
        court=Count("id", filter=Q(court_enforcement=True)),
    ) == {"cases": 241, "workers": 1244, "recovered": D("15457482.00"), "police": 12, "court": 7}
    assert closed.filter(source=WageArrearsCase.Source.CAMPAIGN).count() == 16


def test_the_credit_registers_reproduce_the_report(demo):
    assert CreditRating.objects.filter(year=2024).count() == 1619
    listed = BlacklistEntry.objects.filter(listed_on__year=2024)
    assert (listed.count(), listed.filter(removed_on__isnull=True).count()) == (14, 14)


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
    with records_batch(user=None) as batch:
        demo_registers_load(2024, townships, batch=batch)
    after = {model: sorted(model.objects.values_list("pk", "updated_at")) for model in before}
    assert after == before
