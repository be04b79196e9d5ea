"""Shared test data: the real org tree and indicator catalogue, and one user per role
(bureau staff, leader, township A = 园林街道, township B = 杨市街道)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from accounts.models import User
from demo.services import demo_load
from indicators.catalog_sync import indicator_catalog_sync
from indicators.models import Channel, Indicator
from indicators.services import ValueEntry, monthly_values_apply, quota_set
from orgs.models import OrgUnit
from orgs.services import org_units_load_reference

TOWNSHIP_A, TOWNSHIP_B = "429005001", "429005002"


@pytest.fixture
def orgs(db) -> dict[str, OrgUnit]:
    """The city and its 23 townships, by code."""
    org_units_load_reference()
    return {o.code: o for o in OrgUnit.objects.all()}


@pytest.fixture
def city(orgs) -> OrgUnit:
    return orgs["429005"]


@pytest.fixture
def township_a(orgs) -> OrgUnit:
    return orgs[TOWNSHIP_A]


@pytest.fixture
def township_b(orgs) -> OrgUnit:
    return orgs[TOWNSHIP_B]


# The years the shared catalogue is seeded for: each year's set is its own rows (indicators.models).
CATALOGUE_YEARS = (2023, 2024, 2025, 2026)


@pytest.fixture
def indicator_sets(db) -> dict[int, dict[str, Indicator]]:
    """The catalogue the domain apps declare, as the sets of CATALOGUE_YEARS: {year: {code: indicator}}."""
    indicator_catalog_sync(years=CATALOGUE_YEARS)
    sets: dict[int, dict[str, Indicator]] = {}
    for i in Indicator.objects.filter(year__in=CATALOGUE_YEARS):
        sets.setdefault(i.year, {})[i.code] = i
    return sets


@pytest.fixture
def indicators(indicator_sets) -> dict[str, Indicator]:
    """2024's set (the report's year, which most tests use), by code; other years: `indicator_sets`."""
    return indicator_sets[2024]


@pytest.fixture
def typed_by_hand(indicator_sets, indicators) -> dict[str, Indicator]:
    """The catalogue as declared, before any register feeds it: every indicator typed by hand and in
    the township templates as its spec says. For tests of the rules every typed figure follows ("其中"
    parts, ratios, stock levels, templates, uploads), which do not depend on where figures come from;
    that the registers' indicators cannot be typed is tested in each domain app and in
    tests/indicators/test_feeds.py."""
    from indicators.catalog import registered_specs

    declared = {spec.code: spec.township_reported for spec in registered_specs()}
    for indicator in Indicator.objects.filter(source=Indicator.Source.REGISTER):
        indicator.fed_by = ""
        indicator.source = Indicator.Source.TOWNSHIP if declared[indicator.code] else Indicator.Source.BUREAU
        indicator.save(update_fields=["fed_by", "source"])
    for year_set in indicator_sets.values():
        for indicator in year_set.values():
            indicator.refresh_from_db()
    return indicators


def _user(username: str, role: str, org_unit: OrgUnit | None = None, **extra) -> User:
    return User.objects.create_user(
        username=username, password="pw-for-tests", role=role, org_unit=org_unit, **extra
    )


@pytest.fixture
def bureau_user(db) -> User:
    return _user("bureau", User.Role.BUREAU, is_staff=True, first_name="经办人")


@pytest.fixture
def second_bureau_user(db) -> User:
    """A second reviewer, for two people acting at the same moment."""
    return _user("bureau2", User.Role.BUREAU, is_staff=True, first_name="复核人")


@pytest.fixture
def leader_user(db) -> User:
    return _user("leader", User.Role.LEADER)


# 三员分立: the three administrators (accounts, security, the security log).
@pytest.fixture
def system_admin_user(db) -> User:
    return _user("sysadmin", User.Role.SYSTEM_ADMIN, is_staff=True, first_name="系统管理员")


@pytest.fixture
def security_admin_user(db) -> User:
    return _user("secadmin", User.Role.SECURITY_ADMIN, is_staff=True, first_name="安全管理员")


@pytest.fixture
def audit_admin_user(db) -> User:
    return _user("auditor", User.Role.AUDIT_ADMIN, first_name="审计管理员")


@pytest.fixture
def township_a_user(township_a) -> User:
    return _user("town_a", User.Role.TOWNSHIP, township_a)


@pytest.fixture
def township_b_user(township_b) -> User:
    return _user("town_b", User.Role.TOWNSHIP, township_b)


# The day the tests of the demo's year in progress stand on: 2026 January to October reported, November
# (due 2026-12-10) half reported. A date, so that no test depends on the day it runs.
DEMO_TODAY = "2026-12-02 14:00 +0800"
DEMO_AFTER_DEADLINE = "2026-12-12 10:00 +0800"  # past November's deadline, before its lock


@pytest.fixture
def demo(db) -> dict:
    """The demo's 2024 (reproducing the bureau's report), computed; without the year in progress,
    which depends on the date (demo_current_year)."""
    return demo_load(current_year=False)


@contextmanager
def rolled_back(django_db_blocker) -> Iterator[None]:
    """A transaction for a whole module's fixture (a demo load is tens of seconds), rolled back at the
    module's end; each test runs in a savepoint within it, so tests still cannot see each other's
    changes."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def demo_2024_for_module(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """The demo's 2024 loaded once for a whole test module (rolled_back). For modules whose tests read
    the demo; take it as `demo_2024`."""
    with rolled_back(django_db_blocker):
        yield demo_load(current_year=False)  # 2024's records; the year in progress: demo_whole_for_module


@pytest.fixture(scope="module")
def demo_whole_for_module(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[dict]:
    """The whole demo as `make run` loads it on DEMO_TODAY (2024 and the year in progress), once for a
    whole test module (rolled_back), the clock held at DEMO_TODAY throughout and the month's report
    files in a temporary MEDIA_ROOT."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with media, time_machine.travel(DEMO_TODAY, tick=False), rolled_back(django_db_blocker):
        yield demo_load()


