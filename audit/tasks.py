"""The daily housekeeping (beat: qianjiang_hrss/celery.py at settings.SECURITY_HOUSEKEEPING_TIME). Thin:
each step is a service or Django's own, each safe to run twice."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from celery import shared_task
from django.conf import settings
from django.utils import timezone


@shared_task(name="audit.tasks.security_housekeeping", acks_late=True)
def security_housekeeping() -> dict[str, int]:
    """Accounts unused too long disabled (身份鉴别); what is past keeping deleted (剩余信息保护): expired
    sessions, the security log and django-axes' sign-in records older than AUDIT_RETENTION_DAYS."""
    from axes.models import AccessFailureLog, AccessLog

    from accounts.services import inactive_accounts_disable

    from .services import audit_retention_purge

    cutoff = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return {
        "accounts_disabled": len(inactive_accounts_disable()),
        "audit_purged": audit_retention_purge(),
        "sign_in_records_purged": AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0]
        + AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0],
    }
