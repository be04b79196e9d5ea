"""Reads for the reporting pages: where each township's month stands (one state, decided in
reporting/calendar.py and read here for every page: the status page, the township's record on the
dashboard, the bureau's overview, the township's own 月报 page, and the reminders), and a township's
submissions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Max, QuerySet
from django.utils import timezone

from accounts.permissions import visible_org_units
from indicators.models import Channel, Indicator, MonthlyValue
from orgs.models import OrgUnit

from .calendar import COMPLETE_STATES, OWING_STATES, TOWNSHIP_MONTH_LABELS, Period
from .models import Submission
from .services.locks import report_deadline, report_lock_date, reporting_calendar

# Doors through which a township's own figures come without its report: the bureau's entry (the month
# sheet, the admin, the API, an import, a command) and the demo's, which stands for it. A township
# report arrives as UPLOAD; a register's count (REGISTER) is the bureau's records, never the report.
BUREAU_CHANNELS = tuple(c for c in Channel.values if c not in (Channel.UPLOAD, Channel.REGISTER))


@dataclass(frozen=True)
class TownshipMonth:
    township: OrgUnit
    year: int
    month: int
    state: str  # reporting.calendar.TownshipMonthState
    submission: Submission | None  # the latest version sent (drafts and replaced versions excluded)
    superseded: tuple[int, ...] = ()  # versions sent, then replaced by a newer one (已被新版本替代)

    @property
    def label(self) -> str:
        return TOWNSHIP_MONTH_LABELS[self.state][1]

    @property
    def short_label(self) -> str:
        return TOWNSHIP_MONTH_LABELS[self.state][0]

    @property
    def complete(self) -> bool:
        return self.state in COMPLETE_STATES

    @property
    def owing(self) -> bool:
        return self.state in OWING_STATES

    @property
    def late(self) -> bool:
        """Sent after the deadline (the report's own mark)."""
        return self.submission is not None and self.submission.is_late

    @property
    def version(self) -> int | None:
        return self.submission.version if self.submission else None


def township_months(
    *, townships: list[OrgUnit], year: int, months: Iterable[int], today: date | None = None
) -> dict[tuple[int, int], TownshipMonth]:
    """(township id, month) -> where the township's month stands on `today` (two queries: the reports
    sent, and the latest write of the township's own figures by a bureau door)."""
    today = today or timezone.localdate()
    months = list(months)
    latest: dict[tuple[int, int], Submission] = {}
    superseded: dict[tuple[int, int], list[int]] = {}
    sent = (
        Submission.objects.filter(year=year, month__in=months, township__in=townships)
        .exclude(status=Submission.Status.DRAFT)
        .select_related("township")
        .order_by("township_id", "month", "version")
    )
    for s in sent:
        key = (s.township_id, s.month)
        if s.status == Submission.Status.SUPERSEDED:
            superseded.setdefault(key, []).append(s.version)
        else:
            latest[key] = s  # ascending versions: the last one wins
    entered = _bureau_entered(townships, year, months)
    calendar = reporting_calendar()
    out = {}
    for t in townships:
        for month in months:
            s = latest.get((t.pk, month))
            state = calendar.township_month_state(
                year,
                month,
                sent=s.status if s else None,
                bureau_entered=_entered_after(entered.get((t.pk, month)), s),
                today=today,
            )
            out[(t.pk, month)] = TownshipMonth(
                t, year, month, state, s, tuple(superseded.get((t.pk, month), ()))
            )
    return out


def _bureau_entered(
    townships: list[OrgUnit], year: int, months: list[int]
) -> dict[tuple[int, int], datetime]:
    """(township id, month) -> when a bureau door last wrote one of the township's own figures."""
    rows = (
        MonthlyValue.objects.filter(
            org_unit__in=townships,
            year=year,
            month__in=months,
            indicator__source=Indicator.Source.TOWNSHIP,
            channel__in=BUREAU_CHANNELS,
        )
        .values("org_unit_id", "month")
        .annotate(at=Max("updated_at"))
        .order_by()
    )
    return {(r["org_unit_id"], r["month"]): r["at"] for r in rows}


def _entered_after(entered_at: datetime | None, latest: Submission | None) -> bool:
    """The bureau's entry counts unless a report was sent back after it (then the township owes it)."""
    if entered_at is None:
        return False
    if latest is not None and latest.status == Submission.Status.RETURNED and latest.reviewed_at:
        return entered_at > latest.reviewed_at
    return True


@dataclass(frozen=True)
class MonthStatus:
    year: int
    month: int
    deadline: date
    lock_date: date
    period: Period
    rows: list[TownshipMonth]

    @property
    def reported(self) -> int:
        """Townships whose month is complete: sent (waiting or approved) or entered by the bureau."""
        return sum(1 for r in self.rows if r.complete)

    @property
    def rate(self) -> float:
        return round(100 * self.reported / len(self.rows), 1) if self.rows else 0.0

    @property
    def owing(self) -> list[TownshipMonth]:
        return [r for r in self.rows if r.owing]

    @property
    def is_past_deadline(self) -> bool:
        return timezone.localdate() > self.deadline


def _townships(user=None) -> list[OrgUnit]:
    units = visible_org_units(user) if user is not None else OrgUnit.objects.all()
    return list(units.filter(level=OrgUnit.Level.TOWNSHIP, is_active=True).order_by("sort_order"))


def reporting_status(*, year: int, month: int, user) -> MonthStatus:
    """Every township the user may see and where its month stands (3 queries)."""
    townships = _townships(user)
    states = township_months(townships=townships, year=year, months=[month])
    today = timezone.localdate()
    return MonthStatus(
        year,
        month,
        report_deadline(year, month),
        report_lock_date(year, month),
        reporting_calendar().period(year, month, today),
        [states[(t.pk, month)] for t in townships],
    )


def townships_owing(*, year: int, month: int, townships: list[OrgUnit] | None = None) -> list[OrgUnit]:
    """The townships (all active ones, or those given) that owe the month: nothing sent, or the latest
    version returned, and the bureau has not entered their figures since — exactly the status page's
    未报送 and 已退回. For trusted system readers (the reminders), never for a request: it asks no
    user's scope."""
    townships = _townships() if townships is None else townships
    states = township_months(townships=townships, year=year, months=[month])
    return [t for t in townships if states[(t.pk, month)].owing]


def township_report_state(*, township: OrgUnit, year: int, month: int) -> TownshipMonth:
    """One township's month, for its own 月报 page."""
    return township_months(townships=[township], year=year, months=[month])[(township.pk, month)]


def submissions_visible(user) -> QuerySet[Submission]:
    return Submission.objects.filter(township__in=visible_org_units(user)).select_related(
        "township", "created_by", "reviewed_by", "superseded_by"
    )


@dataclass(frozen=True)
class PeriodSummary:
    """A month as the figures' pages introduce it: where it stands, and while it is being reported how
    many townships' figures are in (approved or entered by the bureau), waiting for review, or owed."""

    period: Period
    counted: int
    pending: int
    owing: int

    @property
    def townships(self) -> int:
        return self.counted + self.pending + self.owing

    @property
    def note(self) -> str:
        """One sentence for pages and downloads ('' for a closed month: nothing to warn of)."""
        if not self.period.provisional:
            return ""
        return (
            f"{self.period.label}:{self.townships}个区镇街道中已计入{self.counted}个(已通过或局代录),"
            f"待审核{self.pending}个,未报送或退回{self.owing}个;完成率、落后项和预计全年均按已计入的数据暂计,"
            "截止并审核后才是本月的完整数据。"
        )


def period_summary(*, year: int, month: int) -> PeriodSummary:
    """Two queries while the month is being reported, none otherwise."""
    period = reporting_calendar().period(year, month, timezone.localdate())
    if not period.provisional:
        return PeriodSummary(period, 0, 0, 0)
    townships = _townships()
    rows = township_months(townships=townships, year=year, months=[month]).values()
    pending = sum(1 for r in rows if r.state == "pending")
    counted = sum(1 for r in rows if r.complete) - pending
    return PeriodSummary(period, counted, pending, sum(1 for r in rows if r.owing))
