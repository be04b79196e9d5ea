"""Saving a figure records a recompute request in its transaction and queues the run on commit; a real
Celery worker on the test Redis picks it up at once; saves while a run is queued join it, saves during a
run get exactly one run after it; with Redis down the save stands and the drain catches it up."""

from __future__ import annotations

import time
from contextlib import contextmanager
from decimal import Decimal as D

import psycopg2
import pytest
import redis
import time_machine
from celery import current_app
from django.conf import settings
from django.db import connection, transaction

from completion.models import Completion, CompletionRun, RecomputeRequest
from completion.selectors import completion_freshness
from completion.services import YEAR_LOCK_NAMESPACE, completion_recompute
from completion.tasks import drain_recompute_requests, recompute_recent_years, recompute_year
from indicators.models import Channel, MonthlyValue
from indicators.services import monthly_value_set
from tests.conftest import TOWNSHIP_A
from tests.processes import redis_at, wait_for

JOBS = "employment.urban_new_jobs"


def test_a_saved_value_is_computed_when_the_transaction_commits(put, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        put(JOBS, TOWNSHIP_A, 2024, 3, 42)
    assert len(callbacks) == 1
    assert (
        Completion.objects.get(indicator__code=JOBS, org_unit__code=TOWNSHIP_A, year=2024, month=3).actual
        == 42
    )


def test_a_burst_of_saves_in_one_transaction_queues_one_recompute(put, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for month in range(1, 7):
            put(JOBS, TOWNSHIP_A, 2024, month, month)
    assert len(callbacks) == 1
    assert CompletionRun.objects.filter(year=2024).count() == 1


def test_a_rolled_back_save_queues_nothing(put, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        put(JOBS, TOWNSHIP_A, 2024, 3, 42)
        raise RuntimeError("user cancelled")
    assert callbacks == [] and not MonthlyValue.objects.exists()


def test_with_redis_down_the_save_stands_and_its_request_is_recorded(
    put, celery_not_eager, settings, django_capture_on_commit_callbacks
):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        put(JOBS, TOWNSHIP_A, 2024, 3, 42)
    assert MonthlyValue.objects.get().value == 42
    assert not CompletionRun.objects.exists()
    assert list(RecomputeRequest.objects.values_list("year", flat=True)) == [2024]
    freshness = completion_freshness(year=2024)
    assert freshness.is_stale and freshness.service_unavailable and freshness.pending_since


def test_the_request_is_written_in_the_changes_transaction_and_rolls_back_with_it(put):
    with pytest.raises(RuntimeError), transaction.atomic():
        put(JOBS, TOWNSHIP_A, 2024, 3, 42)
        assert RecomputeRequest.objects.filter(year=2024).count() == 1  # before any commit
        raise RuntimeError("user cancelled")
    assert not RecomputeRequest.objects.exists()


def test_one_transaction_records_one_request_per_year(put):
    with transaction.atomic():
        for month in range(1, 7):
            put(JOBS, TOWNSHIP_A, 2024, month, month)
        put(JOBS, TOWNSHIP_A, 2023, 12, 5)
    assert sorted(RecomputeRequest.objects.values_list("year", flat=True)) == [2023, 2024]


def test_the_drain_recomputes_every_year_with_a_request_and_settles_it(
    put, celery_not_eager, settings, django_capture_on_commit_callbacks
):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    with django_capture_on_commit_callbacks(execute=True):
        put(JOBS, TOWNSHIP_A, 2019, 5, 7)  # an old year: no nightly run covers it
        put(JOBS, TOWNSHIP_A, 2024, 3, 42)
    runs = drain_recompute_requests.apply().get()
    assert runs == 2 and not RecomputeRequest.objects.exists()
    assert _cell(3).actual == 42
    assert (
        Completion.objects.get(indicator__code=JOBS, org_unit__code=TOWNSHIP_A, year=2019, month=12).actual
        == 7
    )
    assert set(CompletionRun.objects.values_list("trigger", flat=True)) == {"catch_up"}
    assert drain_recompute_requests.apply().get() == 0  # nothing left: nothing computed


def test_a_queued_run_with_nothing_left_to_do_computes_nothing(put):
    put(JOBS, TOWNSHIP_A, 2024, 3, 42)
    completion_recompute(year=2024)  # a run that began after the request settles it
    runs = CompletionRun.objects.count()
    assert recompute_year.apply(args=[2024]).get() == 0
    assert CompletionRun.objects.count() == runs


@pytest.fixture
def worker(celery_processes):
    """A real `celery worker` process on the test Redis and the test database."""
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    return celery_processes.worker(settings.REDIS_URL)


def _cell(month: int, year: int = 2024):
    return Completion.objects.filter(
        indicator__code=JOBS, org_unit__code=TOWNSHIP_A, year=year, month=month
    ).first()


def _save(indicators, orgs, user, month: int, value: int, year: int = 2024) -> None:
    monthly_value_set(
        indicator=indicators[JOBS],
        org_unit=orgs[TOWNSHIP_A],
        year=year,
        month=month,
        value=D(value),
        user=user,
        channel=Channel.API,
    )


@pytest.mark.worker
def test_a_real_worker_picks_up_a_saved_value_at_once(worker, indicators, orgs, bureau_user):
    _save(indicators, orgs, bureau_user, 5, 17)
    # Queued on commit, computed by the worker process, not in this one.
    assert wait_for(lambda: _cell(5) is not None and _cell(5).actual == 17), (
        "the worker never computed the value"
    )
    run = CompletionRun.objects.get()
    assert run.trigger == CompletionRun.Trigger.CHANGE
    assert wait_for(lambda: not RecomputeRequest.objects.exists(), 10)


@contextmanager
def second_connection():
    """A connection of its own (autocommit), to hold locks the worker must wait for."""
    db = connection.settings_dict
    conn = psycopg2.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"], dbname=db["NAME"]
    )
    conn.autocommit = True
    try:
        yield conn.cursor()
    finally:
        conn.close()


def _someone_waits_for(cursor, lock: str) -> bool:
    """pg_locks, not pg_stat_activity: the latter is a snapshot held for the whole transaction."""
    where = {
        "year lock": f"locktype = 'advisory' AND classid = {YEAR_LOCK_NAMESPACE} AND objid = 2024",
        "completion table": f"relation = '{Completion._meta.db_table}'::regclass",
    }[lock]
    cursor.execute(f"SELECT count(*) FROM pg_locks WHERE NOT granted AND {where}")
    return cursor.fetchone()[0] > 0


@pytest.mark.worker
def test_saves_while_a_run_is_queued_join_it(worker, indicators, orgs, bureau_user):
    """The year's run is held (another session has the year's lock) while 20 saves arrive: they find
    the marker and queue nothing; the one run computes them all."""
    with second_connection() as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [YEAR_LOCK_NAMESPACE, 2024])
        for month in range(1, 11):
            for value in (1, 2):  # 20 separate commits
                _save(indicators, orgs, bureau_user, month, month * value)
        assert wait_for(lambda: _someone_waits_for(other, "year lock"))
        other.execute("SELECT pg_advisory_unlock(%s, %s)", [YEAR_LOCK_NAMESPACE, 2024])
    assert wait_for(lambda: not RecomputeRequest.objects.exists())
    assert _cell(12).actual == sum(month * 2 for month in range(1, 11))
    time.sleep(2)  # and no second run comes after
    assert CompletionRun.objects.count() == 1


@pytest.mark.worker
def test_saves_during_a_run_are_computed_by_one_run_right_after(worker, indicators, orgs, bureau_user):
    """Leading edge: the first save starts a run at once. 20 saves made while it runs (held at its
    write by a lock on the completion table) are not in it, keep their requests, and are all
    computed by exactly one more run."""
    with second_connection() as other:
        other.execute("BEGIN")
        other.execute(f"LOCK TABLE {Completion._meta.db_table} IN EXCLUSIVE MODE")
        _save(indicators, orgs, bureau_user, 1, 1)
        assert wait_for(lambda: _someone_waits_for(other, "completion table"))
        for month in range(2, 12):
            for value in (1, 2):
                _save(indicators, orgs, bureau_user, month, month * value)
        other.execute("COMMIT")
    assert wait_for(
        lambda: not RecomputeRequest.objects.exists()
        and _cell(12)
        and _cell(12).actual == 1 + sum(month * 2 for month in range(2, 12))
    )
    time.sleep(2)
    assert CompletionRun.objects.count() == 2


@time_machine.travel("2025-01-10 02:30 +0800", tick=False)
def test_the_nightly_run_recomputes_this_year_and_last(put):
    put(JOBS, TOWNSHIP_A, 2024, 12, 9)
    recompute_recent_years.apply()
    assert sorted(CompletionRun.objects.values_list("year", "trigger")) == [
        (2024, "nightly"),
        (2025, "nightly"),
    ]
    assert _cell(12).actual == 9


def test_the_nightly_run_is_in_the_beat_schedule():
    schedule = current_app.conf.beat_schedule
    assert any(entry["task"] == recompute_recent_years.name for entry in schedule.values())


@time_machine.travel("2025-01-10 02:30 +0800", tick=False)
def test_the_nightly_run_also_catches_up_an_older_year_with_a_request(put):
    put(JOBS, TOWNSHIP_A, 2019, 6, 4)  # a correction to 2019 whose run never came (Redis was down)
    recompute_recent_years.apply()
    assert sorted(CompletionRun.objects.values_list("year", flat=True)) == [2019, 2024, 2025]
    assert _cell(12, year=2019).actual == 4 and not RecomputeRequest.objects.exists()


def test_beat_drains_the_requests_every_minute():
    entry = current_app.conf.beat_schedule["drain-recompute-requests"]
    assert entry["task"] == drain_recompute_requests.name
    assert entry["schedule"] == settings.COMPLETION_DRAIN_SECONDS == 60


def test_a_save_with_a_hung_redis_is_not_held_up_and_its_request_is_kept(
    put, spare_redis, celery_not_eager, django_capture_on_commit_callbacks
):
    """Paused, Redis accepts the connection and never answers: the queueing after commit gives up
    after REDIS_TIMEOUT_SECONDS (generous bound for a loaded machine) and the request waits in
    PostgreSQL."""
    with redis_at(spare_redis.url):
        spare_redis.pause()
        try:
            started = time.monotonic()
            with django_capture_on_commit_callbacks(execute=True):
                put(JOBS, TOWNSHIP_A, 2024, 3, 42)
            elapsed = time.monotonic() - started
        finally:
            spare_redis.resume()
    assert elapsed < settings.REDIS_TIMEOUT_SECONDS + 1.5, elapsed
    assert MonthlyValue.objects.get().value == 42 and RecomputeRequest.objects.filter(year=2024).exists()
