"""Accounts, roles, sign-in locks and API tokens in the admin, split by 三员分立 (等保2.0 访问控制):

- the system administrator makes accounts, keeps their names and contact details, resets passwords
  (the person must change it at the next sign-in) and disables or deletes accounts;
- the security administrator gives roles, townships and permission groups, unlocks sign-in locks,
  resets second factors, issues API tokens, and reads the sign-in records;
- nobody changes their own role, groups or status, and nobody makes a superuser through the web.

Neither role reaches the bureau's figures or registers (their model admins ask is_bureau). Every change
here is in the security log. The sections are labelled in Chinese (locale/zh_Hans: django-axes ships
no Chinese) and listed after the bureau's own (common.admin.PortalAdminSite.get_app_list)."""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.admin import TokenAdmin as BaseTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from audit.models import Kind
from audit.services import security_event_record
from common.admin import ReadOnlyAdminMixin

from .models import User
from .permissions import is_security_admin, is_system_admin, manages_accounts
from .two_factor import has_second_factor, second_factor_reset


class AccountAdminMixin:
    """Decides by the administrator's role (accounts.permissions), never by Django's permission table.
    `viewers` may see, `writers` may add, change and delete, unless a subclass says more finely."""

    viewers = staticmethod(manages_accounts)
    writers = staticmethod(is_security_admin)

    def has_module_permission(self, request) -> bool:
        return self.viewers(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.viewers(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return self.writers(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.writers(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.writers(request.user)


# Who holds which powers: the security administrator's. Who the person is: the system administrator's.
ROLE_FIELDS = ("role", "org_unit", "is_staff", "groups")
PERSON_FIELDS = ("username", "first_name", "last_name", "email", "phone", "must_change_password")
FACTS = ("last_login", "date_joined", "password_changed_at", "second_factor")


@admin.register(User)
class UserAdmin(AccountAdminMixin, BaseUserAdmin):
    list_display = [
        "username",
        "last_name",
        "first_name",
        "role",
        "org_unit",
        "is_staff",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "org_unit", "is_staff", "is_active"]
    autocomplete_fields = ["org_unit"]
    actions = ["reset_second_factor"]
    # A new account has no role until the security administrator gives it one (fail closed).
    add_fieldsets = (
        (None, {"fields": ("username", "usable_password", "password1", "password2")}),
        ("个人信息", {"fields": ("last_name", "first_name", "email", "phone")}),
    )

    def has_add_permission(self, request, obj=None) -> bool:
        return is_system_admin(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return manages_accounts(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_system_admin(request.user) and (obj is None or obj != request.user)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return (
            (None, {"fields": ("username", "password")}),
            ("个人信息", {"fields": ("last_name", "first_name", "email", "phone")}),
            ("门户角色与权限", {"fields": ROLE_FIELDS}),
            ("状态", {"fields": ("is_active", "must_change_password", *FACTS)}),
        )

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        if obj is None:
            return []
        user = request.user
        editable = set()
        if is_system_admin(user):
            editable |= {*PERSON_FIELDS, "is_active"}
        if is_security_admin(user):
            editable |= {*ROLE_FIELDS, "is_active"}
        if obj == user:  # nobody raises, lowers or disables their own account
            editable -= {*ROLE_FIELDS, "is_active"}
        every = [*PERSON_FIELDS, *ROLE_FIELDS, "is_active", *FACTS]
        return [name for name in every if name not in editable]

    @admin.display(description="双因素认证")
    def second_factor(self, obj) -> str:
        return "已启用" if has_second_factor(obj) else "未启用"

    def user_change_password(self, request, id, form_url=""):
        """Resetting a password is the system administrator's; the person changes it at next sign-in."""
        if not is_system_admin(request.user):
            raise PermissionDenied("只有系统管理员可以重置密码。")
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, unquote(id))
            User.objects.filter(pk=user.pk).update(must_change_password=True)
            security_event_record(kind=Kind.PASSWORD_RESET, request=request, object=user.username)
        return response

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.must_change_password = True  # an initial password is changed at the first sign-in
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)  # groups are saved here: record after
        changed = [name for name in form.changed_data if name not in ("password", "password1", "password2")]
        if not change:
            security_event_record(kind=Kind.ACCOUNT_CREATED, request=request, object=form.instance.username)
        elif changed:
            kind = Kind.ROLE_CHANGED if set(changed) & {*ROLE_FIELDS, "is_active"} else Kind.ACCOUNT_CHANGED
            detail = ";".join(_field_change(form, name) for name in changed)
            security_event_record(kind=kind, request=request, object=form.instance.username, detail=detail)

    def delete_model(self, request, obj) -> None:
        username = obj.username
        super().delete_model(request, obj)
        security_event_record(kind=Kind.ACCOUNT_DELETED, request=request, object=username)

    def delete_queryset(self, request, queryset) -> None:
        names = list(queryset.exclude(pk=request.user.pk).values_list("username", flat=True))
        queryset.exclude(pk=request.user.pk).delete()
        for name in names:
            security_event_record(kind=Kind.ACCOUNT_DELETED, request=request, object=name)

    @admin.action(description="重置所选账号的双因素认证(下次登录重新启用)")
    def reset_second_factor(self, request, queryset) -> None:
        if not is_security_admin(request.user):
            raise PermissionDenied("只有安全管理员可以重置双因素认证。")
        for user in queryset:
            if second_factor_reset(user):
                security_event_record(kind=Kind.OTP_RESET, request=request, object=user.username)
        self.message_user(request, f"已重置{queryset.count()}个账号的双因素认证。", messages.SUCCESS)


def _field_change(form, name: str) -> str:
    """角色: 局业务科室 → 安全管理员, as people read it (choices by label, groups by name)."""
    field = form.fields[name]
    return f"{field.label}: {_shown(field, form.initial.get(name))} → {_shown(field, form.cleaned_data.get(name))}"


def _shown(field, value) -> str:
    if value is None or value == "":
        return "(空)"
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return "、".join(str(v) for v in value) or "(无)"
    choices = dict(getattr(field, "choices", None) or [])
    return str(choices.get(value, value))


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AccountAdminMixin, BaseGroupAdmin):
    """Permission groups: the security administrator's."""

    viewers = staticmethod(is_security_admin)

    def log_addition(self, request, obj, message):
        security_event_record(kind=Kind.ROLE_CHANGED, request=request, object=f"权限组:{obj}", detail="新建")
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        security_event_record(kind=Kind.ROLE_CHANGED, request=request, object=f"权限组:{obj}", detail="修改")
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for group in queryset:
            security_event_record(
                kind=Kind.ROLE_CHANGED, request=request, object=f"权限组:{group}", detail="删除"
            )
        return super().log_deletions(request, queryset)


admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class TokenAdmin(AccountAdminMixin, BaseTokenAdmin):
    """API tokens for programs: the security administrator issues one for an account; the program acts
    as that account with exactly its role and scope."""

    viewers = staticmethod(is_security_admin)

    def log_addition(self, request, obj, message):
        security_event_record(
            kind=Kind.ROLE_CHANGED, request=request, object=f"接口令牌:{obj.user}", detail="签发"
        )
        return super().log_addition(request, obj, message)

    def log_deletions(self, request, queryset):
        for token in queryset:
            security_event_record(
                kind=Kind.ROLE_CHANGED, request=request, object=f"接口令牌:{token.user}", detail="吊销"
            )
        return super().log_deletions(request, queryset)


# The devices are managed through the reset action above, never edited (the admin would show secrets).
for device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device):
        admin.site.unregister(device)


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginLockAdmin(AccountAdminMixin, AccessAttemptAdmin):
    """Wrong-password attempts per username and address (django-axes); removing the record unlocks.
    The security administrator's (lock-outs)."""

    viewers = staticmethod(is_security_admin)
    actions = ["unlock"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="解除所选账号的登录锁定", permissions=["delete"])
    def unlock(self, request, queryset) -> None:
        count = queryset.count()
        self.delete_queryset(request, queryset)
        self.message_user(request, f"已解除{count}条登录锁定。", messages.SUCCESS)

    def delete_model(self, request, obj) -> None:
        self.delete_queryset(request, AccessAttempt.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset) -> None:
        pairs = list(queryset.values_list("username", "ip_address"))
        self.log_deletions(request, queryset)  # the admin's own log too
        queryset.delete()
        for username, address in pairs:
            security_event_record(
                kind=Kind.UNLOCKED, request=request, object=f"{username} @ {address}", detail="解除登录锁定"
            )


admin.site.unregister(AccessLog)
admin.site.unregister(AccessFailureLog)


@admin.register(AccessLog)
class LoginLogAdmin(ReadOnlyAdminMixin, AccountAdminMixin, AccessLogAdmin):
    """Every sign-in and sign-out (django-axes' own record; the security log has them too)."""

    viewers = staticmethod(is_security_admin)


@admin.register(AccessFailureLog)
class LoginFailureLogAdmin(ReadOnlyAdminMixin, AccountAdminMixin, AccessFailureLogAdmin):
    """Every wrong password."""

    viewers = staticmethod(is_security_admin)
