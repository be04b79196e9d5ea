"""Every figure the demo produces, as exact text, so that two backends can be compared cell by cell:
the completion table, every monthly value (typed and register-fed), the quotas, the history of every
figure written, the registers' year summaries and the work report's sentences for every org unit and month.

    DJANGO_SETTINGS_MODULE=qianjiang_hrss.settings.local DATABASE_URL=sqlite:////tmp/x.sqlite3 \\
        QJ_DEMO_TODAY="2026-12-02 14:00 +0800" python -m tests.demo.figures_dump OUT.json

migrates that database, loads the demo (as on QJ_DEMO_TODAY) and writes the dump (tests/demo/test_backends.py runs it on
SQLite and compares with the same dump taken from PostgreSQL)."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date
from decimal import Decimal

YEAR = 2024


def _plain(value):
    """Decimals as their exact text (12367.000000 and 12367 stay apart: the scale shows too)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if dataclasses.is_dataclass(value):
        return _plain(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _completion() -> dict[str, list]:
    from completion.engine import COMPARED
    from completion.models import Completion

    rows = Completion.objects.values_list("indicator__code", "org_unit__code", "year", "month", *COMPARED)
    return {"|".join(map(str, row[:4])): _plain(row[4:]) for row in rows}


def _monthly_values() -> dict[str, list]:
    from indicators.models import MonthlyValue

    rows = MonthlyValue.objects.values_list(
        "indicator__code",
        "org_unit__code",
        "year",
        "month",
        "value",
        "remark",
        "channel",
        "indicator__fed_by",
    )
    return {"|".join(map(str, row[:4])): _plain(row[4:]) for row in rows}


def _history() -> list[str]:
    """Every figure change the demo recorded (the write path's history), as sorted text: who and when
    aside, and the report's number (each database numbers its own)."""
    import re

    from indicators.models import FigureChange

    rows = FigureChange.objects.values_list(
        "subject",
        "indicator__code",
        "org_unit__code",
        "year",
        "month",
        "old_value",
        "new_value",
        "old_remark",
        "new_remark",
        "explanation",
        "channel",
        "note",
    )
    return sorted("|".join(map(str, _plain([*row[:-1], re.sub(r"#\d+", "#", row[-1])]))) for row in rows)


def _quotas() -> dict[str, str]:
    from indicators.models import Quota

    rows = Quota.objects.values_list("indicator__code", "org_unit__code", "year", "target", "note")
    return {"|".join(map(str, row[:3])): _plain(row[3:]) for row in rows}


def _registers() -> dict:
    from accounts.permissions import RecordScope
    from employment import selectors as employment
    from talent import selectors as talent

    everything = RecordScope.whole_city()
    return _plain(
        {
            "gig_stations": employment.gig_station_year_totals(year=YEAR, scope=everything),
            "recruitment": talent.recruitment_year_summary(year=YEAR, scope=everything),
            "campus": talent.campus_recruitment_year_summary(year=YEAR, scope=everything),
            "certificates": talent.certificate_year_summary(year=YEAR, scope=everything),
            "competitions": talent.competition_year_summary(year=YEAR, scope=everything),
        }
    )


def _work_reports() -> dict[str, list]:
    """The sentences leadership reads, for the city and every township, every month."""
    from dashboard.selectors import dashboard_cockpit
    from dashboard.work_report import work_report_sections
    from orgs.models import OrgUnit

    out = {}
    for org in OrgUnit.objects.filter(level__in=[OrgUnit.Level.CITY, OrgUnit.Level.TOWNSHIP]):
        for month in range(1, 13):
            cockpit = dashboard_cockpit(org=org, year=YEAR, month=month)
            out[f"{org.code}|{month}"] = _plain(work_report_sections(cockpit))
    return out


AWKWARD_YEAR = 2023
TOWNSHIP_A, TOWNSHIP_B = "429005001", "429005002"


def awkward_figures_load() -> None:
    """Figures where inexact arithmetic shows, in 2023 (which the demo leaves nearly empty): a rate at a
    half (1 ÷ 128 = 0.78125%), a gap of exactly −10 points (严重落后 begins there), wage cases in 元 with
    cents rounding half up to 万元 and months of whole-元 amounts (the integer division), a stock level."""
    from indicators.catalog_sync import indicator_catalog_sync
    from indicators.models import Channel, Indicator
    from indicators.services import ValueEntry, monthly_values_apply, quota_set
    from labor_relations.models import WageArrearsCase
    from orgs.models import OrgUnit

    indicator_catalog_sync(years=[AWKWARD_YEAR])  # the year's own set, as the declarations have it
    ind = {i.code: i for i in Indicator.objects.filter(year=AWKWARD_YEAR)}
    org = {o.code: o for o in OrgUnit.objects.filter(code__in=[TOWNSHIP_A, TOWNSHIP_B])}
    typed = [
        ("employment.urban_new_jobs", TOWNSHIP_A, 1, 1, 128),
        ("employment.urban_new_jobs", TOWNSHIP_B, 8, 566667, 1000000),  # 56.6667% − 66.6667%
        ("social_insurance.resident_population", TOWNSHIP_A, 1, 100, 144),
        ("social_insurance.resident_population", TOWNSHIP_A, 3, 130, 144),
    ]
    entries = [
        ValueEntry(indicator=ind[c], org_unit=org[o], year=AWKWARD_YEAR, month=m, value=Decimal(v))
        for c, o, m, v, _ in typed
    ]
    monthly_values_apply(entries=entries, user=None, channel=Channel.COMMAND)
    for code, township, _, _, target in typed:
        quota_set(
            indicator=ind[code],
            org_unit=org[township],
            year=AWKWARD_YEAR,
            target=Decimal(target),
            user=None,
            channel=Channel.COMMAND,
        )
    cases = [
        (3, "1234.55"),
        (3, "0.01"),
        (4, "1234.50"),
        (5, "15000"),
        (5, "20000"),
        (6, "0.10"),
        (6, "0.20"),
    ]
    from registers.services import record_create

    for i, (month, amount) in enumerate(cases):
        record_create(
            user=None,
            record=WageArrearsCase(
                case_number=f"边界〔{AWKWARD_YEAR}〕{i + 1}号",
                org_unit=org[TOWNSHIP_A],
                employer="边界数据有限公司",
                source=WageArrearsCase.Source.COMPLAINT,
                opened_on=date(AWKWARD_YEAR, month, 1),
                closed_on=date(AWKWARD_YEAR, month, 20),
                amount_recovered=Decimal(amount),
            ),
        )
    quota_set(
        indicator=ind["labor_relations.wages_recovered"],
        org_unit=org[TOWNSHIP_A],
        year=AWKWARD_YEAR,
        target=Decimal("20.48"),
        user=None,
        channel=Channel.COMMAND,
    )


def demo_load_and_compute(*, current_year: bool = True) -> None:
    """The demo and the awkward figures, and every year they have figures for computed (the card
    register's opening records reach back too; after `make run` commits, the queued recompute does
    those years as well)."""
    from completion.services import completion_recompute
    from demo.services import demo_load
    from indicators.models import MonthlyValue, Quota

    demo_load(current_year=current_year)
    awkward_figures_load()
    years = set(MonthlyValue.objects.values_list("year", flat=True)) | set(
        Quota.objects.values_list("year", flat=True)
    )
    for year in sorted(years):
        completion_recompute(year=year)


def figures_dump() -> dict:
    return {
        "completion": _completion(),
        "monthly_values": _monthly_values(),
        "quotas": _quotas(),
        "history": _history(),
        "registers": _registers(),
        "work_reports": _work_reports(),
    }


def main(out_path: str) -> None:
    """QJ_DEMO_TODAY (e.g. "2026-12-02 14:00 +0800") holds the clock there, as the PostgreSQL side
    does, so that both load the same year in progress."""
    import os

    import django
    import time_machine

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    with time_machine.travel(os.environ["QJ_DEMO_TODAY"], tick=False):
        demo_load_and_compute()
        dump = figures_dump()
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump(dump, out, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
