"""The demo's reminders: the schedule replayed for the month now due, each at its day's time, once."""

from __future__ import annotations

from datetime import date

from notices.demo import seed_reminders
from notices.models import Notice
from notices.selectors import reminder_records
from tests.conftest import TOWNSHIP_A, TOWNSHIP_B

from .conftest import MONTH, YEAR, at


def test_seeded_reminders_are_those_beat_would_have_sent_by_today(people, orgs, send_report):
    with at("2026-12-09 15:00"):
        send_report(people["a"], TOWNSHIP_A)

    sent = seed_reminders(YEAR, MONTH, date(2026, 12, 12))
    again = seed_reminders(YEAR, MONTH, date(2026, 12, 12))

    assert again == []
    b = Notice.objects.filter(township__code=TOWNSHIP_B).order_by("date")
    assert [(n.kind, n.date.day) for n in b] == [
        ("due_soon", 7),
        ("due_today", 10),
        ("overdue", 11),
        ("overdue", 12),
    ]
    assert not Notice.objects.filter(township__code=TOWNSHIP_A).exists()  # it has reported (now)
    assert len(sent) == 22 * 4
    assert (
        reminder_records(year=YEAR, month=MONTH)[orgs[TOWNSHIP_B].pk].label
        == "已催报 4 次,最近 12月12日 09:00"
    )
    assert not b.first().deliveries.filter(channel="email").exists()  # the demo sends no mail
