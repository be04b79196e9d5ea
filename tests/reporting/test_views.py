"""The reporting pages: every path checks the township on the server."""

from io import BytesIO

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from reporting.models import LockOverride, Submission
from reporting.services.upload import submission_upload
from reporting.services.workflow import submission_confirm
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B

JOBS = "employment.urban_new_jobs"


@pytest.fixture(autouse=True)
def early_december():
    with time_machine.travel("2024-12-05 10:00 +0800", tick=False):
        yield


@pytest.fixture
def pending_b(township_b_user, orgs, report_file) -> Submission:
    """Township B's confirmed November report."""
    preview = submission_upload(
        user=township_b_user,
        township=orgs[TOWNSHIP_B],
        year=2024,
        month=11,
        data=report_file(TOWNSHIP_B, 2024, 11, {JOBS: 7}),
        filename="b.xlsx",
    )
    return submission_confirm(submission=preview.submission, user=township_b_user)


def test_a_township_downloads_its_own_template(client, township_a_user, indicators):
    client.force_login(township_a_user)
    response = client.get(f"/reporting/template/{TOWNSHIP_A}/2024/11.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert book["月报"]["D2"].value == TOWNSHIP_A


@pytest.mark.parametrize("code", [TOWNSHIP_B, "429005"])
def test_a_township_cannot_download_another_townships_or_the_city_template(
    client, township_a_user, indicators, code
):
    client.force_login(township_a_user)
    assert client.get(f"/reporting/template/{code}/2024/11.xlsx").status_code == 403


def test_bureau_staff_download_the_city_wide_template(client, bureau_user, indicators, orgs):
    client.force_login(bureau_user)
    response = client.get("/reporting/template/429005/2024/11.xlsx")
    assert response.status_code == 200
    assert len(openpyxl.load_workbook(BytesIO(response.content)).sheetnames) >= 23


def test_upload_shows_the_preview_and_confirm_submits(client, township_a_user, report_file):
    client.force_login(township_a_user)
    data = report_file(TOWNSHIP_A, 2024, 11, {JOBS: 120})
    page = client.post(
        "/reporting/upload/",
        {
            "township": township_a_user.org_unit_id,
            "year": 2024,
            "month": 11,
            "file": _file(data, "园林11月.xlsx"),
        },
    )
    assert page.status_code == 200
    assert "新增" in page.content.decode() and "确认提交(第1版)" in page.content.decode()
    submission = Submission.objects.get()
    assert client.post(f"/reporting/submissions/{submission.pk}/confirm/").status_code == 302
    submission.refresh_from_db()
    assert submission.status == "pending"


def test_an_upload_with_problems_lists_them_and_saves_nothing(client, township_a_user, report_file):
    client.force_login(township_a_user)
    data = report_file(TOWNSHIP_A, 2024, 11, {JOBS: -5})
    page = client.post(
        "/reporting/upload/",
        {"township": township_a_user.org_unit_id, "year": 2024, "month": 11, "file": _file(data, "bad.xlsx")},
    )
    assert page.status_code == 400
    assert "没有保存任何数据" in page.content.decode() and "不能为负数" in page.content.decode()
    assert not Submission.objects.exists()


def test_a_township_cannot_upload_for_another_township(client, township_a_user, orgs, report_file):
    client.force_login(township_a_user)
    data = report_file(TOWNSHIP_B, 2024, 11, {JOBS: 5})
    response = client.post(
        "/reporting/upload/",
        {"township": orgs[TOWNSHIP_B].pk, "year": 2024, "month": 11, "file": _file(data, "b.xlsx")},
    )
    assert response.status_code == 400  # not a choice the form offers this user
    assert not Submission.objects.exists()


@pytest.mark.parametrize("path", ["", "file/", "confirm/", "approve/", "return/"])
def test_a_township_cannot_reach_another_townships_submission(client, township_a_user, pending_b, path):
    client.force_login(township_a_user)
    method = client.post if path in ("confirm/", "approve/", "return/") else client.get
    assert method(f"/reporting/submissions/{pending_b.pk}/{path}").status_code == 404
    pending_b.refresh_from_db()
    assert pending_b.status == "pending"


def test_bureau_approves_from_the_page(client, bureau_user, pending_b):
    client.force_login(bureau_user)
    client.post(f"/reporting/submissions/{pending_b.pk}/approve/")
    pending_b.refresh_from_db()
    assert pending_b.status == "approved"


def test_returning_without_a_reason_is_refused(client, bureau_user, pending_b):
    client.force_login(bureau_user)
    client.post(f"/reporting/submissions/{pending_b.pk}/return/", {"reason": " "})
    pending_b.refresh_from_db()
    assert pending_b.status == "pending"


def test_the_original_file_can_be_downloaded_by_its_township(client, township_b_user, pending_b):
    client.force_login(township_b_user)
    response = client.get(f"/reporting/submissions/{pending_b.pk}/file/")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_the_reporting_status_lists_who_still_owes(client, bureau_user, pending_b):
    client.force_login(bureau_user)
    page = client.get("/reporting/status/", {"year": 2024, "month": 11}).content.decode()
    assert "报送率 <strong>4.3%</strong>(1/23,含局代录)" in page
    assert "尚未报送或待重报:园林街道、" in page


def test_the_reporting_status_asked_for_a_wrong_period_says_so(client, bureau_user, pending_b):
    client.force_login(bureau_user)
    for query, said in (({"year": 2204, "month": 11}, "参数“year”应为2000至2100之间的整数"),
                        ({"year": 2024, "month": "十一"}, "参数“month”应为1至12之间的整数")):  # fmt: skip
        for url in ("/reporting/status/", "/reporting/status/export.xlsx"):
            response = client.get(url, query)
            assert response.status_code == 400 and said in response.content.decode(), (url, query)


def test_the_reporting_status_exports_to_excel(client, leader_user, pending_b):
    client.force_login(leader_user)
    response = client.get("/reporting/status/export.xlsx", {"year": 2024, "month": 11})
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    rows = {row[1]: row[2] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["杨市街道"] == "已报送·待审核" and rows["园林街道"] == "未报送"


def test_a_township_cannot_see_the_citys_reporting_status(client, township_a_user):
    client.force_login(township_a_user)
    assert client.get("/reporting/status/").status_code == 403
    assert client.get("/reporting/status/export.xlsx").status_code == 403


def test_only_bureau_staff_unlock(client, leader_user, orgs):
    client.force_login(leader_user)
    client.post(
        "/reporting/unlock/",
        {"township": orgs[TOWNSHIP_A].pk, "year": 2024, "month": 11, "days": 2, "reason": "x"},
    )
    assert not LockOverride.objects.exists()


def _file(data: bytes, name: str):
    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_the_preview_page_names_the_hidden_sheet_it_did_not_read(client, township_a_user, orgs, report_file):
    book = openpyxl.load_workbook(BytesIO(report_file(TOWNSHIP_A, 2024, 11, {JOBS: 12})))
    stale = book.copy_worksheet(book["月报"])
    stale.title, stale.sheet_state = "旧版数据", "hidden"
    book.move_sheet(stale, offset=-book.index(stale))
    out = BytesIO()
    book.save(out)
    client.force_login(township_a_user)
    form = {"township": orgs[TOWNSHIP_A].pk, "year": 2024, "month": 11}
    response = client.post(
        "/reporting/upload/", form | {"file": SimpleUploadedFile("月报.xlsx", out.getvalue())}
    )
    page = response.content.decode()
    assert response.status_code == 200, page
    assert "隐藏工作表“旧版数据”没有读取" in page and "重复填报" not in page
