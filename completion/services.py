"""Running the completion engine, and queuing it after figures change."""

from __future__ import annotations

import logging

import redis
from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from common.errors import PortalError

from .engine import completion_compute
from .models import CompletionRun

log = logging.getLogger(__name__)

# PostgreSQL advisory lock namespace for "recomputing completion of year N".
_LOCK_NAMESPACE = 7302
PENDING_KEY = "qianjiang:completion:pending:{year}"


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
    safe to run concurrently: one run per year at a time, under a database lock."""
    max_month = months_to_compute(year)
    if month is not None and not 1 <= month <= 12:
        raise PortalError(f"月份“{month}”无效,须在1至12之间。")
    if month is not None and month > max_month:
        raise PortalError(f"{year}年{month}月尚未到来,不能计算完成率。")
    started = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, int(year)])
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
    return run


def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)


def _enqueue(year: int) -> None:
    """Queue one recompute of the year a moment from now. Saves arriving meanwhile find the pending
    marker and add nothing, so a burst of saves is computed once. If Redis is down the save stands:
    the figures catch up at the next run (nightly at the latest) and pages show their age."""
    from .tasks import recompute_year

    if current_app.conf.task_always_eager:
        recompute_year.apply(args=[year])
        return
    key = PENDING_KEY.format(year=year)
    try:
        if not _redis().set(key, "1", nx=True, ex=max(60, settings.COMPLETION_COALESCE_SECONDS * 30)):
            return
        recompute_year.apply_async(args=[year], countdown=settings.COMPLETION_COALESCE_SECONDS, retry=False)
    except Exception:  # broker down or slow: never fail the user's save because of it
        log.warning(
            "completion recompute for %s not queued (Redis unavailable); nightly run will catch up", year
        )


def completion_request_recompute(*, year: int) -> None:
    """Ask for the year to be recomputed once the current transaction commits (once per transaction,
    however many figures it changed; nothing if it rolls back)."""
    pending = getattr(connection, "run_on_commit", [])
    if any(getattr(func, "completion_year", None) == year for _, func, *_ in pending):
        return

    def callback() -> None:
        _enqueue(year)

    callback.completion_year = year
    transaction.on_commit(callback)


def clear_pending(year: int) -> None:
    """Called by the task as it starts, so that saves during the run queue another."""
    if current_app.conf.task_always_eager:
        return
    try:
        _redis().delete(PENDING_KEY.format(year=year))
    except Exception:
        log.warning("could not clear the pending marker for %s", year)
