"""The portal on a busy reporting day, against real processes: gunicorn (the production WSGI app),
a real Celery worker on Redis, PostgreSQL.

For --seconds (60): 23 township users sign in, download their template and upload and confirm their
report for the month now due, each sending a second version a little later; two bureau users approve
what arrives (both may try the same one); 20 leaders poll the cockpit. Every request is a real HTTP
request with a real session and CSRF token.

Then it checks, and prints:
- requests and errors (any 5xx, connection failure or unexpected answer);
- submissions: every confirmed upload is in the database once, versions 1..n per township, none lost;
- figures: each township's values for the month are those of its latest version (an older version
  approved after a newer one must never win);
- completion: once the worker is idle, every completion cell equals a from-scratch recompute.

Run:  make bench BENCHES=benchmarks.bench_load
  or  python -m benchmarks.bench_load [--seconds 60] [--leaders 20] [--townships 23]
with DATABASE_URL naming a PostgreSQL server (the role may create databases) and REDIS_URL."""

from __future__ import annotations

import argparse
import http.client
import io
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

from benchmarks import completion as data

BENCH_DB = "qianjiang_bench_load"
HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-2026"
CODES = ("employment.urban_new_jobs", "employment.unemployed_reemployed", "employment.graduates_employed")


# --- a browser-like HTTP session -------------------------------------------------------------------


