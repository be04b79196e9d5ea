"""Fail closed for accounts nobody has given a role: signed in, they reach nothing but a page that says
so (and sign-out), on every URL, page or API. The rules in accounts.permissions refuse them too; this
makes the refusal one clear Chinese page instead of a different error at every door."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from common.views import wants_json

from .passwords import password_change_due
from .permissions import ADMIN_LANDING, admin_door_allows, admin_role, has_portal_role
from .two_factor import has_second_factor, two_factor_required

NO_ROLE_MESSAGE = (
    "您的账号尚未分配角色(或区镇街道账号未指定所属区镇街道),暂时不能使用门户。请联系系统管理员开通权限。"
)


def _error_body(message: str) -> dict:
    """The API's one error shape (common.api)."""
    return {"error": {"message": message, "problems": [{"message": message}]}}


ADMIN_ROLE_MESSAGE = (
    "管理员账号(系统管理员、安全管理员、审计管理员)只用于管理系统,不能查看或修改业务数据。"
    "请使用业务账号办理业务。"
)


class RoleRequiredMiddleware:
    """Business pages for business roles; each administrator (三员分立) reaches only the part of the
    system that is theirs (accounts.permissions.ADMIN_DOORS), whatever else the URL is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if not signed_in or _always_open(request.path) or has_portal_role(user):
            return self.get_response(request)
        role = admin_role(user)
        if not role:
            return _refuse(request, NO_ROLE_MESSAGE, "accounts/no_role.html")
        if request.path == "/":
            return redirect(ADMIN_LANDING[role])
        # An administrator's own account pages (password, second factor) and the part that is theirs.
        if not (request.path.startswith("/accounts/") or admin_door_allows(role, request.path)):
            return _refuse(request, ADMIN_ROLE_MESSAGE, "accounts/no_role.html")
        return self.get_response(request)


def _always_open(path: str) -> bool:
    """Signing in and out, and the static files the refusal page itself needs."""
    return path in (reverse("login"), reverse("logout")) or path.startswith("/static/")


def _refuse(request, message: str, template: str):
    if wants_json(request):
        return JsonResponse(_error_body(message), status=403)
    return render(request, template, {"message": message}, status=403)


class SecondFactorMiddleware:
    """Where the second factor is required (accounts.two_factor.two_factor_required), a session that
    has not passed it reaches only the enrolment or verification page and sign-out: a password alone
    opens nothing. Programs with an API token are not sessions and are not asked (their tokens are
    issued by the security administrator)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not _factor_pages(request.path)
            # Required of the role, or chosen by the person (an enrolled account is always asked; one
            # indexed query, and none where the second factor is off: the tests' settings).
            and (
                two_factor_required(user)
                or (settings.TWO_FACTOR_REQUIRED_FOR != "none" and has_second_factor(user))
            )
        ):
            enrolled = has_second_factor(user)
            if wants_json(request) or request.headers.get("X-Portal-Poll") == "1":
                message = "请先完成双因素认证。" if enrolled else "请先启用双因素认证。"
                return JsonResponse(_error_body(message), status=401)
            page = "two_factor_verify" if enrolled else "two_factor_enrol"
            return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _factor_pages(path: str) -> bool:
    return path.startswith(("/accounts/two-factor/", "/static/")) or path in (
        reverse("logout"),
        reverse("admin:logout"),
    )


class PasswordPolicyMiddleware:
    """A password someone else set (must_change_password) or one older than PASSWORD_MAX_AGE_DAYS is
    changed before the account reaches anything but the password page, its second factor and sign-out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and password_change_due(user)
            and not _factor_pages(request.path)
            and request.path != reverse("password_change")
        ):
            if wants_json(request) or request.headers.get("X-Portal-Poll") == "1":
                return JsonResponse(_error_body("请先修改密码。"), status=403)
            return redirect("password_change")
        return self.get_response(request)


SIGNED_IN_KEY = "_portal_signed_in_at"


def record_sign_in(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: when this session was signed in, for SessionMaxAgeMiddleware. Django's
    own expiry cannot hold the limit: every save of the session (activity) moves it on."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_KEY] = int(time.time())


class SessionMaxAgeMiddleware:
    """Ends a session DJANGO_SESSION_MAX_HOURS after its sign-in, however active it was: a shared office
    PC must not stay signed in for days by being used every few hours. A session without a recorded
    sign-in (made before the time was recorded) has no known age, so it ends too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and self._too_old(request):
            logout(request)
            limit = settings.SESSION_MAX_HOURS
            return _signed_out(
                request, f"每次登录最长可使用{limit:g}小时,已到期,为保护数据已自动退出,请重新登录。"
            )
        return self.get_response(request)

    @staticmethod
    def _too_old(request) -> bool:
        signed_in = request.session.get(SIGNED_IN_KEY)
        return signed_in is None or int(time.time()) - int(signed_in) > settings.SESSION_MAX_HOURS * 3600


class IdleTimeoutMiddleware:
    """Signs a person out after SESSION_IDLE_MINUTES without activity. Activity is a request the person
    made; a page's own polling (header X-Portal-Poll) and the reload it triggers (?auto=1) are not, so a
    cockpit left open on a shared PC still signs out. The time is written at most once a minute, not on
    every request."""

    SESSION_KEY = "_portal_last_activity"
    WRITE_EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            refused = self._check(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _check(self, request):
        now = int(time.time())
        last = request.session.get(self.SESSION_KEY)
        idle = settings.SESSION_IDLE_MINUTES * 60
        if last is not None and now - int(last) > idle:
            logout(request)
            hours = settings.SESSION_IDLE_MINUTES / 60
            return _signed_out(request, f"您已超过{hours:g}小时没有操作,为保护数据已自动退出,请重新登录。")
        passive = request.headers.get("X-Portal-Poll") == "1" or request.GET.get("auto") == "1"
        if last is None or (not passive and now - int(last) >= self.WRITE_EVERY_SECONDS):
            request.session[self.SESSION_KEY] = now
        return None


def _signed_out(request, message: str):
    """The API and the pages' polling get 401 in the API's shape; a page goes to the sign-in page,
    which shows why."""
    if wants_json(request) or request.headers.get("X-Portal-Poll") == "1":
        return JsonResponse(_error_body(message), status=401)
    messages.info(request, message)
    return redirect_to_login(request.get_full_path())
