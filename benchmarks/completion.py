"""Benchmark of the completion engine (`completion.services.completion_recompute`).

Data: 100 indicators with values (70 flow, 30 stock) plus 5 ratio indicators built on them, 24 org
units (the city 429005 and its 23 townships, 429005001..), ten years 2015–2024, every month reported
at every unit: 100 × 24 × 10 × 12 = 288,000 monthly values, exact decimals. Quotas for every flow
indicator × org unit × year, a target rate for every ratio × org unit × year. Loaded with COPY.

Measured (seconds, `time.perf_counter`, best and median of --repeats runs where repeating makes sense):
  1. completion_recompute(year=2024): cold (empty completion table, every cell inserted), warm
     (nothing changed, nothing written), and after one monthly value changed by a direct SQL UPDATE
     (so no signal fires and no task is queued).
  2. All ten years, each year once, summed: cold, then warm.
  3. The naive way for 2024: for every indicator × org unit × month one ORM query computing the cell
     (two for a ratio) plus one quota lookup, then one bulk upsert. Queries are counted, and every
     cell is checked against the engine's stored Completion rows: the run fails if any differs.
  4. A hand-written lower bound: one SELECT of the year-to-date sums per indicator × org unit
     (rolled up through the closure table) × month, window SUM, no writes.
  5. The targets from the issue, each marked PASS or MISS. Timings never fail the run.

Run:  make bench
  or, with DATABASE_URL pointing at a PostgreSQL server where the role may create databases:
      python -m benchmarks.completion [--keep] [--explain] [--repeats N]

Everything happens in a database of its own (`qianjiang_bench`, dropped and recreated on the server
named by DATABASE_URL); it is dropped at the end unless --keep is given. Each engine run is also split
into its statements (SELECT into a temp table, upsert, delete, the rest) and the COMMIT, where the deferred
foreign key checks of inserted rows run. --explain adds EXPLAIN ANALYZE of the engine's SELECT.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import statistics
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

import psycopg2

BENCH_DB = "qianjiang_bench"
YEAR = 2024
YEARS = range(2015, 2025)
MONTHS = range(1, 13)
N_FLOW, N_STOCK, N_RATIO = 70, 30, 5
CITY_CODE, N_TOWNSHIPS = "429005", 23
SEED = 429005
# Targets from the issue.
TARGET_YEAR_SECONDS = 0.5
TARGET_VS_NAIVE = 20.0
TARGET_VS_RAW = 3.0

Q4, Q6 = Decimal("0.0001"), Decimal("0.000001")

Key = tuple[int, int, int]  # indicator_id, org_unit_id, month


# --- The benchmark's own database (before django.setup) -------------------------------------------


def url_with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@contextmanager
def admin_cursor(url: str) -> Iterator[Any]:
    """An autocommit cursor on the server's own database (CREATE/DROP DATABASE cannot run in a transaction)."""
    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            yield cursor
    finally:
        conn.close()


def recreate_database(server_url: str) -> None:
    with admin_cursor(server_url) as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{BENCH_DB}"')


def drop_database(server_url: str) -> None:
    from django.conf import settings
    from django.db import connections

    if settings.configured:
        connections.close_all()
    with admin_cursor(server_url) as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def setup_django(bench_url: str) -> None:
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qianjiang_hrss.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# --- Helpers ---------------------------------------------------------------------------------------


def sql(statement: str, params: Iterable[Any] = ()) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, list(params))
        return cursor.fetchall() if cursor.description else []


def table(model: Any) -> str:
    return model._meta.db_table


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def half_up(value: Decimal | None, exp: Decimal) -> Decimal | None:
    """PostgreSQL's ROUND on numeric (half away from zero; our figures are never negative)."""
    return None if value is None else value.quantize(exp, rounding=ROUND_HALF_UP)


_STARTED = time.perf_counter()


def log(message: str) -> None:
    """Progress while it runs (the figures come in one table at the end)."""
    print(f"  [{time.perf_counter() - _STARTED:6.1f} s] {message}", flush=True)


@dataclass
class Timing:
    label: str
    runs: list[float]
    note: str = ""
    steps: dict[str, float] | None = None  # median seconds per engine step

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


