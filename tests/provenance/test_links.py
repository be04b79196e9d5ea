"""Every figure on the dashboards links to where it came from: the cockpit, the indicator page, the
scorecard and the work report to the figure's page, the figure's page to each part, the part to the
report's row."""

from __future__ import annotations

from completion.services import completion_recompute
from tests.provenance.conftest import CITY, JOBS, A, B
from tests.provenance.test_views import _links


def test_every_figure_of_the_cockpit_links_to_where_it_came_from(client, leader_user, jobs):
    client.force_login(leader_user)
    html = client.get("/dashboard/", {"year": 2024, "month": 3}).content.decode()
    assert f"/dashboard/provenance/{JOBS}/?org={CITY}&year=2024&month=3" in _links(
        html, "/dashboard/provenance/"
    )


def test_the_indicator_page_links_the_figure_each_month_and_each_township(client, leader_user, jobs):
    client.force_login(leader_user)
    html = client.get(f"/dashboard/indicators/{JOBS}/", {"year": 2024, "month": 3}).content.decode()
    links = _links(html, f"/dashboard/provenance/{JOBS}/")
    assert (
        f"/dashboard/provenance/{JOBS}/?org={CITY}&year=2024&month=2" in links
    )  # the series, month by month
    assert f"/dashboard/provenance/{JOBS}/?org={B}&year=2024&month=3" in links  # the ranking


def test_the_scorecard_and_the_report_link_their_figures(client, leader_user, jobs, set_quota):
    set_quota(JOBS, A, 2024, 600)
    completion_recompute(year=2024)
    client.force_login(leader_user)
    card = client.get("/dashboard/scorecard/", {"year": 2024, "month": 3}).content.decode()
    assert f"/dashboard/provenance/{JOBS}/?org={A}&year=2024&month=3" in _links(
        card, "/dashboard/provenance/"
    )
    report = client.get("/dashboard/report/", {"year": 2024, "month": 3}).content.decode()
    assert f"/dashboard/provenance/{JOBS}/?org={CITY}&year=2024&month=3" in _links(
        report, "/dashboard/provenance/"
    )


def test_a_figure_reaches_the_reports_row_in_two_more_clicks(client, leader_user, reported):
    client.force_login(leader_user)
    page = client.get(
        f"/dashboard/provenance/{JOBS}/", {"org": CITY, "year": 2024, "month": 11}
    ).content.decode()
    part_link = f"/dashboard/provenance/{JOBS}/part/?org={A}&year=2024&month=11"
    assert part_link in _links(page, "/dashboard/provenance/")
    part = client.get(part_link).content.decode()
    row = f"/reporting/submissions/{reported['approved'].pk}/#value-{JOBS}"
    assert row in _links(part, "/reporting/")
    detail = client.get(row.split("#")[0]).content.decode()
    assert f'id="value-{JOBS}"' in detail
