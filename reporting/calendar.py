"""The reporting calendar, pure (no database, no settings, no clock): a month's report is due on the
deadline day of the next month, is late when sent after it, and locks `lock_after_days` later; the month
being chased on a day is last month. Where a month stands for its readers (`period`: not offered until
it ends, 暂计 until its deadline) and the one state of a township's month (`township_month_state`) are
decided here too. reporting, notices and the dashboard all read it here; the bureau's days come from
settings through `reporting.services.locks.reporting_calendar()`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


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

    def period(self, year: int, month: int, today: date) -> Period:
        """Where a month stands on `today` for everyone who reads its figures (see `Period`)."""
        deadline = self.deadline(year, month)
        if (year, month) > (today.year, today.month):
            state = PeriodState.FUTURE
        elif (year, month) == (today.year, today.month):
            state = PeriodState.IN_PROGRESS
        else:
            state = PeriodState.REPORTING if today <= deadline else PeriodState.CLOSED
        return Period(year, month, state, deadline)

    def township_month_state(
        self, year: int, month: int, *, sent: str | None, bureau_entered: bool, today: date
    ) -> str:
        """The one state of a township's month, the same on every page, in the workflow's order:
        a report waiting for review or approved (the township reported); else the bureau's own entry of
        the township's figures (局代录: the bureau took the month over, nobody chases it); else a report
        sent back (the township must send it again); else nothing: 未到报送期 while the month runs,
        未报送 from its first day after (the reporting period, up to the deadline and past it).
        `sent` is the latest sent version's status (pending / approved / returned) or None;
        `bureau_entered`: figures of the township's own indicators stored by another door than a
        township report or a register, after any return (reporting.selectors decides)."""
        if sent in (TownshipMonthState.PENDING, TownshipMonthState.APPROVED):
            return sent
        if bureau_entered:
            return TownshipMonthState.BUREAU
        if sent == TownshipMonthState.RETURNED:
            return sent
        if self.period(year, month, today).state in (PeriodState.FUTURE, PeriodState.IN_PROGRESS):
            return TownshipMonthState.NOT_DUE
        return TownshipMonthState.MISSING


class PeriodState(StrEnum):
    """A month as the figures' readers see it. Only an ended month is offered: a month in progress has
    no reports yet (townships report after it ends), so its cumulative figures against 12/12 or against
    the days gone would call every flow behind. From its end to the deadline the month is being
    reported: shown, said plainly to be incomplete (暂计). After the deadline it is closed."""

    FUTURE = "future"
    IN_PROGRESS = "in_progress"
    REPORTING = "reporting"
    CLOSED = "closed"


@dataclass(frozen=True)
class Period:
    year: int
    month: int
    state: PeriodState
    deadline: date

    @property
    def offered(self) -> bool:
        """Figures of the month are shown (pages, exports, the API) only once it has ended."""
        return self.state in (PeriodState.REPORTING, PeriodState.CLOSED)

    @property
    def provisional(self) -> bool:
        """Ended, but townships may still report it: its figures are not yet the month's."""
        return self.state == PeriodState.REPORTING

    @property
    def time_progress_text(self) -> str:
        """The rule of 时序进度 for an offered month: the months ended ÷ 12, the month's own included."""
        return f"{self.month}/12"

    @property
    def label(self) -> str:
        return {
            PeriodState.FUTURE: f"{self.year}年{self.month}月尚未开始",
            PeriodState.IN_PROGRESS: f"{self.year}年{self.month}月尚未结束",
            PeriodState.REPORTING: f"{self.month}月月报报送中({self.deadline.month}月{self.deadline.day}日截止),数据暂计",
            PeriodState.CLOSED: f"{self.month}月月报已于{self.deadline.month}月{self.deadline.day}日截止",
        }[self.state]


class TownshipMonthState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"
    BUREAU = "bureau"
    MISSING = "missing"
    NOT_DUE = "not_due"


# Short (a month's cell) and full (a status page's column) labels: 已报送 covers the first three.
TOWNSHIP_MONTH_LABELS: dict[str, tuple[str, str]] = {
    TownshipMonthState.PENDING: ("待审核", "已报送·待审核"),
    TownshipMonthState.APPROVED: ("已通过", "已报送·已通过"),
    TownshipMonthState.RETURNED: ("已退回", "已报送·已退回待重报"),
    TownshipMonthState.BUREAU: ("局代录", "局代录"),
    TownshipMonthState.MISSING: ("未报送", "未报送"),
    TownshipMonthState.NOT_DUE: ("未到报送期", "未到报送期"),
}
# A month is complete for the township when it owes nothing: nobody chases it (催报).
COMPLETE_STATES = frozenset(
    {TownshipMonthState.PENDING, TownshipMonthState.APPROVED, TownshipMonthState.BUREAU}
)
OWING_STATES = frozenset({TownshipMonthState.MISSING, TownshipMonthState.RETURNED})
