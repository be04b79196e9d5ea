"""The completion engine: one set-based SQL statement computes every indicator × org unit × month
of a year, whatever the number of indicators or org units, and an upsert writes only what changed.

Runs on PostgreSQL (exact NUMERIC arithmetic: production and tests) and SQLite 3.39+ (the one-command
quick start, where SQLite itself stores decimals as binary floating point)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from indicators.models import Indicator, MonthlyValue, Quota
from orgs.models import OrgUnitClosure

from .models import Completion

# Columns of the completion table that the engine fills, in order.
COLUMNS = [
    "indicator_id",
    "org_unit_id",
    "year",
    "month",
    "actual",
    "numerator",
    "denominator",
    "quota",
    "completion_rate",
    "time_progress",
    "gap",
    "status",
]
COMPARED = [
    "actual",
    "numerator",
    "denominator",
    "quota",
    "completion_rate",
    "time_progress",
    "gap",
    "status",
]


@dataclass(frozen=True)
class EngineResult:
    rows: int
    rows_changed: int


def _tables() -> dict[str, str]:
    return {
        "mv": MonthlyValue._meta.db_table,
        "ind": Indicator._meta.db_table,
        "clo": OrgUnitClosure._meta.db_table,
        "quota": Quota._meta.db_table,
        "out": Completion._meta.db_table,
    }


def completion_select_sql(
    *, year: int, max_month: int, only_month: int | None, far_behind_points: int
) -> str:
    """The SELECT that computes a year's completion. Integers are inlined after int() (no user text
    reaches this string); everything else is read from the tables.

    Steps: each reporting unit's series per indicator over months 1..max_month (flow: running sum;
    stock: latest level carried forward) → summed up the org tree through the closure table (a unit's
    figure = its own entries + everything under it) → ratios as numerator ÷ denominator of the rolled
    figures → joined with the quota → rate, calendar progress, gap and status."""
    year, max_month, far = int(year), int(max_month), int(far_behind_points)
    months = ",".join(f"({m})" for m in range(1, max_month + 1))
    month_filter = f"WHERE months.m = {int(only_month)}" if only_month else ""
    benchmark = "CASE WHEN kind = 'flow' THEN time_progress ELSE 100 END"
    return f"""
