"""身份鉴别: passwords of enough length and character classes, none of the last five again, changed
every PASSWORD_MAX_AGE_DAYS, an initial or reset password changed at the first sign-in, and accounts
nobody uses disabled."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from audit.models import Kind, SecurityEvent

CHANGE = "/accounts/password_change/"


def _change(client, old: str, new: str):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


def test_a_password_of_two_character_classes_is_refused(client, leader_user):
    client.force_login(leader_user)

    response = _change(client, "pw-for-tests", "qianjiangrenshe2024")

    assert response.status_code == 200
    assert "须包含大写字母、小写字母、数字、符号中的至少3类" in response.content.decode()


def test_none_of_the_last_five_passwords_may_come_back(client, leader_user):
    leader_user.set_password("Qj-first-2023")
    leader_user.save()
    client.force_login(leader_user)
    used = [f"Qj-pass-{n}-2024" for n in range(5)]
    current = "Qj-first-2023"
    for new in used:
        assert _change(client, current, new).status_code == 302
        current = new

    reused = _change(client, current, used[0])  # five changes ago: still among the last five
    oldest = _change(client, current, "Qj-first-2023")  # six passwords ago: allowed again

    assert "不能使用最近5次用过的密码" in reused.content.decode()
    assert oldest.status_code == 302


def test_a_password_older_than_the_limit_must_be_changed_first(client, leader_user, settings):
    later = timezone.now() + timedelta(days=settings.PASSWORD_MAX_AGE_DAYS + 1)

    with time_machine.travel(later, tick=False):
        client.force_login(leader_user)
        asked = client.get("/notices/")
        page = client.get(CHANGE).content.decode()
        changed = _change(client, "pw-for-tests", "Qj-fresh-2025-pass")
        after = client.get("/notices/")

    assert asked.status_code == 302 and asked["Location"] == CHANGE
    assert f"已使用超过{settings.PASSWORD_MAX_AGE_DAYS}天" in page
    assert changed.status_code == 302 and after.status_code == 200


def test_an_account_the_system_administrator_makes_must_change_its_password_at_first_sign_in(
    client, system_admin_user
):
    client.force_login(system_admin_user)
    made = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "new_clerk",
            "usable_password": "true",
            "password1": "Qj-Initial-2024",
            "password2": "Qj-Initial-2024",
            "last_name": "王",
        },
    )
    clerk = User.objects.get(username="new_clerk")
    User.objects.filter(pk=clerk.pk).update(role="leader")  # as the security administrator would
    client.logout()
    client.post("/accounts/login/", {"username": "new_clerk", "password": "Qj-Initial-2024"})

    assert made.status_code == 302
    assert (
        clerk.must_change_password and clerk.role == ""
    )  # no role until the security administrator gives one
    assert client.get("/notices/")["Location"] == CHANGE
    assert "初始密码或重置后的密码" in client.get(CHANGE).content.decode()
    assert _change(client, "Qj-Initial-2024", "Qj-Mine-2024-pass").status_code == 302
    assert not User.objects.get(username="new_clerk").must_change_password
    assert SecurityEvent.objects.filter(
        kind=Kind.ACCOUNT_CREATED, object="new_clerk", username="sysadmin"
    ).exists()


def test_a_password_the_system_administrator_resets_must_be_changed_too(
    client, system_admin_user, leader_user
):
    client.force_login(system_admin_user)

    reset = client.post(
        f"/admin/accounts/user/{leader_user.pk}/password/",
        {"usable_password": "true", "password1": "Qj-Reset-2024-x", "password2": "Qj-Reset-2024-x"},
    )

    assert reset.status_code == 302
    assert User.objects.get(pk=leader_user.pk).must_change_password
    assert SecurityEvent.objects.filter(
        kind=Kind.PASSWORD_RESET, object="leader", username="sysadmin"
    ).exists()


def test_accounts_nobody_signed_in_with_for_the_limit_are_disabled(leader_user, township_a_user, settings):
    now = timezone.now()
    User.objects.filter(pk=leader_user.pk).update(
        last_login=now - timedelta(days=settings.ACCOUNT_INACTIVE_DAYS + 1)
    )
    User.objects.filter(pk=township_a_user.pk).update(last_login=now - timedelta(days=3))

    call_command("disable_inactive_accounts", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert not User.objects.get(pk=leader_user.pk).is_active
    assert User.objects.get(pk=township_a_user.pk).is_active
    event = SecurityEvent.objects.get(kind=Kind.ACCOUNT_DISABLED)
    assert event.object == "leader" and f"超过{settings.ACCOUNT_INACTIVE_DAYS}天未登录" in event.detail


@pytest.mark.parametrize("made_days_ago, disabled", [(200, True), (5, False)])
def test_an_account_never_signed_in_counts_from_the_day_it_was_made(
    leader_user, settings, made_days_ago, disabled
):
    User.objects.filter(pk=leader_user.pk).update(
        last_login=None, date_joined=timezone.now() - timedelta(days=made_days_ago)
    )

    from accounts.services import inactive_accounts_disable

    assert (inactive_accounts_disable() == ["leader"]) is disabled


def test_the_daily_housekeeping_is_scheduled_once_in_the_beat_schedule():
    from qianjiang_hrss.celery import app

    app.loader.import_default_modules()
    entries = [e for e in app.conf.beat_schedule.values() if e["task"] == "audit.tasks.security_housekeeping"]
    assert len(entries) == 1
