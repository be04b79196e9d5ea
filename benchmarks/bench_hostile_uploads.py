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

Then the disk an upload leaves behind (issue 23, point 1): the month's template carrying an unread
9.5 MB picture (xl/media/image1.png), sent 20 times through the web door by one township account (the
reported attack: 181 MB), and the last one confirmed. Prints the bytes written under MEDIA_ROOT and the
growth of the reporting tables in PostgreSQL (pg_total_relation_size, TOAST included; rows deleted stay
on disk until autovacuum, so they count too), after the 20 previews and after the confirmation.

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
DISK_USERNAME = "bench_township_disk"  # an account of its own: the cases above count against the hour
DISK_UPLOADS, PICTURE_MB = 20, 9.5
REPORTING_TABLES = ("reporting_submission", "reporting_submissionvalue")


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


def _media_bytes(root: str) -> tuple[int, int]:
    files = [p for p in Path(root).rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def _table_bytes() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.relname = ANY(%s)",
            [list(REPORTING_TABLES)],
        )
        return int(cursor.fetchone()[0] or 0)


def disk() -> None:
    """In the child process: 20 previews of the template carrying the picture, then the last one
    confirmed; prints the bytes on disk and in the database as JSON."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User
    from benchmarks.hostile_files import picture, with_member
    from reporting.forms import UploadForm
    from reporting.models import Submission

    setup_test_environment()  # the test client's host is allowed; the answer carries its context
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-disk-media-")
    user = User.objects.get(username=DISK_USERNAME)
    period = UploadForm(user=user).fields
    form = {"township": user.org_unit_id, "year": period["year"].initial, "month": period["month"].initial}
    data = with_member(
        _filled(user.org_unit, form["year"], form["month"]), "xl/media/image1.png", picture(PICTURE_MB)
    )
    client = Client()
    client.force_login(user)
    tables_before, start = _table_bytes(), time.perf_counter()
    responses = [
        client.post("/reporting/upload/", form | {"file": SimpleUploadedFile("月报.xlsx", data)})
        for _ in range(DISK_UPLOADS)
    ]
    seconds = time.perf_counter() - start
    if responses[0].status_code != 200:
        raise SystemExit([str(problem) for problem in responses[0].context["preview"].problems])
    mine = Submission.objects.filter(created_by=user)
    figures = {"file_mb": len(data) / 2**20, "statuses": sorted({r.status_code for r in responses})}
    figures |= {"seconds": seconds, "drafts": mine.filter(status="draft").count()}
    figures["media"], figures["files"] = _media_bytes(settings.MEDIA_ROOT)
    figures["tables"] = _table_bytes() - tables_before
    client.post(f"/reporting/submissions/{mine.filter(status='draft').latest('pk').pk}/confirm/")
    figures["confirmed_media"], figures["confirmed_files"] = _media_bytes(settings.MEDIA_ROOT)
    figures["confirmed_tables"] = _table_bytes() - tables_before
    print(json.dumps(figures))


def _filled(township, year: int, month: int) -> bytes:
    """The month's template with the first indicator's figure typed in, as a township sends it."""
    from io import BytesIO

    import openpyxl

    from reporting.templates_xlsx import FIRST_DATA_ROW, REPORT_SHEET, template_workbook

    book = openpyxl.load_workbook(BytesIO(template_workbook(township=township, year=year, month=month)))
    next(book[REPORT_SHEET].iter_rows(min_row=FIRST_DATA_ROW))[3].value = 12
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def print_disk(f: dict) -> None:
    kb = 1024
    print(
        f"\n== Disk used by {DISK_UPLOADS} uploads of the template carrying an unread {PICTURE_MB:g} MB picture"
    )
    print(f"  (xl/media/image1.png), one township account, through the web door; answers {f['statuses']}\n")
    print(f"  upload file: {f['file_mb']:.1f} MB; {DISK_UPLOADS} uploads in {f['seconds']:.1f} s")
    print(
        f"  after {DISK_UPLOADS} previews:  MEDIA_ROOT {f['media'] / kb:,.0f} kB in {f['files']} files; reporting tables +{f['tables'] / kb:,.0f} kB; drafts kept: {f['drafts']}"
    )
    print(
        f"  after confirming the last: MEDIA_ROOT {f['confirmed_media'] / kb:,.0f} kB in {f['confirmed_files']} files; reporting tables +{f['confirmed_tables'] / kb:,.0f} kB"
    )
    total = (f["confirmed_media"] + f["confirmed_tables"]) / 2**20
    print(f"  disk used in all: {total:.2f} MB")


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
    User.objects.create_user(DISK_USERNAME, password="bench-only", role=User.Role.TOWNSHIP, org_unit=township)
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
    if len(sys.argv) == 2 and sys.argv[1] == "--disk":
        disk()
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
        disk_figures = run_disk()
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
    print_disk(disk_figures)


def run_disk() -> dict:
    child = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_hostile_uploads", "--disk"],
        capture_output=True,
        text=True,
        env=os.environ,
        check=False,
    )
    if child.returncode != 0:
        raise SystemExit(f"disk: the child process failed\n{child.stderr[-3000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
