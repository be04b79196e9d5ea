"""Past the due month's deadline one township's report is late: confirmed after it, through the
reporting service like the others (the rest confirmed before it)."""

from __future__ import annotations

import time_machine

from accounts.models import User
from demo.services import demo_load
from reporting.models import Submission
from reporting.services.locks import report_deadline
from tests.conftest import DEMO_AFTER_DEADLINE


def test_after_the_deadline_the_status_page_shows_every_state_and_one_late_report(
    db, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    leader = User.objects.create_user(username="leader_x", password="pw", role=User.Role.LEADER)
    with time_machine.travel(DEMO_AFTER_DEADLINE, tick=False):
        demo_load()
        client.force_login(leader)  # in the day's clock: the idle timeout counts from the sign-in
        page = client.get("/reporting/status/?year=2026&month=11").content.decode()
    (late,) = Submission.objects.filter(year=2026, month=11, is_late=True)
    assert late.status == "approved" and late.submitted_at.date() > report_deadline(2026, 11)
    on_time = Submission.objects.filter(year=2026, month=11, is_late=False).exclude(status="draft")
    assert all(s.submitted_at.date() <= report_deadline(2026, 11) for s in on_time)
    for label in (  # one state per township and month (reporting/calendar.py); lateness beside it
        "已报送·已通过",
        "已报送·已通过(逾期)",
        "已退回待重报",
        "第1版 待审核",
        "第2版 待审核",
        "已被新版本替代",
        "未报送",
    ):
        assert label in page, label


def test_after_the_lock_the_bureau_stands_in_for_the_townships_and_the_month_still_has_every_state(
    db, settings, tmp_path
):
    """On 20 December November is locked: a township can send nothing, so the demo's reports of that
    month are the bureau's (never locked out), with the same states."""
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel("2026-12-20 10:00 +0800", tick=False):
        demo_load()
    sent = Submission.objects.filter(year=2026, month=11)
    assert set(sent.values_list("created_by__username", flat=True)) == {"demo_reviewer"}
    assert {"approved", "pending", "returned", "superseded"} <= set(sent.values_list("status", flat=True))
    assert sent.filter(is_late=True).count() == 1
