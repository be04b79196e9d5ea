"""Spreadsheet import and export with Chinese column names, all or nothing (RegisterResource). Rows
without a 系统编号 are new records, so a certificate number already registered is refused, never
silently overwritten; an exported file keeps its 系统编号 and updates those records (files exported
before, whose column is 记录ID, too)."""

from __future__ import annotations

from registers.resources import RegisterResource, column, id_field, org_unit_field, remark_field
from registers.widgets import ChoiceWidget, DayWidget, LookupWidget, WholeNumberWidget, YesNoWidget

from .models import (
    CampusRecruitment,
    CertificationBody,
    CompetitionAward,
    RecruitmentPlan,
    SkillCertificate,
    SkillCompetition,
    SkillLevel,
)


class RecruitmentPlanResource(RegisterResource):
    id = id_field()
    org_unit = org_unit_field()
    year = column("year", "年度", WholeNumberWidget)
    employer = column("employer", "招聘单位")
    posts = column("posts", "计划招聘岗位数", WholeNumberWidget)
    applicants = column("applicants", "报名人数", WholeNumberWidget)
    hired = column("hired", "聘用人数", WholeNumberWidget)
    remark = remark_field()

    class Meta(RegisterResource.Meta):
        model = RecruitmentPlan
        fields = ["id", "org_unit", "year", "employer", "posts", "applicants", "hired", "remark"]


class CampusRecruitmentResource(RegisterResource):
    id = id_field()
    org_unit = org_unit_field()
    university = column("university", "高校")
    held_on = column("held_on", "举办日期", DayWidget)
    applicants = column("applicants", "投递简历人数", WholeNumberWidget)
    signed = column("signed", "签约人数", WholeNumberWidget)
    masters = column("masters", "其中:硕士及以上", WholeNumberWidget)
    remark = remark_field()

    class Meta(RegisterResource.Meta):
        model = CampusRecruitment
        fields = ["id", "org_unit", "university", "held_on", "applicants", "signed", "masters", "remark"]


class CertificationBodyResource(RegisterResource):
    id = id_field()
    name = column("name", "机构名称")
    kind = column("kind", "机构类别", ChoiceWidget, CertificationBody.Kind)
    recognised_on = column("recognised_on", "备案(认定)日期", DayWidget)
    remark = remark_field()

    class Meta(RegisterResource.Meta):
        model = CertificationBody
        fields = ["id", "name", "kind", "recognised_on", "remark"]


class SkillCertificateResource(RegisterResource):
    id = id_field()
    number = column("number", "证书编号")
    holder_name = column("holder_name", "持证人姓名")
    org_unit = org_unit_field()
    issued_on = column("issued_on", "发证日期", DayWidget)
    occupation = column("occupation", "职业(工种)")
    level = column("level", "等级", ChoiceWidget, SkillLevel)
    body = column("body", "评价机构", LookupWidget, CertificationBody, field="name", missing="请先登记。")
    remark = remark_field()

    class Meta(RegisterResource.Meta):
        model = SkillCertificate
        fields = [
            "id",
            "number",
            "holder_name",
            "org_unit",
            "issued_on",
            "occupation",
            "level",
            "body",
            "remark",
        ]


class SkillCompetitionResource(RegisterResource):
    id = id_field()
    name = column("name", "竞赛名称")
    level = column("level", "竞赛级别", ChoiceWidget, SkillCompetition.Level)
    held_on = column("held_on", "举办日期", DayWidget)
    hosted = column("hosted", "我市承办", YesNoWidget, blank=False)
    contestants = column("contestants", "参赛人数", WholeNumberWidget)
    regions = column("regions", "参赛地区数", WholeNumberWidget)
    remark = remark_field()

    class Meta(RegisterResource.Meta):
        model = SkillCompetition
        fields = ["id", "name", "level", "held_on", "hosted", "contestants", "regions", "remark"]


class CompetitionAwardResource(RegisterResource):
    id = id_field()
    competition = column(
        "competition", "竞赛名称", LookupWidget, SkillCompetition, field="name", missing="请先登记。"
    )
    winner = column("winner", "获奖选手")
    prize = column("prize", "奖项", ChoiceWidget, CompetitionAward.Prize)
    remark = remark_field()

    class Meta(RegisterResource.Meta):
        model = CompetitionAward
        fields = ["id", "competition", "winner", "prize", "remark"]
