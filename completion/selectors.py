"""Reads of completion figures for pages, exports, the API and the report command.
Plain data out; one query per panel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Max, QuerySet

from common.numbers import format_figure, round_half_up
from indicators.models import FigureChange

from .models import Completion, CompletionRun, Status


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

    @property
    def is_stale(self) -> bool:
        """Figures changed after the last computation: a recompute is queued or Redis was down."""
        if self.last_change_at is None:
            return False
        return self.computed_at is None or self.last_change_at > self.computed_at


def completion_freshness(*, year: int) -> Freshness:
    """When this year's figures were last computed, and whether a change has arrived since."""
    run = CompletionRun.objects.filter(year=year, month=None).order_by("-finished_at").first()
    last_change = FigureChange.objects.filter(year=year).aggregate(at=Max("changed_at"))["at"]
    return Freshness(computed_at=run.started_at if run else None, last_change_at=last_change)


def completion_latest_month() -> tuple[int, int] | None:
    """The latest year and month that has any computed figure with data."""
    row = (
        Completion.objects.exclude(status="no_data")
        .order_by("-year", "-month")
        .values_list("year", "month")
        .first()
    )
    return tuple(row) if row else None
