"""Celery wiring. The periodic schedule lives here, in one place."""

import os

from celery import Celery, bootsteps
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qianjiang_hrss.settings.local")

app = Celery("qianjiang_hrss")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _periodic_schedule(sender, **kwargs) -> None:
    """Set once Django's settings are read (the drain's interval is one of them)."""
    from django.conf import settings

    hour, minute = (int(part) for part in settings.REMINDER_SCHEDULE["time"].split(":"))
    keep_hour, keep_minute = (int(part) for part in settings.SECURITY_HOUSEKEEPING_TIME.split(":"))
    sender.conf.beat_schedule = {
        # Recompute requests the fast path (Redis marker + task) did not serve: Redis was down, the
        # task was lost, the worker was killed mid-run. Once Redis is back, the figures catch up here.
        "drain-recompute-requests": {
            "task": "completion.tasks.drain_recompute_requests",
            "schedule": float(settings.COMPLETION_DRAIN_SECONDS),
        },
        # Nightly safety net: this year and last (the month moves on; late December corrections) and
        # every year with a request. 02:30 Asia/Shanghai, after the day's entry.
        "recompute-completion-nightly": {
            "task": "completion.tasks.recompute_recent_years",
            "schedule": crontab(hour=2, minute=30),
        },
        # Reminders (催报) to the townships that owe the month due, once a day; which reminder a day
        # brings (before the deadline, on it, overdue) is settings.REMINDER_SCHEDULE's, read at run time.
        "send-report-reminders": {
            "task": "notices.tasks.send_scheduled_reminders",
            "schedule": crontab(hour=hour, minute=minute),
        },
        # Previews never confirmed, and files no row points at, once older than
        # settings.REPORT_DRAFT_RETENTION_HOURS (reporting/drafts.py); hourly, so nothing waits long past it.
        "purge-report-drafts": {
            "task": "reporting.tasks.purge_report_drafts",
            "schedule": crontab(minute=40),
        },
        # 等保: accounts unused for ACCOUNT_INACTIVE_DAYS disabled; expired sessions, and the security log
        # and sign-in records past AUDIT_RETENTION_DAYS (at least 180), deleted. Daily, at night.
        "security-housekeeping": {
            "task": "audit.tasks.security_housekeeping",
            "schedule": crontab(hour=keep_hour, minute=keep_minute),
        },
    }


class CatchUpOnConnect(bootsteps.StartStopStep):
    """Each time a worker connects to the broker (at start, and again when Redis comes back after an
    outage) it first queues a drain: what waited meanwhile, or what a killed worker left half done,
    is computed at once rather than at beat's next run."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, c) -> None:
        c.app.send_task("completion.tasks.drain_recompute_requests")


app.steps["consumer"].add(CatchUpOnConnect)
