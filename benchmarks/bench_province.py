"""Benchmark of one portal for a province (issue 26), on the synthetic province of benchmarks/province.py
(1 province, 17 prefectures, 103 counties, 1,250 townships, 105 indicators × 12 months; seeded, built
at run time, nothing committed). Prints:
  - the full recompute of the year, cold (empty completion table) and warm (nothing changed);
  - the engine alone for one changed value and for a township's whole month (incremental runs);
  - freshness through a real Celery worker: from the commit of one changed township value (p95 of
    --changes), and of a township's whole month (every typed indicator in one transaction, as an
    approved upload writes it; p95 of --uploads), until the run that computed it has committed (its
    requests are gone), so the province's cockpit reads the new figure;
  - the cockpit JSON, scorecard and warnings pages under gunicorn (2 sync workers), each as a leader of
    the province, a prefecture, a county and a township's office sees it (median of --repeats; the
    answer's size);
  - the database's size.
Goals (benchmark figures, not timed tests): one changed value on the cockpit p95 < 2 s (the city's:
`bench_freshness`, < 0.3 s); a township's whole upload visible < 3 s; full recompute warm ≤ 15 s;
scorecard and warnings < 300 ms at every level.
Marked PASS or MISS, never failing the run.

Run:  make bench-province
  or  python -m benchmarks.bench_province [--changes 20] [--uploads 8] [--repeats 5] [--keep]
with DATABASE_URL naming a PostgreSQL server (the role may create databases) and REDIS_URL."""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from benchmarks import completion as data
from benchmarks import province as synthetic
from benchmarks.bench_dashboard import free_port, one_request, start_gunicorn
from benchmarks.bench_freshness import _session, p95, start_worker

BENCH_DB = "qianjiang_bench_province"
YEAR, MONTH = synthetic.YEAR, 12
GOAL_CHANGE_P95, GOAL_UPLOAD_P95, GOAL_WARM, GOAL_PAGE = 2.0, 3.0, 15.0, 0.3
PAGES = {
    "cockpit JSON": "/api/v1/dashboard/cockpit/?year={year}&month={month}&org={code}",
    "scorecard": "/dashboard/scorecard/?year={year}&month={month}&org={code}",
    "warnings": "/dashboard/warnings/?year={year}&month={month}&org={code}",
}


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def full_recompute() -> tuple[float, float, int]:
    """Seconds of the whole year cold (nothing stored) and warm (nothing changed), and its cells."""
    from completion.services import completion_recompute

    cold, run = data.timed(lambda: completion_recompute(year=YEAR))
    warm, _ = data.timed(lambda: completion_recompute(year=YEAR))
    return cold, warm, run.rows


