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
    ("today", "state", "offered", "provisional"),
    [
        (date(2026, 11, 30), "in_progress", False, False),  # the month's last day: not ended
        (date(2026, 12, 1), "reporting", True, True),  # ended: townships report it until the 10th
        (date(2026, 12, 10), "reporting", True, True),  # the whole deadline day
        (date(2026, 12, 11), "closed", True, False),
        (date(2026, 10, 31), "future", False, False),
    ],
)
def test_a_month_is_offered_once_it_has_ended_and_provisional_until_its_deadline(
    today, state, offered, provisional
):
    period = CAL.period(2026, 11, today)
    assert (period.state, period.offered, period.provisional) == (state, offered, provisional)


def test_a_month_being_reported_says_so_with_its_deadline():
    assert CAL.period(2026, 11, date(2026, 12, 7)).label == "11月月报报送中(12月10日截止),数据暂计"
    assert CAL.period(2026, 12, date(2026, 12, 7)).label == "2026年12月尚未结束"


@pytest.mark.parametrize(
    ("sent", "bureau_entered", "today", "state"),
    [
        # Nothing sent: 未到报送期 while the month runs, 未报送 from its first day after (the reporting
        # period has come: one page said 未到报送期 and another 未报送 for the same month, issue 22).
        (None, False, date(2026, 11, 20), "not_due"),
        (None, False, date(2026, 12, 2), "missing"),
        (None, False, date(2026, 12, 11), "missing"),
        ("pending", False, date(2026, 12, 2), "pending"),
        ("approved", False, date(2026, 12, 2), "approved"),
        ("returned", False, date(2026, 12, 2), "returned"),
        # The bureau entered the township's figures: the month is the bureau's (局代录), not owed.
        (None, True, date(2026, 12, 2), "bureau"),
        ("returned", True, date(2026, 12, 2), "bureau"),
        ("approved", True, date(2026, 12, 2), "approved"),  # a correction after approval stays 已通过
    ],
)
def test_a_township_month_has_one_state(sent, bureau_entered, today, state):
    got = CAL.township_month_state(2026, 11, sent=sent, bureau_entered=bureau_entered, today=today)
    assert got == state


@pytest.mark.parametrize("day", [0, 29, 31])
def test_a_deadline_day_every_month_has(day):
    with pytest.raises(ValueError):
        ReportingCalendar(deadline_day=day, lock_after_days=5)
