"""Writes to accounts that no person makes through a page: the daily disabling of accounts nobody uses."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from audit.models import Kind
from audit.services import security_event_record

from .models import User


def inactive_accounts_disable(*, now: datetime | None = None) -> list[str]:
    """等保 身份鉴别/访问控制: an account nobody signed in with for ACCOUNT_INACTIVE_DAYS (or never, and
    made that long ago) is disabled, each in the security log. A system administrator enables it again
    in the admin. Returns the usernames disabled."""
    days = settings.ACCOUNT_INACTIVE_DAYS
    if days <= 0:
        return []
    cutoff = (now or timezone.now()) - timedelta(days=days)
    unused = Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    stale = list(User.objects.filter(unused, is_active=True).order_by("username"))
    for user in stale:
        User.objects.filter(pk=user.pk).update(is_active=False)
        last = timezone.localtime(user.last_login).strftime("%Y-%m-%d") if user.last_login else "从未登录"
        security_event_record(
            kind=Kind.ACCOUNT_DISABLED,
            object=user.username,
            detail=f"超过{days}天未登录(最近登录:{last}),自动停用。",
        )
    return [user.username for user in stale]
