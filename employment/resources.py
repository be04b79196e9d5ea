"""Spreadsheet import and export of the employment registers, with the column headers the bureau's
own ledgers use. All or nothing (RegisterResource): one bad row and the file writes nothing.

A row with a 系统编号 (the record's id, as exported) corrects that record; a row without one is a
new record. Rows are never matched on a case number: a loan number already registered is refused as
a duplicate rather than silently overwriting the other loan."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.db import models
from import_export import fields, widgets

from indicators.resources import FigureWidget, WholeNumberWidget
from registers.resources import RegisterResource, org_unit_field

from .models import GigStation, GigStationMonth, GuaranteeLoan, ReturneeStartup, TrainingClass


def _text(value) -> str:
    """A cell as text; Excel turns 429005001 into 429005001.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_DAY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class DayWidget(widgets.Widget):
    """A date as Excel gives it (a date cell) or as people type it: 2024-03-05, 2024/3/5, 2024年3月5日."""

    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = _text(value)
        if not text:
            return None
        found = _DAY.match(text.split(" ")[0])
        if found:
            try:
                return date(*(int(part) for part in found.groups()))
            except ValueError:
                pass  # 2024-02-30
        raise ValueError(f"{self.label}“{text}”不是有效的日期,请写成2024-03-05的形式。")

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None if kwargs.get("force_native_type") else ""
        return value if kwargs.get("force_native_type") else value.isoformat()


class YesNoWidget(widgets.Widget):
    """是/否 (a blank cell is 是: a station is in service unless the sheet says otherwise)."""

    YES, NO = {"是", "1", "true", "yes"}, {"否", "0", "false", "no"}

    def clean(self, value, row=None, **kwargs):
        text = _text(value).lower()
        if not text or text in self.YES or value is True:
            return True
        if text in self.NO or value is False:
            return False
        raise ValueError(f"“{_text(value)}”无效,须填“是”或“否”。")

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class TextWidget(widgets.Widget):
    """Text as typed; a number Excel stored for a loan number (2024001.0) comes back as 2024001."""

    def clean(self, value, row=None, **kwargs):
        return _text(value)


class ChoiceWidget(widgets.Widget):
    """A choice by the label users read (个人, 小微企业); the stored value is accepted too."""

    def __init__(self, choices: type[models.TextChoices], label: str):
        super().__init__()
        self.choices = choices
        self.label = label

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return ""
        by_text = {c.label: c.value for c in self.choices} | {c.value: c.value for c in self.choices}
        if text not in by_text:
            allowed = "、".join(self.choices.labels)
            raise ValueError(f"{self.label}“{text}”无效,须为:{allowed}。")
        return by_text[text]

    def render(self, value, obj=None, **kwargs):
        return self.choices(value).label if value else ""


class StationWidget(widgets.ForeignKeyWidget):
    """A gig-work station by its name, with a Chinese message when there is none."""

    def __init__(self, label: str = "驿站名称"):
        super().__init__(GigStation, field="name")
        self.label = label

    def clean(self, value, row=None, **kwargs):
        name = _text(value)
        if not name:
            return None
        station = GigStation.objects.filter(name=name).first()
        if station is None:
            raise ValueError(f"{self.label}“{name}”不存在,请先登记该驿站。")
        return station


def _id_field() -> fields.Field:
    return fields.Field(attribute="id", column_name="系统编号", widget=WholeNumberWidget("系统编号"))


def _org_name() -> fields.Field:
    return fields.Field(attribute="org_unit__name", column_name="区镇街道", readonly=True)


def _whole(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=WholeNumberWidget(column))


def _day(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=DayWidget(column))


def _text_field(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=TextWidget())


REMARK = ("remark", "备注")


class GuaranteeLoanResource(RegisterResource):
    id = _id_field()
    loan_number = _text_field("loan_number", "贷款编号")
    borrower_name = _text_field("borrower_name", "借款人")
    borrower_kind = fields.Field(
        "borrower_kind", "借款人类型", ChoiceWidget(GuaranteeLoan.BorrowerKind, "借款人类型")
    )
    org_unit = org_unit_field()
    org_name = _org_name()
    issued_on = _day("issued_on", "发放日期")
    amount = fields.Field("amount", "贷款金额(万元)", FigureWidget("贷款金额"))
    term_months = _whole("term_months", "贷款期限(月)")
    jobs_created = _whole("jobs_created", "带动就业人数")
    remark = _text_field(*REMARK)

    class Meta(RegisterResource.Meta):
        model = GuaranteeLoan
        name = "创业担保贷款台账"
        fields = (
            "id", "loan_number", "borrower_name", "borrower_kind", "org_unit", "org_name",
            "issued_on", "amount", "term_months", "jobs_created", "remark",
        )  # fmt: skip


class TrainingClassResource(RegisterResource):
    id = _id_field()
    name = _text_field("name", "培训班名称")
    training_type = fields.Field("training_type", "培训类型", ChoiceWidget(TrainingClass.Type, "培训类型"))
    org_unit = org_unit_field()
    org_name = _org_name()
    start_on = _day("start_on", "开班日期")
    end_on = _day("end_on", "结业日期")
    trainees = _whole("trainees", "培训人数")
    completions = _whole("completions", "结业人数")
    remark = _text_field(*REMARK)

    class Meta(RegisterResource.Meta):
        model = TrainingClass
        name = "职业技能培训台账"
        fields = (
            "id", "name", "training_type", "org_unit", "org_name",
            "start_on", "end_on", "trainees", "completions", "remark",
        )  # fmt: skip


class ReturneeStartupResource(RegisterResource):
    id = _id_field()
    founder_name = _text_field("founder_name", "创业人")
    business_name = _text_field("business_name", "创业项目名称")
    org_unit = org_unit_field()
    org_name = _org_name()
    started_on = _day("started_on", "创业日期")
    jobs_created = _whole("jobs_created", "带动就业人数")
    remark = _text_field(*REMARK)

    class Meta(RegisterResource.Meta):
        model = ReturneeStartup
        name = "返乡创业台账"
        fields = (
            "id", "founder_name", "business_name", "org_unit", "org_name",
            "started_on", "jobs_created", "remark",
        )  # fmt: skip


class GigStationResource(RegisterResource):
    id = _id_field()
    name = _text_field("name", "驿站名称")
    kind = fields.Field("kind", "驿站层级", ChoiceWidget(GigStation.Kind, "驿站层级"))
    org_unit = org_unit_field()
    org_name = _org_name()
    parent = fields.Field("parent", "上级驿站", StationWidget("上级驿站"))
    opened_on = _day("opened_on", "建站日期")
    is_active = fields.Field("is_active", "运营中", YesNoWidget())
    remark = _text_field(*REMARK)

    class Meta(RegisterResource.Meta):
        model = GigStation
        name = "零工驿站台账"
        fields = ("id", "name", "kind", "org_unit", "org_name", "parent", "opened_on", "is_active", "remark")


class GigStationMonthResource(RegisterResource):
    id = _id_field()
    station = fields.Field("station", "驿站名称", StationWidget())
    year = _whole("year", "年度")
    month = _whole("month", "月份")
    services = _whole("services", "服务人次")
    registrations = _whole("registrations", "零工登记人数")
    job_postings = _whole("job_postings", "发布岗位数")
    consultations = _whole("consultations", "政策咨询人次")
    placements = _whole("placements", "成功对接就业人数")
    remark = _text_field(*REMARK)

    class Meta(RegisterResource.Meta):
        model = GigStationMonth
        name = "零工驿站月度服务台账"
        fields = ("id", "station", "year", "month", *GigStationMonth.COUNTS, "remark")
