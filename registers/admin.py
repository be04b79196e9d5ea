"""The admin every register shares: bureau staff only; spreadsheet import and export; every save and
delete recounts the indicator values the register feeds, in the same transaction, and a figure rule
broken by the recount is shown in Chinese with nothing saved. The list page says which indicators
the register produces."""

from __future__ import annotations

from import_export.admin import ImportExportModelAdmin

from common.admin import BureauOnlyAdminMixin, RefuseInChineseAdminMixin
from common.export_formats import SAFE_FORMATS
from indicators.feeds import feed_batch, feeds_of
from indicators.models import Indicator


class RegisterAdmin(RefuseInChineseAdminMixin, BureauOnlyAdminMixin, ImportExportModelAdmin):
    formats = SAFE_FORMATS
    # import-export stacks this on its own change list (which extends Django's): the register's notice
    # above the import and export buttons.
    import_export_change_list_template = "admin/registers/change_list.html"
    list_select_related = ["org_unit"]
    readonly_fields = ["updated_by", "updated_at"]
    autocomplete_fields = ["org_unit"]

    def save_model(self, request, obj, form, change) -> None:
        obj.updated_by = request.user
        obj._changed_by = request.user
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj) -> None:
        obj._changed_by = request.user
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        # One by one, so each record's months are known; counted once at the end of the batch.
        with feed_batch(user=request.user):
            for obj in queryset:
                obj._changed_by = request.user
                obj.delete()

    def changelist_view(self, request, extra_context=None):
        codes = [code for f in feeds_of(self.model) for code in f.values]
        fed = Indicator.objects.filter(code__in=codes).order_by("sort_order")
        extra = {"fed_indicators": fed, "fed_register": feeds_of(self.model)[0].register if codes else ""}
        return super().changelist_view(request, {**extra, **(extra_context or {})})
