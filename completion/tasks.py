"""Thin Celery tasks: take a year, call the service. Safe to run twice: a run settles only the recompute
requests it saw, and a second run finds none left and does nothing."""

from celery import shared_task
from django.utils import timezone

from .models import CompletionRun
from .selectors import completion_requested_years
from .services import RECOMPUTE_TASK, completion_catch_up, completion_drain, completion_recompute


@shared_task(name=RECOMPUTE_TASK, acks_late=True)
def recompute_year(year: int, trigger: str = CompletionRun.Trigger.CHANGE) -> int:
    run = completion_catch_up(year=year, trigger=trigger)
    return run.rows_changed if run else 0


@shared_task(name="completion.tasks.drain_recompute_requests", acks_late=True)
def drain_recompute_requests() -> int:
    """Beat, every COMPLETION_DRAIN_SECONDS, and each worker as it starts."""
    return len(completion_drain())


@shared_task(name="completion.tasks.recompute_recent_years")
def recompute_recent_years() -> None:
    """Nightly: this year and last (late corrections to December arrive in the new year), and any
    other year with a request still outstanding."""
    this_year = timezone.localdate().year
    for year in sorted({this_year - 1, this_year, *completion_requested_years()}):
        completion_recompute(year=year, trigger=CompletionRun.Trigger.NIGHTLY)
