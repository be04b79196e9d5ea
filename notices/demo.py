"""Reminders for the demo: the schedule replayed for the month now due, as if beat had run at its time on
every day so far, so the status page and the township's inbox show 催报 already sent."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from .channels import channel
from .models import Notice
from .schedule import report_deadline
from .services import reminders_send_due


def seed_reminders(year: int, month: int, today: date) -> list[Notice]:
    """Every scheduled reminder for (year, month) from its first day up to `today`, each at the schedule's
    time on its day, to the townships that owe the month now (portal inbox only: the demo sends no
    mail). Idempotent: the reminders already there are not sent again."""
    hour, minute = (int(part) for part in settings.REMINDER_SCHEDULE["time"].split(":"))
    first = report_deadline(year, month) - timedelta(
        days=max(settings.REMINDER_SCHEDULE["days_before_deadline"], default=0)
    )
    sent: list[Notice] = []
    day = first
    while day <= today:
        at = timezone.make_aware(datetime.combine(day, time(hour, minute)))
        sent += reminders_send_due(now=at, channels=[channel("portal")], only=(year, month))
        day += timedelta(days=1)
    return sent
