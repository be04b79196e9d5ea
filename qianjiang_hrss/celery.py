"""Celery wiring. The periodic schedule lives here, in one place."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qianjiang_hrss.settings.local")

app = Celery("qianjiang_hrss")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Nightly safety net: whatever an on-commit recompute missed (Redis down, a worker
    # restarted mid-run) is caught up here. 02:30 Asia/Shanghai, after the day's entry.
    "recompute-completion-nightly": {
        "task": "completion.tasks.recompute_recent_years",
        "schedule": crontab(hour=2, minute=30),
    },
}
