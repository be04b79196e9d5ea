"""The register records behind a figure (追溯 to the records). A register-fed figure is what
`indicators.feeds.feed_recount` counted from the records of one month at one org unit; this module
reads the same records back through the same declaration (the feed's filter, the value's own
filter, the month or, for a running total, every month up to it; `feeds.feed_records`), narrowed to
the units of the part and to what the reader may see (RecordScope: a township only its own). Shown
with the register's own columns (`Model.register`, declared once), a page at a time; bureau staff
also get the admin's change list filtered to the same month and unit, to correct a record there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db import models
from django.urls import NoReverseMatch, reverse

from accounts.permissions import RecordScope
from common.numbers import format_figure
from indicators.feeds import Feed, feed_of, feed_records, feed_total
from indicators.models import Indicator
from orgs.models import OrgUnit
from registers.declaration import Column

from .selectors import part_units

RECORDS_PER_PAGE = 100


@dataclass(frozen=True)
class RecordsSummary:
    feed: Feed
    count: int
    figure: Decimal | None  # what these records make, as the recount writes it


def _records(
    feed: Feed,
    indicator: Indicator,
    *,
    unit: OrgUnit,
    own: bool,
    year: int,
    months: list[int],
    scope: RecordScope,
) -> models.QuerySet:
    records = feed_records(feed, indicator.code, year=year, months=months)
    if feed.org_field is None:  # a register of the city's own: its records count at the city alone
        return scope.city_records(records) if unit.is_city else records.none()
    records = records.filter(**{f"{feed.org_field}__in": part_units(unit, own=own)})
    return scope.records(records, feed.org_field)


def records_summary(
    *, indicator: Indicator, unit: OrgUnit, own: bool, year: int, months: list[int], scope: RecordScope
) -> RecordsSummary | None:
    """How many records of the indicator's register count in these months at the part, and what they
    make; None for an indicator no register counts. One query."""
    feed = feed_of(indicator.code)
    if feed is None:
        return None
    records = _records(feed, indicator, unit=unit, own=own, year=year, months=months, scope=scope)
    count, figure = feed_total(feed, indicator.code, records)
    return RecordsSummary(feed, count, figure)


@dataclass(frozen=True)
class RecordsPage:
    summary: RecordsSummary
    headers: list[str]
    rows: list[list[str]]
    page: int
    pages: int

    @property
    def pages_range(self) -> range:
        return range(1, self.pages + 1)


def records_page(
    *,
    indicator: Indicator,
    unit: OrgUnit,
    own: bool,
    year: int,
    months: list[int],
    scope: RecordScope,
    page: int,
) -> RecordsPage | None:
    """One page of the records, with the register's own columns. Two queries: the summary and the page."""
    summary = records_summary(indicator=indicator, unit=unit, own=own, year=year, months=months, scope=scope)
    if summary is None:
        return None
    feed = summary.feed
    columns = _columns(feed.model_class)
    pages = max(1, -(-summary.count // RECORDS_PER_PAGE))
    page = min(max(page, 1), pages)
    records = _records(feed, indicator, unit=unit, own=own, year=year, months=months, scope=scope)
    related = sorted({path.split("__")[0] for _, path in columns if _is_relation(feed.model_class, path)})
    start = (page - 1) * RECORDS_PER_PAGE
    chunk = records.select_related(*related).order_by("pk")[start : start + RECORDS_PER_PAGE]
    rows = [[_shown(record, path) for _, path in columns] for record in chunk]
    return RecordsPage(summary, [header for header, _ in columns], rows, page, pages)


def _columns(model: type[models.Model]) -> list[tuple[str, str]]:
    """(header, path) of the register's declared columns, in its sheet's order. A column that only
    shows a related record's name beside its code (ORG_NAME) is left out: here the related record is
    shown by its name and code already."""
    declared = model.register.columns
    named = {c for c in declared if isinstance(c, str)}
    out = []
    for column in declared:
        if isinstance(column, Column) and column.shows.split("__")[0] in named:
            continue
        if isinstance(column, Column):
            out.append((column.header, column.shows or column.field))
        else:
            out.append((str(model._meta.get_field(column).verbose_name), column))
    return out


def _is_relation(model: type[models.Model], path: str) -> bool:
    return model._meta.get_field(path.split("__")[0]).is_relation


def _shown(record: models.Model, path: str) -> str:
    """A record's value as the register's reader reads it: a choice by its label, 是/否, a decimal to
    its places, a date as 2024-03-05, a related record by its name."""
    *through, name = path.split("__")
    obj = record
    for step in through:
        obj = getattr(obj, step, None)
        if obj is None:
            return "—"
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(getattr(obj, f"get_{name}_display")())
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format_figure(value, field.decimal_places or 0)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def admin_records_url(feed: Feed, *, unit: OrgUnit, own: bool, year: int, months: list[int]) -> str | None:
    """The register's admin change list narrowed to the same months and units (bureau staff correct a
    record there): by the units' ids, the one lookup across a relation the admin allows whatever its
    filters; none for the whole city. A running total's list is of the months' own records: the
    admin cannot say "every month up to this one" in its filters. One query (the units below)."""
    meta = feed.model_class._meta
    try:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    except NoReverseMatch:
        return None
    first, last = min(months), max(months)
    if feed.date_field:
        end = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
        params = {f"{feed.date_field}__gte": date(year, first, 1).isoformat(), f"{feed.date_field}__lt": end}
    else:
        year_field, month_field = feed.period_fields
        params = {year_field: year, f"{month_field}__gte": first, f"{month_field}__lte": last}
    if feed.org_field is None:  # the city's own register: nothing of it counts below the city
        if not unit.is_city:
            return None
    elif own or not unit.is_city:
        ids = part_units(unit, own=own)
        params[f"{feed.org_field}__id__in"] = ",".join(str(pk) for pk in sorted(ids))
    return f"{url}?{urlencode(params)}"
