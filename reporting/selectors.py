"""Reads for the reporting pages: who has reported a month, and a township's submissions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from accounts.permissions import visible_org_units
from orgs.models import OrgUnit

from .models import Submission
from .services import report_deadline, report_lock_date


@dataclass(frozen=True)
class TownshipStatus:
    township: OrgUnit
    submission: Submission | None  # the latest version sent (drafts and replaced versions excluded)
    superseded: tuple[int, ...] = ()  # versions sent, then replaced by a newer one (已被新版本替代)

    @property
    def state(self) -> str:
        s = self.submission
        if s is None:
            return "missing"
        if s.status == Submission.Status.RETURNED:
            return "returned"
        return "late" if s.is_late else "on_time"

    @property
    def label(self) -> str:
        return {"missing": "未报送", "returned": "已退回待重报", "late": "逾期报送", "on_time": "按时报送"}[
            self.state
        ]


@dataclass(frozen=True)
class MonthStatus:
    year: int
    month: int
    deadline: date
    lock_date: date
    rows: list[TownshipStatus]

    @property
    def reported(self) -> int:
        return sum(1 for r in self.rows if r.state in ("on_time", "late"))

    @property
    def rate(self) -> float:
        return round(100 * self.reported / len(self.rows), 1) if self.rows else 0.0

    @property
    def owing(self) -> list[TownshipStatus]:
        return [r for r in self.rows if r.state in ("missing", "returned")]

    @property
    def is_past_deadline(self) -> bool:
        return timezone.localdate() > self.deadline


def reporting_status(*, year: int, month: int, user) -> MonthStatus:
    """Every township the user may see, with its latest sent submission for the month and the
    versions a newer one replaced (2 queries). A replaced version never stands for the township."""
    townships = list(
        visible_org_units(user).filter(level=OrgUnit.Level.TOWNSHIP, is_active=True).order_by("sort_order")
    )
    return MonthStatus(
        year,
        month,
        report_deadline(year, month),
        report_lock_date(year, month),
        _rows(townships, year, month),
    )


def _rows(townships: list[OrgUnit], year: int, month: int) -> list[TownshipStatus]:
    latest: dict[int, Submission] = {}
    superseded: dict[int, list[int]] = {}
    sent = (
        Submission.objects.filter(year=year, month=month, township__in=townships)
        .exclude(status=Submission.Status.DRAFT)
        .order_by("township_id", "version")
    )
    for submission in sent:
        if submission.status == Submission.Status.SUPERSEDED:
            superseded.setdefault(submission.township_id, []).append(submission.version)
        else:
            latest[submission.township_id] = submission  # ascending versions: the last one wins
    return [
        TownshipStatus(township=t, submission=latest.get(t.pk), superseded=tuple(superseded.get(t.pk, ())))
        for t in townships
    ]


def townships_owing(*, year: int, month: int, townships: list[OrgUnit] | None = None) -> list[OrgUnit]:
    """The townships (all active ones, or those given) with no confirmed report for the month: nothing
    sent, or the latest version returned — exactly the status page's 未报送 and 已退回待重报. For
    trusted system readers (the reminders), never for a request: it asks no user's scope."""
    if townships is None:
        townships = list(
            OrgUnit.objects.filter(level=OrgUnit.Level.TOWNSHIP, is_active=True).order_by("sort_order")
        )
    return [row.township for row in _rows(townships, year, month) if row.state in ("missing", "returned")]


def submissions_visible(user) -> QuerySet[Submission]:
    return Submission.objects.filter(township__in=visible_org_units(user)).select_related(
        "township", "created_by", "reviewed_by", "superseded_by"
    )
