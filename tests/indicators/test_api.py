"""The REST API: scoped reads, bureau-only writes through the services, one Chinese error shape."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
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


def _log_entries(model) -> list[LogEntry]:
    content_type = ContentType.objects.get_for_model(model)
    return list(LogEntry.objects.filter(content_type=content_type).order_by("id"))


def test_a_patch_leaves_an_admin_log_entry_and_a_history_row_naming_the_api(client_for, bureau_user, put):
    put(JOBS, TOWNSHIP_A, 2024, 1, 10)
    value = MonthlyValue.objects.get()

    client_for(bureau_user).patch(f"/api/v1/monthly-values/{value.pk}/", {"value": "12"}, format="json")

    [log] = _log_entries(MonthlyValue)
    assert (log.user, log.object_id, log.action_flag) == (bureau_user, str(value.pk), CHANGE)
    assert log.get_change_message() == "通过API修改:数值 10 → 12。"
    assert log.object_repr == "2024年1月 园林街道 城镇新增就业人数"
    change = FigureChange.objects.order_by("-id").first()
    assert (change.changed_by, change.channel, change.old_value, change.new_value) == (
        bureau_user,
        "api",
        10,
        12,
    )


def test_a_remark_only_patch_is_in_the_history_and_the_admin_log(client_for, bureau_user, put):
    put(JOBS, TOWNSHIP_A, 2024, 1, 10)
    value = MonthlyValue.objects.get()

    response = client_for(bureau_user).patch(
        f"/api/v1/monthly-values/{value.pk}/", {"remark": "核实后更正"}, format="json"
    )

    assert response.status_code == 200, response.json()
    change = FigureChange.objects.order_by("-id").first()
    assert (change.old_value, change.new_value, change.old_remark, change.new_remark) == (
        10,
        10,
        "",
        "核实后更正",
    )
    assert (change.changed_by, change.channel) == (bureau_user, "api")
    assert _log_entries(MonthlyValue)[-1].change_message == "通过API修改:备注“” → “核实后更正”。"


def test_an_api_post_and_delete_leave_admin_log_entries(client_for, bureau_user, indicators, orgs):
    client = client_for(bureau_user)
    body = {
        "indicator": JOBS,
        "org_unit": TOWNSHIP_A,
        "year": 2024,
        "month": 1,
        "value": "5",
        "remark": "快报",
    }
    created = client.post("/api/v1/monthly-values/", body, format="json").json()
    assert client.delete(f"/api/v1/monthly-values/{created['id']}/").status_code == 204

    added, deleted = _log_entries(MonthlyValue)
    assert (added.action_flag, added.object_id, added.change_message) == (
        ADDITION,
        str(created["id"]),
        "通过API新增:数值 5;备注“快报”。",
    )
    assert (deleted.action_flag, deleted.object_id, deleted.change_message) == (
        DELETION,
        str(created["id"]),
        "通过API删除:原数值 5。",
    )


def test_the_admin_object_history_lists_api_edits(client_for, client, bureau_user, put):
    put(JOBS, TOWNSHIP_A, 2024, 1, 10)
    value = MonthlyValue.objects.get()
    client_for(bureau_user).patch(f"/api/v1/monthly-values/{value.pk}/", {"value": "12"}, format="json")

    client.force_login(bureau_user)
    page = client.get(reverse("admin:indicators_monthlyvalue_history", args=[value.pk])).content.decode()

    assert "通过API修改:数值 10 → 12。" in page


def test_a_note_only_quota_patch_is_in_the_history_and_the_admin_log(client_for, bureau_user, set_quota):
    set_quota(JOBS, "429005", 2024, 7000)
    quota = Quota.objects.get()

    response = client_for(bureau_user).patch(
        f"/api/v1/quotas/{quota.pk}/", {"note": "省厅下达"}, format="json"
    )

    assert response.status_code == 200, response.json()
    change = FigureChange.objects.order_by("-id").first()
    assert (change.subject, change.old_value, change.new_value) == ("quota", 7000, 7000)
    assert (change.old_remark, change.new_remark, change.channel, change.changed_by) == (
        "",
        "省厅下达",
        "api",
        bureau_user,
    )
    [log] = _log_entries(Quota)
    assert (log.action_flag, log.object_id, log.user) == (CHANGE, str(quota.pk), bureau_user)
    assert log.change_message == "通过API修改:备注“” → “省厅下达”。"


def test_an_api_quota_change_and_removal_leave_admin_log_entries(client_for, bureau_user, set_quota):
    set_quota(JOBS, "429005", 2024, 7000)
    quota = Quota.objects.get()
    client = client_for(bureau_user)

    client.patch(f"/api/v1/quotas/{quota.pk}/", {"target": "7200"}, format="json")
    client.delete(f"/api/v1/quotas/{quota.pk}/")

    assert [(e.action_flag, e.change_message) for e in _log_entries(Quota)] == [
        (CHANGE, "通过API修改:年度目标 7000 → 7200。"),
        (DELETION, "通过API删除:原年度目标 7200。"),
    ]
    assert list(
        FigureChange.objects.filter(subject="quota").values_list("old_value", "new_value", "channel")
    ) == [
        (7200, None, "api"),
        (7000, 7200, "api"),
        (None, 7000, "command"),
    ]


def test_writes_by_the_system_leave_no_admin_log_entry(put):
    put(JOBS, TOWNSHIP_A, 2024, 1, 10, channel="api")
    assert not LogEntry.objects.exists()
    assert FigureChange.objects.get().channel == "api"


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