# --- Data ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataSet:
    org_ids: list[int]  # the city first
    flow: list[int]
    stock: list[int]
    ratio: list[int]
    places: dict[int, int]  # indicator id -> value places

    @property
    def changed_cell(self) -> tuple[int, int, int, int]:
        """The figure the "one value changed" runs bump: a township's June of a ratio's numerator."""
        return self.flow[0], self.org_ids[1], YEAR, 6


def create_orgs() -> list[int]:
    from orgs.models import OrgUnit
    from orgs.services import org_closure_rebuild

    city = OrgUnit.objects.create(code=CITY_CODE, name="基准市", level="county", kind="city")
    townships = OrgUnit.objects.bulk_create(
        OrgUnit(
            code=f"{CITY_CODE}{n:03d}",
            name=f"基准镇{n:02d}",
            level="township",
            kind="town",
            parent=city,
            sort_order=n,
        )
        for n in range(1, N_TOWNSHIPS + 1)
    )
    org_closure_rebuild()
    return [city.pk, *(t.pk for t in townships)]


def create_indicators() -> tuple[list[int], list[int], list[int], dict[int, int]]:
    """70 flow and 30 stock indicators (every fifth one in 万元 with two places), then 5 ratios:
    three of flow ÷ flow, two of stock ÷ stock."""
    from indicators.models import Area, Indicator

    areas = list(Area)

    def make(kind: str, n: int, **extra: Any) -> Indicator:
        money = n % 5 == 0 and kind != "ratio"
        return Indicator(
            code=f"bench.{kind}{n:02d}",
            name=f"基准{kind}{n:02d}",
            area=areas[n % len(areas)],
            unit="万元" if money else ("%" if kind == "ratio" else "人"),
            kind=kind,
            value_places=2 if money else 0,
            sort_order=n,
            year=YEAR,
            source=Indicator.Source.COMPUTED if kind == "ratio" else Indicator.Source.TOWNSHIP,
            **extra,
        )

    flow = Indicator.objects.bulk_create(make("flow", n) for n in range(N_FLOW))
    stock = Indicator.objects.bulk_create(make("stock", n) for n in range(N_STOCK))
    pairs = [
        (flow[0], flow[1]),
        (flow[2], flow[3]),
        (flow[5], flow[6]),
        (stock[0], stock[1]),
        (stock[2], stock[3]),
    ]
    ratio = Indicator.objects.bulk_create(
        make("ratio", n, numerator=num, denominator=den) for n, (num, den) in enumerate(pairs[:N_RATIO])
    )
    places = {i.pk: i.value_places for i in [*flow, *stock]}
    return [i.pk for i in flow], [i.pk for i in stock], [i.pk for i in ratio], places


def fmt(units: int, places: int) -> str:
    """An exact decimal written from an integer count of 10^-places (no float ever formatted)."""
    if places == 0:
        return str(units)
    scale = 10**places
    return f"{units // scale}.{units % scale:0{places}d}"


def value_and_quota_rows(ds: DataSet, rng: random.Random) -> tuple[list[str], list[str]]:
    """COPY lines (tab separated) for the monthly values and the quotas. Each unit has a base size per
    indicator, growing 5% a year; flows vary month to month, stocks drift; quotas sit around a year's
    expected flow so that units end up ahead, behind and far behind."""
    now = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime())
    values, quotas = [], []
    for ind in [*ds.flow, *ds.stock]:
        places, is_flow = ds.places[ind], ind in ds.flow
        for org in ds.org_ids:
            base = rng.randint(50, 5000) * 10**places if is_flow else rng.randint(1000, 100000) * 10**places
            for year in YEARS:
                size = base * 1.05 ** (year - YEARS[0])
                level = size
                for month in MONTHS:
                    if is_flow:
                        units = int(size * rng.uniform(0.6, 1.4))
                    else:
                        level *= rng.uniform(0.97, 1.04)
                        units = int(level)
                    values.append(f"{ind}\t{org}\t{year}\t{month}\t{fmt(units, places)}\t\tcommand\t{now}\n")
                if is_flow:
                    target = max(1, int(size * 12 * rng.uniform(0.85, 1.2)))
                    quotas.append(f"{ind}\t{org}\t{year}\t{fmt(target, places)}\t\t{now}\n")
    for ind in ds.ratio:
        for org in ds.org_ids:
            for year in YEARS:
                quotas.append(f"{ind}\t{org}\t{year}\t{fmt(rng.randint(5000, 15000), 2)}\t\t{now}\n")
    return values, quotas


