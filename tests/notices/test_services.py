"""Notices that follow a report through review (hooked in reporting.services.workflow, after commit),
一键催报 by hand, and who sees which notice."""

from __future__ import annotations

import pytest

from common.errors import PermissionDeniedError
from notices.models import Delivery, Notice
from notices.selectors import inbox, reminder_records, unread_count
from notices.services import (
    notice_mark_read,
    notices_mark_all_read,
    reminders_send_due,
    reminders_send_manual,
)
from reporting.services.workflow import submission_approve, submission_return
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B

from .conftest import MONTH, YEAR, at


def _to(user) -> list[tuple[str, str]]:
    return list(
        Delivery.objects.filter(recipient=user, channel="portal")
        .order_by("pk")
        .values_list("notice__kind", "notice__township__code")
    )


def test_the_bureau_is_told_when_a_report_arrives(people, send_report, django_capture_on_commit_callbacks):
    with at("2026-12-08 10:00"), django_capture_on_commit_callbacks(execute=True):
        sent = send_report(people["a"], TOWNSHIP_A)

    assert _to(people["bureau"]) == [("arrived", TOWNSHIP_A)]
    notice = Notice.objects.get()
    assert notice.submission == sent and notice.title == "收到园林街道2026年11月月报(第1版)"
    assert _to(people["a"]) == [] and _to(people["leader"]) == []


def test_the_township_is_told_of_a_return_with_the_reason(
    people, send_report, django_capture_on_commit_callbacks
):
    with at("2026-12-08 10:00"), django_capture_on_commit_callbacks(execute=True):
        sent = send_report(people["a"], TOWNSHIP_A)
        submission_return(submission=sent, user=people["bureau"], reason="城镇新增就业人数与台账不符,请核实")

    assert _to(people["a"]) == [("returned", TOWNSHIP_A)]
    returned = Notice.objects.get(kind="returned")
    assert "退回原因:城镇新增就业人数与台账不符,请核实" in returned.body
    assert _to(people["b"]) == []  # the other township hears nothing


def test_the_bureau_is_told_when_a_returned_report_is_resubmitted(
    people, send_report, django_capture_on_commit_callbacks
):
    with at("2026-12-08 10:00"), django_capture_on_commit_callbacks(execute=True):
        first = send_report(people["a"], TOWNSHIP_A)
        submission_return(submission=first, user=people["bureau"], reason="请核实")
        send_report(people["a"], TOWNSHIP_A, value=15)

    assert _to(people["bureau"]) == [("arrived", TOWNSHIP_A), ("resubmitted", TOWNSHIP_A)]
    assert Notice.objects.get(kind="resubmitted").title == "园林街道已重新报送2026年11月月报(第2版)"


def test_the_township_is_told_when_its_report_is_approved(
    people, send_report, django_capture_on_commit_callbacks
):
    with at("2026-12-08 10:00"), django_capture_on_commit_callbacks(execute=True):
        sent = send_report(people["b"], TOWNSHIP_B)
        submission_approve(submission=sent, user=people["bureau"])

    assert _to(people["b"]) == [("approved", TOWNSHIP_B)]
    assert "已审核通过" in Notice.objects.get(kind="approved").body


def test_a_report_the_bureau_sends_for_a_township_tells_the_bureau_nothing(
    people, send_report, django_capture_on_commit_callbacks
):
    with at("2026-12-08 10:00"), django_capture_on_commit_callbacks(execute=True):
        send_report(people["bureau"], TOWNSHIP_B)

    assert not Notice.objects.exists()


def test_a_review_that_rolls_back_tells_nobody(people, send_report, django_capture_on_commit_callbacks):
    from django.db import transaction

    with at("2026-12-08 10:00"):
        sent = send_report(people["b"], TOWNSHIP_B)
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            submission_approve(submission=sent, user=people["bureau"])
            raise RuntimeError("the approval fails after the service")

    assert not Notice.objects.filter(kind="approved").exists()


