"""Benchmark of the township report upload: a city-wide workbook of 100,000 values.

Builds a workbook as the city-wide template lays it out (23 township sheets, each with ~4,350
indicator rows, written with openpyxl), then prints:
  - seconds to merely read it with openpyxl alone (read-only, every cell touched): the floor;
  - seconds to validate it (parse + every rule, nothing saved: `city_report_upload(dry_run=True)`);
  - seconds to commit it (save the 23 drafts and their 100,000 values, confirm, approve: the values
    written through `monthly_values_apply` with their history, and the "其中" trigger at commit),
    phase by phase: the upload (parse, check, drafts), the confirmation and the approval (each one
    batch of 23 reports), the database's deferred integrity checks, the commit;
  - against python-calamine's bare read of the same file, when it is installed (requirements-dev:
    the yardstick of issue #26, "bulk commit at most 8× calamine's read"; the portal never imports it);
  - rows per second, peak memory of each phase (tracemalloc, Python allocations) and of the process
    (ru_maxrss), and the ratio of each phase to the bare read.
Targets (issue #3): commit within 3× of the bare read, under 300 MB peak memory; (#26) within 8× of
calamine's.

Run: `make bench` (starts a throwaway PostgreSQL), or `python -m benchmarks.bench_reporting` with
DATABASE_URL pointing at a PostgreSQL server; it uses a database of its own and drops it afterwards."""

from __future__ import annotations

import gc
import os
import resource
import time
import tracemalloc
from collections.abc import Callable
from io import BytesIO
from typing import Any

from benchmarks.completion import admin_cursor, url_with_database