def copy_rows(model: Any, columns: list[str], lines: list[str]) -> None:
    from django.db import connection

    buffer = io.StringIO("".join(lines))
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table(model)} ({', '.join(columns)}) FROM STDIN", buffer)


@contextmanager
def part_within_whole_trigger_off() -> Iterator[None]:
    """The "其中" guard (indicators migration 0002) is a deferred per-row trigger: on 288,000 copied rows
    it runs for minutes at COMMIT. The generated indicators have no parts, so it has nothing to check;
    it is switched off for the load (inside the load's transaction) and on again before the commit."""
    from indicators.models import MonthlyValue
    from indicators.services import PART_WITHIN_WHOLE_TRIGGER

    sql(f"ALTER TABLE {table(MonthlyValue)} DISABLE TRIGGER {PART_WITHIN_WHOLE_TRIGGER}")
    yield
    sql("SET CONSTRAINTS ALL IMMEDIATE")  # run the pending (deferred) foreign key checks first
    sql(f"ALTER TABLE {table(MonthlyValue)} ENABLE TRIGGER {PART_WITHIN_WHOLE_TRIGGER}")


def generate() -> DataSet:
    from django.db import transaction

    from indicators.models import MonthlyValue, Quota

    value_columns = [
        "indicator_id",
        "org_unit_id",
        "year",
        "month",
        "value",
        "remark",
        "channel",
        "updated_at",
    ]
    quota_columns = ["indicator_id", "org_unit_id", "year", "target", "note", "updated_at"]
    with transaction.atomic():
        org_ids = create_orgs()
        flow, stock, ratio, places = create_indicators()
        ds = DataSet(org_ids=org_ids, flow=flow, stock=stock, ratio=ratio, places=places)
        values, quotas = value_and_quota_rows(ds, random.Random(SEED))
        with part_within_whole_trigger_off():
            copy_rows(MonthlyValue, value_columns, values)
        copy_rows(Quota, quota_columns, quotas)
    # What autovacuum would have done by the time anyone recomputes: statistics and visibility map.
    for model in (MonthlyValue, Quota):
        sql(f"VACUUM ANALYZE {table(model)}")
    return ds


# --- 1 and 2: the engine ----------------------------------------------------------------------------


def recompute(year: int) -> Any:
    from completion.services import completion_recompute

    return completion_recompute(year=year)


def empty_completion() -> None:
    from completion.models import Completion

    sql(f"TRUNCATE {table(Completion)}")


def bump_value(cell: tuple[int, int, int, int]) -> None:
    """Change one monthly value behind the services' back: a plain UPDATE, no signal, no task."""
    from indicators.models import MonthlyValue

    sql(
        f"UPDATE {table(MonthlyValue)} SET value = value + 1 "
        "WHERE indicator_id = %s AND org_unit_id = %s AND year = %s AND month = %s",
        cell,
    )


# Where a run's time goes: the engine's statements by kind, and what is left for the COMMIT (where the
# deferred foreign key checks of inserted rows run) and Python.
ENGINE_STEPS = ("SELECT→temp", "upsert", "delete", "other SQL", "COMMIT+Py")


@dataclass(frozen=True)
class EngineRun:
    seconds: float
    rows_changed: int
    steps: dict[str, float]


class StatementTimer:
    """A connection.execute_wrapper recording each statement's seconds."""

    def __init__(self) -> None:
        self.statements: list[tuple[float, str]] = []

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((time.perf_counter() - start, " ".join(sql.split())))


def engine_step(statement: str) -> str:
    from completion.models import Completion

    text = statement.upper()
    if text.startswith("CREATE TEMP TABLE COMPLETION_NEW AS WITH"):
        return "SELECT→temp"
    if text.startswith(f"INSERT INTO {table(Completion).upper()} ("):
        return "upsert"
    if text.startswith(f"DELETE FROM {table(Completion).upper()} "):
        return "delete"
    return "other SQL"


def timed_recompute(year: int) -> EngineRun:
    from django.db import connection

    timer = StatementTimer()
    with connection.execute_wrapper(timer):
        seconds, run = timed(lambda: recompute(year))
    steps = dict.fromkeys(ENGINE_STEPS, 0.0)
    for statement_seconds, statement in timer.statements:
        steps[engine_step(statement)] += statement_seconds
    steps["COMMIT+Py"] = seconds - sum(steps.values())
    return EngineRun(seconds=seconds, rows_changed=run.rows_changed, steps=steps)


