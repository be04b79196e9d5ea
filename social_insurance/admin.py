"""Back office for the social insurance registers and the unemployment-insurance rates."""

from __future__ import annotations

from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from common.admin import BureauOnlyAdminMixin, RefuseInChineseAdminMixin
from common.export_formats import SAFE_FORMATS
from registers.admin import RegisterAdmin

from .models import CardIssuance, InsuredCount, UnemploymentInsuranceRate
from .resources import CardIssuanceResource, InsuredCountResource, UnemploymentRateResource

# Named, not read from RegisterAdmin: registers/admin.py is being reworked to set it differently.


@admin.register(InsuredCount)
class InsuredCountAdmin(RegisterAdmin):
    resource_classes = [InsuredCountResource]
    list_display = ["org_unit", "year", "month", "insurance_type", "insured", "updated_at"]
    list_filter = ["year", "insurance_type"]
    search_fields = ["org_unit__name", "org_unit__code"]
    fields = [
        "org_unit",
        "year",
        "month",
        "insurance_type",
        "insured",
        "remark",
        *RegisterAdmin.readonly_fields,
    ]


@admin.register(CardIssuance)
class CardIssuanceAdmin(RegisterAdmin):
    resource_classes = [CardIssuanceResource]
    list_display = ["org_unit", "year", "month", "physical_cards", "ecards_signed", "remark"]
    list_filter = ["year"]
    search_fields = ["org_unit__name", "org_unit__code", "remark"]
    fields = [
        "org_unit",
        "year",
        "month",
        "physical_cards",
        "ecards_signed",
        "remark",
        *RegisterAdmin.readonly_fields,
    ]


@admin.register(UnemploymentInsuranceRate)
class UnemploymentInsuranceRateAdmin(RefuseInChineseAdminMixin, BureauOnlyAdminMixin, ImportExportModelAdmin):
    resource_classes = [UnemploymentRateResource]
    formats = SAFE_FORMATS
    list_display = [
        "valid_from",
        "valid_to",
        "employer_rate",
        "individual_rate",
        "total_rate",
        "policy_document",
    ]
    readonly_fields = ["updated_by", "updated_at"]

    @admin.display(description="合计费率(%)")
    def total_rate(self, obj: UnemploymentInsuranceRate):
        return obj.total_rate

    def save_model(self, request, obj, form, change) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def get_import_data_kwargs(self, **kwargs):
        kwargs.pop("form", None)  # import-export passes user=request.user to import_data itself
        return kwargs
