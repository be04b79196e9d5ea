"""The completion engine: one set-based SQL statement computes every indicator × org unit × month
of a year, whatever the number of indicators or org units, and an upsert writes only what changed.
An incremental run (`CellScope`) computes only the indicators a change touched (and the ratios on
them) at the changed units and every unit above them, reading the stored roll-ups of the untouched
units hanging off that chain instead of everything below it.

Runs on PostgreSQL (exact NUMERIC arithmetic: production and tests) and SQLite 3.39+ (the one-command
quick start). SQLite has no exact decimal type, so there the statement adds whole numbers and Python
does the divisions (`completion_score`, the same formulas): every cell is identical on both, which
tests/demo/test_backends.py checks on the whole demo (and tests/completion/test_engine.py runs both
ways on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Context, Decimal

from django.db import connection
from django.db.models import Q

from common.db import analyze_if_believed_empty
from common.errors import PortalError
from common.numbers import SIGNIFICANT_DIGITS, divide_half_up, significant_digits
from indicators.models import VALUE_PLACES, Indicator, MonthlyValue, Quota
from orgs.models import OrgUnit, OrgUnitClosure
from orgs.selectors import org_ancestor_ids

from .models import RATE_PLACES, Completion, Status
from .rule import completion_rate

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


@dataclass(frozen=True)
class CellScope:
    """The cells an incremental run recomputes: these indicators at these units, every month.

    `indicators`: the changed ones, every ratio built on one of them (or whose own quota changed), and
    those ratios' numerators and denominators (the ratio divides their roll-ups). `org_units`: the
    changed units and every unit above them. A "其中" part builds nothing: the engine never adds parts
    up into their whole (each is typed), so only ratios depend on another indicator."""

    indicators: frozenset[int]
    org_units: frozenset[int]

    @property
    def cells(self) -> int:
        return len(self.indicators) * len(self.org_units)


def cell_scope(*, year: int, indicator_ids: Iterable[int], org_unit_ids: Iterable[int]) -> CellScope:
    """Widen what changed to what it moves (two queries: the year's ratios on it, the ancestors)."""
    changed = set(indicator_ids)
    ratios = Indicator.objects.filter(year=year, kind=Indicator.Kind.RATIO).filter(
        Q(id__in=changed) | Q(numerator_id__in=changed) | Q(denominator_id__in=changed)
    )
    widened = set(changed)
    for ratio, numerator, denominator in ratios.values_list("id", "numerator_id", "denominator_id"):
        widened |= {ratio, numerator, denominator} - {None}
    return CellScope(frozenset(widened), frozenset(org_ancestor_ids(org_unit_ids)))


def _tables() -> dict[str, str]:
    return {
        "mv": MonthlyValue._meta.db_table,
        "ind": Indicator._meta.db_table,
        "clo": OrgUnitClosure._meta.db_table,
        "quota": Quota._meta.db_table,
        "out": Completion._meta.db_table,
        "org": OrgUnit._meta.db_table,
    }


def _half_up(top: str, bottom: str, places: int) -> str:
    """SQL for top ÷ bottom rounded half up to `places`, exactly. div() truncates the exact quotient and
    neither side is ever negative (check constraints), so div(2·top·10^p + bottom, 2·bottom) is
    四舍五入; ROUND(top / bottom, p) would round twice (the division first keeps some 16 digits)."""
    unit = 10**places
    return f"(div(2 * ({top}) * {unit} + ({bottom}), 2 * ({bottom})) * {Decimal(1).scaleb(-places):f})"


def _ids(ids: Iterable[int]) -> str:
    return ",".join(str(int(i)) for i in sorted(ids)) or "NULL"


def _scope_parts(scope: CellScope | None, *, year: int, max_month: int, scaled: bool) -> dict[str, str]:
    """The pieces an incremental run adds to the statement (all empty for a whole year).

    A unit's figure is its own entries plus everything under it. Under a unit of the chain, a child
    that is not on the chain has nothing changed anywhere below it, so its stored figure (the last
    run's roll-up, `actual` month by month) stands for its whole subtree: the statement reads the
    chain's own entries and those children's stored figures (`frontier`), not every township of the
    province. Only children with a figure (not a quota alone: `actual` at the last month is set
    whenever the subtree reported anything up to then), never a ratio's rate."""
    if scope is None:
        return dict(leaf="", frontier="", rolled_from="leaf_figures", rolled_where="", ratio="", quota="")
    c, a = _ids(scope.indicators), _ids(scope.org_units)
    stored, scale_join = "s.actual", ""
    if scaled:
        factors = " ".join(f"WHEN {p} THEN {10**p}" for p in range(VALUE_PLACES + 1))
        stored = f"CAST(ROUND(s.actual * CASE si.value_places {factors} END) AS BIGINT)"
        scale_join = "JOIN {ind} si ON si.id = s.indicator_id"
    frontier = f"""
frontier_cells AS (
    SELECT e.org_unit_id, e.indicator_id FROM {{out}} e JOIN {{ind}} i ON i.id = e.indicator_id
    WHERE e.year = {year} AND e.month = {max_month} AND e.actual IS NOT NULL AND i.kind <> 'ratio'
        AND e.indicator_id IN ({c}) AND e.org_unit_id NOT IN ({a})
        AND e.org_unit_id IN (SELECT id FROM {{org}} WHERE parent_id IN ({a}))
),
frontier AS (
    SELECT s.org_unit_id, s.indicator_id, s.month, {stored} AS figure
    FROM frontier_cells fc JOIN {{out}} s ON s.year = {year} AND s.indicator_id = fc.indicator_id
        AND s.org_unit_id = fc.org_unit_id AND s.month <= {max_month}
    {scale_join}
),"""
    return dict(
        leaf=f"AND indicator_id IN ({c}) AND org_unit_id IN ({a})",
        frontier=frontier,
        rolled_from=(
            "(SELECT org_unit_id, indicator_id, month, figure FROM leaf_figures "
            "UNION ALL SELECT org_unit_id, indicator_id, month, figure FROM frontier)"
        ),
        rolled_where=f"WHERE c.ancestor_id IN ({a})",
        ratio=f"AND i.id IN ({c})",
        quota=f"AND q.indicator_id IN ({c}) AND q.org_unit_id IN ({a})",
    )


def tree_depth() -> int:
    """The deepest unit's distance from the top (潜江: 2, the villages; a province: 4)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(depth), 0) FROM {OrgUnitClosure._meta.db_table}")
        return int(cursor.fetchone()[0])


def _rolled_by_level(depth: int) -> str:
    """The whole year's roll-up, one level of the tree at a time from the deepest up: a unit's figure is
    its own entries plus its children's figures. Each figure is added once per level instead of once
    per ancestor through the closure table (a province: 1.6 million rows summed, not 6 million), and
    the units with no children (the townships, the villages) pass through unsummed.

    units: each unit's parent, distance from the top and whether anything hangs under it; own: the
    leaf figures with their unit's place; level_N: the figures of the units N below the top."""
    levels = []
    for d in range(depth, -1, -1):
        own_rows = f"SELECT org_unit_id, indicator_id, month, figure AS actual FROM own WHERE d = {d}"
        if d == depth:  # nothing hangs under the deepest units
            levels.append(f"level_{d} AS ({own_rows})")
            continue
        levels.append(
            f"""level_{d} AS (
    {own_rows} AND NOT inner_unit
    UNION ALL
    SELECT org_unit_id, indicator_id, month, SUM(figure) FROM (
        SELECT org_unit_id, indicator_id, month, figure FROM own WHERE d = {d} AND inner_unit
        UNION ALL
        SELECT u.parent_id, c.indicator_id, c.month, c.actual FROM level_{d + 1} c
        JOIN units u ON u.org_unit_id = c.org_unit_id
    ) x GROUP BY org_unit_id, indicator_id, month
)"""
        )
    chained = ",\n".join(levels)
    every = "\n    UNION ALL ".join(
        f"SELECT org_unit_id, indicator_id, month, actual FROM level_{d}" for d in range(depth + 1)
    )
    return f"""
units AS (
    SELECT u.id AS org_unit_id, u.parent_id, t.d,
        EXISTS (SELECT 1 FROM {{org}} k WHERE k.parent_id = u.id) AS inner_unit
    FROM {{org}} u JOIN (SELECT descendant_id, MAX(depth) AS d FROM {{clo}} GROUP BY descendant_id) t
        ON t.descendant_id = u.id
),
own AS (
    SELECT f.org_unit_id, f.indicator_id, f.month, f.figure, u.d, u.inner_unit
    FROM leaf_figures f JOIN units u ON u.org_unit_id = f.org_unit_id
),
{chained},
rolled AS (
    {every}
),"""


def _time_progress(max_month: int) -> str:
    """时序进度 of each month (month ÷ 12, half up at RATE_PLACES), as literals: one CASE per cell instead
    of a numeric division per cell (1.7 million in a province's year)."""
    cases = " ".join(
        f"WHEN {m} THEN {divide_half_up(m * 100, 12, RATE_PLACES):f}" for m in range(1, max_month + 1)
    )
    return f"CASE month {cases} END"


def completion_select_sql(
    *,
    year: int,
    max_month: int,
    only_month: int | None,
    far_behind_points: int,
    scaled: bool = False,
    scope: CellScope | None = None,
    depth: int | None = None,
) -> str:
    """The SELECT that computes a year's completion. Integers are inlined after int() (no user text
    reaches this string); everything else is read from the tables.

    Steps: each reporting unit's series per indicator over months 1..max_month (flow: running sum;
    stock: latest level carried forward) → summed up the org tree through the closure table (a unit's
    figure = its own entries + everything under it) → ratios as numerator ÷ denominator of the rolled
    figures → joined with the quota (or, for a quota with nothing reported yet, every month
    with no figure) → rate, calendar progress, gap and status.

    scaled (SQLite): stop before the divisions and return the figures as whole numbers of their
    indicator's last decimal place (sums of those are exact even in SQLite's doubles and integers);
    `_sqlite_scored` does the rest in Python with the same formulas.

    scope: only those cells (an incremental run, `_scope_parts`: the chain's units summed through the
    closure table); None: the whole year (`_rolled_by_level`, `depth` the tree's, asked if not given)."""
    year, max_month, far = int(year), int(max_month), int(far_behind_points)
    part = _scope_parts(scope, year=year, max_month=max_month, scaled=scaled)
    if scope is None:
        part["rolled"] = _rolled_by_level(tree_depth() if depth is None else int(depth))
    else:
        part["rolled"] = f"""
rolled AS (
    SELECT c.ancestor_id AS org_unit_id, f.indicator_id, f.month, SUM(f.figure) AS actual
    FROM {part["rolled_from"]} f JOIN {{clo}} c ON c.descendant_id = f.org_unit_id
    {part["rolled_where"]}
    GROUP BY c.ancestor_id, f.indicator_id, f.month
),"""
    months = ",".join(f"({m})" for m in range(1, max_month + 1))
    figure_month_filter = f"WHERE f.month = {int(only_month)}" if only_month else ""
    quota_month_filter = f"AND months.m = {int(only_month)}" if only_month else ""
    value, scale_join = "v.value", ""
    if scaled:
        # The write path keeps every value within its indicator's places, so this is a whole number.
        factors = " ".join(f"WHEN {p} THEN {10**p}" for p in range(VALUE_PLACES + 1))
        value = f"CAST(ROUND(v.value * CASE si.value_places {factors} END) AS BIGINT)"
        scale_join = "JOIN {ind} si ON si.id = c.indicator_id"
    figures = f"""
WITH months AS (SELECT column1 AS m FROM (VALUES {months}) AS v),
leaf_cells AS (
    SELECT DISTINCT org_unit_id, indicator_id FROM {{mv}} WHERE year = {year} AND month <= {max_month}
        {part["leaf"]}
),
leaf_series AS (
    SELECT c.org_unit_id, c.indicator_id, months.m AS month, {value} AS value
    FROM leaf_cells c CROSS JOIN months {scale_join}
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
),{part["frontier"]}{part["rolled"]}
-- Only the figures a ratio divides: joined whole, the planner sorted every rolled figure (2.4 s).
ratio_parts AS (
    SELECT org_unit_id, indicator_id, month, actual FROM rolled
    WHERE indicator_id IN (SELECT numerator_id FROM {{ind}} WHERE year = {year} AND kind = 'ratio')
        OR indicator_id IN (SELECT denominator_id FROM {{ind}} WHERE year = {year} AND kind = 'ratio')
),
ratios AS (
    SELECT n.org_unit_id, i.id AS indicator_id, n.month, n.actual AS numerator, d.actual AS denominator
    FROM {{ind}} i
    JOIN ratio_parts n ON n.indicator_id = i.numerator_id
    LEFT JOIN ratio_parts d ON d.indicator_id = i.denominator_id AND d.org_unit_id = n.org_unit_id
        AND d.month = n.month
    WHERE i.year = {year} AND i.kind = 'ratio' {part["ratio"]}
),
figures AS (
    SELECT org_unit_id, indicator_id, month, CAST(NULL AS NUMERIC) AS actual, numerator, denominator
    FROM ratios
    UNION ALL
    SELECT org_unit_id, indicator_id, month, actual, CAST(NULL AS NUMERIC), CAST(NULL AS NUMERIC) FROM rolled
),
with_quota AS (
    SELECT f.indicator_id, f.org_unit_id, f.month, f.actual, f.numerator, f.denominator, q.target AS quota
    FROM figures f
    LEFT JOIN {{quota}} q ON q.year = {year} AND q.indicator_id = f.indicator_id AND q.org_unit_id = f.org_unit_id
    {figure_month_filter}
    UNION ALL
    -- A quota where nothing was reported yet: every month shows the quota with no figure.
    SELECT q.indicator_id, q.org_unit_id, months.m, NULL, NULL, NULL, q.target
    FROM {{quota}} q CROSS JOIN months
    WHERE q.year = {year} {quota_month_filter} {part["quota"]}
        -- Every cell with figures has every month from 1: month 1 alone answers (a twelfth to search).
        AND NOT EXISTS (SELECT 1 FROM figures f WHERE f.indicator_id = q.indicator_id
            AND f.org_unit_id = q.org_unit_id AND f.month = 1)
)"""
    if scaled:
        return f"""{figures}
SELECT indicator_id, org_unit_id, month, actual, numerator, denominator, quota FROM with_quota
""".format(**_tables())
    # The completion rule of completion.rule.completion_rate, compiled: a figure as a fraction top ÷
    # bottom (a ratio is numerator × 100 ÷ denominator, none when the denominator is 0, anything else its
    # own figure ÷ 1); the rate divides the unrounded fraction. A flow's quota is judged against the
    # calendar, a level's and a ceiling's must hold in every month.
    benchmark = "CASE WHEN kind = 'flow' AND direction <> 'ceiling' THEN time_progress ELSE 100 END"
    return f"""{figures},
fractions AS (
    SELECT c.indicator_id, c.org_unit_id, c.month, i.kind, i.direction, c.numerator, c.denominator, c.quota,
        CASE WHEN i.kind <> 'ratio' THEN c.actual WHEN c.denominator > 0 THEN c.numerator * 100 END AS top,
        CASE WHEN i.kind = 'ratio' THEN c.denominator ELSE 1 END AS bottom
    FROM with_quota c JOIN {{ind}} i ON i.id = c.indicator_id
),
scored AS (
    SELECT indicator_id, org_unit_id, month, kind, direction, top, numerator, denominator, quota,
        CASE WHEN kind = 'ratio' THEN {_half_up("top", "bottom", VALUE_PLACES)} ELSE top END AS actual,
        CASE WHEN direction <> 'ceiling' THEN {_half_up("top * 100", "bottom * quota", RATE_PLACES)}
            WHEN top > 0 THEN {_half_up("bottom * quota * 100", "top", RATE_PLACES)} END AS completion_rate,
        {_time_progress(max_month)} AS time_progress
    FROM fractions
)
SELECT indicator_id, org_unit_id, {year} AS year, month, actual, numerator, denominator, quota,
    completion_rate, time_progress,
    completion_rate - {benchmark} AS gap,
    CASE WHEN actual IS NULL THEN 'no_data'
        WHEN quota IS NULL THEN 'no_quota'
        WHEN direction = 'ceiling' AND top = 0 THEN 'ahead'
        WHEN completion_rate - {benchmark} >= 0 THEN 'ahead'
        WHEN completion_rate - {benchmark} > -{far} THEN 'behind'
        ELSE 'far_behind' END AS status
FROM scored
""".format(**_tables())


def completion_compute(
    *,
    year: int,
    max_month: int,
    only_month: int | None,
    far_behind_points: int,
    computed_at: datetime,
    in_python: bool | None = None,
    scope: CellScope | None = None,
) -> EngineResult:
    """Compute into a temporary table, upsert the rows that differ, delete cells that no longer exist.
    Must run inside a transaction holding the year's lock (see services.completion_recompute).
    in_python: the divisions in Python (`completion_score`); by default only where the database has no
    exact decimals (SQLite). Tests run it on PostgreSQL too, to hold both ways to the same cells.
    scope: only those cells, from the stored figures of the rest (whose months must be computed up to
    max_month: services._incremental_scope checks); None: the whole year."""
    in_python = connection.vendor != "postgresql" if in_python is None else in_python
    cells = f"year = {int(year)}" + (f" AND month = {int(only_month)}" if only_month else "")
    if scope is not None:
        cells += (
            f" AND indicator_id IN ({_ids(scope.indicators)}) AND org_unit_id IN ({_ids(scope.org_units)})"
        )
    period = dict(
        year=year,
        max_month=max_month,
        only_month=only_month,
        far_behind_points=far_behind_points,
        scope=scope,
    )
    # The statement's plan is only as good as the inputs' statistics (common.db).
    analyze_if_believed_empty([MonthlyValue, Quota, Completion, Indicator, OrgUnitClosure, OrgUnit])
    with connection.cursor() as cursor:
        rows = _compute_new(cursor, period, in_python=in_python)
        upserted = _upsert_changed(cursor, computed_at)
        deleted = _delete_stale(cursor, cells, rows)
        cursor.execute("DROP TABLE completion_new")
    return EngineResult(rows=rows, rows_changed=upserted + deleted)


def _compute_new(cursor, period: dict, *, in_python: bool) -> int:
    """The cells as they should be, in the temporary table completion_new; how many."""
    if connection.vendor == "postgresql":
        # The planner overestimates this query's rows ~25× and would spend more time JIT-compiling
        # it than running it (benchmark: 0.1–0.3 s of each run).
        cursor.execute("SET LOCAL jit = off")
        # Its joins are all of large sets on equal keys, where hashing wins; the planner's estimates of
        # the CTEs are far off (715 rows for 145,000) and it chose merge joins that re-sorted the same
        # rows many times (a quota-without-figures anti-join sorted 7.4 million). Measured on the
        # synthetic province: the statement 13.0 s -> 12.0-12.5 s, the same cells.
        cursor.execute("SET LOCAL enable_mergejoin = off")
    cursor.execute("DROP TABLE IF EXISTS completion_new")
    if period["max_month"] >= 1 and not in_python:
        cursor.execute(f"CREATE TEMP TABLE completion_new AS {completion_select_sql(**period)}")
    else:  # shaped like the completion table (on SQLite its decimal columns too), empty
        out = Completion._meta.db_table
        cursor.execute(
            f"CREATE TEMP TABLE completion_new AS SELECT {', '.join(COLUMNS)} FROM {out} WHERE 1 = 0"
        )
        if (
            period["max_month"] >= 1
        ):  # else a year that has not begun: nothing to compute, stale rows to clear
            _compute_in_python(cursor, **period)
    cursor.execute("SELECT COUNT(*) FROM completion_new")
    return cursor.fetchone()[0]


def _upsert_changed(cursor, computed_at: datetime) -> int:
    """Only new or changed rows reach the upsert: ON CONFLICT would lock (and rewrite) every row."""
    out, cols = Completion._meta.db_table, ", ".join(COLUMNS)
    new_cols = ", ".join(f"n.{c}" for c in COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in [*COMPARED, "computed_at"])
    differs = " OR ".join(f"c.{col} IS DISTINCT FROM n.{col}" for col in COMPARED)
    cursor.execute(
        f"INSERT INTO {out} ({cols}, computed_at) SELECT {new_cols}, %s FROM completion_new n "
        f"LEFT JOIN {out} c ON c.year = n.year AND c.month = n.month "
        "AND c.indicator_id = n.indicator_id AND c.org_unit_id = n.org_unit_id "
        f"WHERE c.id IS NULL OR {differs} "
        f"ON CONFLICT (year, month, indicator_id, org_unit_id) DO UPDATE SET {updates}",
        [computed_at],
    )
    return max(cursor.rowcount, 0)


def _delete_stale(cursor, cells: str, rows: int) -> int:
    """Drop the cells (within `cells`) that were not computed this time."""
    out = Completion._meta.db_table
    # The table now holds every new row plus any stale one: as many rows as computed means none is
    # stale, and the delete's anti-join over the whole year (4.5 s of a province's warm run) is spared.
    cursor.execute(f"SELECT COUNT(*) FROM {out} WHERE {cells}")
    if cursor.fetchone()[0] == rows:
        return 0
    # NOT EXISTS, not NOT IN: PostgreSQL hashes a NOT IN subquery only while it fits in work_mem and
    # otherwise rescans it per row (a 1.2-million-cell year took minutes); the anti-join scales.
    if connection.vendor == "sqlite":  # PostgreSQL hashes the anti-join; SQLite probes an index
        cursor.execute(
            "CREATE INDEX completion_new_cell ON completion_new (indicator_id, org_unit_id, month)"
        )
    else:
        # Only if its estimates are right: with the completion table's statistics stale (emptied and
        # refilled before autovacuum came: a restore, a first year, the test suite) the planner took
        # a nested loop over the temporary table, 43,000 × 43,000 probes, minutes under the year's
        # lock. The hash anti-join is right at every size here, so it is not left to the estimate.
        cursor.execute("SET LOCAL enable_nestloop = off")
    cursor.execute(
        f"DELETE FROM {out} WHERE {cells} AND NOT EXISTS (SELECT 1 FROM completion_new n "
        f"WHERE n.indicator_id = {out}.indicator_id AND n.org_unit_id = {out}.org_unit_id "
        f"AND n.month = {out}.month)"
    )
    return max(cursor.rowcount, 0)


# ------------------------------------------------------------- the divisions in Python (SQLite, the quick start)


def completion_score(
    *,
    kind: str,
    month: int,
    actual,
    numerator,
    denominator,
    quota,
    far_behind_points: int,
    direction: str = Indicator.Direction.HIGHER,
) -> tuple:
    """One cell by the SQL's formulas (steps `fractions`, `scored` and the final SELECT), in exact
    Python arithmetic: (actual, numerator, denominator, quota, rate, time progress, gap, status)."""
    top, bottom = actual, 1
    if kind == Indicator.Kind.RATIO:
        # A numerator of NULL: months before its first report, whose rows exist all the same.
        usable = numerator is not None and denominator is not None and denominator > 0
        top, bottom = (numerator * 100, denominator) if usable else (None, None)
        actual = None if top is None else divide_half_up(top, bottom, VALUE_PLACES)
    ceiling = direction == Indicator.Direction.CEILING
    rate = completion_rate(top, bottom, quota, ceiling=ceiling)
    progress = divide_half_up(month * 100, 12, RATE_PLACES)
    benchmark = progress if kind == Indicator.Kind.FLOW and not ceiling else 100
    gap = None if rate is None else rate - benchmark
    if actual is None:
        status = Status.NO_DATA
    elif quota is None:
        status = Status.NO_QUOTA
    elif (ceiling and top == 0) or gap >= 0:
        status = Status.AHEAD
    elif gap > -far_behind_points:
        status = Status.BEHIND
    else:
        status = Status.FAR_BEHIND
    return actual, numerator, denominator, quota, rate, progress, gap, status.value


def _compute_in_python(
    cursor,
    *,
    year: int,
    max_month: int,
    only_month: int | None,
    far_behind_points: int,
    scope: CellScope | None = None,
):
    """SQLite has no exact decimal type (it keeps doubles): its SQL only adds whole numbers of each
    indicator's last decimal place, and the divisions are done here with the same formulas, exactly.
    Fills completion_new."""
    cursor.execute(
        completion_select_sql(
            year=year,
            max_month=max_month,
            only_month=only_month,
            far_behind_points=far_behind_points,
            scaled=True,
            scope=scope,
        )
    )
    found = cursor.fetchall()
    fields = ("id", "kind", "value_places", "numerator_id", "denominator_id", "direction")
    catalogue = {row[0]: row[1:] for row in Indicator.objects.filter(year=year).values_list(*fields)}
    places = {pk: info[1] for pk, info in catalogue.items()}
    rows = []
    for indicator_id, org_unit_id, month, actual, numerator, denominator, quota in found:
        kind, own_places, num_id, den_id, direction = catalogue[indicator_id]
        cell = completion_score(
            kind=kind,
            direction=direction,
            month=month,
            actual=_unscaled(actual, own_places),
            numerator=_unscaled(numerator, places.get(num_id)),
            denominator=_unscaled(denominator, places.get(den_id)),
            quota=_stored_decimal(quota),
            far_behind_points=far_behind_points,
        )
        rows.append((indicator_id, org_unit_id, year, month, *(_as_stored(v) for v in cell)))
    marks = ", ".join(["%s"] * len(COLUMNS))
    cursor.executemany(f"INSERT INTO completion_new ({', '.join(COLUMNS)}) VALUES ({marks})", rows)


def _unscaled(units: int | None, places: int | None) -> Decimal | None:
    return None if units is None else Decimal(int(units)).scaleb(-places)


_FIFTEEN_DIGITS = Context(prec=SIGNIFICANT_DIGITS)


def _stored_decimal(value) -> Decimal | None:
    """A decimal as SQLite hands it back: an integer, or a double that holds 15 significant digits
    (PostgreSQL: a Decimal already)."""
    if value is None or isinstance(value, (int, Decimal)):
        return None if value is None else Decimal(value)
    return _FIFTEEN_DIGITS.create_decimal_from_float(value)


def _as_stored(value):
    """Decimals as text, which SQLite turns into the same number Django's own writes make. A figure of
    more than 15 significant digits would be stored rounded: refused, not shown different."""
    if not isinstance(value, Decimal):
        return value
    if significant_digits(value) > SIGNIFICANT_DIGITS:
        raise PortalError(
            f"完成情况中的数值{value:f}超过{SIGNIFICANT_DIGITS}位有效数字,SQLite无法精确保存,请改用PostgreSQL。"
        )
    return format(value, "f")
