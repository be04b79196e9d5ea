"""The schedule, called as beat calls it (the task, no arguments) under frozen time: each day sends the
day's reminder to exactly the townships that owe November 2026, once, and a township that reports stops
getting them."""

from __future__ import annotations

import pytest

from notices.models import Delivery, Notice
from notices.schedule import reminder_points
from notices.tasks import send_scheduled_reminders
from orgs.models import OrgUnit
from reporting.services.workflow import submission_return
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B

from .conftest import MONTH, YEAR, at

# Day of December 2026 → the reminder beat sends that day (None: no reminder).
CALENDAR = {
    6: None,
    7: Notice.Kind.DUE_SOON,  # three days before the deadline
    8: None,
    9: None,
    10: Notice.Kind.DUE_TODAY,
    11: Notice.Kind.OVERDUE,
    12: Notice.Kind.OVERDUE,
    15: Notice.Kind.OVERDUE,  # the last day before the lock
    16: None,  # locked
    20: None,
}


def _all_townships() -> set[str]:
    return set(
        OrgUnit.objects.filter(level=OrgUnit.Level.TOWNSHIP, is_active=True).values_list("code", flat=True)
    )


def _beat() -> int:
    return send_scheduled_reminders.apply().get()


def _sent(kind: str | None = None) -> set[str]:
    rows = Notice.objects.filter(year=YEAR, month=MONTH)
    if kind:
        rows = rows.filter(kind=kind)
    return set(rows.values_list("township__code", flat=True))


@pytest.mark.parametrize("day", sorted(CALENDAR))
def test_each_day_of_the_schedule_sends_its_reminder_to_every_township_that_owes(day, people, send_report):
    with at("2026-12-03 15:00"):
        send_report(people["a"], TOWNSHIP_A)  # A has reported; the 22 others owe

    with at(f"2026-12-{day:02d} 09:00"):
        count = _beat()

    kind = CALENDAR[day]
    if kind is None:
        assert count == 0 and not Notice.objects.exists()
    else:
        assert _sent(kind) == _all_townships() - {TOWNSHIP_A}
        assert count == 22 == Notice.objects.count()


def test_the_schedule_is_the_settings_one(settings):
    settings.REMINDER_SCHEDULE = {**settings.REMINDER_SCHEDULE, "days_before_deadline": [5, 1]}
    from datetime import date

    kinds = {d: [p.kind for p in reminder_points(date(2026, 12, d))] for d in (5, 6, 7, 9, 10)}

    assert kinds == {5: ["due_soon"], 6: [], 7: [], 9: ["due_soon"], 10: ["due_today"]}


def test_beat_firing_twice_sends_each_reminder_once(people):
    with at("2026-12-07 09:00"):
        first = _beat()
    with at("2026-12-07 09:00:30"):
        second = _beat()

    assert (first, second) == (23, 0)
    assert Notice.objects.count() == 23
    # Townships A and B have a user with an email address: one portal and one email delivery each.
    assert Delivery.objects.filter(recipient=people["b"]).count() == 2


def test_a_township_that_reports_stops_getting_reminders(people, send_report):
    with at("2026-12-11 09:00"):
        _beat()
    with at("2026-12-11 14:00"):
        send_report(people["b"], TOWNSHIP_B)
    with at("2026-12-12 09:00"):
        _beat()

    b = Notice.objects.filter(township__code=TOWNSHIP_B)
    assert list(b.values_list("kind", "date__day")) == [("overdue", 11)]
    assert Notice.objects.filter(township__code=TOWNSHIP_A, kind="overdue").count() == 2


def test_a_returned_report_is_owed_again(people, send_report):
    with at("2026-12-09 10:00"):
        sent = send_report(people["b"], TOWNSHIP_B)
        submission_return(submission=sent, user=people["bureau"], reason="就业人数与台账不符")
    with at("2026-12-10 09:00"):
        _beat()

    assert TOWNSHIP_B in _sent(Notice.Kind.DUE_TODAY)


def test_reminders_go_to_the_townships_own_users_only(people):
    with at("2026-12-07 09:00"):
        _beat()

    a_notice = Notice.objects.get(township__code=TOWNSHIP_A)
    recipients = set(a_notice.deliveries.values_list("recipient__username", "channel"))
    assert recipients == {("town_a", "portal"), ("town_a", "email")}
    assert "园林街道" in a_notice.body and "12月10日截止(还有3天)" in a_notice.body
    assert not Delivery.objects.filter(recipient__in=[people["leader"], people["bureau"]]).exists()