WITH months AS (SELECT column1 AS m FROM (VALUES {months}) AS v),
leaf_cells AS (
    SELECT DISTINCT org_unit_id, indicator_id FROM {{mv}} WHERE year = {year} AND month <= {max_month}
),
leaf_series AS (
    SELECT c.org_unit_id, c.indicator_id, months.m AS month, v.value
    FROM leaf_cells c CROSS JOIN months
    LEFT JOIN {{mv}} v ON v.year = {year} AND v.indicator_id = c.indicator_id
        AND v.org_unit_id = c.org_unit_id AND v.month = months.m
),
leaf_running AS (
    SELECT org_unit_id, indicator_id, month, value,
        SUM(value) OVER w AS ytd,
        COUNT(value) OVER w AS reports_so_far
    FROM leaf_series
    WINDOW w AS (PARTITION BY org_unit_id, indicator_id ORDER BY month)
),
leaf_figures AS (
    SELECT r.org_unit_id, r.indicator_id, r.month,
        CASE WHEN i.kind = 'stock'
            THEN MAX(r.value) OVER (PARTITION BY r.org_unit_id, r.indicator_id, r.reports_so_far)
            ELSE r.ytd END AS figure
    FROM leaf_running r JOIN {{ind}} i ON i.id = r.indicator_id
),
rolled AS (
    SELECT c.ancestor_id AS org_unit_id, f.indicator_id, f.month, SUM(f.figure) AS actual
    FROM leaf_figures f JOIN {{clo}} c ON c.descendant_id = f.org_unit_id
    GROUP BY c.ancestor_id, f.indicator_id, f.month
),
ratios AS (
    SELECT n.org_unit_id, i.id AS indicator_id, n.month, n.actual AS numerator, d.actual AS denominator,
        CASE WHEN d.actual > 0 THEN n.actual * 100.0 / d.actual END AS actual
    FROM {{ind}} i
    JOIN rolled n ON n.indicator_id = i.numerator_id
    LEFT JOIN rolled d ON d.indicator_id = i.denominator_id AND d.org_unit_id = n.org_unit_id AND d.month = n.month
    WHERE i.kind = 'ratio'
),
figures AS (
    SELECT org_unit_id, indicator_id, month, actual, numerator, denominator FROM ratios
    UNION ALL
    SELECT org_unit_id, indicator_id, month, actual, CAST(NULL AS NUMERIC), CAST(NULL AS NUMERIC) FROM rolled
),
cells AS (
    SELECT org_unit_id, indicator_id FROM figures
    UNION
    SELECT org_unit_id, indicator_id FROM {{quota}} WHERE year = {year}
),
grid AS (
    SELECT c.org_unit_id, c.indicator_id, months.m AS month FROM cells c CROSS JOIN months {month_filter}
),
scored AS (
    SELECT g.indicator_id, g.org_unit_id, g.month, i.kind,
        ROUND(f.actual, 6) AS actual, ROUND(f.numerator, 6) AS numerator,
        ROUND(f.denominator, 6) AS denominator, q.target AS quota,
        ROUND(f.actual * 100.0 / q.target, 4) AS completion_rate,
        ROUND(g.month * 100.0 / 12, 4) AS time_progress
    FROM grid g
    JOIN {{ind}} i ON i.id = g.indicator_id
    LEFT JOIN figures f ON f.org_unit_id = g.org_unit_id AND f.indicator_id = g.indicator_id AND f.month = g.month
    LEFT JOIN {{quota}} q ON q.year = {year} AND q.indicator_id = g.indicator_id AND q.org_unit_id = g.org_unit_id
)
SELECT indicator_id, org_unit_id, {year} AS year, month, actual, numerator, denominator, quota,
    completion_rate, time_progress,
    completion_rate - {benchmark} AS gap,
    CASE WHEN actual IS NULL THEN 'no_data'
        WHEN quota IS NULL THEN 'no_quota'
        WHEN completion_rate - {benchmark} >= 0 THEN 'ahead'
        WHEN completion_rate - {benchmark} > -{far} THEN 'behind'
        ELSE 'far_behind' END AS status
FROM scored
""".format(**_tables())


def completion_compute(
    *, year: int, max_month: int, only_month: int | None, far_behind_points: int, computed_at: datetime
) -> EngineResult:
    """Compute into a temporary table, upsert the rows that differ, delete cells that no longer exist.
    Must run inside a transaction holding the year's lock (see services.completion_recompute)."""
    t = _tables()
    cols = ", ".join(COLUMNS)
    changed = " OR ".join(f"{t['out']}.{c} IS DISTINCT FROM excluded.{c}" for c in COMPARED)
    updates = ", ".join(f"{c} = excluded.{c}" for c in [*COMPARED, "computed_at"])
    scope = f"year = {int(year)}" + (f" AND month = {int(only_month)}" if only_month else "")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS completion_new")
        if max_month >= 1:
            select = completion_select_sql(
                year=year, max_month=max_month, only_month=only_month, far_behind_points=far_behind_points
            )
            cursor.execute(f"CREATE TEMP TABLE completion_new AS {select}")
        else:  # a year that has not begun: nothing to compute, only stale rows to clear
            cursor.execute(f"CREATE TEMP TABLE completion_new AS SELECT {cols} FROM {t['out']} WHERE 1 = 0")
        cursor.execute("SELECT COUNT(*) FROM completion_new")
        rows = cursor.fetchone()[0]
        # "WHERE 1 = 1" lets SQLite tell the upsert's ON CONFLICT from a join's ON.
        cursor.execute(
            f"INSERT INTO {t['out']} ({cols}, computed_at) SELECT {cols}, %s FROM completion_new WHERE 1 = 1 "
            f"ON CONFLICT (year, month, indicator_id, org_unit_id) DO UPDATE SET {updates} WHERE {changed}",
            [computed_at],
        )
        upserted = max(cursor.rowcount, 0)
        cursor.execute(
            f"DELETE FROM {t['out']} WHERE {scope} AND (indicator_id, org_unit_id, month) NOT IN "
            "(SELECT indicator_id, org_unit_id, month FROM completion_new)"
        )
        deleted = max(cursor.rowcount, 0)
        cursor.execute("DROP TABLE completion_new")
    return EngineResult(rows=rows, rows_changed=upserted + deleted)
