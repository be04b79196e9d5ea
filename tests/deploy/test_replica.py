"""The dashboards on a real PostgreSQL streaming replica: a primary started for the test, a standby made
from it with `pg_basebackup -R` (as the compose file's `postgres-replica` is), gunicorn on the
production settings with DATABASE_URL on the primary and DATABASE_REPLICA_URL on the standby.

The pages and their JSON answer, their SELECTs are in the standby's statement log and not in the
primary's; the sign-in (which writes) works, so no write went to the standby (it would refuse it); a
figure changed on the primary reaches the pages through replication; with the standby stopped the
pages still answer, from the primary."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest
import redis
from django.conf import settings

from tests.pg_cluster import Cluster, as_postgres, pg_bin

from .conftest import ROOT, gunicorn_running, production_env
from .test_database_restart import Browser

PASSWORD = "pw-for-the-replica-test"
REDIS_DB = 12
COCKPIT = "/api/v1/dashboard/cockpit/?year=2024&month=4"
SETUP = f"""
from decimal import Decimal
from accounts.models import User
from completion.services import completion_recompute
from indicators.catalog_sync import indicator_catalog_sync
from indicators.models import Channel, Indicator
from indicators.services import ValueEntry, monthly_values_apply, quota_set
from orgs.models import OrgUnit
from orgs.services import org_units_load_reference
city, _ = org_units_load_reference()
indicator_catalog_sync(years=[2024])
User.objects.create_user("leader", password="{PASSWORD}", role=User.Role.LEADER)
jobs, township = Indicator.objects.get(code="employment.urban_new_jobs", year=2024), OrgUnit.objects.get(code="429005001")
quota_set(indicator=jobs, org_unit=city, year=2024, target=Decimal(1000), user=None, channel=Channel.COMMAND)
entries = [ValueEntry(indicator=jobs, org_unit=township, year=2024, month=m, value=Decimal(100)) for m in (3, 4)]
monthly_values_apply(entries=entries, user=None, channel=Channel.COMMAND)
completion_recompute(year=2024)
"""
CHANGE = """
from decimal import Decimal
from completion.services import completion_recompute
from indicators.models import Channel, Indicator
from indicators.services import monthly_value_set
from orgs.models import OrgUnit
jobs, township = Indicator.objects.get(code="employment.urban_new_jobs", year=2024), OrgUnit.objects.get(code="429005001")
monthly_value_set(indicator=jobs, org_unit=township, year=2024, month=4, value=Decimal(250), user=None, channel=Channel.COMMAND)
completion_recompute(year=2024)
"""


class Standby(Cluster):
    """A streaming replica of `primary`: its base backup with the standby signal and the primary's
    connection written by `pg_basebackup -R`, on a port of its own."""

    def __init__(self, primary: Cluster) -> None:
        super().__init__()
        self.primary = primary

    def create(self) -> Standby:
        if os.geteuid() == 0:  # pg_basebackup runs as the postgres user, which must own the folder
            shutil.chown(self.root, "postgres")
        subprocess.run(
            as_postgres([str(pg_bin() / "pg_basebackup"), "-D", str(self.data), "-R", "-X", "stream",
                         "-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres"]),
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:  # the primary's settings, this one's port
            conf.write(f"port = {self.port}\nunix_socket_directories = '{self.data}'\nhot_standby = on\n")
        self.start()
        return self


def _statement_log(cluster: Cluster) -> None:
    conn = cluster.connect("postgres", user="postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("ALTER SYSTEM SET log_min_duration_statement = 0")
        cursor.execute("SELECT pg_reload_conf()")
    conn.close()


def _log(cluster: Cluster) -> str:
    return (cluster.root / "postgres.log").read_text(errors="replace")


def _caught_up(primary: Cluster, standby: Cluster) -> None:
    with primary.connect() as conn, conn.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        lsn = cursor.fetchone()[0]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with standby.connect() as conn, conn.cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.1)
    raise AssertionError("the standby did not catch up within 30 s")


@pytest.fixture(scope="module")
def clusters():
    primary, standby = Cluster(), None
    try:
        primary.create()
        env = production_env(ROOT, database_url=primary.url)
        for command in (["migrate", "--noinput", "-v", "0"], ["shell", "-c", SETUP]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                           capture_output=True, timeout=600)  # fmt: skip
        _statement_log(primary)  # before the base backup: the standby logs its statements too
        standby = Standby(primary).create()
        _caught_up(primary, standby)
        yield primary, standby
    finally:
        for cluster in (standby, primary):
            if cluster is not None:
                cluster.remove()


@pytest.fixture
def portal(clusters, static_root):
    primary, standby = clusters
    env = production_env(static_root, database_url=primary.url)
    env.update(
        DATABASE_REPLICA_URL=standby.url,
        DJANGO_CONN_MAX_AGE="600",
        REDIS_URL=f"{settings.REDIS_URL.rsplit('/', 1)[0]}/{REDIS_DB}",
    )
    try:
        with gunicorn_running(env, workers=2) as (port, _):
            yield port, primary, standby
    finally:
        redis.Redis.from_url(env["REDIS_URL"]).flushdb()


def _leader(port: int) -> Browser:
    browser = Browser(port)
    browser.send("GET", "/accounts/login/")
    form = f"csrfmiddlewaretoken={browser.cookies['csrftoken']}&username=leader&password={PASSWORD}"
    status, _, text = browser.send(
        "POST", "/accounts/login/", form, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 302, text[:500]  # the sign-in wrote its session and last_login: on the primary
    return browser


def _city_jobs(browser: Browser) -> str | None:
    status, _, text = browser.send("GET", COCKPIT, headers={"Accept": "application/json"})
    assert status == 200, text[:500]
    rows = [r for area in json.loads(text)["areas"] for r in area["rows"]]
    return next((r["actual"] for r in rows if r["indicator"]["code"] == "employment.urban_new_jobs"), None)


def test_the_dashboards_read_from_the_replica_and_sign_in_writes_on_the_primary(portal):
    port, primary, standby = portal
    browser = _leader(port)
    primary_before, standby_before = len(_log(primary)), len(_log(standby))
    for path in ("/dashboard/?year=2024&month=4", "/dashboard/warnings/?year=2024&month=4"):
        status, _, text = browser.send("GET", path)
        assert status == 200 and "潜江市" in text, (path, status)
    assert _city_jobs(browser) == "200.000000"
    on_standby, on_primary = _log(standby)[standby_before:], _log(primary)[primary_before:]
    assert "completion_completion" in on_standby
    assert "completion_completion" not in on_primary


def test_a_figure_changed_on_the_primary_reaches_the_pages_through_replication(portal):
    port, primary, _ = portal
    browser = _leader(port)
    env = production_env(ROOT, database_url=primary.url)
    subprocess.run([sys.executable, "manage.py", "shell", "-c", CHANGE], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=300)  # fmt: skip
    deadline = time.monotonic() + 15
    while _city_jobs(browser) != "350.000000":
        assert time.monotonic() < deadline, "the change never reached the replica's pages"
        time.sleep(0.2)


def test_with_the_replica_stopped_the_pages_answer_from_the_primary(portal):
    port, _, standby = portal
    browser = _leader(port)
    standby.stop()
    try:
        status, _, text = browser.send("GET", "/dashboard/?year=2024&month=4")
        assert status == 200 and "潜江市" in text
        assert _city_jobs(browser) in ("200.000000", "350.000000")
    finally:
        standby.start()
