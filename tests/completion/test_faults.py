"""Faults against real processes: a Celery worker killed (SIGKILL) in the middle of recomputing a large
year, then started again, leaves the completion table exactly as a from-scratch recompute would."""

from __future__ import annotations

import signal
from decimal import Decimal as D

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from common.db import insert_rows
from completion.models import Completion, CompletionRun, RecomputeRequest
from completion.services import YEAR_LOCK_NAMESPACE, completion_recompute
from indicators.models import Channel, Indicator, MonthlyValue, Quota
from indicators.services import monthly_value_set
from tests.conftest import TOWNSHIP_A
from tests.processes import wait_for

YEAR = 2023  # a past year: twelve months at every unit
EXTRA_INDICATORS = 150  # × 24 org units × 12 months = 43,200 figures, besides the catalogue's


def _large_year(orgs) -> None:
    """Many flow indicators, every unit, every month, a quota each; written in bulk (no history, no
    request: the data is there before the test's one save)."""
    made = Indicator.objects.bulk_create(
        Indicator(year=YEAR, code=f"fault.flow{n:03d}", name=f"故障测试指标{n:03d}", area="employment",
                  unit="人", kind="flow", sort_order=1000 + n)
        for n in range(EXTRA_INDICATORS)
    )  # fmt: skip
    units, now = list(orgs.values()), timezone.now()
    insert_rows(
        MonthlyValue,
        (
            "indicator_id",
            "org_unit_id",
            "year",
            "month",
            "value",
            "remark",
            "explanation",
            "channel",
            "updated_at",
        ),
        [
            (
                ind.pk,
                org.pk,
                YEAR,
                month,
                D(10 + (ind.pk * 7 + org.pk * 3 + month) % 90),
                "",
                "",
                "command",
                now,
            )
            for ind in made
            for org in units
            for month in range(1, 13)
        ],
    )
    insert_rows(
        Quota,
        ("indicator_id", "org_unit_id", "year", "target", "note", "updated_at"),
        [(ind.pk, org.pk, YEAR, D(700), "", now) for ind in made for org in units],
    )


def _table(year: int) -> list[tuple]:
    """Every computed cell of the year, without the time it was computed at."""
    fields = [f.attname for f in Completion._meta.concrete_fields if f.attname not in {"id", "computed_at"}]
    return list(
        Completion.objects.filter(year=year)
        .order_by("indicator_id", "org_unit_id", "month")
        .values_list(*fields)
    )


def _run_in_progress(cursor) -> bool:
    """The worker holds the year's lock (taken first in its transaction, released by its commit) and
    its backend is busy with a statement of the run."""
    cursor.execute(
        "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s AND l.objid = %s "
        "AND a.state = 'active'",
        [YEAR_LOCK_NAMESPACE, YEAR],
    )
    return cursor.fetchone()[0] > 0


def _activity() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, state, wait_event_type, wait_event, now() - query_start, left(query, 100) "
            "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return "the restarted worker did not redo it; sessions: " + repr(cursor.fetchall())


@pytest.mark.worker
def test_a_worker_killed_mid_run_redoes_the_year_when_started_again(
    celery_processes, indicator_sets, orgs, bureau_user
):
    _large_year(orgs)
    with connection.cursor() as cursor:  # what autovacuum would do before anyone computes: plans need it
        cursor.execute(f"ANALYZE {MonthlyValue._meta.db_table}, {Quota._meta.db_table}")
    runs_before = CompletionRun.objects.count()
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    first = celery_processes.worker(settings.REDIS_URL, name="first")

    monthly_value_set(indicator=indicator_sets[YEAR]["employment.urban_new_jobs"], org_unit=orgs[TOWNSHIP_A], year=YEAR,
                      month=6, value=D(321), user=bureau_user, channel=Channel.API)  # fmt: skip
    with connection.cursor() as cursor:
        assert wait_for(lambda: _run_in_progress(cursor), 60), "the worker never started the run"
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)

    # Nothing of the killed run is left: its transaction never committed, its request is still there.
    assert CompletionRun.objects.count() == runs_before
    assert _table(YEAR) == []
    assert RecomputeRequest.objects.filter(year=YEAR).exists()

    celery_processes.worker(settings.REDIS_URL, name="second")  # drains as it connects
    assert wait_for(lambda: not RecomputeRequest.objects.exists(), 120), _activity()
    after_restart = _table(YEAR)
    # One run redid it: the drain as the worker connected, or the save's task if it was still queued.
    redo = CompletionRun.objects.get(year=YEAR)
    print(f"redo: {redo.rows} cells in {(redo.finished_at - redo.started_at).total_seconds():.2f} s")

    Completion.objects.filter(year=YEAR).delete()
    completion_recompute(year=YEAR)
    from_scratch = _table(YEAR)
    assert after_restart == from_scratch
    assert len(from_scratch) >= EXTRA_INDICATORS * len(orgs) * 12
