"""Registers feed indicators. A domain app declares, for each of its registers (loans, dispute cases,
certificates, ...), which monthly values the records produce; from then on the portal counts them
itself: the register write service (registers/services.py) collects the months a batch of writes
touches and calls `feed_recount` once for them, which writes the values through `monthly_values_apply`
(channel REGISTER, so only this path may write them) in the same transaction as the records; the
completion engine runs after the commit.

    feed(Feed(
        register="欠薪案件台账",
        model="labor_relations.WageArrearsCase",
        date_field="closed_on",
        filter=Q(closed_on__isnull=False),
        values={"labor_relations.wages_recovered": DecimalSum("amount_recovered")},
        divide_by={"labor_relations.wages_recovered": 10000},  # 元 → 万元
        places={"labor_relations.wages_recovered": 4},
    ))

A value is one aggregate and nothing more: Count, Sum of whole numbers, DecimalSum of decimals (exact on
SQLite too, common.db), Max or Min. Arithmetic on it belongs in `divide_by` and `places`, done in Python
with Decimal: in SQL the same expression gives other figures on other backends (SQLite divides a
whole-number sum as an integer, and adds decimals as floats). `feed()` refuses anything else.

Records carry the org unit they count at (a township, the city itself for 市本级, or a village); the
engine rolls them up. A month with no record at an org unit has no value there ("not reported"),
never a typed zero; a month with records whose filtered count is 0 stores 0.

No signals: a write that bypasses registers.services (raw SQL, a queryset update) must call
`feed_recount` itself."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.db.models import Q

from .services import ValueEntry, monthly_values_apply

Period = tuple[int, int]  # (year, month)


@dataclass(frozen=True)
class Feed:
    register: str  # the register's name as users read it: "创业担保贷款台账"
    model: str  # "app_label.ModelName"
    values: dict[str, models.Aggregate | models.Expression]  # indicator code -> aggregate over records
    # The month a record counts in: a DateField, or a pair of (year, month) integer fields.
    date_field: str | None = None
    period_fields: tuple[str, str] | None = None
    # The org unit a record counts at; None for a register of the city's own (certification bodies): its
    # records count at the city.
    org_field: str | None = "org_unit"
    filter: Q | None = None  # which records count at all
    # Stock figures that are running totals (e-cards issued so far): a month's value aggregates every
    # record up to and including that month, so a change also moves every later month.
    cumulative: bool = False
    # Unit conversion of a value, exactly, before its rounding: a power of ten (元 → 万元: 10000).
    divide_by: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)  # rounding of a value (default: exact)

    def __post_init__(self):
        if (self.date_field is None) == (self.period_fields is None):
            raise ValueError(f"feed {self.register!r}: give exactly one of date_field and period_fields")

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def period_of(self, record: models.Model) -> Period | None:
        if self.date_field:
            day = getattr(record, self.date_field)
            return (day.year, day.month) if day else None
        year, month = (getattr(record, f) for f in self.period_fields)
        return (year, month) if year and month else None


_feeds: list[Feed] = []


def feed(*feeds: Feed) -> None:
    """Declare feeds (from a domain app's AppConfig.ready)."""
    for new in feeds:
        if any(f.register == new.register and f.values.keys() == new.values.keys() for f in _feeds):
            continue  # ready() may run twice in tests
        taken = fed_indicators()
        clash = [code for code in new.values if code in taken]
        if clash:
            raise ValueError(f"{clash} are already fed by {[taken[c] for c in clash]}")
        _check_exact(new)
        _feeds.append(new)


def _check_exact(feed_: Feed) -> None:
    """Refuse a value that would not be the same figure on every backend (see the module docstring)."""
    from django.db.models.sql import Query

    from common.db import DecimalSum

    for code, aggregate in feed_.values.items():
        where = f"feed {feed_.register!r}, {code!r}"
        if type(aggregate) not in (models.Count, models.Sum, DecimalSum, models.Max, models.Min):
            raise ValueError(f"{where}: give one Count/Sum/DecimalSum/Max/Min, convert units with divide_by")
        resolved = aggregate.resolve_expression(Query(feed_.model_class))
        if type(aggregate) is models.Sum and isinstance(resolved.output_field, models.DecimalField):
            raise ValueError(f"{where}: a Sum of decimals is a float sum on SQLite; use common.db.DecimalSum")
    for code, divisor in feed_.divide_by.items():
        if code not in feed_.values or divisor < 1 or str(divisor).rstrip("0") != "1":
            raise ValueError(f"feed {feed_.register!r}: divide_by {code!r} must be a power of ten of a value")


def feeds_of(model: type[models.Model] | str) -> list[Feed]:
    label = model if isinstance(model, str) else model._meta.label
    return [f for f in _feeds if f.model == label]


def fed_indicators() -> dict[str, str]:
    """Indicator code -> the register that produces it."""
    return {code: f.register for f in _feeds for code in f.values}


def feed_periods(model: type[models.Model] | str, record: models.Model) -> set[Period]:
    """The months a record counts in, over every feed of its model."""
    return {p for f in feeds_of(model) if (p := f.period_of(record))}


# ----------------------------------------------------------------------------- counting


def _months_through(first: Period, last: Period) -> list[Period]:
    (y, m), out = first, []
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _period_q(feed_: Feed, periods: set[Period], *, through: bool) -> Q:
    """Records in these months (or, for running totals, up to the last of them)."""
    if feed_.date_field:
        if through:
            year, month = max(periods)
            end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
            return Q(**{f"{feed_.date_field}__lt": end})
        q = Q()
        for year, month in periods:
            q |= Q(**{f"{feed_.date_field}__year": year, f"{feed_.date_field}__month": month})
        return q
    yf, mf = feed_.period_fields
    if through:
        year, month = max(periods)
        return Q(**{f"{yf}__lt": year}) | Q(**{yf: year, f"{mf}__lte": month})
    q = Q()
    for year, month in periods:
        q |= Q(**{yf: year, mf: month})
    return q


def _counted(feed_: Feed, periods: set[Period]) -> dict[tuple[str, int, Period], Decimal]:
    """(indicator code, org unit id, month) -> value, for the months asked."""
    from django.db.models.functions import ExtractMonth, ExtractYear

    records = feed_.model_class._default_manager.all()
    if feed_.filter is not None:
        records = records.filter(feed_.filter)
    records = records.filter(_period_q(feed_, periods, through=feed_.cumulative))
    records = records.annotate(_org=_org_expression(feed_))
    if feed_.date_field:
        records = records.annotate(
            _y=ExtractYear(feed_.date_field), _m=ExtractMonth(feed_.date_field)
        ).values("_org", "_y", "_m")
    else:
        yf, mf = feed_.period_fields
        records = records.annotate(_y=models.F(yf), _m=models.F(mf)).values("_org", "_y", "_m")
    rows = records.annotate(**{f"v{i}": agg for i, agg in enumerate(feed_.values.values())}).order_by()
    codes = list(feed_.values)
    out: dict[tuple[str, int, Period], Decimal] = {}
    for row in rows:
        for i, code in enumerate(codes):
            value = row[f"v{i}"]
            if value is None:
                continue
            out[(code, row["_org"], (row["_y"], row["_m"]))] = _exact(
                value, feed_.divide_by.get(code, 1), feed_.places.get(code)
            )
    if feed_.cumulative:
        out = _running_totals(out, periods)
    return out


def _org_expression(feed_: Feed):
    if feed_.org_field is not None:
        return models.F(feed_.org_field)
    from orgs.selectors import org_root

    return models.Value(org_root().pk, output_field=models.BigIntegerField())


def _running_totals(monthly: dict, periods: set[Period]) -> dict:
    """Turn month-by-month amounts into levels at each asked month's end."""
    firsts: dict[tuple[str, int], Period] = {}
    for code, org, period in monthly:
        firsts[(code, org)] = min(period, firsts.get((code, org), period))
    out = {}
    for (code, org), first in firsts.items():
        level = Decimal(0)
        for period in _months_through(first, max(periods)):
            level += monthly.get((code, org, period), Decimal(0))
            if period in periods:
                out[(code, org, period)] = level
    return out


def _exact(value, divisor: int, places: int | None) -> Decimal:
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    value = value.scaleb(1 - len(str(divisor)))  # ÷ a power of ten: exact, whatever the digits
    if places is not None:
        from common.numbers import round_half_up

        value = round_half_up(value, places)
    return value.normalize() if value == value.to_integral_value() else value


def feed_recount(*, model: type[models.Model] | str, periods: Iterable[Period], user) -> None:
    """Recount the values a model's records produce for these months and write them through
    `monthly_values_apply` (channel REGISTER). Raises PortalError if the figures break a rule (a month
    not yet come, a part above its whole...). Called by registers.services, once per batch of writes."""
    from orgs.models import OrgUnit

    from .models import Channel, Indicator, MonthlyValue

    periods = set(periods)
    feeds = feeds_of(model)
    if not periods or not feeds:
        return
    if any(f.cumulative for f in feeds):
        # A running total is a level in every month from the register's first record to its latest (a
        # record moves every later month, and fills the months in between); months after the latest
        # record are not reported yet.
        first, last = _record_span(feeds)
        periods = set(periods) | set(_months_through(min(first, min(periods)), max(last, max(periods))))
    # Each year's own indicator rows, and only those its set has the register count: a year whose set
    # leaves the indicator out, or has the bureau enter it instead, gets nothing from the register.
    indicators = {
        (i.code, i.year): i
        for i in Indicator.objects.filter(
            code__in=[c for f in feeds for c in f.values],
            year__in={y for y, _ in periods},
            source=Indicator.Source.REGISTER,
            is_active=True,
        )
    }
    counted: dict[tuple[str, int, Period], Decimal] = {}
    for f in feeds:
        counted.update(_counted(f, periods))
    stored = set(
        MonthlyValue.objects.filter(indicator__in=indicators.values())
        .filter(_stored_q(periods))
        .values_list("indicator__code", "org_unit_id", "year", "month")
    )
    keys = set(counted) | {(code, org, (y, m)) for code, org, y, m in stored}
    orgs = OrgUnit.objects.in_bulk({org for _, org, _ in keys})
    entries = [
        ValueEntry(
            indicator=indicators[(code, year)],
            org_unit=orgs[org],
            year=year,
            month=month,
            value=counted.get((code, org, (year, month))),  # None: no record left, no value
        )
        for code, org, (year, month) in sorted(keys)
        if (code, year) in indicators
    ]
    if entries:
        monthly_values_apply(
            entries=entries, user=user, channel=Channel.REGISTER, note=f"由“{feeds[0].register}”汇总"
        )


def _record_span(feeds: list[Feed]) -> tuple[Period, Period]:
    """The first and the latest month any record of these feeds counts in."""
    found: list[Period] = []
    for f in feeds:
        records = f.model_class._default_manager.all()
        if f.date_field:
            span = records.aggregate(first=models.Min(f.date_field), last=models.Max(f.date_field))
            found += [(d.year, d.month) for d in span.values() if d]
        else:
            yf, mf = f.period_fields
            for order in ((yf, mf), (f"-{yf}", f"-{mf}")):
                row = records.order_by(*order).values_list(yf, mf).first()
                found += [tuple(row)] if row else []
    return (min(found), max(found)) if found else ((9999, 12), (0, 1))


def _stored_q(periods: set[Period]) -> Q:
    q = Q()
    for year, month in periods:
        q |= Q(year=year, month=month)
    return q


# ----------------------------------------------------------------------------- reading back (provenance)


def feed_of(code: str) -> Feed | None:
    """The feed that counts an indicator, if one does (`feed()` lets one feed count a code at most)."""
    return next((f for f in _feeds if code in f.values), None)


def feed_records(feed_: Feed, code: str, *, year: int, months: Iterable[int]) -> models.QuerySet:
    """The records that make `code`'s figures in these months of a year, at every org unit (the
    caller narrows them, on `feed_.org_field`, to the units it may show): the feed's filter, the
    value's own (Count("id", filter=…)) and the months the records count in; for a running total
    every record up to the last of them, as `feed_recount` counts it."""
    records = feed_.model_class._default_manager.all()
    for q in (feed_.filter, getattr(feed_.values[code], "filter", None)):
        if q is not None:
            records = records.filter(q)
    return records.filter(_period_q(feed_, {(year, m) for m in months}, through=feed_.cumulative))


def feed_total(feed_: Feed, code: str, records: models.QuerySet) -> tuple[int, Decimal | None]:
    """How many records these are and the figure they make, converted and rounded as the recount
    writes it. One query."""
    found = records.order_by().aggregate(n=models.Count("pk"), v=feed_.values[code])
    value = found["v"]
    if value is None:
        return found["n"], None
    return found["n"], _exact(value, feed_.divide_by.get(code, 1), feed_.places.get(code))


def feed_counts(feed_: Feed, *, year: int, months: Iterable[int]) -> dict[tuple[str, int, int], Decimal]:
    """(indicator code, org unit id, month) -> the figure the records make there, for these months of
    a year, whatever the year's set says of the indicator: what a recount would write, to set beside
    a figure typed instead (provenance.reconciliation). One query."""
    counted = _counted(feed_, {(year, m) for m in months})
    return {(code, org, month): value for (code, org, (y, month)), value in counted.items() if y == year}
