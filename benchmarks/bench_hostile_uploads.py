"""Benchmark of hostile uploads through the township web door (issue 10 item 6).

Generates every worst case in benchmarks/hostile_files.py (each under the 10 MB size limit: a
shared-strings bomb, millions of empty cells or rows, huge strings and attributes, many sheets, entity
bombs, deep XML, huge style tables, one giant row, .xls and .csv ones) and sends each, as a signed-in
township user, through the whole web door: POST /reporting/upload/ (middleware, form, multipart
parsing, the view, the upload service with the web door's read budget, the preview page). Each upload
runs in a fresh Python process, so one case's memory cannot hide another's, and prints:
  - the file's size and its unpacked size (an .xlsx's members together);
  - seconds from the request to the answer;
  - peak extra MB: the process's resident memory at its peak during the request (VmHWM, reset just
    before it through /proc/self/clear_refs) minus its resident memory before the request. RSS, not
    tracemalloc: the XML parser's and zlib's buffers are C memory that tracemalloc does not see;
  - the verdict: the first problem the page shows, or "accepted";
then the worst seconds and MB overall against the targets (within 3 s, under 150 MB extra).

Run: `make bench` (starts a throwaway PostgreSQL), or `python -m benchmarks.bench_hostile_uploads`
with DATABASE_URL pointing at a PostgreSQL server; it uses a database of its own and drops it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from io import BytesIO
from pathlib import Path

from benchmarks.completion import admin_cursor, url_with_database

BENCH_DB = "qianjiang_bench_hostile"
TARGET_SECONDS, TARGET_MB = 3.0, 150.0
USERNAME = "bench_township"


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def one(path: str) -> None:
    """In the child process: send one file through the web door and print the figures as JSON."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User
    from reporting.forms import UploadForm

    setup_test_environment()  # the response carries its template context: the problems shown
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-hostile-media-")
    user = User.objects.get(username=USERNAME)
    client = Client()
    client.force_login(user)
    client.get("/reporting/")  # everything a first request loads, loaded before measuring
    period = UploadForm(user=user).fields  # the month the form offers: the one being reported now
    data = Path(path).read_bytes()
    form = {"township": user.org_unit_id, "year": period["year"].initial, "month": period["month"].initial}
    upload = SimpleUploadedFile(Path(path).name, data)
    before = _rss_mb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM back to the current RSS
    start = time.perf_counter()
    response = client.post("/reporting/upload/", form | {"file": upload})
    seconds = time.perf_counter() - start
    peak = _rss_mb("VmHWM") - before
    preview = response.context["preview"] if response.context else None
    problems = preview.problems if preview is not None else []
    verdict = problems[0].message if problems else ("accepted" if response.status_code == 200 else "?")
    print(
        json.dumps({"seconds": seconds, "peak_mb": peak, "status": response.status_code, "verdict": verdict})
    )


def setup(server_url: str) -> str:
    with admin_cursor(server_url) as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{BENCH_DB}"')
    url = url_with_database(server_url, BENCH_DB)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qianjiang_hrss.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from indicators.catalog_sync import indicator_catalog_sync
    from orgs.models import OrgUnit
    from orgs.services import org_units_load_reference

    call_command("migrate", verbosity=0, interactive=False)
    org_units_load_reference()
    this_year = timezone.localdate().year  # the month due may be last December
    indicator_catalog_sync(years=[this_year - 1, this_year])
    township = OrgUnit.objects.get(code="429005001")
    User.objects.create_user(USERNAME, password="bench-only", role=User.Role.TOWNSHIP, org_unit=township)
    from django.db import connections

    connections.close_all()
    return url


def unpacked_mb(data: bytes) -> float | None:
    if not data.startswith(b"PK"):
        return None
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return sum(m.file_size for m in archive.infolist()) / 2**20


def run(work: Path) -> list[dict]:
    from benchmarks.hostile_files import WORST_CASES

    results = []
    for label, make in WORST_CASES.items():
        name, data = make()
        path = work / name
        path.write_bytes(data)
        child = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_hostile_uploads", "--one", str(path)],
            capture_output=True,
            text=True,
            env=os.environ,
            check=False,
        )
        if child.returncode != 0:
            raise SystemExit(f"{label}: the child process failed\n{child.stderr[-3000:]}")
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        results.append({"case": label, "mb": len(data) / 2**20, "unpacked": unpacked_mb(data)} | figures)
        path.unlink()
        print_row(results[-1])
    return results


def print_row(r: dict) -> None:
    unpacked = f"{r['unpacked']:.1f}" if r["unpacked"] is not None else "—"
    verdict = r["verdict"] if len(r["verdict"]) <= 60 else r["verdict"][:59] + "…"
    print(
        f"  {r['case']:<52}{r['mb']:>7.2f}{unpacked:>10}{r['seconds']:>9.3f}{r['peak_mb']:>9.1f}  {verdict}",
        flush=True,
    )


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        one(sys.argv[2])
        return
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must name a PostgreSQL server (run `make bench`).")
    setup(server_url)
    print(f"\n== Hostile uploads through the township web door (database {BENCH_DB})")
    print("  POST /reporting/upload/ as a township user, each in a fresh process; peak extra MB = the")
    print("  process's peak RSS during the request (VmHWM) minus its RSS before it.\n")
    print(f"  {'case':<52}{'file MB':>7}{'unpacked':>10}{'seconds':>9}{'peak MB':>9}  verdict")
    try:
        with tempfile.TemporaryDirectory(prefix="bench-hostile-") as work:
            results = run(Path(work))
    finally:
        with admin_cursor(server_url) as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    slowest = max(results, key=lambda r: r["seconds"])
    largest = max(results, key=lambda r: r["peak_mb"])
    accepted = [r["case"] for r in results if r["verdict"] == "accepted"]
    print(f"\n  slowest answer: {slowest['seconds']:.2f} s ({slowest['case']})")
    print(f"  most memory: {largest['peak_mb']:.1f} MB extra ({largest['case']})")
    print(
        f"  accepted: {', '.join(accepted) or 'none'}; refused: {len(results) - len(accepted)} of {len(results)}"
    )
    print(
        f"  every answer within {TARGET_SECONDS:g} s: {'PASS' if slowest['seconds'] < TARGET_SECONDS else 'MISS'}; "
        f"under {TARGET_MB:g} MB extra: {'PASS' if largest['peak_mb'] < TARGET_MB else 'MISS'}"
    )


if __name__ == "__main__":
    main()
