"""The reporting calendar (reporting/calendar.py), pure: no database, no settings, no clock."""

from __future__ import annotations

from datetime import date

import pytest

from reporting.calendar import ReportingCalendar, month_due, months_before

CAL = ReportingCalendar(deadline_day=10, lock_after_days=5)


@pytest.mark.parametrize(
    ("year", "month", "deadline", "lock"),
    [
        (2026, 11, date(2026, 12, 10), date(2026, 12, 15)),
        (2026, 12, date(2027, 1, 10), date(2027, 1, 15)),  # December's report is due in January
        (2024, 1, date(2024, 2, 10), date(2024, 2, 15)),
    ],
)
def test_deadline_and_lock(year, month, deadline, lock):
    assert CAL.deadline(year, month) == deadline
    assert CAL.lock_date(year, month) == lock


def test_a_lock_runs_over_a_month_end_and_a_leap_february():
    cal = ReportingCalendar(deadline_day=28, lock_after_days=2)
    assert cal.deadline(2024, 1) == date(2024, 2, 28)
    assert cal.lock_date(2024, 1) == date(2024, 3, 1)  # 2024 is a leap year: 29 February in between
    assert cal.lock_date(2025, 1) == date(2025, 3, 2)


def test_the_whole_deadline_day_is_on_time():
    assert not CAL.is_late(2026, 11, date(2026, 12, 10))
    assert CAL.is_late(2026, 11, date(2026, 12, 11))


def test_the_lock_falls_the_day_after_the_lock_date():
    assert not CAL.is_past_lock(2026, 11, date(2026, 12, 15))
    assert CAL.is_past_lock(2026, 11, date(2026, 12, 16))


def test_the_month_due_and_the_month_being_reported():
    assert month_due(date(2026, 12, 2)) == (2026, 11)
    assert month_due(date(2027, 1, 3)) == (2026, 12)
    assert months_before(date(2026, 2, 1), 3) == [(2026, 1), (2025, 12), (2025, 11)]
    assert CAL.month_being_reported(date(2026, 12, 15)) == (2026, 11)
    assert CAL.month_being_reported(date(2026, 12, 16)) == (2026, 12)


@pytest.mark.parametrize(
    ("sent", "returned", "late", "today", "state"),
    [
        (False, False, False, date(2026, 12, 10), "not_due"),
        (False, False, False, date(2026, 12, 11), "missing"),
        (True, True, False, date(2026, 12, 11), "returned"),
        (True, False, True, date(2026, 12, 11), "late"),
        (True, False, False, date(2026, 12, 2), "on_time"),
    ],
)
def test_a_months_state(sent, returned, late, today, state):
    assert CAL.month_state(2026, 11, sent=sent, returned=returned, late=late, today=today) == state


@pytest.mark.parametrize("day", [0, 29, 31])
def test_a_deadline_day_every_month_has(day):
    with pytest.raises(ValueError):
        ReportingCalendar(deadline_day=day, lock_after_days=5)
