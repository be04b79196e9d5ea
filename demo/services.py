"""Demo data that reproduces the bureau's 2024 report, written through the same services as
every other door. Deterministic (fixed seeds), so running it twice changes nothing."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from common.db import analyze
from completion.models import Completion, CompletionRun
from completion.services import completion_recompute
from indicators.catalog_sync import indicator_catalog_sync
from indicators.models import Channel, Indicator, MonthlyValue, Quota
from indicators.services import ValueEntry, monthly_values_apply, quota_set
from indicators.sets import indicator_set_copy
from orgs.models import OrgUnit
from orgs.services import org_units_load_reference
from registers.services import records_batch

from . import current_year as CY
from . import figures as F
from .making import BASE_WEIGHT, split_exactly


def _weights(townships: list[OrgUnit], seed: str, spread: float) -> list[float]:
    rng = random.Random(seed)
    return [BASE_WEIGHT[t.kind] * rng.uniform(1 - spread, 1 + spread) for t in townships]


def _monthly(total: Decimal, seed: str, places: int) -> list[Decimal]:
    rng = random.Random(seed)
    return split_exactly(total, [p * rng.uniform(0.8, 1.2) for p in F.MONTH_PROFILE], places)


def _township_entries(ind: dict[str, Indicator], townships: list[OrgUnit]) -> list[ValueEntry]:
    """Each township's months. A "其中" part is split in proportion to its whole's cells, so it
    never exceeds the whole in any month."""
    cells: dict[str, list[list[Decimal]]] = {}
    for code, total in F.TOWNSHIP_FLOWS.items():
        if ind[code].fed_by:  # counted from the register's demo records instead
            continue
        parent = ind[code].parent
        if parent is None:
            per_township = split_exactly(total, _weights(townships, f"{code}/actual", 0.35))
            cells[code] = [
                _monthly(t_total, f"{code}/{t.code}", 0)
                for t_total, t in zip(per_township, townships, strict=True)
            ]
        else:
            whole = cells[parent.code]
            flat = split_exactly(total, [float(v) + 1e-9 for row in whole for v in row])
            cells[code] = [flat[i * 12 : (i + 1) * 12] for i in range(len(townships))]
    return [
        ValueEntry(indicator=ind[code], org_unit=t, year=F.YEAR, month=m, value=v)
        for code, rows in cells.items()
        if not ind[code].fed_by
        for t, row in zip(townships, rows, strict=True)
        for m, v in enumerate(row, start=1)
    ]


def _city_entries(ind: dict[str, Indicator], city: OrgUnit) -> list[ValueEntry]:
    series: dict[str, list[Decimal]] = {}
    for code, total in F.CITY_FLOWS.items():
        if ind[code].fed_by:
            continue
        parent = ind[code].parent
        if code in F.CITY_FLOW_MONTHS:
            series[code] = _in_months(total, F.CITY_FLOW_MONTHS[code], ind[code].value_places)
        elif parent is None:
            series[code] = _monthly(total, f"{code}/city", ind[code].value_places)
        else:
            series[code] = split_exactly(total, [float(v) for v in series[parent.code]])
    for code, (start, end) in F.CITY_STOCKS.items():
        if ind[code].fed_by:
            continue
        unit = Decimal(1).scaleb(-ind[code].value_places)
        series[code] = [(start + (end - start) * m / 12).quantize(unit) for m in range(1, 13)]
    return [
        ValueEntry(indicator=ind[code], org_unit=city, year=F.YEAR, month=m, value=v)
        for code, row in series.items()
        for m, v in enumerate(row, start=1)
        if v is not None
    ]


def _in_months(total: Decimal, months: list[int], places: int) -> list[Decimal | None]:
    """A flow entered in some months only, in equal parts (exact): the other months not reported."""
    parts = iter(split_exactly(total, [1.0] * len(months), places))
    return [next(parts) if m in months else None for m in range(1, 13)]


def _quotas(ind: dict[str, Indicator], city: OrgUnit, townships: list[OrgUnit]) -> None:
    for code, target in F.CITY_QUOTAS.items():
        quota_set(
            indicator=ind[code], org_unit=city, year=F.YEAR, target=target, user=None, channel=Channel.DEMO
        )
        if not (ind[code].township_reported or ind[code].fed_by):
            # City-level figures; a register-fed one has records at the townships, so it is split too.
            continue
        # The city splits the provincial quota among the townships (分解到区镇街道).
        shares = split_exactly(target, _weights(townships, f"{code}/quota", 0.15))
        for township, share in zip(townships, shares, strict=True):
            if share > 0:
                quota_set(
                    indicator=ind[code],
                    org_unit=township,
                    year=F.YEAR,
                    target=share,
                    user=None,
                    channel=Channel.DEMO,
                )


def _registers(townships: list[OrgUnit], year: int = F.YEAR, through_month: int = 12) -> dict[str, int]:
    """Each domain app fills its registers (`<app>/demo.py: demo_registers_load(year, townships,
    through_month=…, batch=…)`); the feeds count the register-fed indicators from those records, once each
    month, at the end."""
    counts: dict[str, int] = {}
    with records_batch(user=None) as batch:
        for app in settings.DOMAIN_APPS:
            if find_spec(f"{app}.demo"):
                load = import_module(f"{app}.demo").demo_registers_load
                counts.update(load(year, townships, through_month=through_month, batch=batch))
    return counts


def _analyze() -> None:
    """The figures, quotas and register records just loaded, analysed before the year's recompute reads
    them in the same transaction (common.db.analyze)."""
    registers = [m for label in settings.DOMAIN_APPS for m in apps.get_app_config(label).get_models()]
    analyze([Indicator, MonthlyValue, Quota, Completion, *registers])


def _current_year(city: OrgUnit, townships: list[OrgUnit], today: date) -> dict[str, int]:
    """The year before the year in progress, whole (when it is not 2024), then January to last month of
    the year of last month (demo.current_year), once 2024 is loaded."""
    dy = CY.demo_year_for(today)
    if dy is None:
        return {}
    stats = {}
    previous = CY.previous_year_for(dy)
    if previous is not None:
        loaded = _demo_year(previous, city, townships)
        stats = {"previous_year": previous.year, "previous_written": loaded["written"]}
    loaded = _demo_year(dy, city, townships)
    states = CY.due_month_states(dy, townships, loaded["roles"])
    CY.due_month_reports(dy, loaded["ind"], townships, states, loaded["figures"])
    reminders = _reminders(dy, townships)
    run = completion_recompute(year=dy.year, trigger=CompletionRun.Trigger.DEMO)
    return {
        **stats,
        "current_year": dy.year,
        "current_month": dy.due_month,
        "current_values": loaded["values"],
        "current_written": loaded["written"],
        "current_records": loaded["records"],
        "current_completion_rows": run.rows,
        "current_reminders": reminders,
    }


def _demo_year(dy: CY.DemoYear, city: OrgUnit, townships: list[OrgUnit]) -> dict:
    """A later year's set, quotas, typed figures and register records, through dy.typed_through (a closed
    year: computed here; the year in progress: after its month's reports)."""
    if not Indicator.objects.filter(year=dy.year).exists():
        # The year starts as the bureau starts one: a copy of the report year's set.
        indicator_set_copy(from_year=F.YEAR, to_year=dy.year, user=None, channel=Channel.DEMO)
    else:
        indicator_catalog_sync(years=[dy.year], add_declared=True)
    ind = {i.code: i for i in Indicator.objects.filter(year=dy.year).select_related("parent")}
    roles = CY.township_roles(dy, townships)
    figures = CY.township_figures(dy, ind, townships, roles)
    CY.quotas_set(dy, ind, city, townships)
    entries = CY.typed_entries(dy, ind, city, figures)
    span = "全年" if dy.closed else f"1-{dy.typed_through}月"
    result = monthly_values_apply(
        entries=entries, user=None, channel=Channel.DEMO, note=f"演示数据:{dy.year}年{span}"
    )
    records = _registers(townships, dy.year, dy.due_month)
    _analyze()
    if dy.closed:
        completion_recompute(year=dy.year, trigger=CompletionRun.Trigger.DEMO)
    return {
        "ind": ind,
        "roles": roles,
        "figures": figures,
        "values": len(entries),
        "written": result.created + result.updated,
        "records": sum(records.values()),
    }


