"""The provenance pages: a part leads to the register's records (and, for bureau staff, to the same
records in the admin); a township sees its own sources only."""

from __future__ import annotations

import re
from datetime import date

import pytest

from indicators.feeds import fed_indicators, feed_of
from provenance.records import admin_records_url
from tests.provenance.conftest import CITY, JOBS, LOAN_AMOUNT, LOANS, A, B, loans


def _links(html: str, path: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(rf'href="({re.escape(path)}[^"]*)"', html)]


def test_a_township_sees_its_own_sources_and_is_refused_the_others(client, township_a_user, reported, jobs):
    client.force_login(township_a_user)
    own = client.get(f"/dashboard/provenance/{JOBS}/", {"year": 2024, "month": 11})
    assert own.status_code == 200 and "园林街道" in own.content.decode()
    for org in (B, CITY):
        for view in ("", "part/"):
            response = client.get(
                f"/dashboard/provenance/{JOBS}/{view}", {"org": org, "year": 2024, "month": 3}
            )
            assert response.status_code == 403, (org, view)
            assert "杨市街道" not in response.content.decode()
    assert client.get("/dashboard/reconciliation/", {"year": 2024, "month": 3}).status_code == 403


def test_the_register_records_page_lists_a_townships_own_records_only(
    client, township_a_user, orgs, indicators
):
    loans(orgs, (A, date(2024, 11, 5), "10"), (B, date(2024, 11, 6), "99"))
    client.force_login(township_a_user)
    html = client.get(f"/dashboard/provenance/{LOANS}/records/", {"year": 2024, "month": 11}).content.decode()
    assert "QJ-P-1" in html and "QJ-P-2" not in html and "杨市街道" not in html
    refused = client.get(f"/dashboard/provenance/{LOANS}/records/", {"org": B, "year": 2024, "month": 11})
    assert refused.status_code == 403


def test_bureau_staff_get_the_registers_admin_list_narrowed_to_the_same_records(
    client, bureau_user, orgs, indicators
):
    loans(orgs, (A, date(2024, 11, 5), "10"), (A, date(2024, 10, 5), "11"), (B, date(2024, 11, 6), "99"))
    client.force_login(bureau_user)
    page = client.get(f"/dashboard/provenance/{LOAN_AMOUNT}/part/", {"org": A, "year": 2024, "month": 11})
    (admin_link,) = _links(page.content.decode(), "/admin/employment/guaranteeloan/")
    listing = client.get(admin_link)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "QJ-P-1" in html and "QJ-P-2" not in html and "QJ-P-3" not in html


# Every register that feeds an indicator, once (one feed may count several indicators).
FEEDS = list({id(f): f for f in map(feed_of, fed_indicators())}.values())


@pytest.mark.parametrize("feed", FEEDS, ids=lambda f: f"{f.register}-{next(iter(f.values))}")
def test_every_registers_admin_list_takes_the_provenance_filters(client, bureau_user, orgs, feed):
    client.force_login(bureau_user)
    # A register of the city's own (certification bodies) counts at the city: nothing at a township.
    unit = orgs[A] if feed.org_field else orgs["429005"]
    if feed.org_field is None:
        assert admin_records_url(feed, unit=orgs[A], own=False, year=2024, months=[11]) is None
    for own, months in ((True, [11]), (False, list(range(1, 12)))):
        url = admin_records_url(feed, unit=unit, own=own, year=2024, months=months)
        response = client.get(url)
        assert response.status_code == 200, url  # an unknown lookup is a redirect to ?e=1


def test_the_records_of_an_indicator_no_register_counts_are_not_found(client, leader_user, jobs):
    client.force_login(leader_user)
    assert client.get(f"/dashboard/provenance/{JOBS}/records/", {"year": 2024, "month": 3}).status_code == 404


def test_a_ratios_part_leads_to_its_numerator_and_denominator(client, leader_user, jobs):
    client.force_login(leader_user)
    code = "labor_relations.mediation_rate"
    response = client.get(f"/dashboard/provenance/{code}/part/", {"org": A, "year": 2024, "month": 3})
    assert response.status_code == 302 and response["Location"].startswith(f"/dashboard/provenance/{code}/?")
