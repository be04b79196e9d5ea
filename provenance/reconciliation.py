"""Where the portal knows the same figure twice, and the two differ (数据核对).

Two comparisons, for the year's indicators that people type (township- or bureau-entered; a ratio is
never typed, its parts are compared):

- **Typed and counted** (录入数 vs 台账数): the year's set has people type an indicator that a register
  also counts (a feed declares it: an earlier year's set, before the register, or a year the bureau
  chose to enter it). The register's count is what `feed_recount` would write (`feeds.feed_counts`),
  set beside the typed figure at each org unit, 市本级 included. Who differs: the units (and months)
  whose typed figure is not the count, with who typed it last, when and through which door.
- **The city's own figure beside the townships' sum** (市本级填报数 vs 区镇合计): a typed indicator with
  figures both at the city itself and below it. The engine adds the two (the city = 市本级 + the
  townships), so a city-wide total typed at 市本级 counts the townships twice, and a 市本级 entry that is
  the city's own share is not expected to equal them; the page sets them side by side month by month
  and names who typed the city's figure and the townships that reported nothing in a month that
  differs (the usual reason a sum falls short).

What "differ" means, for a flow (a month's amount) and a stock (a level at a month's end):
- a **flow** differs in a month when the two amounts differ, a side with nothing counting as 0 (no
  record, no amount); its figure — the year to date, which the dashboards show — differs when the sums
  of months 1..M differ. Months that differ while the year to date agrees are a timing difference (a
  loan typed in November and dated October): listed, not flagged on the cockpit.
- a **stock** differs in a month when the levels carried to that month's end differ (each side's
  latest level up to it, as the engine carries it); a level on one side only is a difference (nothing
  is not a level of 0). Its figure differs when the levels carried to M differ.
A check is **flagged** (counted on the cockpit) when its figure differs; it is listed on the page
when anything differs.

A fixed number of queries however many units, months and records: the year's indicators, the city,
the typed values, one count per register (a number the code declares, not the data), the townships."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Q, Subquery
from django.utils import timezone

from common.numbers import format_figure
from indicators.feeds import feed_counts, feed_of
from indicators.models import Indicator, MonthlyValue
from orgs.models import OrgUnit

from .selectors import FLOW, RATIO, door_label

TYPED_SOURCES = (Indicator.Source.TOWNSHIP, Indicator.Source.BUREAU)
REGISTER, TOWNSHIPS = "register", "townships"
ZERO = Decimal(0)

Series = dict[int, Decimal]  # month -> stored value


@dataclass(frozen=True)
class Typed:
    """A typed value and its latest writer."""

    value: Decimal
    by: str
    at: datetime
    channel: str

    @property
    def who(self) -> str:
        return f"{self.by} {timezone.localtime(self.at):%Y-%m-%d %H:%M}({door_label(self.channel)})"


@dataclass(frozen=True)
class Row:
    """One line of a check: a unit's figure (typed vs counted) or a month (市本级 vs the townships)."""

    label: str
    org_code: str
    typed: Decimal | None
    other: Decimal | None
    months: list[tuple[int, Decimal | None, Decimal | None]] = field(default_factory=list)  # months differing
    who: list[str] = field(default_factory=list)  # who typed the differing figures
    missing: list[str] = field(default_factory=list)  # townships with nothing that month

    @property
    def difference(self) -> Decimal:
        return (self.typed or ZERO) - (self.other or ZERO)


@dataclass(frozen=True)
class Check:
    indicator: Indicator
    kind: str  # REGISTER / TOWNSHIPS
    month: int
    typed_label: str
    other_label: str
    typed: Decimal | None  # at the city, year to date (flow) or the level carried to the month (stock)
    other: Decimal | None
    rows: list[Row]  # what differs

    @property
    def flagged(self) -> bool:
        """The figure the dashboards show differs (not only its months)."""
        return _differ(self.indicator.kind, self.typed, self.other)

    @property
    def difference(self) -> Decimal:
        return (self.typed or ZERO) - (self.other or ZERO)

    def shown(self, value: Decimal | None) -> str:
        return format_figure(value, self.indicator.value_places)

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.indicator.code}"


