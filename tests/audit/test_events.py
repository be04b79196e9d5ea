"""安全审计: what the security log records — time, account, source address, event, object, outcome —
for sign-in and sign-out, failures and lock-outs, exports and file downloads (whose township file),
approvals and unlocks, and changes of the security settings between deployments."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from django.apps import apps
from django.conf import settings as django_settings

from audit.models import Kind, Outcome, SecurityEvent, SettingsSnapshot
from audit.receivers import settings_changes_record
from reporting.services.upload import submission_upload
from reporting.services.workflow import submission_confirm
from reporting.templates_xlsx import template_workbook
from tests.conftest import TOWNSHIP_B
from tests.reporting.conftest import fill

LOGIN = "/accounts/login/"


def _events(kind: str) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=kind).order_by("seq"))


def test_a_sign_in_and_a_sign_out_are_recorded_with_account_and_address(client, bureau_user):
    client.post(LOGIN, {"username": "bureau", "password": "pw-for-tests"}, REMOTE_ADDR="10.8.0.21")
    client.post("/accounts/logout/", REMOTE_ADDR="10.8.0.21")

    signed_in, signed_out = _events(Kind.SIGN_IN)[-1], _events(Kind.SIGN_OUT)[-1]
    assert (signed_in.username, signed_in.source_ip, signed_in.outcome) == (
        "bureau",
        "10.8.0.21",
        Outcome.SUCCESS,
    )
    assert signed_in.user_id == bureau_user.pk and signed_in.object == "门户"
    assert signed_out.username == "bureau" and signed_out.at >= signed_in.at


def test_wrong_passwords_and_the_lock_out_are_recorded_as_failures(client, bureau_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "bureau", "password": "guess"}, REMOTE_ADDR="10.8.0.22")

    failed = _events(Kind.SIGN_IN_FAILED)
    assert len(failed) == settings.AXES_FAILURE_LIMIT
    assert {(e.username, e.source_ip, e.outcome) for e in failed} == {
        ("bureau", "10.8.0.22", Outcome.FAILURE)
    }
    assert _events(Kind.LOCKED_OUT)[-1].username == "bureau"


def test_an_export_is_recorded_with_the_file_and_what_was_asked(client, bureau_user, orgs):
    client.force_login(bureau_user)

    response = client.get("/reporting/status/export.xlsx?year=2024&month=11", REMOTE_ADDR="10.8.0.23")

    assert response.status_code == 200
    export = _events(Kind.EXPORT)[-1]
    assert export.object == "2024年11月区镇街道月报报送情况.xlsx"
    assert export.detail == "/reporting/status/export.xlsx?year=2024&month=11"
    assert (export.username, export.source_ip) == ("bureau", "10.8.0.23")


@pytest.fixture
def submission_of_b(indicators, orgs, bureau_user, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    data = fill(
        template_workbook(township=orgs[TOWNSHIP_B], year=2024, month=12),
        {"employment.unemployed_reemployed": 3},
    )
    preview = submission_upload(
        user=bureau_user, township=orgs[TOWNSHIP_B], year=2024, month=12, data=data, filename="b.xlsx"
    )
    return submission_confirm(submission=preview.submission, user=bureau_user)


def test_a_township_file_download_names_whose_file_it_was(client, township_b_user, submission_of_b):
    client.force_login(township_b_user)

    response = client.get(f"/reporting/submissions/{submission_of_b.pk}/file/")

    assert response.status_code == 200
    downloads = _events(Kind.DOWNLOAD)
    assert len(downloads) == 1 and not _events(Kind.EXPORT)  # once, by the door that knows whose file
    assert downloads[0].object == "杨市街道2024年12月月报第1版" and downloads[0].username == "town_b"


def test_an_approval_and_an_unlock_are_recorded(client, bureau_user, submission_of_b, orgs):
    client.force_login(bureau_user)

    client.post(f"/reporting/submissions/{submission_of_b.pk}/approve/")
    client.post(
        "/reporting/unlock/",
        {"township": orgs[TOWNSHIP_B].pk, "year": 2024, "month": 12, "days": 3, "reason": "补报"},
    )

    assert _events(Kind.APPROVED)[-1].object == "杨市街道2024年12月月报第1版"
    unlocked = _events(Kind.REPORT_UNLOCKED)[-1]
    assert unlocked.object == "杨市街道2024年12月月报" and unlocked.username == "bureau"


def test_a_change_of_the_security_settings_between_deployments_is_recorded(db, settings):
    config = apps.get_app_config("audit")
    settings_changes_record(sender=config, app_config=config)  # the deployment as the tests run it
    settings.AXES_FAILURE_LIMIT = 3

    settings_changes_record(sender=config, app_config=config)  # the next `migrate`
    settings_changes_record(sender=config, app_config=config)  # and one more with nothing changed

    changes = [e for e in _events(Kind.SETTINGS_CHANGED) if "AXES_FAILURE_LIMIT" in e.detail]
    assert changes[-1].detail == "变更:AXES_FAILURE_LIMIT: 5 → 3"
    assert SettingsSnapshot.objects.first().values["AXES_FAILURE_LIMIT"] == 3


def test_the_audit_administrator_searches_and_exports_the_log(client, audit_admin_user, bureau_user):
    client.post(LOGIN, {"username": "bureau", "password": "=HYPERLINK(1)"}, REMOTE_ADDR="10.8.0.24")
    client.force_login(audit_admin_user)

    page = client.get("/audit/", {"kind": Kind.SIGN_IN_FAILED, "username": "bureau"}).content.decode()
    exported = client.get("/audit/export/", {"kind": Kind.SIGN_IN_FAILED})

    assert "10.8.0.24" in page and "用户名或密码错误" in page
    sheet = openpyxl.load_workbook(BytesIO(exported.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("序号", "时间", "账号", "来源地址", "事件") and rows[1][2:5] == (
        "bureau",
        "10.8.0.24",
        "登录失败",
    )
    assert _events(Kind.EXPORT)[-1].username == "auditor"  # reading the log out is itself recorded
    assert django_settings.AUDIT_RETENTION_DAYS >= 180
