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

REGISTER_CHANGE_LIST = "admin/registers/change_list.html"


class LaborRegisterAdmin(RegisterAdmin):
    """Works around two faults of the shared RegisterAdmin as committed (registers/admin.py, 4b15b70),
    and steps aside once they are fixed there:
    - it sets change_list_template, which import-export takes as the base its own template extends,
      while admin/registers/change_list.html extends import-export's template: the page extends
      itself (TemplateDoesNotExist). Stack them as meant: the register's notice on import-export's
      buttons on Django's change list.
    - its get_import_data_kwargs passes `request` positionally to import-export's, which takes
      keywords only (TypeError on every admin import). import-export already gives import_data
      user=request.user, which RegisterResource reads, so nothing needs adding."""

    def init_change_list_template(self) -> None:
        if getattr(RegisterAdmin, "change_list_template", None) != REGISTER_CHANGE_LIST:
            super().init_change_list_template()  # fixed upstream: it stacks the templates itself
            return
        self.ie_base_change_list_template = "admin/change_list.html"
        self.change_list_template = REGISTER_CHANGE_LIST

    def get_import_data_kwargs(self, **kwargs) -> dict:
        return super(RegisterAdmin, self).get_import_data_kwargs(**kwargs)


@admin.register(DisputeCase)
class DisputeCaseAdmin(LaborRegisterAdmin):
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
class WageArrearsCaseAdmin(LaborRegisterAdmin):
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
class CreditRatingAdmin(LaborRegisterAdmin):
    resource_classes = [CreditRatingResource]
    list_display = ["employer", "credit_code", "org_unit", "year", "grade"]
    list_filter = ["year", "grade"]
    search_fields = ["employer", "credit_code"]


@admin.register(BlacklistEntry)
class BlacklistEntryAdmin(LaborRegisterAdmin):
    resource_classes = [BlacklistEntryResource]
    list_display = ["employer", "credit_code", "org_unit", "listed_on", "removed_on", "reason"]
    list_filter = ["listed_on", "removed_on"]
    search_fields = ["employer", "credit_code"]
