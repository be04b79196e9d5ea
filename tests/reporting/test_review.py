"""The reviewer's page (issue 22 point 4): each figure beside last month, the same month last year, the
year to date it makes against the quota, the rules it breaks and the 核实说明 given; 通过并打开下一份;
and batch approval of the reports no rule flags."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine

from reporting.batch import submissions_approve_unflagged
from reporting.models import Submission
from reporting.review import next_to_review, submission_review
from reporting.services.upload import submission_upload
from reporting.services.workflow import submission_confirm
from reporting.templates_xlsx import template_workbook
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B

from .conftest import fill

JOBS = "employment.urban_new_jobs"
TOWNSHIP_C = "429005003"  # 周矶街道
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def early_december():
    with time_machine.travel("2024-12-05 10:00 +0800", tick=False):
        yield


@pytest.fixture
def sent(typed_by_hand, orgs, put, set_quota, bureau_user):
    """November 2024 sent by three townships. 园林街道 (quota 600, 50 a month to October, 15 last
    November) sends 60: more than three times last year's November, a 提示. 杨市街道 and 周矶街道 send
    figures no rule flags."""
    set_quota(JOBS, TOWNSHIP_A, 2024, 600)
    for month in range(1, 11):
        put(JOBS, TOWNSHIP_A, 2024, month, 50)
    put(JOBS, TOWNSHIP_A, 2023, 11, 15)

    def send(code: str, value: int, remark: str = "") -> Submission:
        data = fill(template_workbook(township=orgs[code], year=2024, month=11), {JOBS: value})
        if remark:
            from io import BytesIO

            import openpyxl

            book = openpyxl.load_workbook(BytesIO(data))
            for row in book["月报"].iter_rows(min_row=5):
                if row[0].value == JOBS:
                    row[4].value = remark
            out = BytesIO()
            book.save(out)
            data = out.getvalue()
        preview = submission_upload(
            user=bureau_user, township=orgs[code], year=2024, month=11, data=data, filename="x.xlsx"
        )
        assert preview.ok, [str(p) for p in preview.problems]
        return submission_confirm(submission=preview.submission, user=bureau_user)

    return {
        TOWNSHIP_A: send(TOWNSHIP_A, 60, "含公益性岗位"),
        TOWNSHIP_B: send(TOWNSHIP_B, 12),
        TOWNSHIP_C: send(TOWNSHIP_C, 9),
    }


def test_each_figure_stands_beside_its_history_the_quota_and_the_rules(sent):
    review = submission_review(submission=sent[TOWNSHIP_A])
    jobs = next(r for r in review.rows if r.indicator.code == JOBS)
    assert (jobs.value, jobs.last_month, jobs.last_year, jobs.ytd, jobs.quota) == (
        Decimal(60), Decimal(50), Decimal(15), Decimal(560), Decimal(600),
    )  # fmt: skip
    assert jobs.rate == Decimal("93.3333")  # 560 ÷ 600 by the one completion rule (shown 93.3%)
    assert [f.severity for f in jobs.findings] == ["note"] and "去年同月为15人" in jobs.findings[0].message
    assert jobs.remark == "含公益性岗位" and review.flagged == 1
    assert submission_review(submission=sent[TOWNSHIP_B]).flagged == 0


def test_the_reviewers_page_shows_the_comparison_the_flag_and_the_buttons(client, sent, bureau_user):
    client.force_login(bureau_user)
    page = client.get(f"/reporting/submissions/{sent[TOWNSHIP_A].pk}/").content.decode()
    row = page.split(f'data-code="{JOBS}"')[1].split("</tr>")[0]
    for shown in (">60<", ">50<", ">15<", ">560<", ">600<", ">93.3%<", "【提示】", "备注:含公益性岗位"):
        assert shown in row, shown
    assert "1项有校验标记" in page and "通过并打开下一份" in page


def test_a_township_reads_its_report_without_the_reviewers_columns(client, sent, township_a_user):
    client.force_login(township_a_user)
    page = client.get(f"/reporting/submissions/{sent[TOWNSHIP_A].pk}/").content.decode()
    assert "逐项核对" not in page and "通过并打开下一份" not in page


def test_approve_and_open_the_next_goes_to_the_next_report_of_the_month(client, sent, bureau_user):
    client.force_login(bureau_user)
    response = client.post(f"/reporting/submissions/{sent[TOWNSHIP_B].pk}/approve/", {"next": "1"})
    assert response.status_code == 302 and response.url == f"/reporting/submissions/{sent[TOWNSHIP_A].pk}/"
    assert Submission.objects.get(pk=sent[TOWNSHIP_B].pk).status == Submission.Status.APPROVED


def test_approving_the_last_report_with_next_goes_back_to_the_status_page(client, sent, bureau_user):
    client.force_login(bureau_user)
    for code in (TOWNSHIP_B, TOWNSHIP_C):
        client.post(f"/reporting/submissions/{sent[code].pk}/approve/")
    response = client.post(f"/reporting/submissions/{sent[TOWNSHIP_A].pk}/approve/", {"next": "1"})
    assert response.status_code == 302 and response.url == "/reporting/status/?year=2024&month=11"
    assert next_to_review(user=bureau_user, after=sent[TOWNSHIP_A]) is None


def test_the_status_page_offers_batch_approval_of_the_reports_no_rule_flags(client, sent, bureau_user):
    client.force_login(bureau_user)
    page = client.get("/reporting/status/", {"year": 2024, "month": 11}).content.decode()
    batch = page.split('id="batch-approve"')[1].split("</section>")[0]
    assert "待审核3份,其中2份没有任何校验标记" in batch
    assert f'value="{sent[TOWNSHIP_B].pk}"' in batch and f'value="{sent[TOWNSHIP_C].pk}"' in batch
    assert f'value="{sent[TOWNSHIP_A].pk}"' not in batch


def test_batch_approval_approves_only_the_unflagged_reports(client, sent, bureau_user):
    client.force_login(bureau_user)
    ids = [s.pk for s in sent.values()]  # a flagged one among them is left for review
    response = client.post("/reporting/approve-unflagged/", {"submissions": ids, "year": 2024, "month": 11})
    assert response.status_code == 302
    statuses = {code: Submission.objects.get(pk=s.pk).status for code, s in sent.items()}
    assert statuses == {TOWNSHIP_A: "pending", TOWNSHIP_B: "approved", TOWNSHIP_C: "approved"}


def test_batch_approval_leaves_a_report_answered_meanwhile(sent, bureau_user):
    from reporting.services.workflow import submission_return

    submission_return(submission=sent[TOWNSHIP_B], user=bureau_user, reason="请补充花名册")
    result = submissions_approve_unflagged(
        user=bureau_user, submission_ids=[sent[TOWNSHIP_B].pk, sent[TOWNSHIP_C].pk]
    )
    assert [s.township.code for s in result.approved] == [TOWNSHIP_C]
    assert [s.township.code for s in result.skipped] == [TOWNSHIP_B]


def test_nobody_but_the_bureau_approves_in_a_batch(client, sent, leader_user, township_b_user):
    for user in (leader_user, township_b_user):
        client.force_login(user)
        client.post("/reporting/approve-unflagged/", {"submissions": [sent[TOWNSHIP_B].pk]})
    assert Submission.objects.get(pk=sent[TOWNSHIP_B].pk).status == Submission.Status.PENDING
