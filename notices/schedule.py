"""Which reminder a day brings. The reporting calendar (deadline, lock, the month due) is reporting's
(reporting/calendar.py, with the bureau's days from settings through reporting.services.locks);
notices reads it through the imports here only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings

from reporting.calendar import months_before
from reporting.services.locks import month_is_locked, report_deadline, report_lock_date

from .models import Notice

__all__ = [
    "ReminderPoint",
    "month_is_locked",
    "reminder_points",
    "report_deadline",
    "report_lock_date",
]


@dataclass(frozen=True)
class ReminderPoint:
    """Today's reminder of one kind for one month."""

    year: int
    month: int
    kind: str
    deadline: date
    lock_date: date


def reminder_points(today: date) -> list[ReminderPoint]:
    """The reminders due on `today` (Asia/Shanghai) by settings.REMINDER_SCHEDULE. A month is due in the
    next one; the two months before today's are enough for any deadline day and lock (a lock running
    into the month after the deadline's)."""
    schedule = settings.REMINDER_SCHEDULE
    points = []
    for year, month in months_before(today, 2):
        deadline, lock = report_deadline(year, month), report_lock_date(year, month)
        kind = None
        if today in {deadline - timedelta(days=n) for n in schedule["days_before_deadline"]}:
            kind = Notice.Kind.DUE_SOON
        elif today == deadline and schedule["on_deadline_day"]:
            kind = Notice.Kind.DUE_TODAY
        elif deadline < today <= lock and schedule["overdue_daily_until_lock"]:
            kind = Notice.Kind.OVERDUE
        if kind:
            points.append(ReminderPoint(year, month, kind, deadline, lock))
    return points
