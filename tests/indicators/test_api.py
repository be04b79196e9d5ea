"""The REST API: scoped reads, bureau-only writes through the services, one Chinese error shape."""

import pytest
from rest_framework.test import APIClient

from indicators.models import FigureChange, MonthlyValue, Quota
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B

JOBS = "employment.urban_new_jobs"


@pytest.fixture
def client_for():
    def _client(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return _client


@pytest.fixture
def two_townships(put):
    put(JOBS, TOWNSHIP_A, 2024, 1, 10)
    put(JOBS, TOWNSHIP_B, 2024, 1, 20)


def _orgs_in(response) -> set[str]:
    return {row["org_unit"] for row in response.json()["results"]}


@pytest.mark.parametrize("path", ["org-units", "indicators", "quotas", "monthly-values", "completion"])
def test_anonymous_users_are_refused_everywhere(client_for, path, db):
    assert client_for().get(f"/api/v1/{path}/").status_code in (401, 403)


def test_bureau_staff_see_every_township(client_for, bureau_user, two_townships):
    response = client_for(bureau_user).get("/api/v1/monthly-values/", {"year": 2024})
    assert _orgs_in(response) == {TOWNSHIP_A, TOWNSHIP_B}


def test_a_township_user_sees_only_its_own_township(client_for, township_a_user, two_townships):
    response = client_for(township_a_user).get("/api/v1/monthly-values/", {"year": 2024})
    assert _orgs_in(response) == {TOWNSHIP_A}


def test_a_township_user_cannot_open_another_townships_value(client_for, township_a_user, two_townships):
    other = MonthlyValue.objects.get(org_unit__code=TOWNSHIP_B)
    assert client_for(township_a_user).get(f"/api/v1/monthly-values/{other.pk}/").status_code == 404


def test_a_township_user_sees_only_its_own_completion(client_for, township_a_user, demo):
    response = client_for(township_a_user).get(
        "/api/v1/completion/", {"year": 2024, "month": 12, "limit": 1000}
    )
    assert _orgs_in(response) == {TOWNSHIP_A}


def test_a_township_user_sees_only_its_own_org_unit(client_for, township_a_user, orgs):
    response = client_for(township_a_user).get("/api/v1/org-units/")
    assert [row["code"] for row in response.json()["results"]] == [TOWNSHIP_A]


@pytest.mark.parametrize("who", ["leader_user", "township_a_user"])
def test_only_bureau_staff_write_values(client_for, request, who, indicators, orgs):
    user = request.getfixturevalue(who)
    body = {"indicator": JOBS, "org_unit": TOWNSHIP_A, "year": 2024, "month": 1, "value": "5"}
    response = client_for(user).post("/api/v1/monthly-values/", body, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "只有局业务科室可以修改数据。"
    assert not MonthlyValue.objects.exists()


def test_bureau_staff_write_a_value_and_it_is_recorded(client_for, bureau_user, indicators, orgs):
    body = {"indicator": JOBS, "org_unit": TOWNSHIP_A, "year": 2024, "month": 1, "value": "5"}
    response = client_for(bureau_user).post("/api/v1/monthly-values/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["value"] == "5.000000"
    change = FigureChange.objects.get()
    assert (change.channel, change.changed_by, change.new_value) == ("api", bureau_user, 5)


def test_a_patch_corrects_the_value_and_keeps_the_old_one_in_history(client_for, bureau_user, put):
    put(JOBS, TOWNSHIP_A, 2024, 1, 10)
    value = MonthlyValue.objects.get()
    response = client_for(bureau_user).patch(
        f"/api/v1/monthly-values/{value.pk}/", {"value": "12"}, format="json"
    )
    assert response.status_code == 200, response.json()
    latest = FigureChange.objects.order_by("-id").first()
    assert (latest.old_value, latest.new_value, latest.channel) == (10, 12, "api")


def test_a_patch_cannot_move_a_value_to_another_month(client_for, bureau_user, put):
    put(JOBS, TOWNSHIP_A, 2024, 1, 10)
    value = MonthlyValue.objects.get()
    response = client_for(bureau_user).patch(
        f"/api/v1/monthly-values/{value.pk}/", {"month": 2}, format="json"
    )
    assert response.status_code == 400
    assert MonthlyValue.objects.get().month == 1


def test_a_delete_removes_the_value_and_records_it(client_for, bureau_user, put):
    put(JOBS, TOWNSHIP_A, 2024, 1, 10)
    value = MonthlyValue.objects.get()
    assert client_for(bureau_user).delete(f"/api/v1/monthly-values/{value.pk}/").status_code == 204
    assert not MonthlyValue.objects.exists()
    assert FigureChange.objects.order_by("-id").first().new_value is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"value": "-1"}, "“城镇新增就业人数”的数值不能为负数(填写的是-1)。"),
        ({"month": 13}, "月份“13”无效,须在1至12之间。"),
        ({"indicator": "employment.no_such_thing"}, "employment.no_such_thing"),
        ({"org_unit": "429005999"}, "429005999"),
    ],
)
def test_bad_values_get_one_chinese_error_shape(client_for, bureau_user, indicators, orgs, body, message):
    base = {"indicator": JOBS, "org_unit": TOWNSHIP_A, "year": 2024, "month": 1, "value": "5"}
    response = client_for(bureau_user).post("/api/v1/monthly-values/", {**base, **body}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert message in error["message"]
    assert error["problems"] and all("message" in p for p in error["problems"])
    assert not MonthlyValue.objects.exists()


def test_a_zero_quota_is_refused(client_for, bureau_user, indicators, orgs):
    body = {"indicator": JOBS, "org_unit": "429005", "year": 2024, "target": "0"}
    response = client_for(bureau_user).post("/api/v1/quotas/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "“城镇新增就业人数”的年度目标必须大于0(填写的是0)。"
    assert not Quota.objects.exists()


def test_posting_a_quota_twice_updates_it(client_for, bureau_user, indicators, orgs):
    client = client_for(bureau_user)
    for target in ("7000", "7100"):
        body = {"indicator": JOBS, "org_unit": "429005", "year": 2024, "target": target}
        assert client.post("/api/v1/quotas/", body, format="json").status_code == 201
    assert Quota.objects.get().target == 7100


def test_completion_filters_by_indicator_and_org(client_for, leader_user, demo):
    response = client_for(leader_user).get(
        "/api/v1/completion/", {"year": 2024, "month": 12, "org_unit": "429005", "indicator": JOBS}
    )
    [row] = response.json()["results"]
    assert (row["actual"], row["quota"], row["status"]) == ("12367.000000", "7000.000000", "ahead")


def test_the_openapi_schema_and_offline_docs_are_served(client_for, bureau_user):
    client = client_for(bureau_user)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/monthly-values/" in schema.content
    client.force_login(bureau_user)  # the docs page is a page: signed in with a session
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()  # the bureau's network is closed: assets come from the sidecar
