"""The client's address, for the login lock (django-axes' AXES_CLIENT_IP_CALLABLE)."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str | None:
    """Behind the portal's nginx, X-Real-IP: nginx sets it from the connection, overwriting any the
    client sent, and gunicorn is reachable only through nginx. Anywhere else the header could be forged,
    so the connection's own address."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")
