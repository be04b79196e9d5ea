"""Year summaries of the labour-relations registers, as the annual report states them. Each summary is
a few aggregate queries over the register (never one per record); rates are percentages rounded half up to
the report's two places, None when there is nothing to divide by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from accounts.permissions import RecordScope
from common.db import DecimalSum
from common.numbers import round_half_up

from .feeds import AT_ARBITRATION, ENDED_AT_ARBITRATION
from .models import BlacklistEntry, CreditRating, DisputeCase, WageArrearsCase


def _rate(part: int, whole: int) -> Decimal | None:
    return round_half_up(Decimal(part) * 100 / whole, 2) if whole else None


@dataclass(frozen=True)
class DisputeYear:
    year: int
    received: int
    closed: int
    closed_by: dict[str, int]  # 结案方式 label -> closings
    closed_on_time: int
    arbitration_closed: int
    arbitration_final: int
    final_awards: int
    open_at_year_end: int

    @property
    def mediation_rate(self) -> Decimal | None:
        return _rate(self.closed_by.get(DisputeCase.Closing.MEDIATED.label, 0), self.closed)

    @property
    def closure_rate_at_term(self) -> Decimal | None:
        return _rate(self.closed_on_time, self.closed)

    @property
    def arbitration_finality_rate(self) -> Decimal | None:
        return _rate(self.arbitration_final, self.arbitration_closed)


def dispute_year_summary(*, year: int, scope: RecordScope) -> DisputeYear:
    cases = scope.records(DisputeCase.objects.all())
    received = cases.filter(received_on__year=year).count()
    closings = cases.filter(closed_on__year=year)
    by_how = dict(closings.values_list("closed_how").annotate(n=Count("id")).order_by())
    totals = closings.aggregate(
        closed=Count("id"),
        on_time=Count("id", filter=Q(closed_on__lte=F("deadline_on"))),
        arbitration=Count("id", filter=AT_ARBITRATION),
        final=Count("id", filter=ENDED_AT_ARBITRATION),
        final_awards=Count("id", filter=Q(final_award=True)),
    )
    year_end = date(year, 12, 31)
    still_open = cases.filter(received_on__lte=year_end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=year_end)
    )
    return DisputeYear(
        year=year,
        received=received,
        closed=totals["closed"],
        closed_by={label: by_how.get(value, 0) for value, label in DisputeCase.Closing.choices},
        closed_on_time=totals["on_time"],
        arbitration_closed=totals["arbitration"],
        arbitration_final=totals["final"],
        final_awards=totals["final_awards"],
        open_at_year_end=still_open.count(),
    )


@dataclass(frozen=True)
class WageArrearsYear:
    year: int
    cases: int
    workers: int
    recovered_wan: Decimal  # 万元, exact
    referred_to_police: int
    court_enforcement: int
    by_source: dict[str, int]


def wage_arrears_year_summary(*, year: int, scope: RecordScope) -> WageArrearsYear:
    """Cases closed in the year (the report's 办理案件数 counts cases concluded, all of them in time)."""
    closed = scope.records(WageArrearsCase.objects.filter(closed_on__year=year))
    totals = closed.aggregate(
        cases=Count("id"),
        workers=Sum("workers", default=0),
        recovered=DecimalSum("amount_recovered", default=Decimal(0)),
        police=Count("id", filter=Q(referred_to_police=True)),
        court=Count("id", filter=Q(court_enforcement=True)),
    )
    by_source = dict(closed.values_list("source").annotate(n=Count("id")).order_by())
    return WageArrearsYear(
        year=year,
        cases=totals["cases"],
        workers=totals["workers"],
        recovered_wan=totals["recovered"].scaleb(-4).normalize(),
        referred_to_police=totals["police"],
        court_enforcement=totals["court"],
        by_source={label: by_source.get(value, 0) for value, label in WageArrearsCase.Source.choices},
    )


@dataclass(frozen=True)
class CreditYear:
    year: int
    rated: int
    by_grade: dict[str, int]
    blacklisted_in_year: int
    blacklist_current: int  # on the list at the end of the year (or today, for this year)


def credit_year_summary(*, year: int, scope: RecordScope) -> CreditYear:
    ratings = scope.records(CreditRating.objects.filter(year=year))
    by_grade = dict(ratings.values_list("grade").annotate(n=Count("id")).order_by())
    listings = scope.records(BlacklistEntry.objects.all())
    year_end = date(year, 12, 31)
    current = listings.filter(listed_on__lte=year_end).filter(
        Q(removed_on__isnull=True) | Q(removed_on__gt=year_end)
    )
    return CreditYear(
        year=year,
        rated=sum(by_grade.values()),
        by_grade={label: by_grade.get(value, 0) for value, label in CreditRating.Grade.choices},
        blacklisted_in_year=listings.filter(listed_on__year=year).count(),
        blacklist_current=current.count(),
    )


def blacklist_current(*, on: date | None = None, scope: RecordScope) -> QuerySet:
    """Employers on the list on a day (today by default)."""
    from django.utils import timezone

    on = on or timezone.localdate()
    listings = scope.records(BlacklistEntry.objects.all())
    return listings.filter(listed_on__lte=on).filter(Q(removed_on__isnull=True) | Q(removed_on__gt=on))
