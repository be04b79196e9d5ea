"""PostgreSQL restarted under a running gunicorn (production settings, two sync workers keeping their
connections: DJANGO_CONN_MAX_AGE=600). While it is down every request — a page, an API read, an API
write — is answered 503 with the Chinese page or JSON saying nothing was saved; when it is back the very
same workers answer again, with no restart of gunicorn; a write cut off by the shutdown has landed whole
(figure, history row and admin log together) or not at all.

The test stops and starts a PostgreSQL cluster of its own (tests/pg_cluster.py), not the shared test
cluster, whose connections the rest of the suite holds."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import redis
from django.conf import settings

from tests.pg_cluster import Cluster

from .conftest import ROOT, gunicorn_running, production_env, worker_pids

PASSWORD = "pw-for-the-restart-test"
# Production asks bureau staff for the second factor: the bureau user has an authenticator with this key
# (hex), and each sign-in types the code of a later time step (a step once used is refused).
TOTP_KEY = "3132333435363738393031323334353637383930"
_steps = iter(range(20))
JOBS, TOWNSHIP_A = "employment.urban_new_jobs", "429005001"
REDIS_DB = 13  # a Redis database of its own: no worker of another test picks up the tasks it queues
UNAVAILABLE = "数据库暂时无法连接"
NOTHING_SAVED = "没有保存任何数据"
SETUP = f"""
from decimal import Decimal
from accounts.models import User
from indicators.models import Channel, Indicator
from indicators.catalog_sync import indicator_catalog_sync
from indicators.services import ValueEntry, monthly_values_apply
from orgs.models import OrgUnit
from orgs.services import org_units_load_reference
org_units_load_reference()
indicator_catalog_sync(years=[2024])
bureau = User.objects.create_user("bureau", password="{PASSWORD}", role=User.Role.BUREAU, is_staff=True)
from django_otp.plugins.otp_totp.models import TOTPDevice
TOTPDevice.objects.create(user=bureau, name="app", key="{TOTP_KEY}", tolerance=20, confirmed=True)
jobs, township = Indicator.objects.get(code="{JOBS}", year=2024), OrgUnit.objects.get(code="{TOWNSHIP_A}")
entries = [ValueEntry(indicator=jobs, org_unit=township, year=2024, month=m, value=Decimal(100)) for m in (3, 4)]
monthly_values_apply(entries=entries, user=None, channel=Channel.COMMAND)
"""


@pytest.fixture(scope="module")
def own_postgres():
    """A migrated portal database with a bureau user and a figure for March and April (one per test
    that writes), on a cluster only this module uses."""
    cluster = Cluster()
    try:
        cluster.create()
        # The production settings, as gunicorn has them (their password hasher, too).
        env = production_env(ROOT, database_url=cluster.url)
        for command in (["migrate", "--noinput", "-v", "0"], ["shell", "-c", SETUP]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                timeout=600,
            )
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def portal(own_postgres, static_root):
    """(port, gunicorn master, cluster): two workers that keep their database connections."""
    env = production_env(static_root, database_url=own_postgres.url)
    env.update(DJANGO_CONN_MAX_AGE="600", REDIS_URL=f"{settings.REDIS_URL.rsplit('/', 1)[0]}/{REDIS_DB}")
    try:
        with gunicorn_running(env, workers=2) as (port, master):
            yield port, master, own_postgres
    finally:
        redis.Redis.from_url(env["REDIS_URL"]).flushdb()


class Browser:
    """A signed-in person over plain HTTP to gunicorn, as nginx forwards it (X-Forwarded-Proto)."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def send(self, method: str, path: str, body: str | None = None, headers=None) -> tuple[int, dict, str]:
        origin = f"https://127.0.0.1:{self.port}"
        sent = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https", "Referer": origin + "/"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(
                method, path, body=body.encode() if body else None, headers={**sent, **(headers or {})}
            )
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, value = cookie.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response.status, dict(response.headers), text

    def sign_in(self) -> None:
        self.send("GET", "/accounts/login/")
        form = f"csrfmiddlewaretoken={self.cookies['csrftoken']}&username=bureau&password={PASSWORD}"
        status, _, _ = self.send(
            "POST", "/accounts/login/", form, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert status == 302 and "sessionid" in self.cookies, status
        code = f"csrfmiddlewaretoken={self.cookies['csrftoken']}&code={_app_code(next(_steps))}"
        status, _, text = self.send(
            "POST",
            "/accounts/two-factor/verify/",
            code,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 302, text[:500]

    def patch(self, path: str, data: dict) -> tuple[int, dict, str]:
        headers = {"Content-Type": "application/json", "X-CSRFToken": self.cookies["csrftoken"]}
        return self.send("PATCH", path, json.dumps(data), headers)


def _app_code(steps_ahead: int) -> str:
    from binascii import unhexlify

    from django_otp.oath import TOTP

    totp = TOTP(unhexlify(TOTP_KEY), step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def _figure(browser: Browser, month: int) -> dict:
    status, _, text = browser.send("GET", f"/api/v1/monthly-values/?year=2024&month={month}&indicator={JOBS}")
    assert status == 200, text
    [figure] = json.loads(text)["results"]
    return figure


def _history(cluster: Cluster, figure_id: int, month: int) -> tuple[Decimal, list[tuple], list[str]]:
    """(the stored value, its FigureChange rows (old, new, channel) in order, its admin log messages)."""
    with cluster.connect() as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT value, indicator_id, org_unit_id FROM indicators_monthlyvalue WHERE id = %s", [figure_id]
        )
        value, indicator, org = cursor.fetchone()
        cursor.execute(
            "SELECT old_value, new_value, channel FROM indicators_figurechange WHERE indicator_id = %s "
            "AND org_unit_id = %s AND year = 2024 AND month = %s ORDER BY id",
            [indicator, org, month],
        )
        history = cursor.fetchall()
        cursor.execute(
            "SELECT change_message FROM django_admin_log WHERE object_id = %s ORDER BY id", [str(figure_id)]
        )
        log = [message for (message,) in cursor.fetchall()]
    conn.close()
    return value, history, log


def _kept_connections(cluster: Cluster) -> int:
    """Client connections to the portal's database other than this one: the workers' kept ones."""
    with cluster.connect() as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = 'qianjiang' AND backend_type = 'client backend' "
            "AND pid <> pg_backend_pid()"
        )
        count = cursor.fetchone()[0]
    conn.close()
    return count


def _warm_up(browser: Browser, cluster: Cluster, workers: int) -> None:
    """Requests in parallel until every worker holds a connection of its own."""
    for _ in range(10):
        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = list(pool.map(lambda _: browser.send("GET", "/dashboard/")[0], range(12)))
        assert statuses == [200] * 12
        if _kept_connections(cluster) >= workers:
            return
    raise AssertionError(f"the workers did not keep {workers} connections")


def _is_the_503_page(status: int, headers: dict, text: str) -> bool:
    html = headers.get("Content-Type", "").startswith("text/html")
    return (
        status == 503 and html and UNAVAILABLE in text and NOTHING_SAVED in text and "Retry-After" in headers
    )


def _is_the_503_json(status: int, headers: dict, text: str) -> bool:
    if status != 503 or not headers.get("Content-Type", "").startswith("application/json"):
        return False
    message = json.loads(text)["error"]["message"]
    return UNAVAILABLE in message and NOTHING_SAVED in message


def test_while_postgresql_is_down_every_door_answers_the_chinese_503_and_the_same_workers_recover(portal):
    port, master, cluster = portal
    browser, newcomer = Browser(port), Browser(port)
    browser.sign_in()
    newcomer.send("GET", "/accounts/login/")  # someone about to sign in when the database goes
    figure = _figure(browser, month=3)
    _warm_up(browser, cluster, workers=2)
    workers = worker_pids(master, 2)
    sign_in = f"csrfmiddlewaretoken={newcomer.cookies['csrftoken']}&username=bureau&password={PASSWORD}"

    cluster.stop()
    try:
        gap = []
        for _ in range(4):  # more requests than workers: each worker meets its dead connection
            gap.append(("page", browser.send("GET", "/dashboard/")))
            gap.append(("read", browser.send("GET", "/api/v1/monthly-values/?year=2024")))
            gap.append(("write", browser.patch(f"/api/v1/monthly-values/{figure['id']}/", {"value": "555"})))
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        gap.append(("page", newcomer.send("POST", "/accounts/login/", sign_in, form)))
    finally:
        cluster.start()
    after = [browser.send("GET", "/dashboard/"), browser.send("GET", "/api/v1/monthly-values/?year=2024")]
    written = browser.patch(f"/api/v1/monthly-values/{figure['id']}/", {"value": "101"})

    assert [kind for kind, answer in gap if kind == "page" and not _is_the_503_page(*answer)] == []
    assert [kind for kind, answer in gap if kind != "page" and not _is_the_503_json(*answer)] == []
    assert [status for status, _, _ in after] == [200, 200] and written[0] == 200, written
    assert master.poll() is None and worker_pids(master, 2) == workers  # no worker was restarted
    value, history, log = _history(cluster, figure["id"], month=3)
    assert value == Decimal("101")
    assert [(old, new) for old, new, _ in history] == [(None, Decimal(100)), (Decimal(100), Decimal(101))]
    assert log == ["通过API修改:数值 100 → 101。"]  # nothing of the 555 sent in the gap


def test_a_restart_between_requests_costs_no_request(portal):
    """Both workers hold a connection the restart killed: the health check (CONN_HEALTH_CHECKS) finds
    it dead before the next request uses it and opens a new one, so nobody sees an error."""
    port, master, cluster = portal
    browser = Browser(port)
    browser.sign_in()
    _warm_up(browser, cluster, workers=2)
    workers = worker_pids(master, 2)

    cluster.stop()
    cluster.start()

    _warm_up(browser, cluster, workers=2)  # every answer 200, until both workers hold a new connection
    assert worker_pids(master, 2) == workers


def test_writes_cut_off_by_the_shutdown_land_whole_or_not_at_all(portal):
    """A writer changes the figure again and again while PostgreSQL is shut down (fast: open
    transactions are rolled back) and started. Afterwards the history is one unbroken chain from the
    first figure to the stored one, every write answered 200 is in it with its admin log, and every
    write in it was sent; a 503 write is in it only if it committed before the connection was cut."""
    port, master, cluster = portal
    browser = Browser(port)
    browser.sign_in()
    figure, workers = _figure(browser, month=4), worker_pids(master, 2)
    answers: dict[int, int] = {}
    stop = threading.Event()

    def write() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            value = 1000 + n
            answers[value] = browser.patch(f"/api/v1/monthly-values/{figure['id']}/", {"value": str(value)})[
                0
            ]
            time.sleep(0.02)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        time.sleep(1.5)
        cluster.stop()
        time.sleep(1.5)
    finally:
        cluster.start()
    time.sleep(1.5)
    stop.set()
    writer.join(timeout=60)

    statuses = set(answers.values())
    assert statuses <= {200, 503} and 503 in statuses and 200 in statuses, statuses
    value, history, log = _history(cluster, figure["id"], month=4)
    chain = [new for _, new, _ in history]
    assert all(history[i][0] == history[i - 1][1] for i in range(1, len(history)))  # unbroken
    assert chain[-1] == value
    landed = {int(v) for v in chain[1:]}
    assert {v for v, status in answers.items() if status == 200} <= landed <= set(answers)
    assert len(log) == len(landed) and all(
        f"→ {v}。" in message for v, message in zip(sorted(landed), log, strict=True)
    )
    assert worker_pids(master, 2) == workers
