"""Back office for the talent registers (bureau staff only, spreadsheet import and export), each as
its declaration on the model says (registers.admin.RegisterAdmin); a competition's awards are edited
on its page too."""

from __future__ import annotations

from django.contrib import admin

from common.admin import BureauOnlyAdminMixin
from registers.admin import RegisterAdmin, admin_register_all

from .models import CompetitionAward, SkillCompetition


class AwardInline(BureauOnlyAdminMixin, admin.TabularInline):
    model = CompetitionAward
    fields = ["winner", "prize", "remark"]
    extra = 0


@admin.register(SkillCompetition)
class SkillCompetitionAdmin(RegisterAdmin):
    inlines = [AwardInline]


admin_register_all("talent")