def _reminders(dy: CY.DemoYear, townships: list[OrgUnit]) -> int:
    """催报 already sent for the month now due: the schedule replayed up to today (nothing before the
    deadline's third-last day), and the bureau's 一键催报 to the townships that still owe it, sent once for
    the month (a second load on another day sends no second one)."""
    from notices.demo import seed_reminders
    from notices.models import Notice
    from notices.services import reminders_send_manual
    from reporting.selectors import townships_owing

    sent = len(seed_reminders(dy.year, dy.due_month, dy.today))
    manual = Notice.objects.filter(kind=Notice.Kind.MANUAL, year=dy.year, month=dy.due_month)
    owing = townships_owing(year=dy.year, month=dy.due_month, townships=townships)
    if owing and not manual.exists():
        reviewer = CY.reviewer_account()
        result = reminders_send_manual(
            user=reviewer,
            townships=list(owing),
            year=dy.year,
            month=dy.due_month,
            note=f"请于{dy.due_month + 1 if dy.due_month < 12 else 1}月10日前报送{dy.due_month}月数据。",
        )
        sent += len(result.sent)
    return sent


@transaction.atomic
def demo_load(*, today: date | None = None, current_year: bool = True) -> dict[str, int]:
    """2024 as the bureau's report has it, and (unless current_year=False) the year in progress as of
    `today` (default: today in Asia/Shanghai)."""
    city, townships = org_units_load_reference()
    # The report's year holds every indicator the domain apps declare (add_declared: also when the
    # declarations grew since the database was made).
    indicator_catalog_sync(years=[F.YEAR], add_declared=True)
    ind = {i.code: i for i in Indicator.objects.filter(year=F.YEAR).select_related("parent")}
    _quotas(ind, city, townships)
    entries = _township_entries(ind, townships) + _city_entries(ind, city)
    result = monthly_values_apply(
        entries=entries, user=None, channel=Channel.DEMO, note="演示数据:2024年工作报告"
    )
    records = _registers(townships)
    _analyze()
    run = completion_recompute(year=F.YEAR, trigger=CompletionRun.Trigger.DEMO)
    stats = {
        "townships": len(townships),
        "values": len(entries),
        "written": result.created + result.updated,
        **records,
        "completion_rows": run.rows,
    }
    if current_year:
        stats.update(_current_year(city, townships, today or timezone.localdate()))
    return stats
