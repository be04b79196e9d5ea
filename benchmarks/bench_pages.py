"""The pages a month is made of, on the demo's 2024: the time and the queries of a township's template, the
city-wide template, a township upload's preview, the month sheet, the cockpit and where a figure came
from (provenance: the figure's page, a part's, a register's records; the reconciliation). Queries are exact
(they must not grow with the catalogue: each reader takes the year's indicator set once per request);
times are the median of --runs runs after one warm-up.

Run:  make bench BENCHES=benchmarks.bench_pages
  or  python -m benchmarks.bench_pages [--runs 15]
with DATABASE_URL naming a PostgreSQL server (the role may create databases)."""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

from benchmarks.completion import admin_cursor, url_with_database

BENCH_DB = "qianjiang_bench_pages"
TOWNSHIP, YEAR, MONTH = "429005001", 2024, 11


def _setup(server_url: str) -> None:
    with admin_cursor(server_url) as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        cursor.execute(f"CREATE DATABASE {BENCH_DB}")
    os.environ["DATABASE_URL"] = url_with_database(server_url, BENCH_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qianjiang_hrss.settings.test")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "True"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _measure(name: str, run: Callable[[], object], runs: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run()  # warm-up: content types, templates, caches
    with CaptureQueriesContext(connection) as captured:
        run()
    # Counted now: a request empties the query log (django.db.reset_queries) when it starts.
    queries = len(captured.captured_queries)
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds) * 1000
    print(f"  {name:<34} {median:8.1f} ms median   {queries:4d} queries")


def _measure_provenance(city, runs: int) -> None:
    """Where a figure came from (provenance/): the figure's parts, a part's sources, a register's records
    and the reconciliation, each as a leader's whole request (session, scope, page) and the figure's
    parts alone. The queries must stay the same at any size (tests/provenance/test_cost.py)."""
    from django.test import Client

    from accounts.models import User
    from indicators.models import Indicator
    from provenance.selectors import figure_provenance

    jobs = Indicator.objects.get(code="employment.urban_new_jobs", year=YEAR)
    leader = User.objects.create_user("bench-leader", password="x", role=User.Role.LEADER)
    client = Client(HTTP_HOST="localhost")  # outside pytest, testserver is no allowed host
    client.force_login(leader)
    period = f"year={YEAR}&month={MONTH}"

    def page(url: str) -> Callable[[], object]:
        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return get

    _measure(
        "provenance: figure's parts",
        lambda: figure_provenance(indicator=jobs, org=city, year=YEAR, month=MONTH),
        runs,
    )
    _measure(
        "provenance: figure page (city)",
        page(f"/dashboard/provenance/{jobs.code}/?org=429005&{period}"),
        runs,
    )
    _measure(
        "provenance: part page (township)",
        page(f"/dashboard/provenance/{jobs.code}/part/?org={TOWNSHIP}&{period}"),
        runs,
    )
    loans = "employment.guarantee_loans"
    _measure(
        "provenance: loan records (city, 1-11)",
        page(f"/dashboard/provenance/{loans}/records/?org=429005&ytd=1&{period}"),
        runs,
    )
    _measure("reconciliation page", page(f"/dashboard/reconciliation/?{period}"), runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    server_url = os.environ["DATABASE_URL"]
    _setup(server_url)
    from accounts.models import User
    from dashboard.selectors import dashboard_cockpit
    from demo.services import demo_load
    from entry.selectors import month_sheet
    from orgs.models import OrgUnit
    from reporting.services.upload import submission_upload
    from reporting.templates_xlsx import city_template_workbook, template_workbook

    demo_load(current_year=False)
    township, city = OrgUnit.objects.get(code=TOWNSHIP), OrgUnit.objects.get(code="429005")
    clerk = User.objects.create_user("bench-town", password="x", role=User.Role.TOWNSHIP, org_unit=township)
    filled = template_workbook(township=township, year=YEAR, month=MONTH)
    print(f"== pages of {YEAR}-{MONTH:02d} on the demo (median of {args.runs} runs)")
    _measure(
        "township template (.xlsx)",
        lambda: template_workbook(township=township, year=YEAR, month=MONTH),
        args.runs,
    )
    _measure("city-wide template (.xlsx)", lambda: city_template_workbook(year=YEAR, month=MONTH), args.runs)
    _measure(
        "township upload preview (dry run)",
        lambda: submission_upload(
            user=clerk,
            township=township,
            year=YEAR,
            month=MONTH,
            data=filled,
            filename="月报.xlsx",
            dry_run=True,
        ),
        args.runs,
    )
    _measure("month sheet (市本级)", lambda: month_sheet(org_unit=city, year=YEAR, month=MONTH), args.runs)
    _measure("cockpit (city)", lambda: dashboard_cockpit(org=city, year=YEAR, month=MONTH), args.runs)
    _measure_provenance(city, args.runs)
    from django.db import connections

    connections.close_all()
    with admin_cursor(server_url) as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")


if __name__ == "__main__":
    main()
