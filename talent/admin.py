"""Back office for the talent registers (bureau staff only, spreadsheet import and export)."""

from __future__ import annotations

from django.contrib import admin

from accounts.permissions import is_bureau
from registers.admin import RegisterAdmin

from . import resources as r
from .models import (
    CampusRecruitment,
    CertificationBody,
    CompetitionAward,
    RecruitmentPlan,
    SkillCertificate,
    SkillCompetition,
)

AUDIT = RegisterAdmin.readonly_fields


@admin.register(RecruitmentPlan)
class RecruitmentPlanAdmin(RegisterAdmin):
    resource_classes = [r.RecruitmentPlanResource]
    list_display = ["year", "employer", "org_unit", "posts", "applicants", "hired"]
    list_filter = ["year"]
    search_fields = ["employer"]
    fields = ["org_unit", "year", "employer", "posts", "applicants", "hired", "remark", *AUDIT]


@admin.register(CampusRecruitment)
class CampusRecruitmentAdmin(RegisterAdmin):
    resource_classes = [r.CampusRecruitmentResource]
    list_display = ["held_on", "university", "applicants", "signed", "masters"]
    date_hierarchy = "held_on"
    search_fields = ["university"]
    fields = ["org_unit", "university", "held_on", "applicants", "signed", "masters", "remark", *AUDIT]


@admin.register(CertificationBody)
class CertificationBodyAdmin(RegisterAdmin):
    resource_classes = [r.CertificationBodyResource]
    list_display = ["name", "kind", "recognised_on"]
    list_filter = ["kind"]
    search_fields = ["name"]
    fields = ["name", "kind", "recognised_on", "remark", *AUDIT]


@admin.register(SkillCertificate)
class SkillCertificateAdmin(RegisterAdmin):
    resource_classes = [r.SkillCertificateResource]
    list_display = ["number", "holder_name", "org_unit", "issued_on", "occupation", "level", "body"]
    list_select_related = ["org_unit", "body"]
    list_filter = ["level", "body"]
    date_hierarchy = "issued_on"
    search_fields = ["number", "holder_name", "occupation"]
    autocomplete_fields = ["org_unit", "body"]
    fields = [
        "number",
        "holder_name",
        "org_unit",
        "issued_on",
        "occupation",
        "level",
        "body",
        "remark",
        *AUDIT,
    ]


class AwardInline(admin.TabularInline):
    model = CompetitionAward
    fields = ["winner", "prize", "remark"]
    extra = 0

    # The admin's permissions come from the portal role (BureauOnlyAdminMixin on the parent), not
    # from Django's permission table, which nobody maintains.
    def has_view_permission(self, request, obj=None) -> bool:
        return is_bureau(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return is_bureau(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_bureau(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_bureau(request.user)


@admin.register(SkillCompetition)
class SkillCompetitionAdmin(RegisterAdmin):
    resource_classes = [r.SkillCompetitionResource]
    list_display = ["name", "level", "held_on", "hosted", "contestants"]
    list_filter = ["level", "hosted"]
    search_fields = ["name"]
    fields = ["name", "level", "held_on", "hosted", "contestants", "regions", "remark", *AUDIT]
    inlines = [AwardInline]


@admin.register(CompetitionAward)
class CompetitionAwardAdmin(RegisterAdmin):
    resource_classes = [r.CompetitionAwardResource]
    list_display = ["winner", "prize", "competition"]
    list_select_related = ["competition"]
    list_filter = ["prize"]
    search_fields = ["winner", "competition__name"]
    fields = ["competition", "winner", "prize", "remark", *AUDIT]
