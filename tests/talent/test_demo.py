"""The demo's talent records reproduce the report's 2024 figures."""

import pytest
from django.db.models import Count

from accounts.permissions import RecordScope
from common.numbers import round_half_up
from completion.models import Completion
from demo.services import demo_load
from indicators.models import FigureChange, MonthlyValue
from talent.models import SkillCertificate
from talent.selectors import (
    campus_recruitment_year_summary,
    certificate_year_summary,
    competition_year_summary,
    recruitment_year_summary,
)

WHOLE_CITY = RecordScope.whole_city()


def city_december(code: str) -> Completion:
    return Completion.objects.get(indicator__code=code, org_unit__code="429005", year=2024, month=12)


@pytest.mark.parametrize(
    ("code", "actual", "quota", "rate"),
    [
        ("talent.skill_certificates", 2244, 2000, "112"),
        ("talent.senior_workers", 1159, 600, "193"),
        ("talent.technicians", 83, 60, "138"),
    ],
)
def test_the_certificates_reproduce_the_reports_completion(demo_2024, code, actual, quota, rate):
    row = city_december(code)

    assert (row.actual, row.quota) == (actual, quota)
    assert str(round_half_up(row.completion_rate, 0)) == rate


def test_the_certificates_are_spread_over_every_township_and_month(demo_2024):
    spread = SkillCertificate.objects.aggregate(
        townships=Count("org_unit", distinct=True), months=Count("issued_on__month", distinct=True)
    )

    assert spread == {"townships": 23, "months": 12}
    assert not MonthlyValue.objects.filter(
        indicator__code="talent.skill_certificates", org_unit__code="429005"
    ).exists()


def test_the_year_summaries_match_the_report(demo_2024):
    assert recruitment_year_summary(year=2024, scope=WHOLE_CITY) | {"posts": 0} == {
        "plans": 124,
        "posts": 0,
        "applicants": 2364,
        "hired": 119,
    }
    assert campus_recruitment_year_summary(year=2024, scope=WHOLE_CITY) == {
        "universities": 8,
        "events": 8,
        "applicants": 1038,
        "signed": 213,
        "masters": 56,
    }
    certificates = certificate_year_summary(year=2024, scope=WHOLE_CITY)
    assert (certificates["total"], certificates["senior"], certificates["technician"]) == (2244, 1159, 83)
    assert certificates["new_bodies"] == 3
    competitions = competition_year_summary(year=2024, scope=WHOLE_CITY)
    assert (competitions["hosted"], competitions["hosted_contestants"]) == (1, 87)
    assert competitions["awards"] == [{"level": "省级", "prize": "银奖", "count": 1}]


def test_reloading_the_demo_changes_no_figure(demo_2024):
    counts = (MonthlyValue.objects.count(), FigureChange.objects.count(), SkillCertificate.objects.count())

    stats = demo_load(current_year=False)  # the fixture loaded 2024 only

    assert stats["written"] == 0 and stats["skill_certificates"] == 2244
    assert (
        MonthlyValue.objects.count(),
        FigureChange.objects.count(),
        SkillCertificate.objects.count(),
    ) == counts
