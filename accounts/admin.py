"""Accounts, sign-in locks and API tokens in the admin. Each admin here states who may use it: only
superusers, who run the portal's security (they hand out powers, and the records of sign-ins and
lock-outs are theirs, not the bureau's daily work: issue 22 point 9). A lock ends by itself after
AXES_COOLOFF_HOURS; a superuser may lift it sooner. The sections are labelled in Chinese
(locale/zh_Hans: django-axes ships no Chinese) and listed after the bureau's own
(common.admin.PortalAdminSite.get_app_list)."""

from __future__ import annotations

import logging

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from rest_framework.authtoken.admin import TokenAdmin as BaseTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from common.admin import ReadOnlyAdminMixin

from .models import User

log = logging.getLogger(__name__)


class SuperuserOnlyAdminMixin:
    """Who may hold which powers is decided by superusers alone."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(User)
class UserAdmin(SuperuserOnlyAdminMixin, BaseUserAdmin):
    list_display = [
        "username",
        "last_name",
        "first_name",
        "role",
        "org_unit",
        "email",
        "is_staff",
        "is_active",
    ]
    list_filter = ["role", "org_unit", "is_staff", "is_active"]
    autocomplete_fields = ["org_unit"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("门户角色", {"fields": ("role", "org_unit", "phone")}),
    )
    # The email address is where notices (催报, returns, approvals) are sent besides the portal's inbox.
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("门户角色", {"fields": ("role", "org_unit", "phone", "email")}),
    )


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(SuperuserOnlyAdminMixin, BaseGroupAdmin):
    pass


admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class TokenAdmin(SuperuserOnlyAdminMixin, BaseTokenAdmin):
    """API tokens for programs: a superuser issues one for an account; the program acts as that account
    with exactly its role and scope."""


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginLockAdmin(SuperuserOnlyAdminMixin, AccessAttemptAdmin):
    """Wrong-password attempts per username and address (django-axes). Removing the record unlocks.
    Written by sign-ins only: nobody adds or edits one."""

    actions = ["unlock"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="解除所选账号的登录锁定", permissions=["delete"])
    def unlock(self, request, queryset) -> None:
        pairs = list(queryset.values_list("username", "ip_address"))
        self.log_deletions(request, queryset)  # the admin's own log: who unlocked whom, when
        queryset.delete()
        for username, address in pairs:
            log.warning(
                "login lock removed by %s: username=%s ip=%s", request.user.username, username, address
            )
        self.message_user(request, f"已解除{len(pairs)}条登录锁定。", messages.SUCCESS)


admin.site.unregister(AccessLog)
admin.site.unregister(AccessFailureLog)


@admin.register(AccessLog)
class LoginLogAdmin(ReadOnlyAdminMixin, SuperuserOnlyAdminMixin, AccessLogAdmin):
    """Every sign-in and sign-out: kept, never edited."""


@admin.register(AccessFailureLog)
class LoginFailureLogAdmin(ReadOnlyAdminMixin, SuperuserOnlyAdminMixin, AccessFailureLogAdmin):
    """Every wrong password: kept, never edited."""