class Session:
    """Cookies (session, CSRF) and the CSRF token, over a new connection per request (sync workers
    close them). Raises nothing: every answer or failure is counted by the caller."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers = {"Cookie": cookie, "Referer": f"http://{HOST}:{self.port}/", **(headers or {})}
        if method == "POST" and "csrftoken" in self.cookies:
            all_headers["X-CSRFToken"] = self.cookies["csrftoken"]
        try:
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            content = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location") or "", content
        except OSError as error:
            return 0, "", str(error).encode()
        finally:
            conn.close()

    def form(self, path: str, fields: dict) -> tuple[int, str, bytes]:
        body = urlencode({**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def upload(self, path: str, fields: dict, filename: str, content: bytes) -> tuple[int, str, bytes]:
        boundary = f"qjload{random.randrange(10**12)}"
        parts = []
        for name, value in {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def sign_in(self, username: str) -> bool:
        self.request("GET", "/accounts/login/")
        status, location, _ = self.form("/accounts/login/", {"username": username, "password": PASSWORD})
        return status == 302 and "login" not in location


# --- what happened ---------------------------------------------------------------------------------


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    confirmed: Counter = field(default_factory=Counter)  # township code -> uploads confirmed
    last_values: dict[str, dict[str, int]] = field(default_factory=dict)  # township -> its latest version's
    approvals: Counter = field(default_factory=Counter)

    def note(
        self, kind: str, status: int, expected: tuple[int, ...], seconds: float, detail: bytes = b""
    ) -> bool:
        with self.lock:
            self.requests[kind] += 1
            self.latencies.setdefault(kind, []).append(seconds)
            if status not in expected:
                self.errors[f"{kind}: {status}"] += 1
                if self.errors[f"{kind}: {status}"] <= 2:
                    data.log(f"unexpected answer to {kind}: {status} {detail[:200]!r}")
                return False
            return True


def timed_call(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


# --- the people --------------------------------------------------------------------------------------


def township_day(
    port: int, code: str, township_id: int, files: list[tuple[dict, bytes]], until: float, tally: Tally
):
    """Sign in, download the template, upload and confirm; a second version later; again if time is left."""
    session = Session(port)
    if not session.sign_in(f"town-{code}"):
        tally.note("sign-in", 0, (1,), 0)
        return
    fields = {"township": township_id, "year": YEAR, "month": MONTH}
    for number, (values, content) in enumerate(files):
        if time.monotonic() > until:
            return
        seconds, (status, _, _) = timed_call(
            session.request, "GET", f"/reporting/template/{code}/{YEAR}/{MONTH}.xlsx"
        )
        tally.note("template", status, (200,), seconds)
        seconds, (status, _, page) = timed_call(
            session.upload, "/reporting/upload/", fields, f"{code}-{number}.xlsx", content
        )
        if not tally.note("upload", status, (200,), seconds, page):
            continue
        found = re.search(rb"/reporting/submissions/(\d+)/confirm/", page)
        if not found:
            tally.note("upload-preview", 0, (1,), 0, page[-500:])
            continue
        seconds, (status, _, _) = timed_call(
            session.form, f"/reporting/submissions/{found.group(1).decode()}/confirm/", {}
        )
        if tally.note("confirm", status, (302,), seconds):
            with tally.lock:
                tally.confirmed[code] += 1
                tally.last_values[code] = values
        time.sleep(random.uniform(2, 8))


PENDING = re.compile(rb'href="/reporting/submissions/(\d+)/"')


def bureau_day(port: int, username: str, tally: Tally, drain: threading.Event):
    """Approve what arrives (the status page lists each township's latest submission), until the
    townships are done (`drain`) and nothing is pending."""
    session = Session(port)
    if not session.sign_in(username):
        tally.note("sign-in", 0, (1,), 0)
        return
    while True:
        seconds, (status, _, page) = timed_call(
            session.request, "GET", f"/reporting/status/?year={YEAR}&month={MONTH}"
        )
        tally.note("status", status, (200,), seconds)
        pending = [pk for pk, row in _rows(page) if "待审核" in row]
        if not pending and drain.is_set():  # the townships are done and nothing waits
            return
        for pk in pending:
            seconds, (status, _, _) = timed_call(session.form, f"/reporting/submissions/{pk}/approve/", {})
            if tally.note("approve", status, (302,), seconds):
                with tally.lock:
                    tally.approvals[username] += 1
        time.sleep(0.5)


def _rows(page: bytes) -> list[tuple[str, str]]:
    rows = []
    for row in re.findall(rb"<tr[^>]*>(.*?)</tr>", page, flags=re.S):
        found = PENDING.search(row)
        if found:
            rows.append((found.group(1).decode(), row.decode("utf-8", "ignore")))
    return rows


def leader_day(port: int, username: str, until: float, tally: Tally):
    session = Session(port)
    if not session.sign_in(username):
        tally.note("sign-in", 0, (1,), 0)
        return
    while time.monotonic() < until:
        seconds, (status, _, body) = timed_call(
            session.request,
            "GET",
            f"/api/v1/dashboard/cockpit/?year={YEAR}&month={MONTH}",
            None,
            {"Accept": "application/json", "X-Portal-Poll": "1"},
        )
        tally.note("cockpit", status, (200,), seconds, body)
        time.sleep(random.uniform(0.2, 1.0))


# --- setting up ------------------------------------------------------------------------------------

YEAR, MONTH = 0, 0  # the month now due, set in prepare()


def prepare(server_url: str, townships: int, leaders: int) -> list:
    """The demo (2024) with this year's quotas copied from it, the users, and each township's files."""
    global YEAR, MONTH
    data.BENCH_DB = BENCH_DB
    data.recreate_database(server_url)
    data.setup_django(data.url_with_database(server_url, BENCH_DB))
    from accounts.models import User
    from demo.services import demo_load
    from indicators.models import Channel, Quota
    from indicators.services import quota_set
    from orgs.models import OrgUnit
    from reporting.forms import _default_period

    YEAR, MONTH = _default_period()
    demo_load()
    for quota in Quota.objects.filter(year=2024).select_related("indicator", "org_unit"):
        quota_set(
            indicator=quota.indicator,
            org_unit=quota.org_unit,
            year=YEAR,
            target=quota.target,
            user=None,
            channel=Channel.COMMAND,
        )
    chosen = list(OrgUnit.objects.filter(level=OrgUnit.Level.TOWNSHIP).order_by("sort_order")[:townships])
    for town in chosen:
        User.objects.create_user(
            f"town-{town.code}", password=PASSWORD, role=User.Role.TOWNSHIP, org_unit=town
        )
    for n in range(2):
        User.objects.create_user(f"bureau-{n}", password=PASSWORD, role=User.Role.BUREAU, is_staff=True)
    for n in range(leaders):
        User.objects.create_user(f"leader-{n}", password=PASSWORD, role=User.Role.LEADER)
    return [(town.code, town.pk, _files(town)) for town in chosen]


def _files(town) -> list[tuple[dict, bytes]]:
    """Three versions of the township's report, each with different figures."""
    import openpyxl

    from reporting.templates_xlsx import FIRST_DATA_ROW, REPORT_SHEET, template_workbook

    template = template_workbook(township=town, year=YEAR, month=MONTH)
    versions = []
    for version in range(3):
        values = {code: random.randrange(5, 60) + version for code in CODES}
        book = openpyxl.load_workbook(io.BytesIO(template))
        for row in book[REPORT_SHEET].iter_rows(min_row=FIRST_DATA_ROW):
            if row[0].value in values:
                row[3].value = values[row[0].value]
        out = io.BytesIO()
        book.save(out)
        versions.append((values, out.getvalue()))
    return versions


def start(bench_url: str, port: int) -> tuple[subprocess.Popen, subprocess.Popen]:
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.gunicorn_settings",
        "CELERY_TASK_ALWAYS_EAGER": "False",
    }
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "qianjiang_hrss.wsgi:application", "-w", "4", "-b", f"{HOST}:{port}",
         "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "qianjiang_hrss", "worker", "--pool=solo", "-l", "warning", "-n", "load@%h"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status, _, _ = Session(port).request("GET", "/accounts/login/")
        if status == 200:
            return web, worker
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


