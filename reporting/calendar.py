"""The reporting calendar, pure (no database, no settings, no clock): a month's report is due on the
deadline day of the next month, is late when sent after it, and locks `lock_after_days` later; the month
being chased on a day is last month. reporting, notices and the dashboard all read it here; the bureau's
days come from settings through `reporting.services.reporting_calendar()`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


def months_before(day: date, count: int) -> list[tuple[int, int]]:
    """The `count` months before `day`'s, newest first: 2026-01-15, 2 → [(2025, 12), (2025, 11)]."""
    out, year, month = [], day.year, day.month
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        out.append((year, month))
    return out


def month_due(day: date) -> tuple[int, int]:
    """The month whose report is being chased on `day`: last month's."""
    return months_before(day, 1)[0]


@dataclass(frozen=True)
class ReportingCalendar:
    deadline_day: int  # of the month after the report's month
    lock_after_days: int  # days after the deadline a township can still send without the bureau

    def __post_init__(self):
        if not 1 <= self.deadline_day <= 28:  # every month has the day, February too
            raise ValueError(f"deadline day {self.deadline_day} must be 1 to 28")
        if self.lock_after_days < 0:
            raise ValueError("lock_after_days must not be negative")

    def deadline(self, year: int, month: int) -> date:
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        return date(next_year, next_month, self.deadline_day)

    def lock_date(self, year: int, month: int) -> date:
        """The last day a township can still send the month without the bureau opening it."""
        return self.deadline(year, month) + timedelta(days=self.lock_after_days)

    def is_late(self, year: int, month: int, sent_on: date) -> bool:
        """Sent (a day in Asia/Shanghai) after the deadline day: the whole deadline day is on time."""
        return sent_on > self.deadline(year, month)

    def month_being_reported(self, today: date) -> tuple[int, int]:
        """Last month while townships can still send it, then this month."""
        previous = month_due(today)
        return previous if not self.is_past_lock(*previous, today) else (today.year, today.month)

    def is_past_lock(self, year: int, month: int, day: date) -> bool:
        return day > self.lock_date(year, month)

    def month_state(
        self, year: int, month: int, *, sent: bool, returned: bool, late: bool, today: date
    ) -> str:
        """A month of a township's record: on_time / late / returned / missing (deadline passed, nothing
        sent) / not_due."""
        if not sent:
            return "missing" if self.deadline(year, month) < today else "not_due"
        if returned:
            return "returned"
        return "late" if late else "on_time"
