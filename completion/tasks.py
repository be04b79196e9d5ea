"""Thin Celery tasks: take a year, call the service. Safe to run twice."""

from celery import shared_task
from django.utils import timezone

from .models import CompletionRun
from .services import clear_pending, completion_recompute


@shared_task(name="completion.tasks.recompute_year", acks_late=True)
def recompute_year(year: int, trigger: str = CompletionRun.Trigger.CHANGE) -> int:
    clear_pending(year)
    return completion_recompute(year=year, trigger=trigger).rows_changed


@shared_task(name="completion.tasks.recompute_recent_years")
def recompute_recent_years() -> None:
    """Nightly: this year and last (late corrections to December arrive in the new year)."""
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year):
        completion_recompute(year=year, trigger=CompletionRun.Trigger.NIGHTLY)
