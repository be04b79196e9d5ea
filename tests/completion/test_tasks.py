"""Saving a figure queues the recompute on commit; a real Celery worker on the test Redis picks it
up; a burst of saves is computed once; with Redis down the save still stands."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from decimal import Decimal as D

import pytest
import redis
import time_machine
from celery import current_app
from django.conf import settings
from django.db import connection, transaction

from completion.models import Completion, CompletionRun
from completion.selectors import completion_freshness
from completion.tasks import recompute_recent_years
from indicators.models import Channel, MonthlyValue
from indicators.services import monthly_value_set
from tests.conftest import TOWNSHIP_A

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


@pytest.fixture
def celery_not_eager():
    """Publish tasks to the real broker instead of running them in the test process.
    (With the CELERY_ settings namespace, the override must use the namespaced key.)"""
    current_app.conf.CELERY_TASK_ALWAYS_EAGER = False
    yield
    current_app.conf.CELERY_TASK_ALWAYS_EAGER = True


def test_with_redis_down_the_save_stands_and_pages_can_tell(
    put, celery_not_eager, settings, django_capture_on_commit_callbacks
):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        put(JOBS, TOWNSHIP_A, 2024, 3, 42)
    assert MonthlyValue.objects.get().value == 42
    assert not CompletionRun.objects.exists()
    assert completion_freshness(year=2024).is_stale


@pytest.fixture
def worker(transactional_db, celery_not_eager):
    """A real `celery worker` process on the test Redis and the test database."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "False",
        "DJANGO_SETTINGS_MODULE": "qianjiang_hrss.settings.test",
    }
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "qianjiang_hrss",
            "worker",
            "--pool=solo",
            "-l",
            "info",
            "-n",
            "test@%h",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
        print(output[-4000:])  # shown by pytest only when the test fails


def wait_for(predicate, seconds: float = 45) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _cell(month: int):
    return Completion.objects.filter(
        indicator__code=JOBS, org_unit__code=TOWNSHIP_A, year=2024, month=month
    ).first()


@pytest.mark.worker
def test_a_real_worker_picks_up_a_saved_value(worker, indicators, orgs, bureau_user):
    monthly_value_set(
        indicator=indicators[JOBS],
        org_unit=orgs[TOWNSHIP_A],
        year=2024,
        month=5,
        value=D(17),
        user=bureau_user,
        channel=Channel.API,
    )
    # Queued with a countdown for coalescing, so it is not computed in this process, but later by the worker.
    assert not CompletionRun.objects.exists()
    assert wait_for(lambda: _cell(5) is not None and _cell(5).actual == 17), (
        "the worker never computed the value"
    )
    run = CompletionRun.objects.get()
    assert run.trigger == CompletionRun.Trigger.CHANGE


@pytest.mark.worker
def test_a_burst_of_separate_saves_is_computed_once_by_the_worker(worker, indicators, orgs, bureau_user):
    for month in range(1, 6):  # five commits within the coalescing window
        monthly_value_set(
            indicator=indicators[JOBS],
            org_unit=orgs[TOWNSHIP_A],
            year=2024,
            month=month,
            value=D(month),
            user=bureau_user,
            channel=Channel.API,
        )
    assert wait_for(lambda: _cell(12) is not None and _cell(12).actual == 15)
    time.sleep(settings.COMPLETION_COALESCE_SECONDS + 1)
    assert CompletionRun.objects.count() == 1


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
