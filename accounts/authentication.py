"""The API's token authentication (programs; people use the session): DRF's, with the portal's rules."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .backends import sign_in_refusal
from .models import User


class PortalTokenAuthentication(TokenAuthentication):
    """A token never serves an account the web refuses (a superuser in production, a demo account
    outside the quick start), and using it counts as using the account, so a program's account is
    not disabled as unused (ACCOUNT_INACTIVE_DAYS); last_login is written at most once a day."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        refusal = sign_in_refusal(user)
        if refusal:
            raise AuthenticationFailed(refusal)
        now = timezone.now()
        if user.last_login is None or now - user.last_login > timedelta(days=1):
            User.objects.filter(pk=user.pk).update(last_login=now)
        return user, token
