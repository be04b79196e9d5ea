"""Reads for the bureau's data entry: one org unit's month on one sheet, the month overview
(townships × indicators), and what a quota split starts from. Each reads a fixed number of queries
whatever the size of the catalogue (tests/entry/test_selectors.py grows it and counts)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from accounts.permissions import can_write_figures, visible_org_units
from completion.models import Completion
from completion.rule import completion_rate
from indicators.models import Area, Channel, FigureChange, Indicator, MonthlyValue, Quota
from orgs.models import OrgUnit, OrgUnitClosure
from reporting.models import Submission, SubmissionValue
from reporting.selectors import TownshipMonth, township_months


def sheet_indicators(org_unit: OrgUnit, year: int) -> list[Indicator]:
    """What the sheet of an org unit lists, from the year's set: at 市本级 (any unit above the township:
    its own figures) every indicator in use; at a township the ones townships report, plus the
    register-fed and ratio ones (shown read-only), as in its template."""
    indicators = Indicator.objects.filter(year=year, is_active=True).select_related(
        "numerator", "denominator"
    )
    if not org_unit.is_upper:
        indicators = indicators.exclude(source=Indicator.Source.BUREAU)
    return list(indicators.order_by("sort_order", "code"))


def is_typed(indicator: Indicator) -> bool:
    """Typed by hand: neither counted from a register nor computed from a numerator and denominator."""
    return indicator.source in (Indicator.Source.TOWNSHIP, Indicator.Source.BUREAU)


def is_editable(indicator: Indicator, org_unit: OrgUnit) -> bool:
    """A cell of the month sheet the unit types: a typed indicator, and at a township one the townships
    report (the bureau's own are typed at the city). The page and the save ask this one rule."""
    return is_typed(indicator) and (org_unit.is_upper or indicator.township_reported)


def history_url(indicator_id: int, org_unit_id: int, year: int, month: int | None = None) -> str:
    cell = {
        "subject": FigureChange.Subject.VALUE if month else FigureChange.Subject.QUOTA,
        "indicator__id__exact": indicator_id,
        "org_unit__id__exact": org_unit_id,
        "year": year,
    }
    if month:
        cell["month"] = month
    return reverse("admin:indicators_figurechange_changelist") + "?" + urlencode(cell)


@dataclass
class SheetRow:
    indicator: Indicator
    editable: bool
    source: str  # where a read-only figure comes from
    value: Decimal | None = None  # this month (a ratio: the rate the engine computed)
    remark: str = ""
    explanation: str = ""  # the 核实说明 kept with the figure
    last_month: Decimal | None = None
    last_year: Decimal | None = None
    ytd: Decimal | None = None  # flow: months 1..this; stock: the level carried to this month
    quota: Decimal | None = None
    # The completion the entered figure would give: actual = base + (entered, or `blank` if left blank).
    base: Decimal = Decimal(0)
    blank: Decimal = Decimal(0)
    has_data: bool = False  # something counts even with this cell blank
    rate: Decimal | None = None
    changed_by: str = ""
    changed_at: datetime | None = None
    channel: str = ""
    history_url: str = ""

    def actual_with(self, value: Decimal | None) -> Decimal | None:
        if value is None and not self.has_data:
            return None
        return self.base + (self.blank if value is None else value)


@dataclass
class MonthSheet:
    org_unit: OrgUnit
    year: int
    month: int
    rows: list[SheetRow]
    groups: list[tuple[str, list[SheetRow]]] = field(default_factory=list)

    def row(self, code: str) -> SheetRow:
        return next(r for r in self.rows if r.indicator.code == code)


def _previous_month(year: int, month: int) -> tuple[int, int]:
    return (year, month - 1) if month > 1 else (year - 1, 12)


def month_sheet(*, org_unit: OrgUnit, year: int, month: int) -> MonthSheet:
    """Every indicator of the unit for the month with what the clerk needs beside the cell (six
    queries whatever the catalogue's size)."""
    indicators = sheet_indicators(org_unit, year)
    ids = [i.pk for i in indicators]
    prev = _previous_month(year, month)
    own = defaultdict(dict)  # indicator id this year -> {(year, month): MonthlyValue}
    this_year = {i.code: i.pk for i in indicators}  # last year's rows are last year's set: by code
    for mv in MonthlyValue.objects.filter(
        Q(year=year, month__lte=month) | Q(year=prev[0], month=prev[1]) | Q(year=year - 1, month=month),
        org_unit=org_unit,
        indicator__code__in=this_year,
    ).select_related("updated_by", "indicator"):
        own[this_year[mv.indicator.code]][(mv.year, mv.month)] = mv
    others = _below(org_unit, year, month, ids, {i.pk: i.kind for i in indicators})
    quotas = dict(
        Quota.objects.filter(org_unit=org_unit, year=year, indicator_id__in=ids).values_list(
            "indicator_id", "target"
        )
    )
    ratios = {
        c["indicator_id"]: c
        for c in Completion.objects.filter(
            org_unit=org_unit, year=year, month=month, indicator__kind=Indicator.Kind.RATIO
        ).values("indicator_id", "actual", "completion_rate")
    }
    rows = [
        _row(i, own[i.pk], others.get(i.pk), quotas.get(i.pk), ratios.get(i.pk), org_unit, year, month)
        for i in indicators
    ]
    sheet = MonthSheet(org_unit, year, month, rows)
    by_area = defaultdict(list)
    for r in rows:
        by_area[r.indicator.area].append(r)
    sheet.groups = [(label, by_area[value]) for value, label in Area.choices if by_area[value]]
    return sheet


def _below(org_unit: OrgUnit, year: int, month: int, ids: list[int], kinds: dict[int, str]) -> dict:
    """What the units below this one (a township's villages; the city's townships and theirs) add to
    its figure at the month: flow the year's sum, stock each unit's latest level, added. None when
    nothing below has reported. One query."""
    below = OrgUnitClosure.objects.filter(ancestor=org_unit, depth__gt=0).values("descendant_id")
    totals: dict[int, Decimal] = {}
    latest: dict[tuple[int, int], tuple[int, Decimal]] = {}
    for ind, org, m, value in MonthlyValue.objects.filter(
        org_unit_id__in=below, year=year, month__lte=month, indicator_id__in=ids
    ).values_list("indicator_id", "org_unit_id", "month", "value"):
        if kinds[ind] == Indicator.Kind.STOCK:
            if (ind, org) not in latest or latest[(ind, org)][0] < m:
                latest[(ind, org)] = (m, value)
        else:
            totals[ind] = totals.get(ind, Decimal(0)) + value
    for (ind, _), (_, value) in latest.items():
        totals[ind] = totals.get(ind, Decimal(0)) + value
    return totals


def _row(ind, own, below, quota, ratio, org_unit, year, month) -> SheetRow:
    current = own.get((year, month))
    row = SheetRow(
        indicator=ind,
        editable=is_editable(ind, org_unit),
        source=_source(ind, org_unit),
        quota=quota,
        history_url=history_url(ind.pk, org_unit.pk, year, month),
    )
    prev = own.get(_previous_month(year, month))
    last_year = own.get((year - 1, month))
    row.last_month = prev.value if prev else None
    row.last_year = last_year.value if last_year else None
    if ind.is_ratio:
        row.value = ratio["actual"] if ratio else None
        row.ytd = row.value
        row.rate = ratio["completion_rate"] if ratio else None
        return row
    if current:
        row.value, row.remark, row.explanation = current.value, current.remark, current.explanation
        row.changed_by = (
            (current.updated_by.get_full_name() or current.updated_by.username)
            if current.updated_by
            else "系统"
        )
        row.changed_at, row.channel = current.updated_at, Channel(current.channel).label
    earlier = [mv for (y, m), mv in own.items() if y == year and m < month]
    if ind.kind == Indicator.Kind.STOCK:
        before = max(earlier, key=lambda mv: mv.month).value if earlier else None
        row.base, row.blank = below or Decimal(0), before or Decimal(0)
        row.has_data = below is not None or before is not None
        row.ytd = row.value if current else before
    else:
        before = sum((mv.value for mv in earlier), Decimal(0))
        row.base, row.blank = (below or Decimal(0)) + before, Decimal(0)
        row.has_data = below is not None or bool(earlier)
        row.ytd = before + row.value if current else (before if earlier else None)
    row.rate = completion_rate(row.actual_with(row.value), 1, quota, ceiling=ind.is_ceiling)
    return row


def _source(ind: Indicator, org_unit: OrgUnit) -> str:
    if ind.fed_by:
        return f"由“{ind.fed_by}”自动汇总,请在台账中更正记录"
    if ind.is_ratio:
        return f"比率:{ind.numerator.name} ÷ {ind.denominator.name},自动计算"
    if not org_unit.is_upper and not ind.township_reported:
        return "由市本级统计"
    return ""


# --- the month overview: townships × indicators ---

CELL_STATES = {
    "reported": "已报",
    "pending": "待审核",
    "returned": "已退回",
    "missing": "未报",
}


@dataclass
class OverviewRow:
    township: OrgUnit
    cells: list[str]  # one state per column
    submission: Submission | None
    report: TownshipMonth | None = None  # the township's month as every page states it

    @property
    def counts(self) -> dict[str, int]:
        return {state: self.cells.count(state) for state in CELL_STATES}


@dataclass
class MonthOverview:
    year: int
    month: int
    columns: list[Indicator]
    rows: list[OverviewRow]


def month_overview(*, year: int, month: int, user) -> MonthOverview:
    """Each township the user may see × each indicator townships type: reported (an approved figure
    is stored), pending approval (the latest report sent holds it and waits), returned (the latest
    report was sent back), missing; and the township's month as a whole (reporting.selectors). Six
    queries."""
    townships = list(
        visible_org_units(user).filter(level=OrgUnit.Level.TOWNSHIP, is_active=True).order_by("sort_order")
    )
    columns = list(
        Indicator.objects.filter(year=year, is_active=True, source=Indicator.Source.TOWNSHIP).order_by(
            "sort_order", "code"
        )
    )
    stored = set(
        MonthlyValue.objects.filter(year=year, month=month, org_unit__in=townships).values_list(
            "org_unit_id", "indicator_id"
        )
    )
    # Each township's month in the one state every page shows (reporting.selectors): two queries.
    states = township_months(townships=townships, year=year, months=[month])
    latest = {t.pk: states[(t.pk, month)].submission for t in townships if states[(t.pk, month)].submission}
    pending = {s.pk for s in latest.values() if s.status == Submission.Status.PENDING}
    waiting = set(
        SubmissionValue.objects.filter(submission_id__in=pending, value__isnull=False).values_list(
            "submission__township_id", "indicator_id"
        )
    )
    rows = []
    for t in townships:
        s = latest.get(t.pk)
        returned = s is not None and s.status == Submission.Status.RETURNED
        cells = [
            "pending"
            if (t.pk, i.pk) in waiting
            else "reported"
            if (t.pk, i.pk) in stored
            else "returned"
            if returned
            else "missing"
            for i in columns
        ]
        rows.append(OverviewRow(t, cells, s, states[(t.pk, month)]))
    return MonthOverview(year, month, columns, rows)


def sheet_org_units(user) -> list[OrgUnit]:
    """The units whose sheet the user may open: 市本级 (every unit above the township) and the
    townships, within the user's scope and only those the user may write (fail closed: no role, no
    unit)."""
    units = visible_org_units(user).filter(
        level__in=[*OrgUnit.UPPER_LEVELS, OrgUnit.Level.TOWNSHIP], is_active=True
    )
    return [u for u in units.order_by("sort_order", "code") if can_write_figures(user, u.pk)]


# --- what a quota split starts from ---


@dataclass
class SplitPart:
    org_unit: OrgUnit
    last_year: Decimal | None  # last year's actual (flow: the year's sum; stock: the latest level)
    quota: Decimal | None  # the quota stored now (市本级: what the townships leave of the city's)


@dataclass
class SplitTable:
    indicator: Indicator
    city_quota: Decimal | None
    parts: list[SplitPart]  # 市本级 first, then the 23 townships in the bureau's order

    @property
    def townships_total(self) -> Decimal:
        return sum((p.quota for p in self.parts[1:] if p.quota), Decimal(0))


def quota_split_tables(*, year: int, indicators: list[Indicator]) -> list[SplitTable]:
    """Per indicator: the city's quota (the portal's own unit's), each township's and 市本级's actual
    of the year before (a township's villages counted in it), the quotas stored now. Four queries."""
    units = list(
        OrgUnit.objects.filter(
            Q(parent__isnull=True) | Q(level=OrgUnit.Level.TOWNSHIP), is_active=True
        ).order_by("sort_order", "code")
    )
    city = next(u for u in units if u.is_root)
    part_of = {u.pk: u.pk for u in units}  # 市本级's own entries count as its part
    part_of.update(
        OrgUnitClosure.objects.filter(ancestor__level=OrgUnit.Level.TOWNSHIP, depth__gt=0).values_list(
            "descendant_id", "ancestor_id"
        )
    )
    ids = [i.pk for i in indicators]
    kinds = {i.pk: i.kind for i in indicators}
    this_year = {i.code: i.pk for i in indicators}  # last year's figures belong to last year's set
    flows: dict[tuple[int, int], Decimal] = {}
    levels: dict[tuple[int, int, int], tuple[int, Decimal]] = {}
    for code, org, m, value in MonthlyValue.objects.filter(
        year=year - 1, indicator__code__in=this_year
    ).values_list("indicator__code", "org_unit_id", "month", "value"):
        ind = this_year[code]
        part = part_of.get(org)
        if part is None:
            continue
        if kinds[ind] == Indicator.Kind.STOCK:
            if (ind, part, org) not in levels or levels[(ind, part, org)][0] < m:
                levels[(ind, part, org)] = (m, value)
        else:
            flows[(ind, part)] = flows.get((ind, part), Decimal(0)) + value
    for (ind, part, _), (_, value) in levels.items():
        flows[(ind, part)] = flows.get((ind, part), Decimal(0)) + value
    quotas = {
        (q_ind, q_org): target
        for q_ind, q_org, target in Quota.objects.filter(year=year, indicator_id__in=ids).values_list(
            "indicator_id", "org_unit_id", "target"
        )
    }
    tables = []
    for ind in indicators:
        city_quota = quotas.get((ind.pk, city.pk))
        parts = [
            SplitPart(u, flows.get((ind.pk, u.pk)), quotas.get((ind.pk, u.pk)))
            for u in units
            if not u.is_root
        ]
        table = SplitTable(ind, city_quota, [SplitPart(city, flows.get((ind.pk, city.pk)), None), *parts])
        if city_quota is not None:
            table.parts[0].quota = city_quota - table.townships_total
        tables.append(table)
    return tables
