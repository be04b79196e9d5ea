"""One state per township and month (issue 22 point 3), decided in reporting/calendar.py and read through
reporting.selectors by every page: the status page, the township's record on the dashboard, the bureau's
overview, the township's own 月报 page, and the reminders. The bureau entering a township's figures makes
the month 局代录: complete, never chased."""

from __future__ import annotations

import pytest
import time_machine

from dashboard.selectors import dashboard_reporting_record
from entry.selectors import month_overview
from indicators.models import Channel
from notices.models import Notice
from notices.services import reminders_send_due, reminders_send_manual
from reporting.selectors import reporting_status, township_months, townships_owing
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B

JOBS = "employment.urban_new_jobs"
YEAR, MONTH = 2026, 11
pytestmark = pytest.mark.django_db


def at(moment: str):
    return time_machine.travel(f"{moment} +0800", tick=False)


@pytest.fixture
def a_entered_by_the_bureau(typed_by_hand, put, orgs, bureau_user, township_a_user, township_b_user):
    """On 2 December the bureau types 园林街道's November on the month sheet; 杨市街道 has sent nothing."""
    with at("2026-12-02 10:00"):
        put(JOBS, TOWNSHIP_A, YEAR, MONTH, 40, user=bureau_user, channel=Channel.SHEET)
    return orgs


def test_the_bureaus_entry_makes_the_month_bureau_entered_on_every_page(a_entered_by_the_bureau, bureau_user):
    orgs = a_entered_by_the_bureau
    with at("2026-12-03 09:00"):
        status = {
            r.township.code: r.state for r in reporting_status(year=YEAR, month=MONTH, user=bureau_user).rows
        }
        record = dashboard_reporting_record(township=orgs[TOWNSHIP_A], year=YEAR, today=None)
        overview = {
            r.township.code: r.report.state
            for r in month_overview(year=YEAR, month=MONTH, user=bureau_user).rows
        }
    assert status[TOWNSHIP_A] == record[MONTH - 1].state == overview[TOWNSHIP_A] == "bureau"
    assert status[TOWNSHIP_B] == overview[TOWNSHIP_B] == "missing"
    assert record[MONTH - 1].short_label == "局代录"


def test_a_month_not_yet_ended_is_not_due_and_one_ended_is_missing_on_every_page(
    typed_by_hand, orgs, bureau_user
):
    with at("2026-12-03 09:00"):
        record = dashboard_reporting_record(township=orgs[TOWNSHIP_B], year=YEAR, today=None)
        status = {
            r.township.code: r.state for r in reporting_status(year=YEAR, month=12, user=bureau_user).rows
        }
        november = {
            r.township.code: r.state for r in reporting_status(year=YEAR, month=MONTH, user=bureau_user).rows
        }
    assert record[11].state == status[TOWNSHIP_B] == "not_due"  # December runs
    assert record[10].state == november[TOWNSHIP_B] == "missing"  # November has ended: it is owed


def test_a_figure_register_or_township_report_is_not_a_bureau_entry(typed_by_hand, put, orgs):
    """Only the township's own indicators written by a bureau door count: a register's count is not."""
    with at("2026-12-02 10:00"):
        put(JOBS, TOWNSHIP_B, YEAR, MONTH, 40, channel=Channel.UPLOAD)
        states = township_months(townships=[orgs[TOWNSHIP_B]], year=YEAR, months=[MONTH])
    assert states[(orgs[TOWNSHIP_B].pk, MONTH)].state == "missing"


def test_the_status_page_never_preticks_a_township_whose_month_is_complete(
    a_entered_by_the_bureau, client, bureau_user
):
    client.force_login(bureau_user)
    with at("2026-12-03 09:00"):
        page = client.get("/reporting/status/", {"year": YEAR, "month": MONTH}).content.decode()
    row_a = page.split(f'data-code="{TOWNSHIP_A}"')[1].split("</tr>")[0]
    row_b = page.split(f'data-code="{TOWNSHIP_B}"')[1].split("</tr>")[0]
    assert "局代录" in row_a and 'name="townships"' not in row_a and "无需催报" in row_a
    assert "未报送" in row_b and 'name="townships"' in row_b and "checked" in row_b


def test_no_reminder_goes_to_a_township_the_bureau_entered(a_entered_by_the_bureau, bureau_user):
    orgs = a_entered_by_the_bureau
    with at("2026-12-03 09:00"):
        assert townships_owing(year=YEAR, month=MONTH) and orgs[TOWNSHIP_A] not in townships_owing(
            year=YEAR, month=MONTH
        )
        result = reminders_send_manual(
            user=bureau_user, townships=[orgs[TOWNSHIP_A], orgs[TOWNSHIP_B]], year=YEAR, month=MONTH
        )
    assert [t.code for t in result.sent] == [TOWNSHIP_B] and [t.code for t in result.reported] == [TOWNSHIP_A]
    assert "局代录" in result.message
    with at("2026-12-07 09:00"):  # 3 days before the deadline: the schedule's reminder
        reminders_send_due()
    reminded = set(Notice.objects.filter(year=YEAR, month=MONTH).values_list("township__code", flat=True))
    assert TOWNSHIP_B in reminded and TOWNSHIP_A not in reminded


def test_a_report_sent_back_after_the_bureaus_entry_is_owed_again(
    typed_by_hand, put, orgs, bureau_user, township_b_user, send_report_b
):
    with at("2026-12-02 10:00"):
        put(JOBS, TOWNSHIP_B, YEAR, MONTH, 40, user=bureau_user, channel=Channel.SHEET)
    with at("2026-12-03 10:00"):
        submission = send_report_b()
    from reporting.services.workflow import submission_return

    with at("2026-12-04 10:00"):
        submission_return(submission=submission, user=bureau_user, reason="城镇新增就业人数与花名册不符")
        state = township_months(townships=[orgs[TOWNSHIP_B]], year=YEAR, months=[MONTH])[
            (orgs[TOWNSHIP_B].pk, MONTH)
        ]
    assert state.state == "returned" and state.owing


@pytest.fixture
def send_report_b(orgs, township_b_user):
    from reporting.services.upload import submission_upload
    from reporting.services.workflow import submission_confirm
    from reporting.templates_xlsx import template_workbook
    from tests.reporting.conftest import fill

    def _send():
        data = fill(template_workbook(township=orgs[TOWNSHIP_B], year=YEAR, month=MONTH), {JOBS: 12})
        preview = submission_upload(
            user=township_b_user,
            township=orgs[TOWNSHIP_B],
            year=YEAR,
            month=MONTH,
            data=data,
            filename="月报.xlsx",
        )
        assert preview.ok, [str(p) for p in preview.problems]
        return submission_confirm(submission=preview.submission, user=township_b_user)

    return _send
