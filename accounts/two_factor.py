"""The second factor (等保 身份鉴别: 两种或两种以上组合的鉴别技术): a TOTP authenticator app (django-otp's
TOTPDevice: RFC 6238, a code at or before the last accepted time step is refused, wrong codes throttled
exponentially) and recovery codes (django-otp's StaticDevice: each works once). The pages are in
accounts.two_factor_views; who must pass it is decided here."""

from __future__ import annotations

import secrets
from base64 import b32encode

from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

APP_DEVICE = "身份验证器"
RECOVERY_DEVICE = "恢复码"


def two_factor_required(user) -> bool:
    """settings.TWO_FACTOR_REQUIRED_FOR: "staff" (bureau staff, the three administrators, superusers),
    "all", or "none". The quick start's demo accounts go without it (DEMO_ACCOUNTS_ALLOWED)."""
    mode = settings.TWO_FACTOR_REQUIRED_FOR
    if mode == "none" or (getattr(user, "is_demo", False) and settings.DEMO_ACCOUNTS_ALLOWED):
        return False
    if mode == "all":
        return True
    staff_roles = (
        User.Role.BUREAU,
        User.Role.SYSTEM_ADMIN,
        User.Role.SECURITY_ADMIN,
        User.Role.AUDIT_ADMIN,
    )
    return user.is_superuser or user.role in staff_roles


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_app_device(user) -> TOTPDevice:
    """The authenticator being enrolled: the same secret until it is confirmed, so reloading the page
    does not invalidate the QR code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The key as authenticator apps take it typed (base32, in groups of four)."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def recovery_codes_renew(user) -> list[str]:
    """New recovery codes, the old ones void. 80 random bits each, shown once (16 characters in groups
    of four; typed with or without the dashes, in either case)."""
    codes = [
        b32encode(secrets.token_bytes(10)).decode().lower() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)
    ]
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE)
        device.token_set.all().delete()
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return ["-".join(code[i : i + 4] for i in range(0, 16, 4)) for code in codes]


def normalise_code(typed: str) -> str:
    return "".join(typed.split()).replace("-", "").lower()


def second_factor_reset(user) -> int:
    """Every device of the account removed (a lost phone): the next sign-in enrols again."""
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    return removed
