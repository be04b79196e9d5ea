"""Reading the security log: the audit administrator's search, for the page and the export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import SecurityEvent


@dataclass(frozen=True)
class EventSearch:
    """Everything optional; dates are whole days in Asia/Shanghai, `until` included."""

    since: date | None = None
    until: date | None = None
    username: str = ""
    kind: str = ""
    outcome: str = ""
    source_ip: str = ""
    text: str = ""


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def security_events(search: EventSearch) -> QuerySet[SecurityEvent]:
    """Newest first. The time range uses the `at` index; the rest narrows it."""
    events = SecurityEvent.objects.all()
    if search.since:
        events = events.filter(at__gte=_day_start(search.since))
    if search.until:
        events = events.filter(at__lt=_day_start(search.until + timedelta(days=1)))
    if search.username:
        events = events.filter(username=search.username)
    if search.kind:
        events = events.filter(kind=search.kind)
    if search.outcome:
        events = events.filter(outcome=search.outcome)
    if search.source_ip:
        events = events.filter(source_ip=search.source_ip)
    if search.text:
        events = events.filter(Q(object__icontains=search.text) | Q(detail__icontains=search.text))
    return events.order_by("-seq")
