"""Reads of completion figures for pages, exports, the API and the report command.
Plain data out; one query per panel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone

from common.redis_guard import redis_available
from indicators.models import FigureChange

from .models import Completion, CompletionRun, RecomputeRequest
from .progress import Progress, progress_of


def completion_queryset(*, year: int, month: int) -> QuerySet[Completion]:
    return (
        Completion.objects.filter(year=year, month=month)
        .select_related("indicator", "org_unit")
        .order_by("indicator__sort_order", "org_unit__sort_order", "org_unit__code")
    )


def completion_for_month(
    *, year: int, month: int, org_codes: list[str] | None = None, with_quota_only: bool = False
) -> list[Progress]:
    """The month's completion cells (of `org_codes`, or every org unit), in the catalogue's order. One query."""
    qs = completion_queryset(year=year, month=month)
    if org_codes:
        qs = qs.filter(org_unit__code__in=org_codes)
    if with_quota_only:
        qs = qs.exclude(quota=None)
    return [progress_of(c.indicator, c.org_unit.code, c.org_unit.name, c) for c in qs]


@dataclass(frozen=True)
class Freshness:
    computed_at: datetime | None
    last_change_at: datetime | None
    # The oldest outstanding recompute request of the year: figures changed that no run has seen yet.
    pending_since: datetime | None = None
    # The computing service is not working: Redis is unreachable, or some request has waited too long.
    service_unavailable: bool = False

    @property
    def is_stale(self) -> bool:
        """A change is waiting to be computed (its request is in the database whatever Redis does),
        or the service that would compute it is not running."""
        never_computed = self.computed_at is None and self.last_change_at is not None
        return self.pending_since is not None or never_computed or self.service_unavailable

    @property
    def notice(self) -> str:
        """What a page or a download says of figures that may lag behind ("" when they do not)."""
        if self.service_unavailable:
            return "计算服务暂时不可用,数据可能不是最新"
        return "有新数据,正在重新计算" if self.is_stale else ""


def completion_freshness(*, year: int) -> Freshness:
    """When this year's figures were last computed, whether a change is waiting to be, and whether
    the computing service (Redis queue, worker) is working."""
    run = CompletionRun.objects.filter(year=year, month=None).order_by("-finished_at").first()
    last_change = FigureChange.objects.filter(year=year).aggregate(at=Max("changed_at"))["at"]
    requests = RecomputeRequest.objects.aggregate(
        year_since=Min("requested_at", filter=Q(year=year)), oldest=Min("requested_at")
    )
    oldest = requests["oldest"]
    return Freshness(
        computed_at=run.started_at if run else None,
        last_change_at=last_change,
        pending_since=requests["year_since"],
        service_unavailable=completion_service_unavailable(
            stalled=oldest is not None and oldest < completion_stall_cutoff()
        ),
    )


def completion_stall_cutoff() -> datetime:
    """A request older than this has waited longer than any working queue would let it."""
    return timezone.now() - timedelta(seconds=settings.COMPLETION_STALL_SECONDS)


def completion_service_unavailable(*, stalled: bool | None = None) -> bool:
    """Redis (queue and cache) does not answer, or a request is older than the stall cutoff (no
    worker serves the queue, nor does beat drain it). `stalled`: if the caller has read it already."""
    if not redis_available():
        return True
    if stalled is None:
        stalled = RecomputeRequest.objects.filter(requested_at__lt=completion_stall_cutoff()).exists()
    return stalled


def completion_requested_years() -> list[int]:
    """Years with an outstanding recompute request, oldest year first."""
    return list(RecomputeRequest.objects.order_by("year").values_list("year", flat=True).distinct())