def engine_timing(label: str, runs: list[EngineRun]) -> Timing:
    written = sorted({r.rows_changed for r in runs})
    return Timing(
        label,
        [r.seconds for r in runs],
        f"{' / '.join(f'{n:,}' for n in written)} rows written per run",
        {step: statistics.median(r.steps[step] for r in runs) for step in ENGINE_STEPS},
    )


def engine_one_year(ds: DataSet, repeats: int) -> tuple[Timing, Timing, Timing]:
    cold, warm, changed = [], [], []
    for _ in range(repeats):
        empty_completion()
        cold.append(timed_recompute(YEAR))
    for _ in range(repeats):
        warm.append(timed_recompute(YEAR))
    for _ in range(repeats):
        bump_value(ds.changed_cell)
        changed.append(timed_recompute(YEAR))
    return (
        engine_timing(f"engine, one year ({YEAR}), cold: all cells new", cold),
        engine_timing(f"engine, one year ({YEAR}), warm: nothing changed", warm),
        engine_timing(f"engine, one year ({YEAR}), one value changed", changed),
    )


def ten_years_timing(label: str, runs: list[EngineRun]) -> Timing:
    """Each year once: a single figure, the sum, and the steps summed over the years."""
    return Timing(
        label,
        [sum(r.seconds for r in runs)],
        f"{sum(r.rows_changed for r in runs):,} rows written",
        {step: sum(r.steps[step] for r in runs) for step in ENGINE_STEPS},
    )


def engine_ten_years() -> tuple[Timing, Timing]:
    empty_completion()
    cold = [timed_recompute(year) for year in YEARS]
    warm = [timed_recompute(year) for year in YEARS]
    span = f"{YEARS[0]}–{YEARS[-1]}"
    return (
        ten_years_timing(f"engine, ten years ({span}), cold, sum", cold),
        ten_years_timing(f"engine, ten years ({span}), warm, sum", warm),
    )


# --- 3: the naive way ----------------------------------------------------------------------------------


class Cell(NamedTuple):
    actual: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    quota: Decimal | None
    completion_rate: Decimal | None
    time_progress: Decimal
    gap: Decimal | None
    status: str