def test_one_click_reminder_goes_to_the_selected_townships_that_owe(people, orgs, send_report):
    with at("2026-12-09 08:00"):
        send_report(people["a"], TOWNSHIP_A)
    with at("2026-12-09 09:00"):
        result = reminders_send_manual(
            user=people["bureau"],
            townships=[orgs[TOWNSHIP_A], orgs[TOWNSHIP_B]],
            year=YEAR,
            month=MONTH,
            note="请于今天下班前上报",
        )

    assert [t.code for t in result.sent] == [TOWNSHIP_B] and [t.code for t in result.reported] == [TOWNSHIP_A]
    assert result.message == "已向1个区镇街道发送催报:杨市街道。本月已报送或已由局代录,无需催报:园林街道。"
    notice = Notice.objects.get()
    assert notice.kind == "manual" and notice.created_by == people["bureau"]
    assert "局业务科室附言:请于今天下班前上报" in notice.body


def test_one_click_reminder_twice_the_same_day_sends_once(people, orgs):
    with at("2026-12-09 09:00"):
        reminders_send_manual(user=people["bureau"], townships=[orgs[TOWNSHIP_B]], year=YEAR, month=MONTH)
    with at("2026-12-09 16:00"):
        again = reminders_send_manual(
            user=people["bureau"], townships=[orgs[TOWNSHIP_B]], year=YEAR, month=MONTH
        )
    with at("2026-12-10 09:05"):
        next_day = reminders_send_manual(
            user=people["bureau"], townships=[orgs[TOWNSHIP_B]], year=YEAR, month=MONTH
        )

    assert [t.code for t in again.already] == [TOWNSHIP_B] and not again.sent
    assert [t.code for t in next_day.sent] == [TOWNSHIP_B]
    assert Notice.objects.filter(kind="manual").count() == 2


@pytest.mark.parametrize("who", ["leader", "a", "b"])
def test_only_the_bureau_can_send_a_one_click_reminder(who, people, orgs):
    with pytest.raises(PermissionDeniedError):
        reminders_send_manual(user=people[who], townships=[orgs[TOWNSHIP_B]], year=YEAR, month=MONTH)

    assert not Notice.objects.exists()


def test_the_record_counts_every_reminder_of_the_month(people, orgs):
    with at("2026-12-07 09:00"):
        reminders_send_due()
    with at("2026-12-09 09:00"):
        reminders_send_manual(user=people["bureau"], townships=[orgs[TOWNSHIP_B]], year=YEAR, month=MONTH)

    records = reminder_records(year=YEAR, month=MONTH)
    assert records[orgs[TOWNSHIP_B].pk].label == "已催报 2 次,最近 12月9日 09:00"
    assert records[orgs[TOWNSHIP_A].pk].label == "已催报 1 次,最近 12月7日 09:00"


def test_each_person_sees_only_their_own_notices(people, orgs):
    with at("2026-12-07 09:00"):
        reminders_send_due()

    assert {d.notice.township.code for d in inbox(user=people["a"])} == {TOWNSHIP_A}
    assert {d.notice.township.code for d in inbox(user=people["b"])} == {TOWNSHIP_B}
    assert list(inbox(user=people["leader"])) == [] and unread_count(user=people["leader"]) == 0


def test_marking_read_counts_down_and_never_touches_anothers_notice(people):
    with at("2026-12-07 09:00"):
        reminders_send_due()
    with at("2026-12-10 09:00"):
        reminders_send_due()
    b_notice = Delivery.objects.get(recipient=people["b"], channel="portal", notice__kind="due_soon")
    a_notice = Delivery.objects.get(recipient=people["a"], channel="portal", notice__kind="due_soon")

    assert unread_count(user=people["a"]) == 2
    assert notice_mark_read(user=people["a"], delivery_id=b_notice.pk) is False
    assert notice_mark_read(user=people["a"], delivery_id=a_notice.pk) is True
    assert unread_count(user=people["a"]) == 1 and unread_count(user=people["b"]) == 2
    assert notices_mark_all_read(user=people["a"]) == 1 and unread_count(user=people["a"]) == 0
    b_notice.refresh_from_db()
    assert b_notice.read_at is None
