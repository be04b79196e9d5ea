"""More than one worker (`docker compose up --scale worker=N`): two real Celery workers take the same
year's runs as saves keep coming, one at a time under the year's lock, and leave the completion table
exactly as a from-scratch recompute of the whole year would."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
import redis
from celery import current_app
from django.conf import settings

from completion.models import Completion, CompletionRun, RecomputeRequest
from completion.services import RECOMPUTE_TASK, completion_recompute
from indicators.models import Channel
from indicators.services import monthly_value_set
from tests.processes import wait_for

YEAR = 2024
CODES = ("employment.urban_new_jobs", "employment.unemployed_reemployed", "talent.skill_certificates")
TOWNSHIPS = ("429005001", "429005002", "429005003", "429005100", "429005450")


def _table() -> list[tuple]:
    fields = [f.attname for f in Completion._meta.concrete_fields if f.attname not in {"id", "computed_at"}]
    return list(
        Completion.objects.filter(year=YEAR)
        .order_by("indicator_id", "org_unit_id", "month")
        .values_list(*fields)
    )


@pytest.mark.worker
def test_two_workers_recompute_a_year_one_run_at_a_time_and_leave_what_a_whole_run_gives(
    celery_processes, typed_by_hand, orgs, bureau_user
):
    # The year stands computed up to its last month (a year with no cell stored is recomputed whole):
    # the runs after each save are incremental.
    monthly_value_set(indicator=typed_by_hand[CODES[0]], org_unit=orgs[TOWNSHIPS[0]], year=YEAR, month=1,
                      value=D(1), user=bureau_user, channel=Channel.API)  # fmt: skip
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    completion_recompute(year=YEAR)
    assert not RecomputeRequest.objects.exists()
    workers = [celery_processes.worker(settings.REDIS_URL, name=name) for name in ("one", "two")]
    saves = 0
    for n, township in enumerate(TOWNSHIPS * 3):
        for code in CODES:
            monthly_value_set(indicator=typed_by_hand[code], org_unit=orgs[township], year=YEAR, month=1 + n % 12,
                              value=D(10 + n), user=bureau_user, channel=Channel.API)  # fmt: skip
            saves += 1
        # Besides the saves' own tasks, runs asked of both workers at once: they meet at the year's lock.
        for _ in range(2):
            current_app.tasks[RECOMPUTE_TASK].apply_async(args=[YEAR])
    assert wait_for(lambda: not RecomputeRequest.objects.exists(), 120), celery_processes.logs()
    assert all(w.poll() is None for w in workers)
    logs = [(celery_processes.directory / f"celery-{i}.log").read_text() for i in range(2)]
    assert all("succeeded" in log for log in logs), "both workers took runs"
    runs = CompletionRun.objects.filter(year=YEAR, trigger=CompletionRun.Trigger.CHANGE)
    made = [(run.pk, run.indicators, run.org_units, run.rows) for run in runs.order_by("pk")]
    assert made and all(units is not None for _, _, units, _ in made), made  # incremental, every one
    by_workers = _table()
    Completion.objects.filter(year=YEAR).delete()
    completion_recompute(year=YEAR)
    assert by_workers == _table()
    assert saves == len(TOWNSHIPS) * 3 * len(CODES)