# --- checking ----------------------------------------------------------------------------------------


def check_submissions(tally: Tally) -> list[str]:
    from reporting.models import Submission

    problems = []
    for code, confirmed in tally.confirmed.items():
        versions = sorted(
            Submission.objects.filter(township__code=code, year=YEAR, month=MONTH)
            .exclude(status=Submission.Status.DRAFT)
            .values_list("version", flat=True)
        )
        if len(versions) != confirmed:
            problems.append(f"{code}: {confirmed} confirmed uploads, {len(versions)} submissions sent")
        every = sorted(
            Submission.objects.filter(township__code=code, year=YEAR, month=MONTH).values_list(
                "version", flat=True
            )
        )
        if every != list(range(1, len(every) + 1)):
            problems.append(f"{code}: versions {every}")
    return problems


def check_figures(tally: Tally) -> list[str]:
    from indicators.models import MonthlyValue

    problems = []
    for code, values in tally.last_values.items():
        stored = dict(
            MonthlyValue.objects.filter(
                org_unit__code=code, year=YEAR, month=MONTH, indicator__code__in=CODES
            ).values_list("indicator__code", "value")
        )
        expected = {k: Decimal(v) for k, v in values.items()}
        if stored != expected:
            problems.append(f"{code}: stored {stored}, its latest version says {expected}")
    return problems


def wait_until_computed(seconds: float = 180) -> bool:
    """The worker is done when the last run started after the last figure change."""
    from completion.models import CompletionRun
    from indicators.models import FigureChange

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        last_change = (
            FigureChange.objects.filter(year=YEAR)
            .order_by("-changed_at")
            .values_list("changed_at", flat=True)
            .first()
        )
        last_run = (
            CompletionRun.objects.filter(year=YEAR)
            .order_by("-started_at")
            .values_list("started_at", flat=True)
            .first()
        )
        if last_change and last_run and last_run > last_change:
            return True
        time.sleep(1)
    return False


def check_completion() -> tuple[int, int]:
    """(cells, cells that differ from a from-scratch recompute)."""
    from django.db import transaction

    from completion.models import Completion
    from completion.services import completion_recompute

    fields = ("indicator_id", "org_unit_id", "month", "actual", "numerator", "denominator", "quota",
              "completion_rate", "time_progress", "gap", "status")  # fmt: skip
    served = set(Completion.objects.filter(year=YEAR).values_list(*fields))
    with transaction.atomic():
        Completion.objects.filter(year=YEAR).delete()
        completion_recompute(year=YEAR)
        fresh = set(Completion.objects.filter(year=YEAR).values_list(*fields))
        transaction.set_rollback(True)
    return len(fresh), len(served ^ fresh)