def _differ(kind: str, a: Decimal | None, b: Decimal | None) -> bool:
    if kind == FLOW:
        return (a or ZERO) != (b or ZERO)
    return a != b


def _carried(series: Series, month: int) -> Decimal | None:
    """A stock's level at a month's end: the latest stored up to it."""
    months = [m for m in series if m <= month]
    return series[max(months)] if months else None


def _figure(kind: str, series: Series, month: int) -> Decimal | None:
    if kind == FLOW:
        values = [v for m, v in series.items() if m <= month]
        return sum(values, ZERO) if values else None
    return _carried(series, month)


def _differing_months(kind: str, typed: Series, other: Series, month: int) -> list[tuple]:
    """(month, typed, other) for the months 1..month that differ (see the module's docstring)."""
    out = []
    for m in sorted({*typed, *other}):
        if m > month:
            continue
        if kind == FLOW:
            a, b = typed.get(m), other.get(m)
        else:
            a, b = _carried(typed, m), _carried(other, m)
        if _differ(kind, a, b):
            out.append((m, a, b))
    return out


def reconciliation_checks(
    *, year: int, month: int, codes: set[str] | None = None, city: OrgUnit | None = None
) -> list[Check]:
    """Every check of the year's typed indicators (or of `codes`) at the end of `month` where anything
    differs, in the set's order. `city`: the root unit, where the caller has it already."""
    indicators = list(
        Indicator.objects.filter(year=year, is_active=True, source__in=TYPED_SOURCES)
        .exclude(kind=RATIO)
        .filter(Q(code__in=codes) if codes is not None else Q())
        .order_by("sort_order", "code")
    )
    if not indicators:
        return []
    city = city or OrgUnit.objects.filter(parent__isnull=True).first()
    fed = [i for i in indicators if feed_of(i.code)]
    typed = _typed_values(indicators, fed=fed, city=city, year=year, month=month)
    counted = _counted(fed, year=year, month=month)
    involved = {u for _, u in typed} | {u for _, u in counted}
    units = {
        pk: (code, name, level)
        for pk, code, name, level in OrgUnit.objects.filter(
            Q(level=OrgUnit.Level.TOWNSHIP) | Q(pk__in=involved)
        ).values_list("pk", "code", "name", "level")
    }
    checks = _register_checks(fed, typed, counted, units, month=month)
    checks += _township_checks(indicators, typed, units, city=city, month=month)
    order = {i.pk: n for n, i in enumerate(indicators)}
    return sorted(checks, key=lambda c: (order[c.indicator.pk], c.kind))


# (indicator id, org unit id) -> {month: Typed}
TypedValues = dict[tuple[int, int], dict[int, Typed]]


def _typed_values(indicators, *, fed, city, year: int, month: int) -> TypedValues:
    """The typed values worth comparing: every unit's of the register-counted indicators, and every
    unit's of the indicators typed at the city itself. One query."""
    at_city = MonthlyValue.objects.filter(year=year, month__lte=month, org_unit=city)
    rows = (
        MonthlyValue.objects.filter(year=year, month__lte=month, indicator__in=indicators)
        .filter(Q(indicator__in=fed) | Q(indicator_id__in=Subquery(at_city.values("indicator_id"))))
        .values_list(
            "indicator_id",
            "org_unit_id",
            "month",
            "value",
            "channel",
            "updated_at",
            "updated_by__username",
            "updated_by__first_name",
            "updated_by__last_name",
        )
        .order_by()
    )
    out: TypedValues = defaultdict(dict)
    for indicator_id, unit_id, m, value, channel, at, username, first, last in rows:
        who = f"{first or ''} {last or ''}".strip() or username or "系统"  # User.get_full_name, joined
        out[(indicator_id, unit_id)][m] = Typed(value, who, at, channel)
    return out


