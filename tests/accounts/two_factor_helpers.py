"""Codes an authenticator app would show, computed from the secret the enrolment page prints."""

from __future__ import annotations

import time
from base64 import b32decode

from django_otp.oath import TOTP


def app_code(secret: str, *, steps_ahead: int = 0) -> str:
    """The 6 digits for `secret` (as the page shows it, base32 in groups) now, or a later time step
    (django-otp accepts one step of drift and refuses a step at or before the last one used)."""
    key = b32decode("".join(secret.split()))
    totp = TOTP(key, step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def device_code(device, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"
