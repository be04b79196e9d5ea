from django.contrib import admin

from common.admin import BureauOnlyAdminMixin

from .models import OrgUnit
from .services import org_unit_save


@admin.register(OrgUnit)
class OrgUnitAdmin(BureauOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "parent", "sort_order", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]

    def save_model(self, request, obj, form, change):
        org_unit_save(unit=obj)
