"""Reads for the leadership dashboards. Every panel is one or two queries over the completion table
(which the engine keeps), whatever the number of indicators, townships or years stored; the rest is
arithmetic on the rows in Python. Plain data out: the pages, the JSON endpoints, the exports and the
work report all read these same objects.

Projection (预计全年): a flow's year-end figure is this year's year-to-date divided by the share of
last year's total that had arrived by the same month (the township's own seasonal profile); with no
usable history, by the calendar (month ÷ 12). A stock's year-end level scales the current level by
last year's December ÷ same-month ratio, or stays where it is. A ratio is projected to stay."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.db import DEFAULT_DB_ALIAS, connection, connections, router
from django.db.models import Q

from completion.models import Completion, CompletionRun, RecomputeRequest, Status
from completion.progress import CELL_COLUMNS, HUNDRED, IndicatorInfo, Progress, progress_of
from completion.selectors import completion_stall_cutoff
from indicators.models import Area, FigureChange, Indicator
from orgs.models import OrgUnit

BEHIND = (Status.BEHIND, Status.FAR_BEHIND)
# Every panel reads these columns; values() keeps the row objects light.
_COLUMNS = ("indicator_id", "org_unit_id", *CELL_COLUMNS)


# ----------------------------------------------------------------------------- the figures' version


@dataclass(frozen=True)
class FiguresState:
    stamp: str  # max completion-run id - max figure-change id
    stalled: bool  # some recompute request has waited past completion_stall_cutoff()


# The state is read at most once per STAMP_SECONDS window per process and database: a poll every few
# seconds from every open page mostly costs no query, and a new figure reaches the cockpit JSON within a
# quarter second of its computation (the freshness benchmark, benchmarks/bench_freshness.py).
STAMP_SECONDS = 0.25


def figures_state() -> FiguresState:
    """Changes whenever a figure changes or a computation finishes (the stamp: the cache key's
    version, and what the pages poll to know they should redraw), and whether the queue is stuck.
    One query, at most once per STAMP_SECONDS window (`_kept_figures_state`); inside a transaction
    every call reads, and nothing read there is kept (it may see the transaction's uncommitted rows)."""
    # Raw SQL takes no router: ask it which database a read of these tables goes to (the replica, in
    # a dashboard request where there is one: common.db_router).
    alias = router.db_for_read(CompletionRun) or DEFAULT_DB_ALIAS
    if connection.in_atomic_block:
        return _read_figures_state(alias)
    return _kept_figures_state(alias, int(time.monotonic() // STAMP_SECONDS))


@lru_cache(maxsize=4)
def _kept_figures_state(alias: str, window: int) -> FiguresState:
    """The state of database `alias` as read once in the STAMP_SECONDS `window` of the monotonic clock:
    keyed by what it depends on, so a later window reads again and nothing kept is older than
    STAMP_SECONDS; the few latest keys are all that is kept (`.cache_clear()` forgets them)."""
    return _read_figures_state(alias)


def _read_figures_state(alias: str) -> FiguresState:
    runs, changes = CompletionRun._meta.db_table, FigureChange._meta.db_table
    requests = RecomputeRequest._meta.db_table
    reader = connections[alias]
    cutoff = reader.ops.adapt_datetimefield_value(completion_stall_cutoff())
    with reader.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {runs}), (SELECT MAX(id) FROM {changes}), "
            f"EXISTS (SELECT 1 FROM {requests} WHERE requested_at < %s)",
            [cutoff],
        )
        run_id, change_id, stalled = cursor.fetchone()
    return FiguresState(stamp=f"{run_id or 0}-{change_id or 0}", stalled=bool(stalled))


def figures_stamp() -> str:
    return figures_state().stamp


# ----------------------------------------------------------------------------- building blocks


def year_indicators(year: int) -> dict[int, Indicator]:
    """The year's indicator set in use, by id, in the catalogue's order (its rows: names, units, order as
    that year had them): the columns and rows every dashboard panel reads. One query."""
    return {
        i.pk: i for i in Indicator.objects.filter(year=year, is_active=True).order_by("sort_order", "code")
    }


def _cumulative_share(series: dict[int, Decimal | None], month: int) -> Decimal | None:
    """Share of last year's total reached by this month, from its completion rows (year-to-date)."""
    total, so_far = series.get(12), series.get(month)
    if not total or not so_far:
        return None
    return so_far / total


def _projection(kind: str, actual: Decimal | None, month: int, last_year: dict[int, Decimal | None]):
    if actual is None:
        return None
    if kind == Indicator.Kind.FLOW:
        share = _cumulative_share(last_year, month) or Decimal(month) / 12
        return actual / share
    if kind == Indicator.Kind.STOCK:
        ratio = _cumulative_share(last_year, month)
        return actual / ratio if ratio else actual
    return actual


def _progress(
    ind: Indicator, org_code: str, org_name: str, row: dict, last_year: dict, rates: dict | None = None
) -> Progress:
    """A completion row with last year's same month and the projection (from `last_year`, a _series
    cell) and, given this year's `rates` by month, the trend."""
    month = row["month"]
    actuals = last_year.get("actual", {})
    return progress_of(
        ind,
        org_code,
        org_name,
        row,
        last_year_actual=actuals.get(month),
        projected_actual=_projection(ind.kind, row["actual"], month, actuals),
        trend=() if rates is None else [rates.get(m) for m in range(1, month + 1)],
    )


def _series(rows) -> dict[tuple[str, int, int], dict[str, dict[int, Decimal | None]]]:
    """(indicator code, org, year) -> {"actual": {month: v}, "rate": {month: v}}. By code: last year's
    rows belong to last year's set, and the code is what an indicator keeps from year to year."""
    out: dict = defaultdict(lambda: {"actual": {}, "rate": {}})
    for r in rows:
        cell = out[(r["indicator__code"], r["org_unit_id"], r["year"])]
        cell["actual"][r["month"]] = r["actual"]
        cell["rate"][r["month"]] = r["completion_rate"]
    return out


# ----------------------------------------------------------------------------- the cockpit


@dataclass(frozen=True)
class AreaGroup:
    area: str
    label: str
    rows: list[Progress]


@dataclass(frozen=True)
class Cockpit:
    org_code: str
    org_name: str
    year: int
    month: int
    time_progress: Decimal
    areas: list[AreaGroup]
    others: list[Progress]  # indicators with figures but no quota: shown, not rated

    @property
    def rows(self) -> list[Progress]:
        return [r for a in self.areas for r in a.rows]

    def count(self, *statuses: str) -> int:
        return sum(1 for r in self.rows if r.status in statuses)

    @property
    def ahead(self) -> int:
        return self.count(Status.AHEAD)

    @property
    def behind(self) -> int:
        return self.count(Status.BEHIND)

    @property
    def far_behind(self) -> int:
        return self.count(Status.FAR_BEHIND)

    @property
    def will_miss(self) -> int:
        return sum(1 for r in self.rows if r.will_miss)


def dashboard_cockpit(*, org: OrgUnit, year: int, month: int) -> Cockpit:
    """Every indicator at one org unit for one month, grouped by area: year-to-date against the quota
    and the calendar, the monthly trend of the rate, last year's same month and the projection.
    Two queries: the indicator catalogue and this org's completion rows for this year and last."""
    indicators = year_indicators(year)
    rows = list(
        Completion.objects.filter(org_unit=org, year__in=(year, year - 1), month__lte=12)
        .filter(indicator__code__in={i.code for i in indicators.values()})
        .values(*_COLUMNS, "indicator__code")
        .order_by()
    )
    series = _series(rows)
    groups: dict[str, list[Progress]] = defaultdict(list)
    others: list[Progress] = []
    for r in rows:
        if r["year"] != year or r["month"] != month:
            continue
        ind = indicators[r["indicator_id"]]
        last_year = series.get((ind.code, org.pk, year - 1), {})
        p = _progress(ind, org.code, org.name, r, last_year, series[(ind.code, org.pk, year)]["rate"])
        if p.quota is not None:
            groups[ind.area].append(p)
        elif p.actual is not None:
            others.append(p)
    order = {ind.code: i for i, ind in enumerate(indicators.values())}

    def by_order(p: Progress) -> int:
        return order[p.indicator.code]

    return Cockpit(
        org_code=org.code,
        org_name=org.name,
        year=year,
        month=month,
        time_progress=(Decimal(month) * HUNDRED / 12).quantize(Decimal("0.0001")),
        areas=[
            AreaGroup(area, Area(area).label, sorted(groups[area], key=by_order))
            for area in Area.values
            if groups.get(area)
        ],
        others=sorted(others, key=by_order),
    )


# ----------------------------------------------------------------------------- one indicator


@dataclass(frozen=True)
class MonthPoint:
    month: int
    actual: Decimal | None
    last_year_actual: Decimal | None
    completion_rate: Decimal | None
    time_progress: Decimal


@dataclass(frozen=True)
class IndicatorDetail:
    progress: Progress | None  # at the city (or the asking township), this month
    series: list[MonthPoint]  # months 1..12 of this year (future months empty) with last year's
    ranking: list[Progress]  # townships, best completion first; no quota or no data last

    @property
    def indicator(self) -> IndicatorInfo | None:
        return self.progress.indicator if self.progress else None


def dashboard_indicator(*, indicator: Indicator, org: OrgUnit, year: int, month: int, townships=None):
    """One indicator: its cumulative monthly series at `org` this year and last (against the quota and
    the calendar), and the townships ranked by completion rate for the month. Two queries."""
    townships = list(townships) if townships is not None else None
    in_ranking = Q(org_unit__level=OrgUnit.Level.TOWNSHIP) & (
        Q(org_unit__in=townships) if townships is not None else Q()
    )
    rows = list(
        Completion.objects.filter(indicator__code=indicator.code, year__in=(year, year - 1))
        .filter(Q(org_unit=org) | in_ranking & (Q(year=year, month=month) | Q(year=year - 1)))
        .values(*_COLUMNS, "indicator__code", "org_unit__code", "org_unit__name", "org_unit__sort_order")
        .order_by()
    )
    series = _series(r for r in rows if r["org_unit_id"] == org.pk)
    here = series.get((indicator.code, org.pk, year), {"actual": {}, "rate": {}})
    before = series.get((indicator.code, org.pk, year - 1), {"actual": {}, "rate": {}})
    progress = None
    points = []
    for r in sorted((r for r in rows if r["org_unit_id"] == org.pk and r["year"] == year), key=_month):
        if r["month"] == month:
            progress = _progress(indicator, org.code, org.name, r, before, here["rate"])
    for m in range(1, 13):
        points.append(
            MonthPoint(
                month=m,
                actual=here["actual"].get(m) if m <= month else None,
                last_year_actual=before["actual"].get(m),
                completion_rate=here["rate"].get(m) if m <= month else None,
                time_progress=(Decimal(m) * HUNDRED / 12).quantize(Decimal("0.0001")),
            )
        )
    # Each township projected on its own last year, as the cockpit projects a unit (预计全年 of the
    # ranking and its workbook).
    before_by_unit = _series(r for r in rows if r["org_unit_id"] != org.pk and r["year"] == year - 1)
    ranking = [
        _progress(
            indicator,
            r["org_unit__code"],
            r["org_unit__name"],
            r,
            before_by_unit.get((indicator.code, r["org_unit_id"], year - 1), {}),
        )
        for r in rows
        if r["org_unit_id"] != org.pk and r["year"] == year and r["month"] == month
    ]
    ranking.sort(key=_rank_key)
    return IndicatorDetail(progress=progress, series=points, ranking=ranking)


def _month(r: dict) -> int:
    return r["month"]


def _rank_key(p: Progress):
    """Best completion first; no quota after the rated ones (by actual), no data last."""
    if p.completion_rate is not None:
        return (0, -p.completion_rate, p.org_code)
    if p.actual is not None:
        return (1, -p.actual, p.org_code)
    return (2, Decimal(0), p.org_code)


# ----------------------------------------------------------------------------- warnings


WARNING_SORTS = {
    "shortfall": "按距序时进度还差的数量(从多到少)",
    "gap": "按与时序进度的差距(从大到小)",
}


def dashboard_warnings(
    *,
    year: int,
    month: int,
    orgs=None,
    indicator_code: str | None = None,
    area: str | None = None,
    sort: str = "shortfall",
) -> list[Progress]:
    """Every indicator × org unit behind schedule at the month's end. One query. `orgs` limits it to
    some org units (a township, or a township user's own), `indicator_code` and `area` to one indicator
    or area. Sorted by how much is missing (the default: a 337-person shortfall before a 2-person one,
    however small its quota makes the 2 look in percent), or by the gap in points; the unrated rest
    (ratios, which have no shortfall in a count) after, by gap."""
    qs = Completion.objects.filter(year=year, month=month, status__in=BEHIND, indicator__is_active=True)
    if orgs is not None:
        qs = qs.filter(org_unit__in=orgs)
    if indicator_code:
        qs = qs.filter(indicator__code=indicator_code)
    if area:
        qs = qs.filter(indicator__area=area)
    rows = qs.select_related("indicator", "org_unit").order_by(
        "gap", "indicator__sort_order", "org_unit__code"
    )
    found = [progress_of(c.indicator, c.org_unit.code, c.org_unit.name, c) for c in rows]
    if sort == "shortfall":
        found.sort(key=lambda p: (p.shortfall is None, -(p.shortfall or 0)))  # stable: gap breaks ties
    return found


@dataclass(frozen=True)
class WarningGroup:
    org_code: str
    org_name: str
    rows: list[Progress]


def warnings_by_unit(rows: list[Progress], order: dict[str, int]) -> list[WarningGroup]:
    """The rows grouped by org unit in the tree's order (`order`: code -> sort order; the city first),
    each group keeping the list's own order."""
    groups: dict[str, list[Progress]] = defaultdict(list)
    names = {}
    for r in rows:
        groups[r.org_code].append(r)
        names[r.org_code] = r.org_name
    return [
        WarningGroup(code, names[code], groups[code])
        for code in sorted(groups, key=lambda c: (order.get(c, 10**6), c))
    ]


def unit_order() -> dict[str, int]:
    """code -> place in the tree's order, the portal's own unit (the city) first (one query)."""
    rows = OrgUnit.objects.values_list("code", "parent_id", "sort_order")
    return {code: -1 if parent_id is None else order for code, parent_id, order in rows}


@dataclass(frozen=True)
class WarningChoices:
    townships: list[tuple[str, str]]  # (code, name); empty for a township user
    indicators: list[tuple[str, str]]  # the year's set: (code, name)
    areas: list[tuple[str, str]]
    sorts: dict[str, str]


def warning_choices(*, year: int, whole_city: bool, visible=None) -> WarningChoices:
    """What the warnings list can be filtered by (two queries): the townships among `visible` (the
    user's units; None: every unit, the portal's own leadership), for leadership only."""
    units = OrgUnit.objects.filter(level=OrgUnit.Level.TOWNSHIP, is_active=True)
    if visible is not None:
        units = units.filter(id__in=visible.values("id"))
    townships = list(units.order_by("sort_order").values_list("code", "name")) if whole_city else []
    indicators = [(i.code, i.name) for i in year_indicators(year).values()]
    return WarningChoices(townships, indicators, list(Area.choices), WARNING_SORTS)


# ----------------------------------------------------------------------------- a township's record


def dashboard_reporting_record(*, township: OrgUnit, year: int, today) -> list:
    """The township's months of the year, each in the one state every page shows
    (reporting.selectors.township_months: two queries)."""
    from reporting.selectors import township_months

    states = township_months(townships=[township], year=year, months=range(1, 13), today=today)
    return [states[(township.pk, month)] for month in range(1, 13)]