def engine_incremental(made: synthetic.Province, catalogue: list) -> tuple[float, float]:
    """The queue's run alone (no worker): one changed value, then a township's every figure of a month."""
    from django.db import transaction

    from completion.services import completion_catch_up
    from indicators.models import Channel
    from indicators.services import ValueEntry, monthly_values_apply
    from orgs.models import OrgUnit

    township = OrgUnit.objects.get(pk=made.townships[len(made.townships) // 2])
    flows = [i for i in catalogue if i.kind == "flow" and not i.parent_id]
    with transaction.atomic():
        monthly_values_apply(
            entries=[ValueEntry(indicator=flows[0], org_unit=township, year=YEAR, month=MONTH, value=Decimal(7))],
            user=None, channel=Channel.COMMAND,
        )  # fmt: skip
    one, run = data.timed(lambda: completion_catch_up(year=YEAR))
    assert run.org_units is not None, "one change was recomputed whole"
    month = [
        ValueEntry(indicator=i, org_unit=township, year=YEAR, month=MONTH, value=Decimal(3))
        for i in catalogue
    ]
    with transaction.atomic():
        monthly_values_apply(entries=month, user=None, channel=Channel.COMMAND)
    whole_month, run = data.timed(lambda: completion_catch_up(year=YEAR))
    assert run.org_units is not None, "a township's month was recomputed whole"
    return one, whole_month


def database_mb() -> float:
    return data.sql("SELECT pg_database_size(current_database())")[0][0] / 2**20


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--changes", type=int, default=20, help="single changed values timed")
    parser.add_argument("--uploads", type=int, default=8, help="township uploads timed")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each selector (median)")
    parser.add_argument("--no-services", action="store_true", help="skip the worker and the pages")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith(("postgres://", "postgresql://")) or not os.environ.get("REDIS_URL"):
        raise SystemExit("DATABASE_URL (PostgreSQL) and REDIS_URL must be set (run `make bench-province`).")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "False"
    data.BENCH_DB = BENCH_DB
    data.recreate_database(server_url)
    data.setup_django(data.url_with_database(server_url, BENCH_DB))
    try:
        run(args, server_url)
    finally:
        if not args.keep:
            data.drop_database(server_url)


def run(args: argparse.Namespace, server_url: str) -> None:
    from indicators.models import Indicator

    seconds, made = data.timed(synthetic.build)
    data.log(f"built in {seconds:.1f} s")
    catalogue = list(Indicator.objects.filter(year=YEAR).exclude(kind="ratio").order_by("sort_order", "code"))
    cold, warm, cells = full_recompute()
    print(
        f"\n== One portal for a province (database {BENCH_DB}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f})"
    )
    print(f"  completion cells of {YEAR}: {cells:,}; database {database_mb():.0f} MB")
    print(
        f"  full recompute cold {cold:.2f} s, warm {warm:.2f} s (goal warm ≤ {GOAL_WARM:.0f} s: {verdict(warm <= GOAL_WARM)})"
    )
    one, month = engine_incremental(made, catalogue)
    print(f"  incremental engine run: one changed value {one:.3f} s; a township's whole month {month:.3f} s")
    if args.no_services:
        return
    from django.db import connections

    connections.close_all()
    bench_url = data.url_with_database(server_url, BENCH_DB)
    logs = Path(tempfile.mkdtemp(prefix="bench-province-"))
    worker = start_worker(bench_url, logs / "worker.log")
    try:
        freshness(made, catalogue, args)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    port = free_port()
    server = start_gunicorn(bench_url, port, 1000)
    try:
        pages(made, port, args.repeats)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def _settled(started: float) -> float:
    """Seconds from `started` until the year's requests are gone: the run that saw them committed."""
    from completion.models import RecomputeRequest

    deadline = started + 120
    while time.perf_counter() < deadline:
        if not RecomputeRequest.objects.filter(year=YEAR).exists():
            return time.perf_counter() - started
        time.sleep(0.02)
    raise SystemExit("the worker did not settle the year's requests within 120 s")


def freshness(made: synthetic.Province, catalogue: list, args: argparse.Namespace) -> None:
    from django.db import transaction

    from indicators.models import Channel
    from indicators.services import ValueEntry, monthly_values_apply
    from orgs.models import OrgUnit

    flows = [i for i in catalogue if i.kind == "flow" and not i.parent_id]

    def write(entries: list) -> float:
        with transaction.atomic():
            monthly_values_apply(entries=entries, user=None, channel=Channel.COMMAND)
        return _settled(time.perf_counter())

    townships = OrgUnit.objects.filter(pk__in=made.townships).order_by("code")
    write(
        [ValueEntry(indicator=flows[1], org_unit=townships[0], year=YEAR, month=MONTH, value=Decimal(1))]
    )  # warm
    changes = [
        write([ValueEntry(indicator=flows[n % len(flows)], org_unit=townships[(37 * n) % len(townships)],
                          year=YEAR, month=MONTH, value=Decimal(100 + n))])
        for n in range(args.changes)
    ]  # fmt: skip
    uploads = [
        write([ValueEntry(indicator=i, org_unit=townships[(53 * n + 11) % len(townships)], year=YEAR,
                          month=MONTH, value=Decimal(20 + n)) for i in catalogue])
        for n in range(args.uploads)
    ]  # fmt: skip
    print("  freshness through a real worker (commit → the run that computed it committed):")
    for name, seconds, goal in (
        ("one changed value", changes, GOAL_CHANGE_P95),
        ("a township's month", uploads, GOAL_UPLOAD_P95),
    ):
        print(
            f"    {name:20} n={len(seconds):<3} median {statistics.median(seconds):.3f} s, p95 {p95(seconds):.3f} s"
            f" (goal < {goal:.0f} s: {verdict(p95(seconds) < goal)})"
        )  # fmt: skip


def _leaders(made: synthetic.Province) -> list:
    from accounts.models import User
    from orgs.models import OrgUnit

    units = [
        OrgUnit.objects.get(pk=made.province),
        OrgUnit.objects.get(pk=made.prefectures[0]),
        OrgUnit.objects.get(pk=made.counties[0]),
        OrgUnit.objects.filter(parent_id=made.counties[0], level="township").order_by("code").first(),
    ]
    out = []
    for unit in units:
        role = User.Role.TOWNSHIP if unit.level == "township" else User.Role.LEADER
        user = User.objects.create_user(username=f"bench-{unit.code}", password="x", role=role, org_unit=unit)
        out.append((unit, _session(user)))
    return out


def pages(made: synthetic.Province, port: int, repeats: int) -> None:
    print(f"  pages under gunicorn (2 sync workers), median of {repeats}, {YEAR}-{MONTH:02d}:")
    print(f"    {'level':11} {'page':13} {'median s':>9} {'status':>6} {'bytes':>11}")
    worst = 0.0
    for unit, cookie in _leaders(made):
        for name, path in PAGES.items():
            url = path.format(year=YEAR, month=MONTH, code=unit.code)
            try:
                one_request(port, url, cookie)  # the first pays for the worker's imports and connection
                runs = [one_request(port, url, cookie) for _ in range(repeats)]
            except TimeoutError:
                worst = float("inf")
                print(f"    {unit.level:11} {name:13} {'> 10':>9} (no answer within one_request's 10 s)")
                continue
            median = statistics.median(r[0] for r in runs)
            status, size = runs[-1][1], runs[-1][2]
            if name != "cockpit JSON" and status == 200:
                worst = max(worst, median)
            print(f"    {unit.level:11} {name:13} {median:>9.3f} {status:>6} {size:>11,}")
    print(
        f"    scorecard and warnings, slowest answered: {worst:.3f} s (goal < {GOAL_PAGE} s: {verdict(worst < GOAL_PAGE)})"
    )


if __name__ == "__main__":
    main()
