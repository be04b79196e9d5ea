"""剩余信息保护 and 身份鉴别, the nightly housekeeping (beat, SECURITY_HOUSEKEEPING_TIME): expired
sessions deleted, django-axes' sign-in records past AUDIT_RETENTION_DAYS deleted, the security log
purged past it, accounts unused for ACCOUNT_INACTIVE_DAYS disabled. Safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.models import User
from audit.tasks import security_housekeeping


def test_the_nightly_housekeeping_deletes_what_is_past_keeping_and_disables_unused_accounts(
    db, settings, leader_user, township_a_user
):
    now = timezone.now()
    Session.objects.create(session_key="expired", session_data="x", expire_date=now - timedelta(minutes=1))
    Session.objects.create(session_key="live", session_data="x", expire_date=now + timedelta(hours=1))
    old = now - timedelta(days=settings.AUDIT_RETENTION_DAYS + 1)
    for when in (old, now):
        AccessLog.objects.create(username="leader", ip_address="10.0.0.1", user_agent="x", path_info="/")
        AccessFailureLog.objects.create(
            username="leader", ip_address="10.0.0.1", user_agent="x", path_info="/"
        )
        AccessLog.objects.filter(attempt_time__gt=now - timedelta(minutes=1)).update(attempt_time=when)
        AccessFailureLog.objects.filter(attempt_time__gt=now - timedelta(minutes=1)).update(attempt_time=when)
    User.objects.filter(pk=leader_user.pk).update(
        last_login=now - timedelta(days=settings.ACCOUNT_INACTIVE_DAYS + 1)
    )
    User.objects.filter(pk=township_a_user.pk).update(last_login=now)

    first = security_housekeeping()
    second = security_housekeeping()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
    assert AccessLog.objects.count() == 1 and AccessFailureLog.objects.count() == 1
    assert first["sign_in_records_purged"] == 2 and first["accounts_disabled"] == 1
    assert second == {"accounts_disabled": 0, "audit_purged": 0, "sign_in_records_purged": 0}
    assert (
        not User.objects.get(pk=leader_user.pk).is_active
        and User.objects.get(pk=township_a_user.pk).is_active
    )
