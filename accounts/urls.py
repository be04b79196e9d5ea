"""Signing in and out, one's own password and second factor. No self-service password reset: accounts
are handed out by the system administrator, who also resets them."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import two_factor_views, views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", views.password_change, name="password_change"),
    path("two-factor/", two_factor_views.status, name="two_factor"),
    path("two-factor/enrol/", two_factor_views.enrol, name="two_factor_enrol"),
    path("two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
    path("two-factor/recovery-codes/", two_factor_views.recovery_codes, name="two_factor_recovery_codes"),
]
