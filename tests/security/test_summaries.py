"""Every aggregate a township user can ask for adds up its own township's records only: the year
summaries of the registers, the gig-station totals, the city's own registers (none for a township)."""

import pytest

from employment.models import GigStationMonth
from talent.models import CampusRecruitment, RecruitmentPlan, SkillCertificate
from tests.conftest import TOWNSHIP_A


@pytest.fixture
def as_township_a(client, demo, township_a_user):
    client.force_login(township_a_user)
    return client


@pytest.fixture
def as_leader(client, demo, leader_user):
    client.force_login(leader_user)
    return client


def test_a_townships_certificate_summary_counts_its_own_certificates(as_township_a, township_a):
    own = SkillCertificate.objects.filter(org_unit=township_a, issued_on__year=2024).count()

    summary = as_township_a.get("/api/v1/talent/certificates/summary/", {"year": 2024}).json()

    assert summary["total"] == own
    assert own < SkillCertificate.objects.filter(issued_on__year=2024).count() == 2244
    assert summary["new_bodies"] == 0  # the certification bodies are the city's, not the township's


def test_the_leader_still_gets_the_citys_certificate_summary(as_leader):
    summary = as_leader.get("/api/v1/talent/certificates/summary/", {"year": 2024}).json()

    assert summary["total"] == 2244


def test_a_townships_recruitment_summaries_are_its_own(as_township_a, township_a):
    plans = as_township_a.get("/api/v1/talent/recruitment-plans/summary/", {"year": 2024}).json()
    campus = as_township_a.get("/api/v1/talent/campus-recruitment/summary/", {"year": 2024}).json()

    assert plans["plans"] == RecruitmentPlan.objects.filter(org_unit=township_a, year=2024).count()
    assert (
        campus["events"] == CampusRecruitment.objects.filter(org_unit=township_a, held_on__year=2024).count()
    )
    assert plans["plans"] < RecruitmentPlan.objects.filter(year=2024).count()


def test_a_township_gets_nothing_of_the_citys_competitions(as_township_a):
    summary = as_township_a.get("/api/v1/talent/competitions/summary/", {"year": 2024}).json()
    listed = as_township_a.get("/api/v1/talent/competitions/").json()["results"]
    awards = as_township_a.get("/api/v1/talent/competition-awards/").json()["results"]

    assert (summary["competitions"], summary["hosted"], summary["awards"]) == (0, 0, [])
    assert listed == [] and awards == []


def test_the_leader_gets_the_citys_competitions(as_leader):
    summary = as_leader.get("/api/v1/talent/competitions/summary/", {"year": 2024}).json()

    assert summary["competitions"] > 0 and summary["hosted_contestants"] == 87


def test_a_townships_gig_station_totals_are_its_own(as_township_a, township_a):
    rows = as_township_a.get("/api/v1/employment/gig-station-months/year-totals/", {"year": 2024}).json()

    assert rows and {r["org_code"] for r in rows} == {TOWNSHIP_A}
    own = sum(
        m.services for m in GigStationMonth.objects.filter(year=2024, station__org_unit__code=TOWNSHIP_A)
    )
    assert sum(r["services"] for r in rows) == own