def _counted(fed: list[Indicator], *, year: int, month: int) -> dict[tuple[int, int], Series]:
    """(indicator id, org unit id) -> what the register counts there, month by month. One query per
    register."""
    by_code = {i.code: i for i in fed}
    out: dict[tuple[int, int], Series] = defaultdict(dict)
    for feed in {id(f): f for f in map(feed_of, by_code)}.values():
        for (code, unit_id, m), value in feed_counts(feed, year=year, months=range(1, month + 1)).items():
            if code in by_code:
                out[(by_code[code].pk, unit_id)][m] = value
    return out


def _series(typed: dict[int, Typed]) -> Series:
    return {m: t.value for m, t in typed.items()}


def _total(values) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def _who(typed: dict[int, Typed], months) -> list[str]:
    return list(dict.fromkeys(typed[m].who for m, _, _ in months if m in typed))


def _register_checks(fed, typed: TypedValues, counted, units, *, month: int) -> list[Check]:
    """Typed vs counted, unit by unit; the check's figure is the city's (every unit added)."""
    checks = []
    for ind in fed:
        unit_ids = {u for i, u in (*typed, *counted) if i == ind.pk}
        rows, typed_figures, counted_figures = [], [], []
        for unit_id in sorted(unit_ids, key=lambda u: units[u][0]):
            mine, count = typed.get((ind.pk, unit_id), {}), counted.get((ind.pk, unit_id), {})
            a, b = _figure(ind.kind, _series(mine), month), _figure(ind.kind, count, month)
            typed_figures.append(a)
            counted_figures.append(b)
            months = _differing_months(ind.kind, _series(mine), count, month)
            if months:
                code, name, _ = units[unit_id]
                rows.append(Row(name, code, a, b, months, _who(mine, months)))
        if rows:
            register = feed_of(ind.code).register
            label = Indicator.Source(ind.source).label
            typed_total, counted_total = _total(typed_figures), _total(counted_figures)
            checks.append(
                Check(ind, REGISTER, month, label, f"{register}汇总", typed_total, counted_total, rows)
            )
    return checks


def _township_checks(indicators, typed: TypedValues, units, *, city, month: int) -> list[Check]:
    """市本级's own typed figure vs the townships' sum, month by month."""
    townships = {pk: name for pk, (_, name, level) in units.items() if level == OrgUnit.Level.TOWNSHIP}
    checks = []
    for ind in indicators:
        own = typed.get((ind.pk, city.pk))
        below = {u: _series(s) for (i, u), s in typed.items() if i == ind.pk and u != city.pk}
        if not own or not below:
            continue
        sums = _sums(ind.kind, below, month)
        months = _differing_months(ind.kind, _series(own), sums, month)
        if not months:
            continue
        rows = [
            Row(
                f"{m}月",
                city.code,
                a,
                b,
                who=_who(own, [(m, a, b)]),
                missing=[
                    name
                    for pk, name in townships.items()
                    if _carried_or_month(ind.kind, below.get(pk), m) is None
                ],
            )
            for m, a, b in months
        ]
        own_figure = _figure(ind.kind, _series(own), month)
        checks.append(
            Check(
                ind,
                TOWNSHIPS,
                month,
                "市本级填报",
                "各区镇街道合计",
                own_figure,
                _figure(ind.kind, sums, month),
                rows,
            )
        )
    return checks


def _carried_or_month(kind: str, series: Series | None, month: int) -> Decimal | None:
    """What a unit gave for a month: a flow's amount, a stock's level carried to it."""
    if not series:
        return None
    return series.get(month) if kind == FLOW else _carried(series, month)


def _sums(kind: str, below: dict[int, Series], month: int) -> Series:
    """The units' sum for each month 1..month that has one (a stock: of the levels carried)."""
    out: Series = {}
    for m in range(1, month + 1):
        total = _total(_carried_or_month(kind, series, m) for series in below.values())
        if total is not None:
            out[m] = total
    return out
