"""The bureau's reporting calendar (reporting/calendar.py) with its days from settings: a month's
deadline and lock date; whether a township's month is locked; and the bureau opening it again."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from common.errors import PortalError
from orgs.models import OrgUnit
from reporting.calendar import ReportingCalendar
from reporting.models import LockOverride

from .guards import require_bureau_over


def reporting_calendar() -> ReportingCalendar:
    """The bureau's reporting calendar (reporting/calendar.py) with its days from settings."""
    return ReportingCalendar(
        deadline_day=settings.REPORT_DEADLINE_DAY, lock_after_days=settings.REPORT_LOCK_AFTER_DAYS
    )


def report_deadline(year: int, month: int) -> date:
    """A month's report is due on REPORT_DEADLINE_DAY of the next month."""
    return reporting_calendar().deadline(year, month)


def report_lock_date(year: int, month: int) -> date:
    """The last day a township can still send the month without the bureau opening it."""
    return reporting_calendar().lock_date(year, month)


def month_is_locked(*, township: OrgUnit, year: int, month: int, at: datetime | None = None) -> bool:
    at = at or timezone.now()
    if not reporting_calendar().is_past_lock(year, month, timezone.localdate(at)):
        return False
    opened = LockOverride.objects.filter(township=township, year=year, month=month, open_until__gte=at)
    return not opened.exists()


@transaction.atomic
def lock_open(
    *, township: OrgUnit, year: int, month: int, days: int, reason: str, user: User
) -> LockOverride:
    """Bureau staff open a locked month for one township (under their unit) for a number of days."""
    require_bureau_over(user=user, township=township, refusal_message="只有局业务科室可以解锁月报。")
    if not reason.strip():
        raise PortalError("请填写解锁原因。", field="reason")
    return LockOverride.objects.create(
        township=township,
        year=year,
        month=month,
        open_until=timezone.now() + timedelta(days=days),
        reason=reason.strip(),
        opened_by=user,
    )
