"""When a password must be changed before anything else: someone else set it (a new account, a reset:
User.must_change_password), or it is older than PASSWORD_MAX_AGE_DAYS."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone


def password_expired(user) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    changed = getattr(user, "password_changed_at", None)
    if days <= 0 or changed is None or not user.has_usable_password():
        return False
    return timezone.now() - changed > timedelta(days=days)


def password_change_due(user) -> bool:
    return bool(getattr(user, "must_change_password", False)) or password_expired(user)


def password_change_reason(user) -> str:
    """What the password page says when it is not the person's own choice to be there."""
    if getattr(user, "must_change_password", False):
        return "这是管理员为您设置的初始密码或重置后的密码,请先修改为只有您自己知道的新密码。"
    if password_expired(user):
        return f"您的密码已使用超过{settings.PASSWORD_MAX_AGE_DAYS}天,请修改后继续使用。"
    return ""
