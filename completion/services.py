"""Running the completion engine, and queuing it after figures change."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from common.errors import PortalError
from common.redis_guard import REDIS_ERRORS, redis_client, redis_failed, redis_is_down
from orgs.models import OrgUnit

from .engine import CellScope, cell_scope, completion_compute
from .models import Completion, CompletionRun, RecomputeRequest
from .selectors import completion_requested_years

# PostgreSQL advisory lock namespace for "recomputing completion of year N".
YEAR_LOCK_NAMESPACE = 7302
# The fast path's marker: "a run of year Y is queued and has not begun". Saves that find it add no task.
PENDING_KEY = "qianjiang:completion:pending:{year}"
RECOMPUTE_TASK = "completion.tasks.recompute_year"  # completion/tasks.py registers it under this name
# How long a marker may outlive a lost task before saves queue again; the drain serves them meanwhile.
PENDING_MARKER_SECONDS = 60
# An incremental run stops paying once its units are a large part of the tree: it reads the chain's
# own entries and the stored figures hanging off it, the whole run reads everything once. Above this
# share of all units the whole year is recomputed instead (see benchmarks/bench_province.py).
INCREMENTAL_MAX_UNIT_SHARE = 0.25


@dataclass(frozen=True)
class Seen:
    """The requests a run saw: their ids (deleted by the run), and what they changed together (None:
    the whole year)."""

    ids: list[int]
    indicators: set[int] | None
    org_units: set[int] | None


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
        seen = _requests_seen(year).ids if month is None else []
        return _compute(year=year, month=month, trigger=trigger, requests=seen)


def completion_catch_up(*, year: int, trigger: str = CompletionRun.Trigger.CHANGE) -> CompletionRun | None:
    """The queue's run: recompute what the year's outstanding requests changed (incremental: those
    indicators along those units' ancestors), settling the requests there when the run begins; one
    made during the run stays for the run after it. Nothing outstanding (an earlier run saw it all):
    nothing to do, no run."""
    with transaction.atomic():
        _lock_year(year)
        # From here on a save finds no marker and queues the run after this one.
        _pending_marker_clear(year)
        seen = _requests_seen(year)
        if not seen.ids:
            return None
        scope = _incremental_scope(year, seen)
        return _compute(year=year, month=None, trigger=trigger, requests=seen.ids, scope=scope)


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


def _requests_seen(year: int) -> Seen:
    """The year's requests committed by now, and what they changed together. Read before the engine's
    statement, whose snapshot is later (READ COMMITTED), so the run sees every change these stand for;
    a request committed after this read is not in the list and survives the run."""
    ids: list[int] = []
    indicators: set[int] | None = set()
    org_units: set[int] | None = set()
    rows = RecomputeRequest.objects.filter(year=year).values_list("pk", "indicator_ids", "org_unit_ids")
    for pk, request_indicators, request_units in rows:
        ids.append(pk)
        if indicators is None or request_indicators is None or request_units is None:
            indicators = org_units = None  # one whole-year request makes the run a whole year
        else:
            indicators.update(request_indicators)
            org_units.update(request_units)
    return Seen(ids, indicators, org_units)


def _incremental_scope(year: int, seen: Seen) -> CellScope | None:
    """The cells to recompute, or None for the whole year: asked for (the indicator set or the org
    tree changed), too much of the tree, or stored figures not computed up to this month (a new
    month has begun, or the year never ran), whose roll-ups the incremental run would read."""
    if seen.indicators is None or seen.org_units is None:
        return None
    scope = cell_scope(year=year, indicator_ids=seen.indicators, org_unit_ids=seen.org_units)
    if len(scope.org_units) > INCREMENTAL_MAX_UNIT_SHARE * OrgUnit.objects.count():
        return None
    computed_to = Completion.objects.filter(year=year).aggregate(m=Max("month"))["m"]
    if computed_to is None or computed_to != months_to_compute(year):
        return None
    return scope


def _compute(
    *, year: int, month: int | None, trigger: str, requests: list[int], scope: CellScope | None = None
) -> CompletionRun:
    max_month = months_to_compute(year)
    started = timezone.now()
    result = completion_compute(
        year=year,
        max_month=max_month if month is None else month,
        only_month=month,
        far_behind_points=settings.COMPLETION_FAR_BEHIND_POINTS,
        computed_at=started,
        scope=scope,
    )
    run = CompletionRun.objects.create(
        year=year,
        month=month,
        trigger=trigger,
        started_at=started,
        finished_at=timezone.now(),
        rows=result.rows,
        rows_changed=result.rows_changed,
        indicators=len(scope.indicators) if scope else None,
        org_units=len(scope.org_units) if scope else None,
    )
    RecomputeRequest.objects.filter(pk__in=requests).delete()
    return run


@dataclass
class _YearRequest:
    """This transaction's request to recompute a year: the RecomputeRequest row it wrote, what that
    covers (None: the whole year), and, called once the transaction commits, the queueing of the run."""

    year: int
    request_id: int
    changed: tuple[set[int], set[int]] | None

    def widen(self, changed: tuple[set[int], set[int]] | None) -> None:
        """The row covers this change too (its own row, which no other transaction sees yet)."""
        if self.changed is None:
            return  # the whole year already
        after = None if changed is None else (self.changed[0] | changed[0], self.changed[1] | changed[1])
        if after != self.changed:
            self.changed = after
            RecomputeRequest.objects.filter(pk=self.request_id).update(**_stored_scope(after))

    def __call__(self) -> None:  # transaction.on_commit: committed
        if _open_requests().get(self.year) is self:
            del _open_requests()[self.year]
        _enqueue(self.year)


# The requests of the transaction open on each connection (a thread's own), by year. An entry leaves
# when its transaction commits (its on_commit call, above). A transaction (or savepoint) rolled back
# leaves its entry behind with the row it wrote gone: the next request finds no row and starts afresh.
_OPEN: WeakKeyDictionary = WeakKeyDictionary()


def _open_requests() -> dict[int, _YearRequest]:
    return _OPEN.setdefault(transaction.get_connection(), {})


def completion_request_recompute(
    *, year: int, indicators: Iterable[int] | None = None, org_units: Iterable[int] | None = None
) -> None:
    """Record that the year must be recomputed, in the current transaction (the request commits or
    rolls back with the change), and queue the run once it commits. Once per transaction and year,
    however many figures it changed: a second change in the same transaction widens the request it
    made. `indicators` and `org_units`: what changed (the units whose own figures or quotas did);
    None: the whole year."""
    changed = None if indicators is None or org_units is None else (set(indicators), set(org_units))
    mine = _open_requests().get(year)
    # Its row gone: rolled back, or settled by a run inside this same transaction (demo data, tests).
    if mine is not None and RecomputeRequest.objects.filter(pk=mine.request_id).exists():
        mine.widen(changed)
        return
    request = RecomputeRequest.objects.create(year=year, **_stored_scope(changed))
    mine = _open_requests()[year] = _YearRequest(year, request.pk, changed)
    transaction.on_commit(mine)  # outside a transaction: at once


def _stored_scope(changed: tuple[set[int], set[int]] | None) -> dict:
    if changed is None:
        return {"indicator_ids": None, "org_unit_ids": None}
    return {"indicator_ids": sorted(changed[0]), "org_unit_ids": sorted(changed[1])}


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


def completion_request_all_years() -> None:
    """The org tree changed (a unit moved under another): every stored roll-up may add up the wrong
    units, so every year ever computed is recomputed whole."""
    for year in CompletionRun.objects.order_by("year").values_list("year", flat=True).distinct():
        completion_request_recompute(year=year)
