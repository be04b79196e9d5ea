"""Figures an upload should be asked about before it is confirmed: far from the township's own history,
or outside what the indicator can plausibly be. Warnings, never refusals: a real jump happens (a new
industrial park, a campaign month), and the person confirming is the one who knows. What cannot be
stored (negative, too many digits, a fraction of a person) is refused elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Q, Sum

from common.errors import Problem
from common.numbers import format_figure, round_half_up
from indicators.catalog import registered_specs
from indicators.models import Indicator, MonthlyValue
from indicators.services import ValueEntry
from orgs.reference import CITY

RECENT_MONTHS = 3
RESIDENTS = "social_insurance.resident_population"
# 常住人口 when none is stored yet: the bureau's 2024 report counts 60.42万 e-cards as 70.58% of the
# residents, about 85.6万. No township can count more people than the whole city has.
FALLBACK_RESIDENTS = Decimal(856_000)
PEOPLE = "人"


@dataclass(frozen=True)
class _History:
    last_year: Decimal | None  # the same month last year
    recent_sum: Decimal | None  # the RECENT_MONTHS months before this one
    recent_count: int
    highest: Decimal | None  # the highest figure on record before this month

    @property
    def recent_average(self) -> Decimal | None:
        return self.recent_sum / self.recent_count if self.recent_count and self.recent_sum else None


def plausibility_warnings(*, entries: list[ValueEntry], year: int, month: int) -> list[Problem]:
    """One warning per figure far from the township's history (the same month last year, else the
    recent months' average, else the highest figure on record, by more than REPORT_WARN_FACTOR), and
    one per figure above its indicator's ceiling (a count of people above the city's residents, or
    the ceiling the indicator declares). Two queries whatever the number of figures."""
    reported = [e for e in entries if e.value is not None]
    if not reported:
        return []
    factor = Decimal(settings.REPORT_WARN_FACTOR)
    history = _history(reported, year, month)
    ceilings = _ceilings({e.indicator for e in reported})
    warnings = []
    for e in reported:
        past = history.get((e.org_unit.pk, e.indicator.pk))
        message = _history_message(e, past, factor) if past else None
        if message:
            warnings.append(e.problem(message))
        ceiling = ceilings.get(e.indicator.pk)
        if ceiling and e.value > ceiling[0]:
            warnings.append(e.problem(_ceiling_message(e, *ceiling)))
    return warnings


def _history(entries: list[ValueEntry], year: int, month: int) -> dict[tuple[int, int], _History]:
    """Per township × indicator, from the months before this one: one grouped query."""
    months = [_months_before(year, month, n) for n in range(1, RECENT_MONTHS + 1)]
    recent = Q()
    for y, m in months:
        recent |= Q(year=y, month=m)
    rows = (
        MonthlyValue.objects.filter(
            Q(year__lt=year) | Q(year=year, month__lt=month),
            org_unit_id__in={e.org_unit.pk for e in entries},
            indicator_id__in={e.indicator.pk for e in entries},
        )
        .values("org_unit_id", "indicator_id")
        .annotate(
            last_year=Max("value", filter=Q(year=year - 1, month=month)),
            recent_sum=Sum("value", filter=recent),
            recent_count=Count("id", filter=recent),
            highest=Max("value"),
        )
    )
    return {
        (r["org_unit_id"], r["indicator_id"]): _History(
            r["last_year"], r["recent_sum"], r["recent_count"], r["highest"]
        )
        for r in rows
    }


def _months_before(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + month - 1 - n
    return index // 12, index % 12 + 1


def _history_message(e: ValueEntry, past: _History, factor: Decimal) -> str | None:
    value, name, unit = e.value, e.indicator.name, e.indicator.unit
    before = past.last_year
    if before and before > 0:
        if value > before * factor or value * factor < before:
            return (
                f"“{name}”填报{value.normalize():f}{unit},去年同月为{before.normalize():f}{unit},"
                f"相差超过{factor}倍,请核实。"
            )
        return None
    average = past.recent_average
    if average and average > 0:
        # A level (stock) does not collapse in a month either; a month's flow may well be small.
        low = e.indicator.kind == Indicator.Kind.STOCK and value * factor < average
        if value > average * factor or low:
            shown = _figure(round_half_up(average, e.indicator.value_places), e.indicator)
            return (
                f"“{name}”填报{_figure(value, e.indicator)}{unit},近{past.recent_count}个月平均为"
                f"{shown}{unit},相差超过{factor}倍,请核实。"
            )
        return None
    if past.highest and past.highest > 0 and value > past.highest * factor:
        return (
            f"“{name}”填报{_figure(value, e.indicator)}{unit},超过本区镇街道以往最高值"
            f"{_figure(past.highest, e.indicator)}{unit}的{factor}倍,请核实。"
        )
    return None


def _ceilings(indicators: set[Indicator]) -> dict[int, tuple[Decimal, str]]:
    """(ceiling, what it is) per indicator that has one: the declared plausible_max, else the city's
    residents for a count of people."""
    declared = {spec.code: spec.plausible_max for spec in registered_specs() if spec.plausible_max}
    residents = None
    ceilings = {}
    for indicator in indicators:
        if indicator.code in declared:
            ceilings[indicator.pk] = (Decimal(declared[indicator.code]), "该指标的合理上限")
        elif indicator.unit == PEOPLE:
            residents = residents or _residents()
            ceilings[indicator.pk] = (residents, "全市常住人口")
    return ceilings


def _residents() -> Decimal:
    """The city's latest stored resident population, else FALLBACK_RESIDENTS."""
    latest = (
        MonthlyValue.objects.filter(indicator__code=RESIDENTS, org_unit__code=CITY[0])
        .order_by("-year", "-month")
        .values_list("value", flat=True)
        .first()
    )
    return latest if latest and latest > 0 else FALLBACK_RESIDENTS


def _ceiling_message(e: ValueEntry, ceiling: Decimal, what: str) -> str:
    unit = e.indicator.unit
    return (
        f"“{e.indicator.name}”填报{_figure(e.value, e.indicator)}{unit},超过{what}"
        f"({_figure(ceiling, e.indicator)}{unit}),请核实是否多填了位数或填错了单位。"
    )


def _figure(value: Decimal, indicator: Indicator) -> str:
    return format_figure(value, max(indicator.value_places, 0))
