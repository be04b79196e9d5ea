"""The township scorecard (考核排名表): the 23 townships × every quota indicator for one month, each cell
the engine's completion rate and status, a total score and a rank; the city's row on top.

Three queries whatever the number of townships or indicators: the indicator catalogue, the city and
its townships, and the month's completion cells for them.

The score (总得分) is declared here and nowhere else, and the page, the workbook and
docs/architecture.md state it:

    a cell's score = min(completion rate ÷ benchmark, 1) × 100
    benchmark      = completion rate − gap, as the engine stored them: 时序进度 (month ÷ 12) for a flow
                     indicator, 100% for a stock or a ratio (a level target must hold every month)
    total score    = the mean of the cell scores over the indicators the unit has a quota for,
                     rounded half up to one decimal; a quota with no figures reported scores 0.

So a township exactly on schedule everywhere scores 100 in any month, being ahead in one indicator
never makes up for being behind in another, and one that reports nothing sinks to the bottom. Indicators
without a quota for the unit are not its task and do not count. Colours are the engine's stored status
(never a rule of the scorecard's own)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import Q

from common.numbers import format_percent, format_points, round_half_up
from completion.models import Completion, Status
from completion.progress import HUNDRED, IndicatorInfo
from orgs.models import OrgUnit
from orgs.selectors import org_subtree_ids

from .selectors import year_indicators

SCORE_PLACES = 1
SCORE_FORMULA = (
    "总得分 = 各项有目标任务指标得分的平均值;单项得分 = 完成率 ÷ 时序进度 × 100,超过100分按100分计"
    "(时点指标和比率指标以100%为进度);有目标但未报送的指标计0分,无目标任务的指标不计入。"
)
# The cell colours of the page (static/css/portal.css, .sc-*) and of the workbook: the engine's status.
STATUS_COLOURS = {
    Status.AHEAD: "D8F0DC",
    Status.BEHIND: "FFF0C2",
    Status.FAR_BEHIND: "F8D2D0",
}


@dataclass(frozen=True)
class ScoreCell:
    indicator: IndicatorInfo
    actual: Decimal | None
    quota: Decimal | None
    completion_rate: Decimal | None
    time_progress: Decimal
    gap: Decimal | None
    status: str

    @property
    def rated(self) -> bool:
        """The unit has a quota for it: it counts in the score."""
        return self.quota is not None

    @cached_property  # read by the row's score, its rank and the page: computed once
    def score(self) -> Decimal | None:
        if not self.rated:
            return None
        if self.completion_rate is None or self.gap is None:
            return Decimal(0)  # a quota and nothing reported
        benchmark = self.completion_rate - self.gap
        if benchmark <= 0:
            return HUNDRED
        return min(self.completion_rate / benchmark, Decimal(1)) * HUNDRED

    @property
    def rate_display(self) -> str:
        if self.rated and self.completion_rate is None:
            return "未报送"  # a quota and nothing reported: it scores 0, say why
        return format_percent(self.completion_rate)

    @property
    def gap_display(self) -> str:
        """The gap to schedule, in points, written in the cell under the rate (a phone has no hover)."""
        return "" if self.gap is None else format_points(self.gap)

    @property
    def benchmark_label(self) -> str:
        if self.indicator.kind == "flow":
            return f"时序进度{format_percent(self.time_progress)}"
        return "目标100%(时点/比率指标每月都应达到)"

    @property
    def title(self) -> str:
        """What the cell says on hover: the gap to schedule, the figure and the quota."""
        if not self.rated:
            return f"{self.indicator.name}:本单位无目标任务"
        if self.gap is None:
            return f"{self.indicator.name}:未报送数据"
        gap = format_points(self.gap)
        return (
            f"{self.indicator.name}:完成率{self.rate_display},与进度差{gap}个百分点"
            f"({self.benchmark_label});{Status(self.status).label}"
        )

    @property
    def sort_value(self) -> str:
        """For the page's column sort: the rate, or empty (sorted last)."""
        return "" if self.completion_rate is None else format(self.completion_rate, "f")


