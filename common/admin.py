"""Shared admin pieces. The admin is the bureau's back office: who may enter it is decided here, on the
server, from the portal role, not from Django's per-model permission table (which nobody maintains)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.http import HttpResponseRedirect
from django.urls import reverse

from accounts.permissions import is_bureau, is_portal_bureau, manages_accounts
from common.errors import PortalError


class PortalAdminSite(admin.AdminSite):
    """The bureau's back office. Django's site lets in anyone with is_staff; here the role decides too,
    so a leader or township account ticked is_staff by mistake sees no admin page at all (not even the
    index, password pages or the JavaScript catalogue), only the admin's sign-in page."""

    site_header = "潜江市人力资源和社会保障局 数据门户"
    site_title = "潜江人社数据门户"
    index_title = "数据管理"

    # Who runs the portal (superusers only: accounts, groups, tokens, the sign-in records) comes after
    # the bureau's daily work, whatever its name sorts as.
    ADMINISTRATION_APPS = ("accounts", "auth", "authtoken", "axes")

    def has_permission(self, request) -> bool:
        """Bureau staff for the bureau's records; the system and security administrators for accounts
        (三员分立: every model admin then decides by role, so they see accounts and nothing else)."""
        user = request.user
        return super().has_permission(request) and (is_bureau(user) or manages_accounts(user))

    def get_app_list(self, request, app_label=None) -> list[dict]:
        apps = super().get_app_list(request, app_label)
        return sorted(apps, key=lambda app: app["app_label"] in self.ADMINISTRATION_APPS)

    def autocomplete_view(self, request):
        return PickerAutocomplete.as_view(admin_site=self)(request)

    # One page changes one's own password: the portal's, throttled like the sign-in
    # (accounts.views.password_change). The admin's own would be a second, unthrottled door.
    def password_change(self, request, extra_context=None):
        return HttpResponseRedirect(reverse("password_change"))

    def password_change_done(self, request, extra_context=None):
        return HttpResponseRedirect(reverse("password_change"))


class PickerAutocomplete(AutocompleteJsonView):
    """A picker's choices read as the model says they should in a picker (`picker_label`), when the
    plain name is ambiguous: an indicator stands in every year's set under the same name."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(obj, "picker_label", None)
        if label:
            result["text"] = str(label)
        return result


class BureauOnlyAdminMixin:
    """Only bureau staff (and superusers, who count as bureau) see or change anything, and only those
    of the portal's own unit: the admin's lists are not scoped by unit, so a prefecture's or a
    county's bureau works through the scoped doors (pages, the API, the month sheet) instead. Leaders and
    township users are refused even if someone ticked is_staff for them: the admin site only checks
    is_staff, so the role check must sit on every permission method. Inlines (a competition's awards)
    take it too."""

    def has_module_permission(self, request) -> bool:
        return is_portal_bureau(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_portal_bureau(request.user)

    def has_add_permission(self, request, obj=None) -> bool:  # obj: inlines are asked with it
        return is_portal_bureau(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_portal_bureau(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_portal_bureau(request.user)

    # django-import-export asks these before its import and export views.
    def has_import_permission(self, request) -> bool:
        return is_portal_bureau(request.user)

    def has_export_permission(self, request) -> bool:
        return is_portal_bureau(request.user)


class ReadOnlyAdminMixin:
    """Records nobody types: history and computed figures. Viewing is left to the other mixins.
    It must come first among the bases (before BureauOnlyAdminMixin), or the other's yes wins;
    tests/security/test_door_matrix.py checks every admin that uses it."""

    def has_add_permission(self, request, obj=None) -> bool:  # obj: inlines are asked with it
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RefuseInChineseAdminMixin:
    """A PortalError raised while saving or deleting (a service's rule, or someone else changed the data
    in between) is shown in Chinese instead of a 500; the admin's transaction has rolled back."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except PortalError as exc:
            return self._refuse(request, exc)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except PortalError as exc:
            return self._refuse(request, exc)

    def changelist_view(self, request, extra_context=None):
        try:  # the bulk "delete selected" action runs inside the changelist view
            return super().changelist_view(request, extra_context)
        except PortalError as exc:
            return self._refuse(request, exc)

    def _refuse(self, request, exc: PortalError) -> HttpResponseRedirect:
        self.message_user(request, f"未保存:{exc.message}", messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())


class ServiceWriteAdminMixin(RefuseInChineseAdminMixin):
    """For admins whose saves and deletes go through a service. The form gets the request user, so
    its clean() can run the service's checks for that user."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class FormForUser(form_class):
            def __init__(self, *args, **form_kwargs):
                form_kwargs.setdefault("user", user)
                super().__init__(*args, **form_kwargs)

        FormForUser.__name__ = form_class.__name__
        return FormForUser
