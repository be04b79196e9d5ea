"""The second factor's pages: enrolment (QR code, then a code from the app, then the recovery codes,
shown once), verification at each sign-in (a code from the app or a recovery code), new recovery
codes. A wrong code counts towards the sign-in lock like a wrong password (django-axes), on top of
django-otp's own exponential wait; at the lock the session is signed out."""

from __future__ import annotations

import qrcode
from axes.conf import settings as axes_settings
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathImage

from audit.models import Kind, Outcome
from audit.services import security_event_record

from .two_factor import (
    has_second_factor,
    normalise_code,
    pending_app_device,
    recovery_codes_renew,
    secret_text,
)
from .views import in_chinese


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure())
    return wanted if safe and wanted else resolve_url(settings.LOGIN_REDIRECT_URL)


def _qr_svg(data: str) -> str:
    """Inline SVG with one path (qrcode's SvgPathImage): django_otp.qr's SvgImage writes svg:rect
    elements with a namespace prefix, which an HTML page does not draw."""
    image = qrcode.make(data, image_factory=SvgPathImage, box_size=8)
    return mark_safe(image.to_string(encoding="unicode"))  # made here from the device's own URL


@sensitive_post_parameters()
@never_cache
@login_required
@in_chinese
def enrol(request: HttpRequest) -> HttpResponse:
    if has_second_factor(request.user):
        return redirect("two_factor")
    device = pending_app_device(request.user)
    context = {"qr": _qr_svg(device.config_url), "secret": secret_text(device), "next": _next(request)}
    if request.method == "POST":
        code = normalise_code(request.POST.get("code", ""))
        if verify_token(request.user, device.persistent_id, code) is not None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
            otp_login(request, device)
            request.session.cycle_key()  # a new session id for the session that now has two factors
            security_event_record(kind=Kind.OTP_ENROLLED, request=request, object=device.name)
            codes = recovery_codes_renew(request.user)
            return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": _next(request)})
        security_event_record(
            kind=Kind.OTP_FAILED, request=request, outcome=Outcome.FAILURE, detail="启用时验证码错误"
        )
        context["error"] = "验证码不正确,请核对手机上显示的6位数字(注意手机时间要准确)后重新输入。"
    return render(
        request, "accounts/two_factor_enrol.html", context, status=400 if "error" in context else 200
    )


@sensitive_post_parameters()
@never_cache
@login_required
@in_chinese
def verify(request: HttpRequest) -> HttpResponse:
    if not has_second_factor(request.user):
        return redirect("two_factor_enrol")
    if request.user.is_verified():
        return redirect(_next(request))
    context = {"next": _next(request)}
    if request.method == "POST":
        credentials = {axes_settings.AXES_USERNAME_FORM_FIELD: request.user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return _locked_out(request, credentials)
        device = _matching_device(request, normalise_code(request.POST.get("code", "")))
        if device is not None:
            return _verified(request, device)
        # Counted exactly as a wrong password at the sign-in page (the audit receiver records it).
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            return _locked_out(request, credentials)
        context["error"] = "验证码不正确或已使用过,请输入身份验证器上当前显示的6位数字,或一个未用过的恢复码。"
    return render(
        request, "accounts/two_factor_verify.html", context, status=400 if "error" in context else 200
    )


def _matching_device(request: HttpRequest, code: str):
    """The authenticator for six digits, a recovery code otherwise; each device verified in its own
    row lock (django_otp.verify_token), so one code cannot pass twice at once."""
    user = request.user
    if code.isdigit() and len(code) == 6:
        candidates = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        candidates = StaticDevice.objects.filter(user=user, confirmed=True)
    for device in candidates:
        found = verify_token(user, device.persistent_id, code)
        if found is not None:
            return found
    return None


def _verified(request: HttpRequest, device) -> HttpResponse:
    otp_login(request, device)
    request.session.cycle_key()
    if isinstance(device, StaticDevice):
        left = device.token_set.count()
        security_event_record(
            kind=Kind.RECOVERY_CODE_USED, request=request, object=device.name, detail=f"剩余{left}个恢复码。"
        )
    else:
        security_event_record(kind=Kind.OTP_VERIFIED, request=request, object=device.name)
    if axes_settings.AXES_RESET_ON_SUCCESS:
        AxesProxyHandler.reset_attempts(
            ip_address=request.axes_ip_address, username=request.user.get_username()
        )
    return redirect(_next(request))


def _locked_out(request: HttpRequest, credentials: dict) -> HttpResponse:
    logout(request)
    return get_lockout_response(request, None, credentials)


@never_cache
@login_required
@in_chinese
def status(request: HttpRequest) -> HttpResponse:
    recovery = StaticDevice.objects.filter(user=request.user).first()
    context = {
        "enrolled": has_second_factor(request.user),
        "codes_left": recovery.token_set.count() if recovery else 0,
    }
    return render(request, "accounts/two_factor.html", context)


@never_cache
@login_required
@require_POST
@in_chinese
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, only from a session that has passed the second factor."""
    if not (has_second_factor(request.user) and request.user.is_verified()):
        return redirect("two_factor")
    codes = recovery_codes_renew(request.user)
    security_event_record(
        kind=Kind.RECOVERY_CODES_RENEWED, request=request, detail=f"新生成{len(codes)}个恢复码。"
    )
    return render(
        request, "accounts/two_factor_codes.html", {"codes": codes, "next": resolve_url("two_factor")}
    )