BENCH_DB = "qianjiang_bench_reporting"
YEAR, MONTH = 2024, 11
TARGET_VALUES = 100_000
TOWNSHIPS = 23
PER_SHEET = -(-TARGET_VALUES // TOWNSHIPS)  # 4,348 indicators: 100,004 values


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def peak_mb(fn: Callable[[], Any]) -> float:
    """Peak of Python allocations while fn runs (tracemalloc slows Python ~10×: never timed)."""
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak


def setup(server_url: str) -> None:
    with admin_cursor(server_url) as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{BENCH_DB}"')
    os.environ["DATABASE_URL"] = url_with_database(server_url, BENCH_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qianjiang_hrss.settings.test")
    # As in production, the approval queues the recompute for a worker; it is timed on its own below.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "False"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def catalogue() -> list[str]:
    """PER_SHEET township-reported count indicators, created in one statement."""
    from indicators.models import Indicator
    from orgs.services import org_units_load_reference

    org_units_load_reference()
    Indicator.objects.bulk_create(
        Indicator(
            code=f"employment.bench_{i:05d}",
            name=f"测试指标{i:05d}",
            area="employment",
            unit="人",
            kind="flow",
            sort_order=i,
            year=YEAR,
            source=Indicator.Source.TOWNSHIP,
        )
        for i in range(PER_SHEET)
    )
    return list(Indicator.objects.filter(year=YEAR).order_by("sort_order").values_list("code", flat=True))


def workbook(codes: list[str]) -> bytes:
    """The city-wide layout: per township sheet, 区划代码 in D2, header on row 4, values in D."""
    from openpyxl import Workbook

    from orgs.models import OrgUnit
    from reporting.templates_xlsx import HEADERS

    book = Workbook(write_only=True)
    for n, township in enumerate(OrgUnit.objects.filter(level="township").order_by("sort_order")):
        sheet = book.create_sheet(township.name)
        sheet.append(["潜江市人力资源和社会保障局 区镇街道人社数据月报"])
        sheet.append(
            ["区镇街道:", township.name, "区划代码:", township.code, "报表期:", f"{YEAR}年{MONTH}月"]
        )
        sheet.append([])
        sheet.append(list(HEADERS))
        for i, code in enumerate(codes):
            sheet.append([code, f"测试指标{i:05d}", "人", (i * 7 + n * 13) % 500, "", None, None])
    meta = book.create_sheet("_meta")
    for row in (["township_code", "429005"], ["year", YEAR], ["month", MONTH], ["template_version", 1]):
        meta.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def bare_read(data: bytes) -> int:
    """openpyxl alone: open read-only and touch every cell."""
    from openpyxl import load_workbook

    book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    cells = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells += sum(1 for v in row if v is not None)
    book.close()
    return cells


def _calamine():
    """python-calamine's bare read (every cell of every sheet), or None when it is not installed."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return None

    def read(data: bytes) -> int:
        book = CalamineWorkbook.from_filelike(BytesIO(data))
        return sum(len(row) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python())

    return read


calamine_read = _calamine()


def main() -> None:
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must name a PostgreSQL server (run `make bench`).")
    setup(server_url)
    try:
        run()
    finally:
        from django.db import connections

        connections.close_all()
        with admin_cursor(server_url) as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def run() -> None:
    import time_machine
    from django.db import connection, transaction

    from accounts.models import User
    from indicators.models import MonthlyValue
    from reporting.parsing import IMPORT_BUDGET, parse_report
    from reporting.services.upload import city_report_upload
    from reporting.services.workflow import submissions_approve, submissions_confirm

    codes = catalogue()
    data = workbook(codes)
    user = User.objects.create_superuser("bench", password="bench-only")
    with time_machine.travel("2024-12-05 10:00 +0800", tick=True):
        read_s, _ = timed(lambda: bare_read(data))

        def validate():
            return city_report_upload(
                user=user,
                year=YEAR,
                month=MONTH,
                data=data,
                filename="全市.xlsx",
                dry_run=True,
                budget=IMPORT_BUDGET,  # the import command's: the web door's is for one township
            )

        validate_s, preview = timed(validate)
        assert preview.ok, preview.problems[:5]

        phases: dict[str, float] = {}
        high_water: dict[str, float] = {}  # the process's peak RSS after each phase (it only grows)

        def commit() -> int:
            with transaction.atomic():
                clock = time.perf_counter()

                def lap(name: str) -> None:
                    nonlocal clock
                    phases[name], clock = time.perf_counter() - clock, time.perf_counter()
                    high_water[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

                drafts = city_report_upload(
                    user=user, year=YEAR, month=MONTH, data=data, filename="全市.xlsx", budget=IMPORT_BUDGET
                )
                lap("upload: parse, check, 23 drafts")
                sent = submissions_confirm(submissions=drafts.submissions, user=user)
                lap("confirm (one batch)")
                submissions_approve(submissions=sent, user=user)
                lap("approve (one batch: check, write)")
                with connection.cursor() as cursor:  # Django's foreign keys are deferred to the commit
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                lap("deferred integrity checks")
            lap("commit")
            return MonthlyValue.objects.count()

        commit_s, stored = timed(commit)
        commit_mb = float("nan")  # not repeatable (it writes): see the process peak below
        # The process's high-water mark of the real pipeline, before tracemalloc (which costs memory of
        # its own) measures the Python peaks of the repeatable phases below.
        max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # The yardstick and the parser alone, after the peak was taken: calamine's lists of every cell
        # would be counted as the pipeline's.
        calamine_s = min(timed(lambda: calamine_read(data))[0] for _ in range(3)) if calamine_read else None
        parse_s, _ = timed(lambda: parse_report(data, "全市.xlsx", max_bytes=2**30, budget=IMPORT_BUDGET))
        read_mb = peak_mb(lambda: bare_read(data))
        validate_mb = peak_mb(validate)
        from completion.services import completion_recompute

        recompute_s, run = timed(lambda: completion_recompute(year=YEAR))
    values = len(preview.items)
    print(f"\n== Township report upload benchmark (database {BENCH_DB})")
    print(
        f"  workbook: {TOWNSHIPS} township sheets × {PER_SHEET:,} indicators = {values:,} values, {len(data) / 2**20:.1f} MB"
    )
    print(f"  stored after commit: {stored:,} monthly values\n")
    print(f"  {'phase':<46}{'seconds':>9}{'rows/s':>11}{'× read':>8}{'py peak MB':>11}")
    for label, seconds, peak in (
        ("bare read (openpyxl read-only, every cell)", read_s, read_mb),
        ("validate (parse + every rule, nothing saved)", validate_s, validate_mb),
        ("commit (parse, save 23 drafts, confirm, approve)", commit_s, commit_mb),
    ):
        print(f"  {label:<46}{seconds:>9.2f}{values / seconds:>11,.0f}{seconds / read_s:>8.1f}{peak:>11.1f}")
    print("\n  the commit, phase by phase (× calamine's bare read; the process's peak RSS after it):")
    yardstick = calamine_s or float("nan")
    print(f"    {'python-calamine bare read (the yardstick)':<46}{yardstick:>9.2f}")
    parser = "  the portal's parser alone (within the upload)"
    print(f"    {parser:<46}{parse_s:>9.2f}{parse_s / yardstick:>8.1f}×")
    for label, seconds in phases.items():
        print(f"    {label:<46}{seconds:>9.2f}{seconds / yardstick:>8.1f}×{high_water[label]:>8.0f} MB")
    print(
        f"\n  the worker's recompute of {YEAR} afterwards: {recompute_s:.2f} s ({run.rows:,} completion cells)"
    )
    print(
        f"\n  process peak RSS (ru_maxrss: Django, read, validate, commit; before tracemalloc): {max_rss:.0f} MB"
    )
    print(
        f"  commit within 3× of the bare read: {'PASS' if commit_s <= 3 * read_s else 'MISS'} ({commit_s / read_s:.1f}×)"
    )
    if calamine_s is None:
        print("  commit within 8× of python-calamine's read: not measured (python-calamine not installed)")
    else:
        verdict = "PASS" if commit_s <= 8 * calamine_s else "MISS"
        print(f"  commit within 8× of python-calamine's read: {verdict} ({commit_s / calamine_s:.1f}×)")
    print(f"  under 300 MB peak memory: {'PASS' if max_rss < 300 else 'MISS'} ({max_rss:.0f} MB)")


if __name__ == "__main__":
    main()