class QueryCounter:
    """A connection.execute_wrapper that counts statements (cheaper than keeping them all)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def naive_figure(kind: str, indicator_id: int, org_id: int, year: int, month: int) -> Decimal | None:
    """One query: a flow's sum over months 1..month of the unit and everything under it; a stock's latest
    level at or before the month, per unit under it, summed."""
    from django.db.models import OuterRef, Subquery, Sum

    from indicators.models import MonthlyValue
    from orgs.models import OrgUnitClosure

    under = OrgUnitClosure.objects.filter(ancestor_id=org_id).values("descendant_id")
    rows = MonthlyValue.objects.filter(
        indicator_id=indicator_id, year=year, month__lte=month, org_unit_id__in=under
    )
    if kind == "stock":
        latest = (
            MonthlyValue.objects.filter(
                indicator_id=indicator_id, year=year, month__lte=month, org_unit_id=OuterRef("org_unit_id")
            )
            .order_by("-month")
            .values("month")[:1]
        )
        rows = rows.filter(month=Subquery(latest))
    return rows.aggregate(total=Sum("value"))["total"]


def score(
    kind: str,
    month: int,
    actual: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    quota: Decimal | None,
    far_behind: int,
) -> Cell:
    """Rate, calendar progress, gap and status, by the rules the engine states."""
    rate = half_up(actual * 100 / quota, Q4) if actual is not None and quota is not None else None
    progress = half_up(Decimal(month * 100) / 12, Q4)
    gap = None if rate is None else rate - (progress if kind == "flow" else Decimal(100))
    if actual is None:
        status = "no_data"
    elif quota is None:
        status = "no_quota"
    elif gap >= 0:
        status = "ahead"
    elif gap > -far_behind:
        status = "behind"
    else:
        status = "far_behind"
    return Cell(
        half_up(actual, Q6),
        half_up(numerator, Q6),
        half_up(denominator, Q6),
        quota,
        rate,
        progress,
        gap,
        status,
    )


def naive_cell(
    indicator: Any, kinds: dict[int, str], org_id: int, year: int, month: int, far_behind: int
) -> Cell:
    from indicators.models import Quota

    numerator = denominator = None
    if indicator.kind == "ratio":
        numerator = naive_figure(kinds[indicator.numerator_id], indicator.numerator_id, org_id, year, month)
        denominator = naive_figure(
            kinds[indicator.denominator_id], indicator.denominator_id, org_id, year, month
        )
        usable = numerator is not None and denominator is not None and denominator > 0
        actual = numerator * 100 / denominator if usable else None
    else:
        actual = naive_figure(indicator.kind, indicator.pk, org_id, year, month)
    quota = (
        Quota.objects.filter(indicator_id=indicator.pk, org_unit_id=org_id, year=year)
        .values_list("target", flat=True)
        .first()
    )
    return score(indicator.kind, month, actual, numerator, denominator, quota, far_behind)


def naive_write(year: int, cells: dict[Key, Cell]) -> None:
    """One bulk upsert of every cell, as a straightforward implementation would end."""
    from django.utils import timezone

    from completion.models import Completion

    now = timezone.now()
    fields = list(Cell._fields)
    Completion.objects.bulk_create(
        [
            Completion(indicator_id=i, org_unit_id=o, year=year, month=m, computed_at=now, **cell._asdict())
            for (i, o, m), cell in cells.items()
        ],
        update_conflicts=True,
        unique_fields=["year", "month", "indicator", "org_unit"],
        update_fields=[*fields, "computed_at"],
    )


def naive_year(year: int) -> tuple[float, int, dict[Key, Cell]]:
    """Seconds, queries and the cells of computing a year cell by cell through the ORM."""
    from django.conf import settings
    from django.db import connection

    from completion.services import months_to_compute
    from indicators.models import Indicator
    from orgs.models import OrgUnit

    far_behind = settings.COMPLETION_FAR_BEHIND_POINTS
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        indicators = list(Indicator.objects.all())
        kinds = {i.pk: i.kind for i in indicators}
        org_ids = list(OrgUnit.objects.values_list("pk", flat=True))
        cells = {
            (ind.pk, org, month): naive_cell(ind, kinds, org, year, month, far_behind)
            for ind in indicators
            for org in org_ids
            for month in range(1, months_to_compute(year) + 1)
        }
        naive_write(year, cells)
        seconds = time.perf_counter() - start
    return seconds, counter.count, cells


def engine_cells(year: int) -> dict[Key, tuple]:
    from completion.models import Completion

    rows = Completion.objects.filter(year=year).values_list(
        "indicator_id", "org_unit_id", "month", "actual", "quota", "completion_rate", "status"
    )
    return {(i, o, m): (half_up(a, Q4), half_up(q, Q4), half_up(r, Q4), s) for i, o, m, a, q, r, s in rows}


def verify(naive: dict[Key, Cell], engine: dict[Key, tuple]) -> int:
    """Every cell equal (actual, quota and completion rate to four places, and the status), or SystemExit."""
    problems = []
    if only_naive := naive.keys() - engine.keys():
        problems.append(f"{len(only_naive)} cells computed by the naive way only, e.g. {min(only_naive)}")
    if only_engine := engine.keys() - naive.keys():
        problems.append(f"{len(only_engine)} cells stored by the engine only, e.g. {min(only_engine)}")
    for key in sorted(naive.keys() & engine.keys()):
        cell = naive[key]
        mine = (half_up(cell.actual, Q4), half_up(cell.quota, Q4), cell.completion_rate, cell.status)
        if mine != engine[key]:
            problems.append(f"indicator/org/month {key}: naive {mine} != engine {engine[key]}")
    if problems:
        listing = "\n  ".join(problems[:20])
        raise SystemExit(f"RESULTS DISAGREE ({len(problems)} problems):\n  {listing}")
    return len(naive)


# --- 4: the raw SQL lower bound ------------------------------------------------------------------------


def raw_sql_seconds(first: int, last: int, repeats: int) -> Timing:
    """One SELECT: year-to-date sums per year × ancestor × indicator × month. Wrapped in COUNT/SUM so
    every figure is computed but nothing is shipped to Python or written."""
    from indicators.models import MonthlyValue
    from orgs.models import OrgUnitClosure

    query = f"""
