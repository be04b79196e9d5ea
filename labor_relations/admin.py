"""The bureau's back office for the labour-relations registers (劳动关系科, 劳动监察大队, 仲裁院).
Rules live on the models; the shared RegisterAdmin recounts the indicators each save feeds."""

from django.contrib import admin

from registers.admin import RegisterAdmin

from .models import BlacklistEntry, CreditRating, DisputeCase, WageArrearsCase
from .resources import (
    BlacklistEntryResource,
    CreditRatingResource,
    DisputeCaseResource,
    WageArrearsCaseResource,
)


@admin.register(DisputeCase)
class DisputeCaseAdmin(RegisterAdmin):
    resource_classes = [DisputeCaseResource]
    list_display = [
        "case_number",
        "applicant",
        "respondent",
        "org_unit",
        "received_on",
        "stage",
        "deadline_on",
        "closed_on",
        "closed_how",
        "final_award",
        "amount",
    ]
    list_filter = ["stage", "closed_how", "final_award", "deadline_extended", "received_on"]
    search_fields = ["case_number", "applicant", "respondent"]
    date_hierarchy = "received_on"
    fieldsets = [
        (None, {"fields": ["case_number", "org_unit", "applicant", "respondent", "amount"]}),
        ("受理与审限", {"fields": ["received_on", "stage", "deadline_extended", "deadline_on"]}),
        ("结案", {"fields": ["closed_on", "closed_how", "final_award"]}),
        (None, {"fields": ["remark", "updated_by", "updated_at"]}),
    ]


@admin.register(WageArrearsCase)
class WageArrearsCaseAdmin(RegisterAdmin):
    resource_classes = [WageArrearsCaseResource]
    list_display = [
        "case_number",
        "employer",
        "org_unit",
        "source",
        "opened_on",
        "closed_on",
        "workers",
        "amount_recovered",
        "referred_to_police",
        "court_enforcement",
    ]
    list_filter = ["source", "referred_to_police", "court_enforcement", "opened_on"]
    search_fields = ["case_number", "employer"]
    date_hierarchy = "opened_on"


@admin.register(CreditRating)
class CreditRatingAdmin(RegisterAdmin):
    resource_classes = [CreditRatingResource]
    list_display = ["employer", "credit_code", "org_unit", "year", "grade"]
    list_filter = ["year", "grade"]
    search_fields = ["employer", "credit_code"]


@admin.register(BlacklistEntry)
class BlacklistEntryAdmin(RegisterAdmin):
    resource_classes = [BlacklistEntryResource]
    list_display = ["employer", "credit_code", "org_unit", "listed_on", "removed_on", "reason"]
    list_filter = ["listed_on", "removed_on"]
    search_fields = ["employer", "credit_code"]
