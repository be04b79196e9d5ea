from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "org_unit", "is_staff", "is_active"]
    list_filter = ["role", "org_unit", "is_staff", "is_active"]
    autocomplete_fields = ["org_unit"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("门户角色", {"fields": ("role", "org_unit", "phone")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("门户角色", {"fields": ("role", "org_unit", "phone")}),
    )
