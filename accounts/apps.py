from axes import apps as axes_apps
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default = True  # this module holds a second config (LoginSecurityConfig), named in INSTALLED_APPS
    name = "accounts"
    verbose_name = "用户与权限"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import record_sign_in

        user_logged_in.connect(record_sign_in, dispatch_uid="accounts.record_sign_in")


class LoginSecurityConfig(axes_apps.AppConfig):
    """django-axes (the sign-in lock) under a Chinese name in the admin; its app label stays `axes`, so
    its tables and migrations are django-axes' own."""

    default = False
    verbose_name = "登录安全"
