"""Benchmark of the cockpit's JSON under load, served by gunicorn as in production.

Data: the foundation's benchmark set (benchmarks/completion.py: 100 indicators × 24 org units × ten
years, 288,000 monthly values, quotas), every year computed. A leader's session.

Served: `gunicorn qianjiang_hrss.wsgi` with 2 sync workers and production-like settings
(benchmarks/gunicorn_settings.py: DEBUG off, persistent database connections, the cache on Redis),
with one extra URL, /bench/minimal/: a Django view that returns a JSON body of the same size as the
cockpit's without doing anything else (the floor any Django view on this stack can reach).

Load: 20 concurrent clients (threads), each sending its next request as soon as the last one is
answered, for --seconds per endpoint after a warm-up; a new connection per request (sync workers close
it). Printed: requests per second, p50/p95/p99 latency, errors; then the targets from the issue:
cockpit throughput at least half the minimal view's, and its p95 under 100 ms. Both endpoints are
measured in the same run, alternately, so machine noise hits both.

Run:  make bench BENCHES=benchmarks.bench_dashboard
  or  python -m benchmarks.bench_dashboard [--seconds 15] [--clients 20] [--keep]
with DATABASE_URL naming a PostgreSQL server (the role may create databases) and REDIS_URL."""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import completion as data

BENCH_DB = "qianjiang_bench_dashboard"
HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
TARGET_THROUGHPUT_SHARE = 0.5
TARGET_P95_MS = 100.0


@dataclass
class Load:
    label: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    body_bytes: int = 0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def prepare(server_url: str) -> tuple[str, int]:
    """The data set, every year computed, and a leader's session cookie; returns (cookie, body size)."""
    data.BENCH_DB = BENCH_DB
    data.recreate_database(server_url)
    data.setup_django(data.url_with_database(server_url, BENCH_DB))
    seconds, _ = data.timed(data.generate)
    data.log(f"data set loaded in {seconds:.1f} s; computing ten years")
    for year in data.YEARS:
        data.recompute(year)
    from django.test import Client

    from accounts.models import User

    leader = User.objects.create_user(username="bench-leader", password="x", role=User.Role.LEADER)
    client = Client(SERVER_NAME="localhost")
    client.force_login(leader)
    response = client.get(
        "/api/v1/dashboard/cockpit/", {"year": data.YEAR, "month": 9}, HTTP_HOST="localhost"
    )
    assert response.status_code == 200, response.content[:300]
    return client.cookies["sessionid"].value, len(response.content)


def start_gunicorn(bench_url: str, port: int, body_bytes: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.gunicorn_settings",
        "BENCH_BODY_BYTES": str(body_bytes),
    }
    command = [
        sys.executable, "-m", "gunicorn", "qianjiang_hrss.wsgi:application",
        "-w", "2", "-b", f"{HOST}:{port}", "--log-level", "warning", "--backlog", "256",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection((HOST, port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start within 30 s")


def one_request(port: int, path: str, cookie: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}", "Accept": "application/json"})
        response = conn.getresponse()
        body = response.read()
        return time.perf_counter() - start, response.status, len(body)
    finally:
        conn.close()


def hammer(load: Load, port: int, path: str, cookie: str, clients: int, seconds: float) -> None:
    stop = time.perf_counter() + seconds
    lock = threading.Lock()

    def client() -> None:
        while time.perf_counter() < stop:
            try:
                elapsed, status, size = one_request(port, path, cookie)
            except OSError:
                with lock:
                    load.errors += 1
                continue
            with lock:
                if status == 200:
                    load.latencies.append(elapsed)
                    load.body_bytes = size
                else:
                    load.errors += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    load.seconds += time.perf_counter() - began


ENDPOINTS = [
    ("cockpit JSON (/api/v1/dashboard/cockpit/)", f"/api/v1/dashboard/cockpit/?year={data.YEAR}&month=9"),
    ("minimal Django view, same body size", "/bench/minimal/"),
    ("reference: minimal signed-in DRF view", "/bench/minimal-signed-in/"),
]


def measure(port: int, cookie: str, clients: int, seconds: float, rounds: int) -> list[Load]:
    loads = [Load(label) for label, _ in ENDPOINTS]
    for _, path in ENDPOINTS:  # warm-up: imports, connections, the cache
        hammer(Load("warm-up"), port, path, cookie, clients, 2.0)
    for _ in range(rounds):  # alternate, so that noise on the machine hits all alike
        for load, (_, path) in zip(loads, ENDPOINTS, strict=True):
            hammer(load, port, path, cookie, clients, seconds / rounds)
    return loads


def report(loads: list[Load], clients: int) -> None:
    cockpit, minimal, signed_in = loads
    print(
        f"\ngunicorn, 2 sync workers; {clients} concurrent clients; {os.cpu_count()} CPUs shared with the clients"
    )
    print(
        f"{'endpoint':44} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'bytes':>7}"
    )
    for load in loads:
        print(
            f"{load.label:44} {len(load.latencies):>9,} {load.rps:>8.1f} {load.percentile(50):>8.1f} "
            f"{load.percentile(95):>8.1f} {load.percentile(99):>8.1f} {load.errors:>7} {load.body_bytes:>7,}"
        )
    share = cockpit.rps / minimal.rps if minimal.rps else 0.0
    p95 = cockpit.percentile(95)
    print(
        f"cockpit throughput = {share:.2f} × the minimal view's (target ≥ {TARGET_THROUGHPUT_SHARE}): "
        f"{'PASS' if share >= TARGET_THROUGHPUT_SHARE else 'MISS'}; "
        f"cockpit p95 {p95:.1f} ms (target < {TARGET_P95_MS:.0f} ms): {'PASS' if p95 < TARGET_P95_MS else 'MISS'}"
    )
    floor = cockpit.rps / signed_in.rps if signed_in.rps else 0.0
    print(
        f"cockpit throughput = {floor:.2f} × a signed-in DRF view that does nothing (the floor for a signed-in call)"
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="measured seconds per endpoint")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=4, help="alternations of the two endpoints")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith(("postgres://", "postgresql://")) or not os.environ.get("REDIS_URL"):
        raise SystemExit("DATABASE_URL (PostgreSQL) and REDIS_URL must be set (run `make bench`).")
    cookie, body_bytes = prepare(server_url)
    from django.db import connections

    connections.close_all()
    port = free_port()
    server = start_gunicorn(data.url_with_database(server_url, BENCH_DB), port, body_bytes)
    try:
        report(measure(port, cookie, args.clients, args.seconds, args.rounds), args.clients)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if not args.keep:
            data.drop_database(server_url)


if __name__ == "__main__":
    main()
