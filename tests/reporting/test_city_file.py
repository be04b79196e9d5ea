"""The bureau's city-wide file holds every township's sheet. Each of its 23 submissions keeps its own
copy: the township's rows as read (reporting/kept_copy.py), which the bureau and leaders get; a
township is only ever given its own template filled with its figures."""

import hashlib
import io

import openpyxl
import pytest
import time_machine

from common.errors import PortalError
from indicators.models import FigureChange, MonthlyValue
from reporting.models import Submission
from reporting.services.upload import city_report_upload
from reporting.services.workflow import (
    submission_approve,
    submission_confirm,
    submissions_approve,
    submissions_confirm,
)
from reporting.templates_xlsx import FIRST_DATA_ROW, META_SHEET, REPORT_SHEET, city_template_workbook
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B

JOBS = "employment.urban_new_jobs"


@pytest.fixture(autouse=True)
def early_december(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel("2024-12-05 10:00 +0800", tick=False):
        yield


def _city_file(orgs) -> bytes:
    """The city-wide template with a distinct figure typed into every township's sheet."""
    book = openpyxl.load_workbook(io.BytesIO(city_template_workbook(year=2024, month=11)))
    for number, sheet in enumerate(book.worksheets[:23], start=1):
        for row in sheet.iter_rows(min_row=FIRST_DATA_ROW):
            if row[0].value == JOBS:
                row[3].value = 1000 + number
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def city_upload(typed_by_hand, orgs, bureau_user):
    """Uploaded and confirmed: a draft keeps no file to download."""
    data = _city_file(orgs)
    preview = city_report_upload(user=bureau_user, year=2024, month=11, data=data, filename="全市11月.xlsx")
    assert preview.ok, preview.problems
    sent = [submission_confirm(submission=draft, user=bureau_user) for draft in preview.submissions]
    return data, {s.township.code: s for s in sent}


def _download(client, user, submission) -> bytes:
    client.force_login(user)
    response = client.get(f"/reporting/submissions/{submission.pk}/file/")
    assert response.status_code == 200
    return response.content


def test_a_city_wide_upload_is_marked_as_such(city_upload):
    _, submissions = city_upload
    assert len(submissions) == 23 and all(s.is_city_file for s in submissions.values())


def test_a_township_downloading_its_submission_gets_only_its_own_figures(
    client, city_upload, township_a_user
):
    _, submissions = city_upload

    content = _download(client, township_a_user, submissions[TOWNSHIP_A])

    book = openpyxl.load_workbook(io.BytesIO(content))
    assert REPORT_SHEET in book.sheetnames and len(book.sheetnames) == 3  # 月报, 填报说明, _meta
    assert book[META_SHEET]["B1"].value == TOWNSHIP_A
    cells = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    texts = " ".join(str(v) for v in cells if v is not None)
    assert "杨市街道" not in texts and TOWNSHIP_B not in texts
    jobs = next(r for r in book[REPORT_SHEET].iter_rows(min_row=FIRST_DATA_ROW) if r[0].value == JOBS)
    assert jobs[3].value == submissions[TOWNSHIP_A].values.get(indicator__code=JOBS).value


def test_the_townships_copy_is_named_as_an_extract(client, city_upload, township_a_user):
    _, submissions = city_upload
    client.force_login(township_a_user)

    response = client.get(f"/reporting/submissions/{submissions[TOWNSHIP_A].pk}/file/")

    assert "%E6%91%98%E8%87%AA" in response["Content-Disposition"]  # 摘自全市合一报表


def test_the_bureau_and_leaders_get_the_townships_sheet_as_read_not_the_whole_file(
    client, city_upload, bureau_user, leader_user
):
    data, submissions = city_upload
    for user in (bureau_user, leader_user):
        content = _download(client, user, submissions[TOWNSHIP_A])
        book = openpyxl.load_workbook(io.BytesIO(content))
        assert book.sheetnames == ["园林街道", "文件说明", "_meta"]
        jobs = next(r for r in book["园林街道"].iter_rows(min_row=FIRST_DATA_ROW) if r[0].value == JOBS)
        assert jobs[3].value == 1001  # the first township's sheet, at its own row
        texts = " ".join(str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r if c.value)
        assert "杨市街道" not in texts and hashlib.sha256(data).hexdigest() in texts


def test_a_township_cannot_download_another_townships_submission(client, city_upload, township_a_user):
    _, submissions = city_upload
    client.force_login(township_a_user)

    response = client.get(f"/reporting/submissions/{submissions[TOWNSHIP_B].pk}/file/")

    assert response.status_code == 404


def test_a_townships_own_upload_comes_back_as_the_portals_copy_of_it(
    client, typed_by_hand, orgs, township_a_user
):
    from reporting.services.upload import submission_upload
    from reporting.templates_xlsx import template_workbook
    from tests.reporting.conftest import fill

    data = fill(template_workbook(township=orgs[TOWNSHIP_A], year=2024, month=11), {JOBS: 12})
    preview = submission_upload(
        user=township_a_user, township=orgs[TOWNSHIP_A], year=2024, month=11, data=data, filename="园林.xlsx"
    )
    sent = submission_confirm(submission=preview.submission, user=township_a_user)

    content = _download(client, township_a_user, sent)

    book = openpyxl.load_workbook(io.BytesIO(content))
    jobs = next(r for r in book[REPORT_SHEET].iter_rows(min_row=FIRST_DATA_ROW) if r[0].value == JOBS)
    assert jobs[3].value == 12 and content != data and not Submission.objects.get().is_city_file


def _drafts(orgs, bureau_user) -> list[Submission]:
    preview = city_report_upload(
        user=bureau_user, year=2024, month=11, data=_city_file(orgs), filename="全市11月.xlsx"
    )
    assert preview.ok, preview.problems
    return preview.submissions


def test_the_city_file_is_confirmed_and_approved_as_one_batch(typed_by_hand, orgs, bureau_user):
    """All 23 reports in one batch each: every figure written with its history naming its own
    report, and each township's part of the result told apart (what import_report prints)."""
    drafts = _drafts(orgs, bureau_user)
    sent = submissions_confirm(submissions=drafts, user=bureau_user)
    assert [s.pk for s in sent] == [d.pk for d in drafts]
    assert {s.status for s in Submission.objects.filter(pk__in=[s.pk for s in sent])} == {"pending"}

    result = submissions_approve(submissions=sent, user=bureau_user)

    assert result.created == 23 and result.updated == result.deleted == 0
    stored = dict(
        MonthlyValue.objects.filter(indicator__code=JOBS, year=2024, month=11).values_list(
            "org_unit__code", "value"
        )
    )
    assert len(stored) == 23 and stored[TOWNSHIP_A] == 1001
    for report in sent:
        part = result.of_unit(report.township_id)
        assert (part.created, part.updated, part.deleted) == (1, 0, 0)
        change = FigureChange.objects.get(org_unit=report.township, indicator__code=JOBS, month=11)
        assert change.submission_pk == report.pk
        assert change.note == f"月报第{report.version}版(提交#{report.pk})"
        assert (change.old_value, change.new_value, change.channel) == (
            None,
            stored[report.township.code],
            "upload",
        )
    assert set(Submission.objects.filter(pk__in=[s.pk for s in sent]).values_list("status", flat=True)) == {
        "approved"
    }


def test_a_batch_with_one_report_it_may_not_approve_approves_none(typed_by_hand, orgs, bureau_user):
    drafts = _drafts(orgs, bureau_user)
    sent = submissions_confirm(submissions=drafts, user=bureau_user)
    submissions_approve(submissions=sent[:1], user=bureau_user)  # approved already: no longer pending

    with pytest.raises(PortalError):
        submissions_approve(submissions=sent, user=bureau_user)

    assert MonthlyValue.objects.filter(indicator__code=JOBS, year=2024, month=11).count() == 1
    assert Submission.objects.filter(pk__in=[s.pk for s in sent[1:]], status="pending").count() == 22


def test_approving_a_changed_figure_records_old_and_new_and_counts_the_rest_unchanged(
    typed_by_hand, orgs, bureau_user
):
    first = submissions_confirm(submissions=_drafts(orgs, bureau_user), user=bureau_user)
    submissions_approve(submissions=first, user=bureau_user)
    township = first[0].township
    before = MonthlyValue.objects.get(org_unit=township, indicator__code=JOBS, year=2024, month=11).value
    draft = next(d for d in _drafts(orgs, bureau_user) if d.township_id == township.pk)
    draft.values.filter(indicator__code=JOBS).update(value=7, remark="更正")
    (again,) = submissions_confirm(submissions=[draft], user=bureau_user)

    result = submission_approve(submission=again, user=bureau_user)

    assert (result.created, result.updated, result.deleted) == (0, 1, 0)
    assert result.unchanged == again.values.count() - 1
    latest = FigureChange.objects.filter(org_unit=township, indicator__code=JOBS).latest("id")
    assert (latest.old_value, latest.new_value, latest.old_remark, latest.new_remark) == (
        before,
        7,
        "",
        "更正",
    )
    assert latest.submission_pk == again.pk
