"""Reads of completion figures for pages, exports, the API and the report command.
Plain data out; one query per panel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone

from common.numbers import format_figure, round_half_up
from common.redis_guard import redis_available
from indicators.models import FigureChange

from .models import Completion, CompletionRun, RecomputeRequest, Status


@dataclass(frozen=True)
class CompletionRow:
    code: str
    name: str
    area: str
    unit: str
    kind: str
    org: str
    org_name: str
    year: int
    month: int
    actual: Decimal | None
    quota: Decimal | None
    completion_rate: Decimal | None
    time_progress: Decimal
    gap: Decimal | None
    status: str
    rate_places: int
    value_places: int

    @property
    def completion_rate_display(self) -> Decimal | None:
        """The rate as the bureau writes it: 四舍五入 at the indicator's precision."""
        return round_half_up(self.completion_rate, self.rate_places)

    @property
    def figure_places(self) -> int:
        """A ratio's actual and quota are rates, shown like rates; other figures in their unit's places."""
        return self.rate_places if self.kind == "ratio" else self.value_places

    @property
    def actual_display(self) -> str:
        return format_figure(self.actual, self.figure_places)

    @property
    def quota_display(self) -> str:
        return format_figure(self.quota, self.figure_places)

    @property
    def status_label(self) -> str:
        return Status(self.status).label


def completion_queryset(*, year: int, month: int) -> QuerySet[Completion]:
    return (
        Completion.objects.filter(year=year, month=month)
        .select_related("indicator", "org_unit")
        .order_by("indicator__sort_order", "org_unit__sort_order", "org_unit__code")
    )


def completion_for_month(
    *, year: int, month: int, org_codes: list[str] | None = None, with_quota_only: bool = False
) -> list[CompletionRow]:
    qs = completion_queryset(year=year, month=month)
    if org_codes:
        qs = qs.filter(org_unit__code__in=org_codes)
    if with_quota_only:
        qs = qs.exclude(quota=None)
    return [
        CompletionRow(
            code=c.indicator.code,
            name=c.indicator.name,
            area=c.indicator.area,
            unit=c.indicator.unit,
            kind=c.indicator.kind,
            org=c.org_unit.code,
            org_name=c.org_unit.name,
            year=c.year,
            month=c.month,
            actual=c.actual,
            quota=c.quota,
            completion_rate=c.completion_rate,
            time_progress=c.time_progress,
            gap=c.gap,
            status=c.status,
            rate_places=c.indicator.rate_places,
            value_places=c.indicator.value_places,
        )
        for c in qs
    ]


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