SELECT COUNT(*), SUM(ytd) FROM (
    SELECT v.year, c.ancestor_id, v.indicator_id, v.month,
        SUM(SUM(v.value)) OVER (PARTITION BY v.year, c.ancestor_id, v.indicator_id ORDER BY v.month) AS ytd
    FROM {table(MonthlyValue)} v JOIN {table(OrgUnitClosure)} c ON c.descendant_id = v.org_unit_id
    WHERE v.year BETWEEN %s AND %s
    GROUP BY v.year, c.ancestor_id, v.indicator_id, v.month
) AS cells"""
    runs = [timed(lambda: sql(query, [first, last])) for _ in range(repeats)]
    span = f"one year ({first})" if first == last else f"ten years ({first}–{last})"
    return Timing(f"raw SQL YTD sums, {span}, no writes", [s for s, _ in runs], f"{runs[0][1][0][0]:,} cells")


# --- Profiling (--explain) -------------------------------------------------------------------------------


def explain_engine(year: int) -> None:
    """EXPLAIN ANALYZE of the engine's SELECT, as completion_compute runs it for a past year."""
    from django.conf import settings

    from completion.engine import completion_select_sql

    select = completion_select_sql(
        year=year, max_month=12, only_month=None, far_behind_points=settings.COMPLETION_FAR_BEHIND_POINTS
    )
    print(f"\nEXPLAIN (ANALYZE, BUFFERS) of the engine's SELECT for {year}:")
    for (line,) in sql(f"EXPLAIN (ANALYZE, BUFFERS) {select}"):
        print(f"  {line}")


# --- Report -----------------------------------------------------------------------------------------------


def machine_facts(load_at_start: float) -> list[str]:
    import django

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    pg = {name: sql(f"SHOW {name}")[0][0] for name in ("server_version", "shared_buffers", "work_mem", "jit")}
    return [
        f"CPUs {os.cpu_count()} ({usable} usable); load average (1 min) {load_at_start:.2f} at start, "
        f"{os.getloadavg()[0]:.2f} at the end; {platform.platform()}",
        f"PostgreSQL {pg['server_version']} (shared_buffers {pg['shared_buffers']}, work_mem {pg['work_mem']}, "
        f"jit {pg['jit']}); Python {platform.python_version()}; Django {django.get_version()}",
    ]


def row_counts() -> list[str]:
    from completion.models import Completion
    from indicators.models import Indicator, MonthlyValue, Quota
    from orgs.models import OrgUnit, OrgUnitClosure

    kinds = dict(sql(f"SELECT kind, COUNT(*) FROM {table(Indicator)} GROUP BY kind"))
    n = {
        m.__name__: sql(f"SELECT COUNT(*) FROM {table(m)}")[0][0]
        for m in (OrgUnit, OrgUnitClosure, MonthlyValue, Quota, Completion)
    }
    return [
        f"rows: org units {n['OrgUnit']} (closure pairs {n['OrgUnitClosure']}); indicators {sum(kinds.values())} "
        f"({kinds.get('flow', 0)} flow, {kinds.get('stock', 0)} stock, {kinds.get('ratio', 0)} ratio)",
        f"      monthly values {n['MonthlyValue']:,}; quotas {n['Quota']:,}; completion {n['Completion']:,} "
        f"({n['Completion'] // len(YEARS):,} cells a year)",
    ]


def print_timings(timings: list[Timing]) -> None:
    print(f"\n  {'measure':<50} {'best s':>8} {'median s':>9} {'runs':>5}  note")
    for t in timings:
        print(f"  {t.label:<50} {t.best:>8.3f} {t.median:>9.3f} {len(t.runs):>5}  {t.note}")


def print_steps(timings: list[Timing]) -> None:
    """The engine's time by step (median of the runs; ten years: summed over the years)."""
    header = "".join(f"{step:>12}" for step in ENGINE_STEPS)
    print(f"\n  {'engine time by step, s (median; ten years: sum)':<50}{header}")
    for t in timings:
        if t.steps:
            print(f"  {t.label:<50}" + "".join(f"{t.steps[step]:>12.3f}" for step in ENGINE_STEPS))


