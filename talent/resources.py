"""Spreadsheet import and export with Chinese column names, all or nothing (RegisterResource). Rows
without a 记录ID are new records, so a certificate number already registered is refused, never
silently overwritten; an exported file keeps its 记录ID and updates those records."""

from __future__ import annotations

from import_export import fields, widgets

from indicators.resources import WholeNumberWidget
from registers.resources import RegisterResource, org_unit_field

from .models import (
    CampusRecruitment,
    CertificationBody,
    CompetitionAward,
    RecruitmentPlan,
    SkillCertificate,
    SkillCompetition,
    SkillLevel,
)


class ChoiceLabelWidget(widgets.Widget):
    """A choice by the label people write (高级工) or by its code; exported as the label."""

    def __init__(self, choices, label: str):
        super().__init__()
        self.choices = dict(choices)
        self.label = label

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return ""
        for code, name in self.choices.items():
            if text in (code, name):
                return code
        raise ValueError(f"{self.label}“{text}”无效,应为:{'、'.join(self.choices.values())}。")

    def render(self, value, obj=None, **kwargs):
        return self.choices.get(value, value or "")


class NamedWidget(widgets.ForeignKeyWidget):
    """A related record by its name, with a Chinese message when nobody has that name."""

    def __init__(self, model, field: str, label: str):
        super().__init__(model, field=field)
        self.label = label

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        found = self.get_queryset(value, row, **kwargs).filter(**{self.field: text}).first()
        if found is None:
            raise ValueError(f"{self.label}“{text}”不存在,请先登记。")
        return found


class YesNoWidget(widgets.BooleanWidget):
    def clean(self, value, row=None, **kwargs):
        return str(value or "").strip() in {"是", "1", "TRUE", "True", "true", "Y"}

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


def _whole(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=WholeNumberWidget(column))


def _text(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=widgets.CharWidget())


def _date(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=widgets.DateWidget())


def _id() -> fields.Field:
    return fields.Field(attribute="id", column_name="记录ID", widget=widgets.IntegerWidget())


class RecruitmentPlanResource(RegisterResource):
    id = _id()
    org_unit = org_unit_field()
    year = _whole("year", "年度")
    employer = _text("employer", "招聘单位")
    posts = _whole("posts", "计划招聘岗位数")
    applicants = _whole("applicants", "报名人数")
    hired = _whole("hired", "聘用人数")
    remark = _text("remark", "备注")

    class Meta(RegisterResource.Meta):
        model = RecruitmentPlan
        fields = ["id", "org_unit", "year", "employer", "posts", "applicants", "hired", "remark"]


class CampusRecruitmentResource(RegisterResource):
    id = _id()
    org_unit = org_unit_field()
    university = _text("university", "高校")
    held_on = _date("held_on", "举办日期")
    applicants = _whole("applicants", "投递简历人数")
    signed = _whole("signed", "签约人数")
    masters = _whole("masters", "其中:硕士及以上")
    remark = _text("remark", "备注")

    class Meta(RegisterResource.Meta):
        model = CampusRecruitment
        fields = ["id", "org_unit", "university", "held_on", "applicants", "signed", "masters", "remark"]


class CertificationBodyResource(RegisterResource):
    id = _id()
    name = _text("name", "机构名称")
    kind = fields.Field(
        attribute="kind",
        column_name="机构类别",
        widget=ChoiceLabelWidget(CertificationBody.Kind.choices, "机构类别"),
    )
    recognised_on = _date("recognised_on", "备案(认定)日期")
    remark = _text("remark", "备注")

    class Meta(RegisterResource.Meta):
        model = CertificationBody
        fields = ["id", "name", "kind", "recognised_on", "remark"]


class SkillCertificateResource(RegisterResource):
    id = _id()
    number = _text("number", "证书编号")
    holder_name = _text("holder_name", "持证人姓名")
    org_unit = org_unit_field()
    issued_on = _date("issued_on", "发证日期")
    occupation = _text("occupation", "职业(工种)")
    level = fields.Field(
        attribute="level", column_name="等级", widget=ChoiceLabelWidget(SkillLevel.choices, "等级")
    )
    body = fields.Field(
        attribute="body", column_name="评价机构", widget=NamedWidget(CertificationBody, "name", "评价机构")
    )
    remark = _text("remark", "备注")

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
    id = _id()
    name = _text("name", "竞赛名称")
    level = fields.Field(
        attribute="level",
        column_name="竞赛级别",
        widget=ChoiceLabelWidget(SkillCompetition.Level.choices, "竞赛级别"),
    )
    held_on = _date("held_on", "举办日期")
    hosted = fields.Field(attribute="hosted", column_name="我市承办", widget=YesNoWidget())
    contestants = _whole("contestants", "参赛人数")
    regions = _whole("regions", "参赛地区数")
    remark = _text("remark", "备注")

    class Meta(RegisterResource.Meta):
        model = SkillCompetition
        fields = ["id", "name", "level", "held_on", "hosted", "contestants", "regions", "remark"]


class CompetitionAwardResource(RegisterResource):
    id = _id()
    competition = fields.Field(
        attribute="competition", column_name="竞赛名称", widget=NamedWidget(SkillCompetition, "name", "竞赛")
    )
    winner = _text("winner", "获奖选手")
    prize = fields.Field(
        attribute="prize",
        column_name="奖项",
        widget=ChoiceLabelWidget(CompetitionAward.Prize.choices, "奖项"),
    )
    remark = _text("remark", "备注")

    class Meta(RegisterResource.Meta):
        model = CompetitionAward
        fields = ["id", "competition", "winner", "prize", "remark"]
