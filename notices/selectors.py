"""Reads: a person's notices (only their own: a township user sees its township's, a leader none unless
addressed), the unread count, and the reminders each township got for a month (the status page and its
export)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from .models import Delivery, Notice


def unread_count(*, user) -> int:
    return Delivery.objects.filter(recipient=user, channel="portal", read_at__isnull=True).count()


def inbox(*, user, unread_only: bool = False) -> QuerySet[Delivery]:
    """The user's portal notices, newest first."""
    rows = Delivery.objects.filter(recipient=user, channel="portal").select_related("notice__township")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-notice__created_at", "-pk")


@dataclass(frozen=True)
class ReminderRecord:
    count: int
    latest: datetime | None

    @property
    def label(self) -> str:
        """已催报 2 次,最近 12月9日 09:00"""
        if not self.count:
            return "未催报"
        at = timezone.localtime(self.latest)
        return f"已催报 {self.count} 次,最近 {at.month}月{at.day}日 {at:%H:%M}"


NO_REMINDER = ReminderRecord(0, None)


def reminder_records(*, year: int, month: int) -> dict[int, ReminderRecord]:
    """Reminders (scheduled and by hand) each township got for the month, by township id: one query."""
    rows = (
        Notice.objects.filter(year=year, month=month, kind__in=Notice.REMINDER_KINDS)
        .values("township_id")
        .annotate(count=Count("pk"), latest=Max("created_at"))
    )
    return {r["township_id"]: ReminderRecord(r["count"], r["latest"]) for r in rows}