@pytest.fixture
def demo_2024(demo_2024_for_module, db) -> dict:
    """The module's demo (demo_2024_for_module); each test runs in a savepoint within its transaction,
    so tests still cannot see each other's changes."""
    return demo_2024_for_module


@pytest.fixture
def demo_current_year(db, settings, tmp_path):
    """The whole demo as `make run` loads it on DEMO_TODAY: 2024 and 2026 January to November, the
    clock held there for the test (the month's report files in a temporary MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(DEMO_TODAY, tick=False):
        yield demo_load()


def indicator_of(code: str, year: int) -> Indicator:
    """The year's row of an indicator (seeding the year's set from the declarations if it has none)."""
    found = Indicator.objects.filter(code=code, year=year).first()
    if found is None:
        indicator_catalog_sync(years=[year])
        found = Indicator.objects.get(code=code, year=year)
    return found


@pytest.fixture
def put(indicators, orgs):
    """put("employment.urban_new_jobs", "429005001", 2024, 3, "120") writes one figure as the system,
    to that year's indicator."""

    def _put(code: str, org: str, year: int, month: int, value, user=None, channel=Channel.COMMAND):
        entry = ValueEntry(
            indicator=indicator_of(code, year),
            org_unit=orgs[org],
            year=year,
            month=month,
            value=None if value is None else Decimal(str(value)),
        )
        return monthly_values_apply(entries=[entry], user=user, channel=channel)

    return _put


@pytest.fixture
def set_quota(indicators, orgs):
    def _set(code: str, org: str, year: int, target) -> None:
        quota_set(
            indicator=indicator_of(code, year),
            org_unit=orgs[org],
            year=year,
            target=Decimal(str(target)),
            user=None,
            channel=Channel.COMMAND,
        )

    return _set


@pytest.fixture
def celery_not_eager():
    """Publish tasks to the real broker instead of running them in the test process.
    (With the CELERY_ settings namespace, the override must use the namespaced key.)"""
    from celery import current_app

    current_app.conf.CELERY_TASK_ALWAYS_EAGER = False
    yield
    current_app.conf.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def spare_redis(tmp_path):
    """A redis-server of the test's own (tests/processes.py), to stop, hang and start again."""
    from tests.processes import RedisServer

    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def celery_processes(tmp_path, transactional_db, celery_not_eager):
    """Real `celery worker` / `celery beat` processes on the test database (tests/processes.py);
    their logs are printed when the test fails."""
    from tests.processes import Processes

    processes = Processes(tmp_path)
    yield processes
    processes.stop_all()
    print(processes.logs())  # shown by pytest only when the test fails


def admin_refused(response) -> bool:
    """The admin refuses someone who is not bureau staff: a 403 from a model admin, or (the site itself
    asks the role, common.admin.PortalAdminSite) a redirect to the admin's sign-in page."""
    if response.status_code == 302:
        return response["Location"].startswith("/admin/login/")
    return response.status_code == 403
