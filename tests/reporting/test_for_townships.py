"""What a township clerk meets (issue 22 point 12): the template's first column is the Chinese names (the
codes the parser reads stay, out of sight); a month sent back comes back prefilled with what was sent
(填报说明 rule 7); the 月报 page says the deadline, where the month stands and why it was sent back."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
import time_machine

from reporting.parsing import parse_report
from reporting.services.upload import submission_upload
from reporting.services.workflow import submission_confirm, submission_return
from reporting.templates_xlsx import HEADER_ROW, REPORT_SHEET, template_workbook
from tests.conftest import TOWNSHIP_A

from .conftest import fill

JOBS = "employment.urban_new_jobs"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("typed_by_hand")]


def _sheet(data: bytes):
    return openpyxl.load_workbook(BytesIO(data))[REPORT_SHEET]


def test_the_first_column_a_clerk_sees_is_the_chinese_name(orgs):
    sheet = _sheet(template_workbook(township=orgs[TOWNSHIP_A], year=2024, month=12))
    visible = [c for c in "ABCDEFGH" if not sheet.column_dimensions[c].hidden]
    assert sheet.column_dimensions["A"].hidden and sheet[f"A{HEADER_ROW}"].value == "指标代码"
    assert visible[0] == "B" and sheet[f"B{HEADER_ROW}"].value == "指标名称"
    assert sheet[f"B{HEADER_ROW + 1}"].value == "城镇新增就业人数"


def test_the_template_with_its_codes_hidden_is_read_as_before(orgs):
    data = fill(template_workbook(township=orgs[TOWNSHIP_A], year=2024, month=12), {JOBS: 120})
    parsed = parse_report(data, "月报.xlsx")
    assert not parsed.problems
    assert [(r.indicator_code, r.value) for r in parsed.rows if r.value is not None] == [(JOBS, 120)]


@pytest.fixture
def sent_back(orgs, bureau_user, township_a_user):
    """园林街道 sends November 2024 with a remark and an explanation; the bureau sends it back."""
    with time_machine.travel("2024-12-05 10:00 +0800", tick=False):
        data = fill(
            template_workbook(township=orgs[TOWNSHIP_A], year=2024, month=11),
            {JOBS: 120},
            explanations={JOBS: "含两家新开业企业招工"},
        )
        book = openpyxl.load_workbook(BytesIO(data))
        for row in book[REPORT_SHEET].iter_rows(min_row=HEADER_ROW + 1):
            if row[0].value == JOBS:
                row[4].value = "含公益性岗位"
        out = BytesIO()
        book.save(out)
        preview = submission_upload(
            user=township_a_user,
            township=orgs[TOWNSHIP_A],
            year=2024,
            month=11,
            data=out.getvalue(),
            filename="月报.xlsx",
        )
        assert preview.ok, [str(p) for p in preview.problems]
        submission = submission_confirm(submission=preview.submission, user=township_a_user)
        submission_return(
            submission=submission, user=bureau_user, reason="城镇新增就业人数与花名册不符,请核实"
        )
    return submission


def test_a_month_sent_back_comes_back_prefilled_with_what_was_sent(orgs, sent_back):
    sheet = _sheet(template_workbook(township=orgs[TOWNSHIP_A], year=2024, month=11))
    row = next(r for r in sheet.iter_rows(min_row=HEADER_ROW + 1) if r[0].value == JOBS)
    assert (row[3].value, row[4].value, row[7].value) == (120, "含公益性岗位", "含两家新开业企业招工")


def test_a_month_waiting_for_review_comes_back_prefilled_too(orgs, township_a_user):
    with time_machine.travel("2024-12-05 10:00 +0800", tick=False):
        data = fill(template_workbook(township=orgs[TOWNSHIP_A], year=2024, month=11), {JOBS: 77})
        preview = submission_upload(
            user=township_a_user,
            township=orgs[TOWNSHIP_A],
            year=2024,
            month=11,
            data=data,
            filename="月报.xlsx",
        )
        submission_confirm(submission=preview.submission, user=township_a_user)
    sheet = _sheet(template_workbook(township=orgs[TOWNSHIP_A], year=2024, month=11))
    assert next(r for r in sheet.iter_rows(min_row=HEADER_ROW + 1) if r[0].value == JOBS)[3].value == 77


def test_the_report_page_shows_the_deadline_and_why_the_month_came_back(client, sent_back, township_a_user):
    client.force_login(township_a_user)
    with time_machine.travel("2024-12-06 09:00 +0800", tick=False):
        page = client.get("/reporting/").content.decode()
    due = page.split('id="due"')[1].split("</div>")[0]
    assert "2024年11月月报</strong>:12月10日截止(还有4天)" in due
    assert "已报送·已退回待重报" in due and "(第1版)" in due
    assert "退回原因:城镇新增就业人数与花名册不符,请核实" in due


def test_the_report_page_says_when_nothing_is_sent_yet(client, orgs, township_a_user):
    client.force_login(township_a_user)
    with time_machine.travel("2024-12-12 09:00 +0800", tick=False):
        page = client.get("/reporting/").content.decode()
    due = page.split('id="due"')[1].split("</div>")[0]
    assert "12月10日截止(已过截止日,12月15日后锁定)" in due and "本单位:<span" in due and "未报送" in due