def print_rows(title: str, rows: list[tuple[str, str]]) -> None:
    print(f"\n  {title}")
    for label, value in rows:
        print(f"    {label:<64} {value}")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def print_report(r: dict[str, Timing], agreed: int, load_at_start: float) -> None:
    print(f"\n== Completion engine benchmark (database {BENCH_DB})")
    for line in [*machine_facts(load_at_start), *row_counts()]:
        print(f"  {line}")
    print_timings(list(r.values()))
    print_steps([r["cold"], r["warm"], r["changed"], r["ten_cold"], r["ten_warm"]])
    print(
        f"\n  results agree: {agreed:,} cells (naive = engine: actual, quota, completion rate to 4 places, status)"
    )
    naive = r["naive"].best
    vs_naive_cold, vs_naive_warm = naive / r["cold"].median, naive / r["warm"].median
    vs_raw = r["warm"].best / r["raw_one"].best
    print_rows(
        "Ratios",
        [
            (
                "naive ÷ engine, one year (engine cold median; warm median)",
                f"{vs_naive_cold:.0f}×; {vs_naive_warm:.0f}×",
            ),
            (
                "engine ÷ raw SQL, one year (engine warm best; cold best)",
                f"{vs_raw:.1f}×; {r['cold'].best / r['raw_one'].best:.1f}×",
            ),
            (
                "engine ÷ raw SQL, ten years (engine warm sum; cold sum)",
                f"{r['ten_warm'].best / r['raw_ten'].best:.1f}×; {r['ten_cold'].best / r['raw_ten'].best:.1f}×",
            ),
        ],
    )
    cold, warm = r["cold"].median, r["warm"].median
    print_rows(
        "Targets",
        [
            (
                f"one year < {TARGET_YEAR_SECONDS} s, cold (median {cold:.3f} s)",
                verdict(cold < TARGET_YEAR_SECONDS),
            ),
            (
                f"one year < {TARGET_YEAR_SECONDS} s, warm (median {warm:.3f} s)",
                verdict(warm < TARGET_YEAR_SECONDS),
            ),
            (
                f"≥ {TARGET_VS_NAIVE:.0f}× faster than naive (engine cold median: {vs_naive_cold:.0f}×)",
                verdict(vs_naive_cold >= TARGET_VS_NAIVE),
            ),
            (
                f"within {TARGET_VS_RAW:.0f}× of raw SQL (engine warm best: {vs_raw:.1f}×)",
                verdict(vs_raw <= TARGET_VS_RAW),
            ),
        ],
    )


# --- Main -------------------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keep", action="store_true", help=f"keep the {BENCH_DB} database afterwards")
    parser.add_argument("--explain", action="store_true", help="profile the engine's statements and SELECT")
    parser.add_argument("--repeats", type=int, default=5, help="runs per repeated timing (default 5)")
    return parser.parse_args()


def run(args: argparse.Namespace) -> None:
    load_at_start = os.getloadavg()[0]
    load_seconds, ds = timed(generate)
    log(f"data set generated and loaded (COPY) in {load_seconds:.1f} s")
    cold, warm, changed = engine_one_year(ds, args.repeats)
    log("engine, one year: done")
    ten_cold, ten_warm = engine_ten_years()
    log("engine, ten years: done")
    raw_one = raw_sql_seconds(YEAR, YEAR, args.repeats)
    raw_ten = raw_sql_seconds(YEARS[0], YEARS[-1], args.repeats)
    log("raw SQL: done; now the naive way, cell by cell (a few minutes)")
    stored = engine_cells(YEAR)
    naive_seconds, naive_queries, naive = naive_year(YEAR)
    log(f"naive way: done in {naive_seconds:.1f} s")
    agreed = verify(naive, stored)
    recompute(YEAR)  # leave the engine's own rows behind (for --keep)
    results = {
        "cold": cold,
        "warm": warm,
        "changed": changed,
        "ten_cold": ten_cold,
        "ten_warm": ten_warm,
        "naive": Timing(
            f"naive ORM, one year ({YEAR}), cell by cell",
            [naive_seconds],
            f"{naive_queries:,} queries, one bulk upsert",
        ),
        "raw_one": raw_one,
        "raw_ten": raw_ten,
    }
    print_report(results, agreed, load_at_start)
    if args.explain:
        explain_engine(YEAR)


def main() -> None:
    args = parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must name a PostgreSQL server (run `make bench`).")
    recreate_database(server_url)
    try:
        setup_django(url_with_database(server_url, BENCH_DB))
        run(args)
    finally:
        if args.keep:
            print(f"\n  kept database {BENCH_DB}")
        else:
            drop_database(server_url)


if __name__ == "__main__":
    main()