@dataclass(frozen=True)
class ScoreRow:
    org_code: str
    org_name: str
    cells: list[ScoreCell]  # one per column, in the columns' order
    rank: int | None = None  # the city has none
    is_city: bool = False

    @cached_property  # sorted on, ranked on, shown: computed once
    def score(self) -> Decimal | None:
        scores = [c.score for c in self.cells if c.score is not None]
        if not scores:
            return None
        return round_half_up(sum(scores) / len(scores), SCORE_PLACES)

    @property
    def score_display(self) -> str:
        return "—" if self.score is None else f"{self.score:.{SCORE_PLACES}f}"

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(1 for c in self.cells if c.status == s) for s in STATUS_COLOURS}


@dataclass(frozen=True)
class Scorecard:
    year: int
    month: int
    columns: list[IndicatorInfo]
    city: ScoreRow | None
    townships: list[ScoreRow]  # ranked, best first

    @property
    def time_progress(self) -> Decimal:
        return Decimal(self.month) * HUNDRED / 12


def dashboard_scorecard(
    *, year: int, month: int, top: OrgUnit | None = None, level_below: bool = False
) -> Scorecard:
    """Every indicator with a quota (at `top` or any row under it) for the month, as columns; `top`
    (the portal's own unit, the city, by default) and every township under it as rows, the townships
    ranked by total score (ties share a rank). Three queries. `level_below`: the units right under
    `top` instead of its townships (a province ranks its prefectures, a prefecture its counties), so
    the table stays as wide as one level whatever the size of the tree."""
    indicators = year_indicators(year)
    townships = Q(level=OrgUnit.Level.TOWNSHIP)
    if top is not None:
        townships = Q(parent_id=top.pk) if level_below else townships & Q(id__in=org_subtree_ids(top.pk))
    tops = Q(pk=top.pk) if top is not None else Q(parent__isnull=True)
    units = list(
        OrgUnit.objects.filter(tops | townships)
        .only("id", "code", "name", "level", "sort_order", "parent_id")
        .order_by("sort_order", "code")
    )
    top = next(u for u in units if (u.pk == top.pk if top is not None else u.parent_id is None))
    rows = (
        Completion.objects.filter(year=year, month=month, org_unit__in=[u.pk for u in units])
        .filter(indicator_id__in=indicators)
        .values(
            "indicator_id",
            "org_unit_id",
            "actual",
            "quota",
            "completion_rate",
            "time_progress",
            "gap",
            "status",
        )
        .order_by()
    )
    cells: dict[tuple[int, int], dict] = {(r["org_unit_id"], r["indicator_id"]): r for r in rows}
    with_quota = {ind for (_, ind), r in cells.items() if r["quota"] is not None}
    columns = [ind for pk, ind in indicators.items() if pk in with_quota]
    infos = [IndicatorInfo.of(ind) for ind in columns]
    time_progress = (Decimal(month) * HUNDRED / 12).quantize(Decimal("0.0001"))

    def row_of(unit: OrgUnit) -> ScoreRow:
        out = []
        for ind, info in zip(columns, infos, strict=True):
            r = cells.get((unit.pk, ind.pk))
            if r is None:  # no quota and no figures: the engine keeps no cell
                out.append(ScoreCell(info, None, None, None, time_progress, None, Status.NO_DATA))
                continue
            out.append(
                ScoreCell(
                    info,
                    r["actual"],
                    r["quota"],
                    r["completion_rate"],
                    r["time_progress"],
                    r["gap"],
                    r["status"],
                )
            )
        return ScoreRow(unit.code, unit.name, out, is_city=unit.pk == top.pk)

    city = row_of(top) if top.level != OrgUnit.Level.TOWNSHIP else None
    rows = [row_of(u) for u in units if u.pk != top.pk] if city else [row_of(top)]
    return Scorecard(year, month, infos, city, _ranked(rows))


def _ranked(rows: list[ScoreRow]) -> list[ScoreRow]:
    """Best score first (no score last, by code); equal scores share a rank (1, 2, 2, 4)."""
    rows = sorted(rows, key=lambda r: (r.score is None, -(r.score or 0), r.org_code))
    out: list[ScoreRow] = []
    for i, r in enumerate(rows, start=1):
        same = out and r.score is not None and out[-1].score == r.score
        rank = out[-1].rank if same else (i if r.score is not None else None)
        out.append(ScoreRow(r.org_code, r.org_name, r.cells, rank))
    return out
