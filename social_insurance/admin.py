"""Back office for the social insurance registers and the unemployment-insurance rates."""

from __future__ import annotations

from django.contrib import admin

from registers.admin import RegisterAdmin

from .models import CardIssuance, InsuredCount, UnemploymentInsuranceRate
from .resources import CardIssuanceResource, InsuredCountResource, UnemploymentRateResource


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
class UnemploymentInsuranceRateAdmin(RegisterAdmin):
    resource_classes = [UnemploymentRateResource]
    list_display = [
        "valid_from",
        "valid_to",
        "employer_rate",
        "individual_rate",
        "total_rate",
        "policy_document",
    ]

    @admin.display(description="合计费率(%)")
    def total_rate(self, obj: UnemploymentInsuranceRate):
        return obj.total_rate
