"""The engine's one statement is planned from the tables' statistics. A table PostgreSQL believes empty
while it has pages (what autovacuum leaves after a large write was rolled back or deleted) is planned
at one row per scan, whatever the open transaction has written since: the engine analyses such a
table first (common.db.analyze_if_believed_empty), and the demo what it loaded."""

from __future__ import annotations

import pytest
from django.db import connection

from common.db import analyze_if_believed_empty
from completion.models import Completion
from completion.services import completion_recompute
from indicators.models import Channel, Indicator, MonthlyValue
from indicators.services import ValueEntry, monthly_values_apply
from orgs.models import OrgUnit

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics")


def _believed(table: str) -> tuple[float, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples, relpages FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()


def _values(indicator: Indicator, townships: list[OrgUnit], year: int) -> list[MonthlyValue]:
    return [
        MonthlyValue(indicator=indicator, org_unit=t, year=year, month=m, value=m)
        for t in townships
        for m in range(1, 13)
    ]


def _believe_empty(table: str) -> None:
    """The table's rows deleted and analysed in this transaction: "no row, some pages"."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(f"ANALYZE {table}")
    reltuples, relpages = _believed(table)
    assert reltuples == 0 and relpages > 0


def _figures_believed_empty() -> tuple[Indicator, list[OrgUnit]]:
    """A year of figures written after the table was left believed empty (with 2023's pages)."""
    townships = list(OrgUnit.objects.filter(level=OrgUnit.Level.TOWNSHIP))
    indicator = Indicator.objects.filter(year=2024, kind="flow", parent__isnull=True).first()
    MonthlyValue.objects.bulk_create(_values(indicator, townships, 2023))
    _believe_empty(MonthlyValue._meta.db_table)
    MonthlyValue.objects.bulk_create(_values(indicator, townships, 2024))
    return indicator, townships


def test_a_table_believed_empty_is_analysed_before_the_engine_reads_it(orgs, indicators):
    indicator, townships = _figures_believed_empty()
    table = MonthlyValue._meta.db_table

    # (The completion table may be in that state too, left so by an earlier test: analysed as well.)
    assert table in analyze_if_believed_empty([MonthlyValue, Completion])
    assert _believed(table)[0] == len(townships) * 12  # the rows the transaction wrote, counted
    assert analyze_if_believed_empty([MonthlyValue]) == []  # believed right now: nothing to do

    # The engine asks before its statement (and computes the cells as ever).
    _believe_empty(table)
    MonthlyValue.objects.bulk_create(_values(indicator, townships, 2024))
    run = completion_recompute(year=2024)
    assert _believed(table)[0] == len(townships) * 12
    assert run.rows == Completion.objects.filter(year=2024).count() > 0


def test_the_write_path_asks_before_it_joins_the_figures(orgs, indicators):
    """indicators.batch_write joins the figures written to the stored ones: with the stored ones believed
    empty, its delete ran as a nested loop over every stored figure for each one written (the suite hung
    there, in a demo's load). It analyses the table first."""
    indicator, townships = _figures_believed_empty()
    table = MonthlyValue._meta.db_table

    result = monthly_values_apply(
        entries=[
            ValueEntry(indicator=indicator, org_unit=t, year=2024, month=1, value=None) for t in townships
        ],
        user=None,
        channel=Channel.COMMAND,
    )

    assert result.deleted == len(townships)
    assert _believed(table)[0] >= len(townships) * 11
