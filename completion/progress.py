"""One completion cell as the portal shows it (`Progress`): an indicator at an org unit at the end of a
month, year-to-date against the quota and the calendar, as the engine stored it, with everything a page,
a download, the API, the work report or the report command writes of it. The one display type of a
completion row, built in one place (`progress_of`) whichever way the row was read (a model instance or
a `values()` dict), so a figure, a rate or a gap is written the same everywhere.

Completion's readers (completion.selectors) and the dashboards (dashboard.selectors) both build it;
the dashboards add last year's same month, the projection and the monthly trend."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from common.numbers import format_figure, format_percent, format_points, format_rate
from indicators.models import Area, Indicator

from .models import Completion, Status

HUNDRED = Decimal(100)
# The columns of a completion row a Progress is made of (a values() query asks for these).
CELL_COLUMNS = ("year", "month", "actual", "quota", "completion_rate", "time_progress", "gap", "status")


@dataclass(frozen=True)
class IndicatorInfo:
    """What a completion cell shows of its indicator (the year's row of it: name, unit, places)."""

    code: str
    name: str
    area: str
    unit: str
    kind: str
    value_places: int
    rate_places: int
    sort_order: int = 0  # the catalogue's order
    direction: str = Indicator.Direction.HIGHER

    @property
    def is_ceiling(self) -> bool:
        return self.direction == Indicator.Direction.CEILING

    @property
    def area_label(self) -> str:
        return Area(self.area).label

    @property
    def figure_places(self) -> int:
        """A ratio's actual and quota are rates, shown like rates; other figures in their unit's places."""
        return self.rate_places if self.kind == Indicator.Kind.RATIO else self.value_places

    @classmethod
    def of(cls, ind: Indicator) -> IndicatorInfo:
        return cls(
            ind.code,
            ind.name,
            ind.area,
            ind.unit,
            ind.kind,
            ind.value_places,
            ind.rate_places,
            ind.sort_order,
            ind.direction,
        )


@dataclass(frozen=True)
class Progress:
    """One indicator at one org unit at the end of one month, with its trend and projection."""

    indicator: IndicatorInfo
    org_code: str
    org_name: str
    year: int
    month: int
    actual: Decimal | None
    quota: Decimal | None
    completion_rate: Decimal | None
    time_progress: Decimal
    gap: Decimal | None
    status: str
    last_year_actual: Decimal | None = None
    projected_actual: Decimal | None = None
    trend: list[Decimal | None] = field(default_factory=list)  # completion rate, months 1..month

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def rate_display(self) -> str:
        """The rate as the bureau's written report has it (the indicator's rate_places: 176.7%, 155.23%,
        135%); pages' columns use rate_shown."""
        return format_rate(self.completion_rate, self.indicator.rate_places)

    @property
    def rate_shown(self) -> str:
        """The rate in a column, a tile or a download: one rule for all (common.numbers.PERCENT_PLACES)."""
        return format_percent(self.completion_rate)

    @property
    def gap_display(self) -> str:
        return format_points(self.gap)

    @property
    def benchmark(self) -> Decimal:
        """What the rate is held to: 时序进度 for a flow, the whole quota (100%) for a level or a rate."""
        return self.time_progress if self.indicator.kind == Indicator.Kind.FLOW else HUNDRED

    @property
    def benchmark_display(self) -> str:
        return format_percent(self.benchmark)

    @property
    def actual_display(self) -> str:
        return format_figure(self.actual, self.indicator.figure_places)

    @property
    def quota_display(self) -> str:
        shown = format_figure(self.quota, self.indicator.figure_places)
        return f"≤{shown}" if self.indicator.is_ceiling and self.quota is not None else shown

    @property
    def projected_display(self) -> str:
        return format_figure(self.projected_actual, self.indicator.figure_places)

    @property
    def projected_rate(self) -> Decimal | None:
        if self.projected_actual is None or not self.quota:
            return None
        if self.indicator.is_ceiling:  # the ceiling ÷ the figure, as the engine rates a ceiling
            return self.quota * HUNDRED / self.projected_actual if self.projected_actual else None
        return self.projected_actual * HUNDRED / self.quota

    @property
    def projected_rate_display(self) -> str:
        return format_percent(self.projected_rate)

    @property
    def will_miss(self) -> bool:
        """On the projection, the year ends below the quota (or above the ceiling)."""
        rate = self.projected_rate
        return rate is not None and rate < HUNDRED

    @property
    def shortfall(self) -> Decimal | None:
        """How much more is needed to be on schedule now (0 when on or ahead of it)."""
        if self.quota is None or self.indicator.kind == Indicator.Kind.RATIO:
            return None
        if self.indicator.is_ceiling:  # how far over the ceiling it stands
            return max(Decimal(0), (self.actual or Decimal(0)) - self.quota)
        return max(Decimal(0), self.quota * self.benchmark / HUNDRED - (self.actual or Decimal(0)))

    @property
    def shortfall_display(self) -> str:
        return format_figure(self.shortfall, self.indicator.figure_places)

    @property
    def yoy_change(self) -> Decimal | None:
        """Year-on-year change of the year-to-date figure, in %."""
        if self.actual is None or not self.last_year_actual:
            return None
        return (self.actual - self.last_year_actual) * HUNDRED / self.last_year_actual


def progress_of(
    indicator: Indicator,
    org_code: str,
    org_name: str,
    row: Completion | Mapping[str, Any],
    *,
    last_year_actual: Decimal | None = None,
    projected_actual: Decimal | None = None,
    trend: Iterable[Decimal | None] = (),
) -> Progress:
    """The one way a Progress is made: `indicator` (the year's row) at the org unit `org_code`/`org_name`,
    its figures from the completion `row` (a Completion, or a dict of at least CELL_COLUMNS from
    `values()`), as the engine stored them. The dashboards add last year's same month, the projection
    and the trend (this year's rate, months 1..month); other readers leave them empty."""
    cell = row if isinstance(row, Mapping) else {column: getattr(row, column) for column in CELL_COLUMNS}
    return Progress(
        indicator=IndicatorInfo.of(indicator),
        org_code=org_code,
        org_name=org_name,
        **{column: cell[column] for column in CELL_COLUMNS},
        last_year_actual=last_year_actual,
        projected_actual=projected_actual,
        trend=list(trend),
    )
