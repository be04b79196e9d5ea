"""The panels' JSON: figures, scope on the server, the schema, the cache that follows new figures."""

import pytest

from completion.models import CompletionRun
from completion.services import completion_recompute

from .conftest import JOBS, A, B


def _jobs(payload):
    return next(r for a in payload["areas"] for r in a["rows"] if r["indicator"]["code"] == JOBS)


def test_cockpit_json_for_a_leader(client, leader_user, small):
    client.force_login(leader_user)
    data = client.get("/api/v1/dashboard/cockpit/", {"year": 2024, "month": 3}).json()
    row = _jobs(data)
    assert data["org_code"] == "429005" and data["behind"] == 1
    assert row["actual"] == "220.000000" and row["rate_display"] == "18.3%"
    assert row["trend"] == ["5.0000", "10.8333", "18.3333"]
    assert row["projected_actual"] == "2420.000000" and data["stamp"]


def test_cockpit_defaults_to_the_latest_month_with_data(client, leader_user, small):
    client.force_login(leader_user)
    data = client.get("/api/v1/dashboard/cockpit/").json()
    assert (data["year"], data["month"]) == (2024, 3)


def test_cockpit_shows_a_saved_figure_once_it_is_computed(client, leader_user, small, put):
    client.force_login(leader_user)
    before = client.get("/api/v1/dashboard/cockpit/", {"year": 2024, "month": 3}).json()
    put(JOBS, A, 2024, 3, 100)  # +30
    stale = client.get("/api/v1/dashboard/cockpit/", {"year": 2024, "month": 3}).json()
    assert stale["stamp"] != before["stamp"] and stale["freshness"]["is_stale"]
    completion_recompute(year=2024, trigger=CompletionRun.Trigger.CHANGE)
    after = client.get("/api/v1/dashboard/cockpit/", {"year": 2024, "month": 3}).json()
    assert _jobs(after)["actual"] == "250.000000" and not after["freshness"]["is_stale"]


def test_a_township_user_gets_its_own_township_by_default(client, township_a_user, small):
    client.force_login(township_a_user)
    data = client.get("/api/v1/dashboard/cockpit/", {"year": 2024, "month": 3}).json()
    assert data["org_code"] == A and _jobs(data)["actual"] == "180.000000"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/dashboard/cockpit/",
        "/api/v1/dashboard/warnings/",
        f"/api/v1/dashboard/indicators/{JOBS}/",
    ],
)
@pytest.mark.parametrize("org", [B, "429005"])
def test_a_township_user_is_refused_other_units(client, township_a_user, small, path, org):
    client.force_login(township_a_user)
    response = client.get(path, {"year": 2024, "month": 3, "org": org})
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "您只能查看本区镇街道的数据。"


def test_a_township_users_ranking_and_warnings_hold_only_its_township(client, township_b_user, small):
    client.force_login(township_b_user)
    detail = client.get(f"/api/v1/dashboard/indicators/{JOBS}/", {"year": 2024, "month": 3}).json()
    assert [r["org_code"] for r in detail["ranking"]] == []  # its own page: no other township
    warnings = client.get("/api/v1/dashboard/warnings/", {"year": 2024, "month": 3}).json()
    assert [(r["org_code"], r["status"]) for r in warnings["rows"]] == [(B, "far_behind")]


def test_anonymous_callers_are_refused(client, small):
    assert client.get("/api/v1/dashboard/cockpit/").status_code in (401, 403)


def test_indicator_panel_json(client, leader_user, small):
    client.force_login(leader_user)
    data = client.get(f"/api/v1/dashboard/indicators/{JOBS}/", {"year": 2024, "month": 3}).json()
    assert [p["actual"] for p in data["series"][:4]] == ["60.000000", "130.000000", "220.000000", None]
    assert [r["org_name"] for r in data["ranking"]] == ["园林街道", "杨市街道"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"month": "13"}, "参数“month”应为1至12之间的整数(收到的是“13”)。"),
        ({"year": "二〇二四"}, "参数“year”应为2000至2100之间的整数(收到的是“二〇二四”)。"),
    ],
)
def test_bad_period_parameters_are_refused_in_chinese(client, leader_user, small, query, message):
    client.force_login(leader_user)
    response = client.get("/api/v1/dashboard/cockpit/", query)
    assert response.status_code == 400 and response.json()["error"]["message"] == message


def test_unknown_indicator_or_org_is_404(client, leader_user, small):
    client.force_login(leader_user)
    assert client.get("/api/v1/dashboard/indicators/employment.nothing/").status_code == 404
    assert client.get("/api/v1/dashboard/cockpit/", {"org": "429005999"}).status_code == 404


def test_panels_are_in_the_openapi_schema(client, leader_user):
    client.force_login(leader_user)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/dashboard/cockpit/", "/api/v1/dashboard/warnings/"):
        assert path in schema["paths"]
    assert "/api/v1/dashboard/indicators/{code}/" in schema["paths"]
