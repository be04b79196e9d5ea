"""访问控制 — 三员分立: the system administrator keeps accounts, the security administrator roles, locks
and second factors, the audit administrator reads the security log; none of them reaches the bureau's
figures or registers, nobody changes their own role, and the superuser is no everyday account."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from audit.models import Kind, SecurityEvent


def _change_form(user) -> dict:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": user.phone,
        "role": user.role,
        "org_unit": user.org_unit_id or "",
        "is_staff": "on" if user.is_staff else "",
        "is_active": "on",
        "must_change_password": "",
    }


def test_the_security_administrator_gives_roles_and_it_is_logged(client, security_admin_user, leader_user):
    client.force_login(security_admin_user)
    form = {**_change_form(leader_user), "role": "bureau", "is_staff": "on"}

    response = client.post(f"/admin/accounts/user/{leader_user.pk}/change/", form)

    assert response.status_code == 302
    assert User.objects.get(pk=leader_user.pk).role == "bureau"
    event = SecurityEvent.objects.get(kind=Kind.ROLE_CHANGED, object="leader")
    assert event.username == "secadmin" and "领导 → 局业务科室" in event.detail


def test_the_system_administrator_cannot_give_roles(client, system_admin_user, leader_user):
    client.force_login(system_admin_user)
    form = {**_change_form(leader_user), "role": "bureau", "first_name": "新名字"}

    client.post(f"/admin/accounts/user/{leader_user.pk}/change/", form)

    leader = User.objects.get(pk=leader_user.pk)
    assert leader.role == "leader" and leader.first_name == "新名字"  # role is read-only to them


def test_the_security_administrator_cannot_make_accounts_or_reset_passwords(
    client, security_admin_user, leader_user
):
    client.force_login(security_admin_user)

    assert client.get("/admin/accounts/user/add/").status_code == 403
    assert client.get(f"/admin/accounts/user/{leader_user.pk}/password/").status_code == 403


def test_nobody_raises_their_own_role(client, security_admin_user):
    client.force_login(security_admin_user)
    form = {**_change_form(security_admin_user), "role": "bureau"}

    client.post(f"/admin/accounts/user/{security_admin_user.pk}/change/", form)

    assert User.objects.get(pk=security_admin_user.pk).role == "secadmin"


@pytest.mark.parametrize("admin_fixture", ["system_admin_user", "security_admin_user", "audit_admin_user"])
def test_no_administrator_reads_figures_or_registers(client, request, admin_fixture):
    client.force_login(request.getfixturevalue(admin_fixture))

    for url in (
        "/api/v1/monthly-values/",
        "/api/v1/employment/guarantee-loans/",
        "/dashboard/",
        "/reporting/",
    ):
        assert client.get(url, HTTP_ACCEPT="application/json").status_code == 403, url
    for url in ("/admin/indicators/monthlyvalue/", "/admin/employment/guaranteeloan/", "/admin/entry/sheet/"):
        assert client.get(url).status_code in (302, 403), url


def test_only_the_audit_administrator_reads_the_security_log(
    client, audit_admin_user, bureau_user, admin_user
):
    for user, status in ((audit_admin_user, 200), (bureau_user, 403), (admin_user, 403)):
        client.force_login(user)
        assert client.get("/audit/").status_code == status


def test_in_production_a_superuser_cannot_sign_in_through_the_web(client, settings, admin_user):
    """The superuser is the break-glass account of whoever runs manage.py on the host: production
    (SUPERUSER_WEB_SIGN_IN off) refuses its right password at both sign-in pages and ends a session
    it already had, and says so in the security log."""
    client.force_login(admin_user)
    settings.SUPERUSER_WEB_SIGN_IN = False

    old_session = client.get("/notices/")
    portal = client.post("/accounts/login/", {"username": "admin", "password": "password"})
    back_office = client.post("/admin/login/", {"username": "admin", "password": "password"})

    assert old_session.status_code == 302 and old_session["Location"].startswith("/accounts/login/")
    assert portal.status_code == 200 and back_office.status_code == 200  # the form again, with an error
    assert client.get("/notices/").status_code == 302
    assert SecurityEvent.objects.filter(kind=Kind.SIGN_IN, username="admin").count() == 1  # force_login's
    assert SecurityEvent.objects.filter(kind=Kind.SIGN_IN_REFUSED, username="admin").count() == 2


def test_production_settings_refuse_superusers_and_demo_accounts_whatever_the_environment_says():
    code = "import qianjiang_hrss.settings.production as p; print(p.SUPERUSER_WEB_SIGN_IN, p.DEMO_ACCOUNTS_ALLOWED)"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "hrss.example.gov.cn",
        "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/db",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "SUPERUSER_WEB_SIGN_IN": "true",
    }

    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)

    assert shown.stdout.split() == ["False", "False"]


def test_create_demo_users_refuses_where_demo_accounts_are_not_allowed(orgs, settings):
    settings.DEMO_ACCOUNTS_ALLOWED = False

    with pytest.raises(CommandError, match="生产环境一律拒绝"):
        call_command("create_demo_users")
    assert not User.objects.filter(is_demo=True).exists()


def test_the_first_administrators_are_made_on_the_host_with_a_one_time_password(db, capsys):
    call_command("create_admin_account", "li_sec", role="secadmin", name="李安全")

    account = User.objects.get(username="li_sec")
    assert account.role == "secadmin" and account.must_change_password and not account.is_superuser
    assert "初始密码(仅显示一次)" in capsys.readouterr().out
    assert SecurityEvent.objects.filter(kind=Kind.ACCOUNT_CREATED, object="li_sec").exists()


def test_an_api_token_counts_as_use_and_serves_no_account_the_web_refuses(client, db, settings, admin_user):
    from rest_framework.authtoken.models import Token

    program = User.objects.create_user("stats_program", password="x", role="leader")
    program_token = Token.objects.create(user=program)
    root_token = Token.objects.create(user=admin_user)
    settings.SUPERUSER_WEB_SIGN_IN = False

    used = client.get("/api/v1/indicators/", HTTP_AUTHORIZATION=f"Token {program_token.key}")
    refused = client.get("/api/v1/indicators/", HTTP_AUTHORIZATION=f"Token {root_token.key}")

    assert used.status_code == 200 and User.objects.get(pk=program.pk).last_login is not None
    assert (
        refused.status_code in (401, 403)
        and "超级管理员账号不能在网页登录" in refused.json()["error"]["message"]
    )


def test_the_admin_index_shows_an_account_administrator_only_accounts(client, system_admin_user):
    client.force_login(system_admin_user)

    page = client.get("/admin/").content.decode()

    assert "/admin/accounts/user/" in page
    assert "月度数据填报" not in page and "/admin/indicators/" not in page
