"""Thin tasks: beat's daily reminders, and one email (or other queued channel) per delivery, retried with
backoff and recorded as failed after the last try. Both are safe to run twice."""

from __future__ import annotations

from datetime import datetime
from smtplib import SMTPException

from celery import Task, shared_task
from django.conf import settings

from . import services


class DeliveryTask(Task):
    """Records every failed try on the delivery, and the failure after the last one."""

    def on_retry(self, exc, task_id, args, kwargs, einfo) -> None:
        services.delivery_attempt_failed(
            delivery_id=_delivery_id(args, kwargs), error=_error(exc), final=False
        )

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        services.delivery_attempt_failed(
            delivery_id=_delivery_id(args, kwargs), error=_error(exc), final=True
        )


def _delivery_id(args, kwargs) -> int:
    return kwargs.get("delivery_id", args[0] if args else None)


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


@shared_task(name="notices.tasks.send_scheduled_reminders", acks_late=True)
def send_scheduled_reminders(at: str | None = None) -> int:
    """Beat, once a day at REMINDER_SCHEDULE["time"]: whatever today brings (Asia/Shanghai). `at` (ISO
    8601) runs the schedule as of another moment: a missed day caught up by hand, or a test's worker."""
    return len(services.reminders_send_due(now=datetime.fromisoformat(at) if at else None))


@shared_task(
    base=DeliveryTask,
    name=services.DELIVER_TASK,
    acks_late=True,
    # A refused or dropped SMTP conversation, a server that does not answer: tried again later.
    autoretry_for=(SMTPException, OSError),
    max_retries=settings.NOTICE_EMAIL_MAX_RETRIES,
    retry_backoff=settings.NOTICE_EMAIL_RETRY_BACKOFF_SECONDS,
    retry_backoff_max=3600,
    retry_jitter=False,
)
def deliver(delivery_id: int) -> str:
    return services.delivery_send(delivery_id=delivery_id)
