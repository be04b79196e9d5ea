"""Running the completion engine, and queuing it after figures change."""

from __future__ import annotations

from contextlib import suppress

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from common.errors import PortalError
from common.redis_guard import REDIS_ERRORS, redis_client, redis_failed, redis_is_down
from common.transactions import on_commit_pending

from .engine import completion_compute
from .models import CompletionRun, RecomputeRequest
from .selectors import completion_requested_years

# PostgreSQL advisory lock namespace for "recomputing completion of year N".
YEAR_LOCK_NAMESPACE = 7302
# The fast path's marker: "a run of year Y is queued and has not begun". Saves that find it add no task.
PENDING_KEY = "qianjiang:completion:pending:{year}"
RECOMPUTE_TASK = "completion.tasks.recompute_year"  # completion/tasks.py registers it under this name
# How long a marker may outlive a lost task before saves queue again; the drain serves them meanwhile.
PENDING_MARKER_SECONDS = 60


def months_to_compute(year: int) -> int:
    """Past years have twelve months; the current year runs to the current month (Asia/Shanghai);
    a future year has none yet."""
    today = timezone.localdate()
    if year < today.year:
        return 12
    return today.month if year == today.year else 0


def completion_recompute(
    *, year: int, month: int | None = None, trigger: str = CompletionRun.Trigger.COMMAND
) -> CompletionRun:
    """Recompute a whole year (or one month of it) for every indicator and org unit. Idempotent and
    safe to run concurrently: one run per year at a time, under a database lock. A whole year's run
    also settles the year's recompute requests that were there when it began."""
    _check_month(year, month)
    with transaction.atomic():
        _lock_year(year)
        seen = _requests_seen(year) if month is None else []
        return _compute(year=year, month=month, trigger=trigger, requests=seen)


def completion_catch_up(*, year: int, trigger: str = CompletionRun.Trigger.CHANGE) -> CompletionRun | None:
    """The queue's run: recompute the year if a request for it is outstanding, settling the requests
    there when the run begins; one made during the run stays for the run after it. Nothing
    outstanding (an earlier run saw it all): nothing to do, no run."""
    with transaction.atomic():
        _lock_year(year)
        # From here on a save finds no marker and queues the run after this one.
        _pending_marker_clear(year)
        seen = _requests_seen(year)
        if not seen:
            return None
        return _compute(year=year, month=None, trigger=trigger, requests=seen)


def completion_drain(*, trigger: str = CompletionRun.Trigger.CATCH_UP) -> list[CompletionRun]:
    """Catch up every year with an outstanding request (beat, every COMPLETION_DRAIN_SECONDS, and a
    worker as it starts): what Redis lost or a killed worker left is recomputed here."""
    runs = (completion_catch_up(year=year, trigger=trigger) for year in completion_requested_years())
    return [run for run in runs if run is not None]


def _check_month(year: int, month: int | None) -> None:
    if month is not None and not 1 <= month <= 12:
        raise PortalError(f"月份“{month}”无效,须在1至12之间。")
    if month is not None and month > months_to_compute(year):
        raise PortalError(f"{year}年{month}月尚未到来,不能计算完成率。")


def _lock_year(year: int) -> None:
    """One run of a year at a time. If the run's process dies (a worker SIGKILLed), PostgreSQL would
    finish the statement under way before noticing, holding the lock the next worker waits for; with
    client_connection_check_interval (PostgreSQL 14+) it aborts within a second."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if connection.pg_version >= 140000:
            cursor.execute("SET LOCAL client_connection_check_interval = 1000")
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [YEAR_LOCK_NAMESPACE, int(year)])


def _requests_seen(year: int) -> list[int]:
    """The year's requests committed by now. Read before the engine's statement, whose snapshot is
    later (READ COMMITTED), so the run sees every change these stand for; a request committed after
    this read is not in the list and survives the run."""
    return list(RecomputeRequest.objects.filter(year=year).values_list("pk", flat=True))


def _compute(*, year: int, month: int | None, trigger: str, requests: list[int]) -> CompletionRun:
    max_month = months_to_compute(year)
    started = timezone.now()
    result = completion_compute(
        year=year,
        max_month=max_month if month is None else month,
        only_month=month,
        far_behind_points=settings.COMPLETION_FAR_BEHIND_POINTS,
        computed_at=started,
    )
    run = CompletionRun.objects.create(
        year=year,
        month=month,
        trigger=trigger,
        started_at=started,
        finished_at=timezone.now(),
        rows=result.rows,
        rows_changed=result.rows_changed,
    )
    RecomputeRequest.objects.filter(pk__in=requests).delete()
    return run


def completion_request_recompute(*, year: int) -> None:
    """Record that the year must be recomputed, in the current transaction (the request commits or
    rolls back with the change), and queue the run once it commits. Once per transaction and year,
    however many figures it changed."""
    asked = [f.completion_request for f in on_commit_pending() if getattr(f, "completion_year", 0) == year]
    # A run inside this same transaction may have settled the request already (demo data, tests).
    if asked and RecomputeRequest.objects.filter(pk__in=asked).exists():
        return
    request = RecomputeRequest.objects.create(year=year)

    def callback() -> None:
        _enqueue(year)

    callback.completion_year, callback.completion_request = year, request.pk
    transaction.on_commit(callback)


def _enqueue(year: int) -> None:
    """The fast path: queue a run of the year at once, unless one is queued and has not begun (the
    marker): a burst of saves is computed by the run under way plus one run after it. If Redis is
    down the save stands and its request waits in PostgreSQL for the drain."""
    # By the task's registered name: tasks.py imports this module, not the other way round.
    if current_app.conf.task_always_eager:
        current_app.tasks[RECOMPUTE_TASK].apply(args=[year])
        return
    url, key = settings.REDIS_URL, PENDING_KEY.format(year=year)
    if redis_is_down(url):
        return
    try:
        if not redis_client().set(key, "1", nx=True, ex=PENDING_MARKER_SECONDS):
            return
    except Exception as exc:  # broker down or slow: never fail the user's save because of it
        redis_failed(url, f"queue recompute of {year}", exc)
        return
    try:
        current_app.tasks[RECOMPUTE_TASK].apply_async(args=[year], retry=False)
    except Exception as exc:
        with suppress(*REDIS_ERRORS):  # no task behind the marker: let the next save try again
            redis_client().delete(key)
        redis_failed(url, f"queue recompute of {year}", exc)


def _pending_marker_clear(year: int) -> None:
    if current_app.conf.task_always_eager or redis_is_down(settings.REDIS_URL):
        return
    try:
        redis_client().delete(PENDING_KEY.format(year=year))
    except Exception as exc:
        redis_failed(settings.REDIS_URL, f"clear the pending marker of {year}", exc)
