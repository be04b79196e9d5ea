"""Changing one's own password, in the portal's own pages, for every role. A wrong current password
counts as a failed sign-in (django-axes): whoever holds a signed-in session cannot guess the password
at leisure; at the limit the username is locked at that address and the session is signed out."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from axes.conf import settings as axes_settings
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from audit.models import Kind
from audit.services import security_event_record

from .forms import PortalPasswordChangeForm
from .passwords import password_change_reason

CHANGED_MESSAGE = "密码已修改,下次登录请使用新密码。在其他电脑或浏览器上的登录已随之退出。"


def in_chinese(view: Callable) -> Callable:
    """The page and its messages in Chinese whatever the browser asks for (LocaleMiddleware)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        with translation.override("zh-hans"):
            return view(request, *args, **kwargs)

    return wrapper


@sensitive_post_parameters()
@never_cache
@login_required
@in_chinese
def password_change(request: HttpRequest) -> HttpResponse:
    form = PortalPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST":
        credentials = {axes_settings.AXES_USERNAME_FORM_FIELD: request.user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return _locked_out(request, credentials)
        if form.is_valid():
            return _changed(request, form, credentials)
        if form.wrong_old_password():
            # Counted exactly as a wrong password at the sign-in page: same record, same limit.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                return _locked_out(request, credentials)
    context = {"form": form, "reason": password_change_reason(request.user)}
    return render(request, "accounts/password_change.html", context)


def _changed(request: HttpRequest, form: PortalPasswordChangeForm, credentials: dict) -> HttpResponse:
    user = form.save(commit=False)
    user.must_change_password = False  # the person's own password now
    user.save()
    update_session_auth_hash(request, user)  # this session stays signed in; others end
    if axes_settings.AXES_RESET_ON_SUCCESS:  # the right password, as a successful sign-in
        AxesProxyHandler.reset_attempts(ip_address=request.axes_ip_address, username=user.get_username())
    security_event_record(kind=Kind.PASSWORD_CHANGED, request=request, object=user.get_username())
    messages.success(request, CHANGED_MESSAGE)
    return redirect("portal:home")


def _locked_out(request: HttpRequest, credentials: dict) -> HttpResponse:
    """Sign the session out: a locked username must not keep a session to guess from (the lock-out
    itself is in the security log: audit.receivers.locked_out)."""
    logout(request)
    return get_lockout_response(request, None, credentials)