# --- the run -----------------------------------------------------------------------------------------


def run(server_url: str, seconds: float, leaders: int, townships: int) -> dict:
    from benchmarks.bench_dashboard import free_port

    data.log("preparing the demo, this year's quotas and the users")
    plan = prepare(server_url, townships, leaders)
    port = free_port()
    web, worker = start(data.url_with_database(server_url, BENCH_DB), port)
    tally, drain = Tally(), threading.Event()
    try:
        until = time.monotonic() + seconds
        towns = [
            threading.Thread(target=township_day, args=(port, code, pk, files, until, tally))
            for code, pk, files in plan
        ]
        others = [
            threading.Thread(target=bureau_day, args=(port, f"bureau-{n}", tally, drain)) for n in range(2)
        ]
        others += [
            threading.Thread(target=leader_day, args=(port, f"leader-{n}", until, tally))
            for n in range(leaders)
        ]
        data.log(f"load for {seconds:.0f} s: {townships} townships, 2 bureau users, {leaders} leaders")
        for thread in towns + others:
            thread.start()
        for thread in towns:
            thread.join(timeout=seconds + 300)
        drain.set()  # the bureau approves what is still pending, then stops
        for thread in others:
            thread.join(timeout=300)
        data.log("load over; waiting for the worker to finish")
        computed = wait_until_computed()
    finally:
        stop(web, worker)
    cells, mismatches = check_completion() if computed else (0, -1)
    return {
        "tally": tally,
        "computed": computed,
        "submission_problems": check_submissions(tally),
        "figure_problems": check_figures(tally),
        "cells": cells,
        "mismatches": mismatches,
    }


def report(result: dict, seconds: float) -> None:
    tally: Tally = result["tally"]
    print(
        f"\nbusy reporting day, {seconds:.0f} s against gunicorn (4 sync workers) + a Celery worker; 2 CPUs shared"
    )
    print(f"{'request':<12}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for kind in sorted(tally.requests):
        times = sorted(tally.latencies[kind])
        p50, p95 = (times[min(len(times) - 1, int(p * len(times)))] * 1000 for p in (0.5, 0.95))
        print(f"{kind:<12}{tally.requests[kind]:>8}{p50:>9.0f}{p95:>9.0f}{times[-1] * 1000:>9.0f}")
    total, errors = sum(tally.requests.values()), sum(tally.errors.values())
    print(f"requests {total}, errors {errors} {dict(tally.errors) or ''}")
    sent = sum(tally.confirmed.values())
    print(
        f"submissions confirmed {sent} by {len(tally.confirmed)} townships; approvals {sum(tally.approvals.values())}"
    )
    print(
        f"lost or duplicated submissions: {len(result['submission_problems'])} {result['submission_problems'][:3]}"
    )
    print(
        f"townships whose figures are not their latest version's: {len(result['figure_problems'])} {result['figure_problems'][:3]}"
    )
    if result["computed"]:
        print(
            f"completion cells {result['cells']}, differing from a from-scratch recompute: {result['mismatches']}"
        )
    else:
        print("the worker did not finish computing within 180 s after the load")
    ok = (
        errors == 0
        and not result["submission_problems"]
        and not result["figure_problems"]
        and result["mismatches"] == 0
    )
    print(f"0 errors, nothing lost or duplicated, every figure as recomputed: {'PASS' if ok else 'MISS'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--leaders", type=int, default=20)
    parser.add_argument("--townships", type=int, default=23)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()
    server_url = os.environ["DATABASE_URL"]
    try:
        result = run(server_url, args.seconds, args.leaders, args.townships)
        report(result, args.seconds)
    finally:
        if not args.keep:
            data.drop_database(server_url)


if __name__ == "__main__":
    main()
