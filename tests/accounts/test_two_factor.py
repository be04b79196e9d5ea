"""身份鉴别: the second factor (django-otp TOTP and recovery codes). On by default for bureau staff and
the three administrators (TWO_FACTOR_REQUIRED_FOR = staff; the tests' settings switch it off and these
tests on); a password alone opens nothing; enrolment by QR code; recovery codes work once; a wrong code
counts towards the sign-in lock; the quick start's demo accounts go without it."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.core.management import call_command
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.two_factor import recovery_codes_renew
from audit.models import Kind, SecurityEvent
from tests.accounts.two_factor_helpers import device_code

LOGIN = "/accounts/login/"
ENROL = "/accounts/two-factor/enrol/"
VERIFY = "/accounts/two-factor/verify/"


@pytest.fixture(autouse=True)
def required(settings):
    settings.TWO_FACTOR_REQUIRED_FOR = "staff"


def _sign_in(client, username: str = "bureau", password: str = "pw-for-tests"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)


def test_the_second_factor_is_required_of_staff_by_default_and_production_cannot_switch_it_off():
    import qianjiang_hrss.settings.base as base

    assert base.TWO_FACTOR_REQUIRED_FOR == "staff"
    production = subprocess.run(
        [sys.executable, "-c", "import qianjiang_hrss.settings.production"],
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SECRET_KEY": "x" * 60,
            "DJANGO_ALLOWED_HOSTS": "hrss.example.gov.cn",
            "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/db",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "TWO_FACTOR_REQUIRED_FOR": "none",
        },
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
    )
    assert production.returncode != 0 and "TWO_FACTOR_REQUIRED_FOR=none is refused" in production.stderr


def test_a_password_alone_leads_only_to_enrolment(client, bureau_user):
    signed_in = _sign_in(client)
    home = client.get("/")
    api = client.get("/api/v1/indicators/", HTTP_ACCEPT="application/json")

    assert signed_in.status_code == 302
    assert home.status_code == 302 and home["Location"].startswith(ENROL)
    assert api.status_code == 401 and "双因素认证" in api.json()["error"]["message"]


def test_enrolment_shows_a_qr_code_and_the_secret_then_gives_recovery_codes(client, bureau_user):
    client.force_login(bureau_user)
    page = client.get(ENROL).content.decode()
    device = TOTPDevice.objects.get(user=bureau_user, confirmed=False)
    secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', page).group(1)

    done = client.post(ENROL, {"code": device_code(device), "next": "/"})

    assert "<svg" in page and secret.replace(" ", "")
    assert done.status_code == 200
    codes = re.findall(
        r"<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code>", done.content.decode()
    )
    assert len(codes) == django_settings.TWO_FACTOR_RECOVERY_CODES
    assert TOTPDevice.objects.get(user=bureau_user).confirmed
    assert client.get("/notices/").status_code == 200  # this session has passed the second factor
    assert SecurityEvent.objects.filter(kind=Kind.OTP_ENROLLED, username="bureau").exists()


def test_reloading_the_enrolment_page_keeps_the_secret_already_scanned(client, bureau_user):
    client.force_login(bureau_user)
    first, second = client.get(ENROL).content.decode(), client.get(ENROL).content.decode()

    secret = re.compile(r'id="otp-secret">([^<]+)<')
    assert secret.search(first).group(1) == secret.search(second).group(1)


def test_an_enrolled_account_signs_in_with_the_apps_code(client, bureau_user):
    device = _enrolled(bureau_user)
    _sign_in(client)
    asked = client.get("/")

    verified = client.post(
        VERIFY, {"code": device_code(device), "next": "/dashboard/"}, REMOTE_ADDR="10.0.0.7"
    )

    assert asked.status_code == 302 and asked["Location"].startswith(VERIFY)
    assert verified.status_code == 302 and verified["Location"] == "/dashboard/"
    assert client.get("/notices/").status_code == 200
    assert SecurityEvent.objects.filter(
        kind=Kind.OTP_VERIFIED, username="bureau", source_ip="10.0.0.7"
    ).exists()


def test_a_code_once_used_is_refused_the_second_time(client, bureau_user):
    device = _enrolled(bureau_user)
    code = device_code(device)
    _sign_in(client)
    client.post(VERIFY, {"code": code})
    client.logout()
    _sign_in(client)

    again = client.post(VERIFY, {"code": code})

    assert again.status_code == 400 and "验证码不正确或已使用过" in again.content.decode()
    assert client.get("/").status_code == 302


def test_a_recovery_code_works_once(client, bureau_user):
    _enrolled(bureau_user)
    code = recovery_codes_renew(bureau_user)[0]
    _sign_in(client)
    first = client.post(VERIFY, {"code": code.upper()})  # typed in capitals, with the dashes
    client.logout()
    _sign_in(client)
    second = client.post(VERIFY, {"code": code})

    assert first.status_code == 302
    assert second.status_code == 400
    assert StaticDevice.objects.get(user=bureau_user).token_set.count() == 9
    assert SecurityEvent.objects.filter(kind=Kind.RECOVERY_CODE_USED, detail="剩余9个恢复码。").exists()


def test_wrong_codes_count_towards_the_sign_in_lock_and_sign_the_session_out(client, bureau_user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own wait would refuse even the right code
    device = _enrolled(bureau_user)
    _sign_in(client)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        last = client.post(VERIFY, {"code": "000000"}, REMOTE_ADDR="10.0.0.7")

    assert last.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.filter(username="bureau").exists()
    assert (
        SecurityEvent.objects.filter(kind=Kind.OTP_FAILED, username="bureau").count()
        == settings.AXES_FAILURE_LIMIT
    )
    assert SecurityEvent.objects.filter(kind=Kind.LOCKED_OUT, username="bureau").exists()
    assert device_code(device)  # the device itself is untouched


def test_leaders_and_townships_go_without_it_unless_every_role_is_asked(client, leader_user, settings):
    client.force_login(leader_user)
    assert client.get("/notices/").status_code == 200

    settings.TWO_FACTOR_REQUIRED_FOR = "all"

    assert client.get("/")["Location"].startswith(ENROL)


def test_the_quick_starts_demo_accounts_go_without_it_and_nowhere_else(client, orgs, settings):
    settings.DEMO_ACCOUNTS_ALLOWED = True
    call_command("create_demo_users", stdout=open("/dev/null", "w"))  # noqa: SIM115
    signed_in = _sign_in(client, "bureau", "qianjiang2024")
    assert signed_in.status_code == 302 and client.get("/notices/").status_code == 200
    client.logout()

    settings.DEMO_ACCOUNTS_ALLOWED = False  # production: the account cannot even sign in

    refused = _sign_in(client, "bureau", "qianjiang2024")
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind=Kind.SIGN_IN_REFUSED, username="bureau").exists()


def test_create_demo_users_says_the_demo_accounts_alone_go_without_it(orgs, settings, capsys):
    settings.DEMO_ACCOUNTS_ALLOWED = True
    call_command("create_demo_users")

    out = capsys.readouterr().out
    assert "只有以上演示账号免双因素认证" in out
    assert set(User.objects.filter(is_demo=True).values_list("username", flat=True)) >= {
        "sysadmin",
        "auditor",
    }


def test_the_security_administrator_resets_a_lost_second_factor(client, bureau_user, security_admin_user):
    _enrolled(bureau_user)
    recovery_codes_renew(bureau_user)
    client.force_login(security_admin_user)
    settings_off = {"TWO_FACTOR_REQUIRED_FOR": "none"}  # the administrator's own factor is not the point

    with pytest.MonkeyPatch.context() as patch:
        for name, value in settings_off.items():
            patch.setattr(django_settings, name, value)
        client.post(
            "/admin/accounts/user/",
            {"action": "reset_second_factor", "_selected_action": [bureau_user.pk]},
        )

    assert not TOTPDevice.objects.filter(user=bureau_user).exists()
    assert not StaticDevice.objects.filter(user=bureau_user).exists()
    assert SecurityEvent.objects.filter(kind=Kind.OTP_RESET, object="bureau", username="secadmin").exists()
