"""What the security log hears without any door calling it: Django's sign-in, sign-out and failed
sign-in signals, django-axes' lock-out, and (at every `migrate`, i.e. every deployment) a change of the
security settings since the last one."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_migrate

from .models import Kind, Outcome

# The settings an assessor asks about; a change between deployments is logged with old → new.
SECURITY_SETTINGS = (
    "DEBUG",
    "ALLOWED_HOSTS",
    "TWO_FACTOR_REQUIRED_FOR",
    "PASSWORD_MIN_LENGTH",
    "PASSWORD_MIN_CHARACTER_CLASSES",
    "PASSWORD_HISTORY_COUNT",
    "PASSWORD_MAX_AGE_DAYS",
    "ACCOUNT_INACTIVE_DAYS",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_TIME",
    "SESSION_IDLE_MINUTES",
    "SESSION_MAX_HOURS",
    "SUPERUSER_WEB_SIGN_IN",
    "DEMO_ACCOUNTS_ALLOWED",
    "AUDIT_RETENTION_DAYS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "REPORT_MAX_UPLOAD_MB",
)


def connect() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(signed_in, dispatch_uid="audit.signed_in")
    user_logged_out.connect(signed_out, dispatch_uid="audit.signed_out")
    user_login_failed.connect(sign_in_failed, dispatch_uid="audit.sign_in_failed")
    user_locked_out.connect(locked_out, dispatch_uid="audit.locked_out")
    post_migrate.connect(settings_changes_record, dispatch_uid="audit.settings_changes_record")


def _record(**kwargs) -> None:
    from .services import security_event_record

    security_event_record(**kwargs)


def _door(request) -> str:
    return "管理后台" if request is not None and request.path.startswith("/admin/") else "门户"


def signed_in(sender, request, user, **kwargs) -> None:
    _record(kind=Kind.SIGN_IN, request=request, user=user, object=_door(request))


def signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:  # signing out without a session is no event
        _record(kind=Kind.SIGN_OUT, request=request, user=user, object=_door(request))


def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    """A wrong password at the sign-in page, the admin's, or as the current password when changing it
    (accounts.views sends it so that it counts towards the same lock)."""
    kind, detail = Kind.SIGN_IN_FAILED, "用户名或密码错误"
    if sender == "accounts.views":
        detail = "修改密码时原密码错误"
    elif sender == "accounts.two_factor_views":
        kind, detail = Kind.OTP_FAILED, "登录时验证码或恢复码错误"
    _record(
        kind=kind,
        request=request,
        username=str(credentials.get("username", "")),
        outcome=Outcome.FAILURE,
        detail=detail,
    )


def locked_out(sender, request, username, ip_address, **kwargs) -> None:
    _record(
        kind=Kind.LOCKED_OUT,
        request=request,
        username=str(username or ""),
        outcome=Outcome.FAILURE,
        detail=f"连续{settings.AXES_FAILURE_LIMIT}次错误,锁定{settings.AXES_COOLOFF_TIME:g}小时。",
    )


def settings_changes_record(sender, app_config=None, using="default", **kwargs) -> None:
    """After `migrate` (each deployment runs it): the security settings compared with the last ones
    recorded; a difference is a 安全配置变更 entry naming each setting, old → new."""
    if app_config is None or app_config.name != "audit":
        return
    from .models import SettingsSnapshot

    now = {name: _plain(getattr(settings, name, None)) for name in SECURITY_SETTINGS}
    last = SettingsSnapshot.objects.using(using).first()
    before = last.values if last else {}
    changed = [
        f"{name}: {before.get(name)!r} → {now[name]!r}" for name in now if before.get(name) != now[name]
    ]
    if not changed:
        return
    SettingsSnapshot.objects.using(using).create(values=now)
    first = last is None
    _record(
        kind=Kind.SETTINGS_CHANGED,
        object="部署时的安全配置" if first else "安全配置",
        detail=("首次记录:" if first else "变更:") + ";".join(changed),
    )


def _plain(value: object) -> object:
    """As JSON keeps it, so that a value read back compares equal (a tuple is a list there)."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)
