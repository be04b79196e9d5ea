"""Django's model backend with the portal's two refusals. `user_can_authenticate` is asked after the
password has been checked and again for every request of an existing session (`get_user`), so a
refused account neither signs in nor keeps a session made before the setting changed."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


def sign_in_refusal(user) -> str:
    """Why this account may not sign in through the web here, or "" if it may."""
    if user.is_superuser and not settings.SUPERUSER_WEB_SIGN_IN:
        return "超级管理员账号不能在网页登录,仅供在服务器上执行管理命令时使用。"
    if getattr(user, "is_demo", False) and not settings.DEMO_ACCOUNTS_ALLOWED:
        return "演示账号只能在本地演示环境中使用。"
    return ""


class PortalModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and username and password:
            self._record_refusal(request, username, password)
        return user

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not sign_in_refusal(user)

    @staticmethod
    def _record_refusal(request, username: str, password: str) -> None:
        """The right password of an account refused here: say so in the security log (the sign-in
        itself fails as any other, without telling the person why)."""
        from audit.models import Kind, Outcome
        from audit.services import security_event_record

        from .models import User

        user = User._default_manager.filter(username=username).first()
        if user is None or not sign_in_refusal(user) or not user.check_password(password):
            return
        security_event_record(
            kind=Kind.SIGN_IN_REFUSED,
            request=request,
            user=user,
            outcome=Outcome.FAILURE,
            detail=sign_in_refusal(user),
        )
