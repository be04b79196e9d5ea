"""Spreadsheet import and export of the labour-relations registers, with the Chinese column headers the
bureau's ledgers use. All or nothing (registers.resources.RegisterResource): one bad row and the file
writes nothing. A row with 系统编号 (as exported) corrects that record; a row without it adds one, and a
case number already registered, or repeated in the file, is refused."""

from __future__ import annotations

from registers.resources import RegisterResource, column, id_field, org_unit_field, remark_field
from registers.widgets import (
    ChoiceWidget,
    DayWidget,
    DecimalWidget,
    WholeNumberWidget,
    YesNoWidget,
)

from .models import BlacklistEntry, CreditRating, DisputeCase, WageArrearsCase


class DisputeCaseResource(RegisterResource):
    id = id_field()
    case_number = column("case_number", "案号")
    org_unit = org_unit_field()
    applicant = column("applicant", "申请人")
    respondent = column("respondent", "被申请人(用人单位)")
    received_on = column("received_on", "受理日期", DayWidget)
    stage = column("stage", "办理阶段", ChoiceWidget, DisputeCase.Stage)
    deadline_extended = column("deadline_extended", "经批准延期", YesNoWidget, blank=False)
    deadline_on = column("deadline_on", "审限届满日", DayWidget)
    closed_on = column("closed_on", "结案日期", DayWidget)
    closed_how = column("closed_how", "结案方式", ChoiceWidget, DisputeCase.Closing)
    final_award = column("final_award", "终局裁决", YesNoWidget, blank=False)
    amount = column("amount", "涉案金额(元)", DecimalWidget)
    remark = remark_field()

    class Meta(RegisterResource.Meta):
        model = DisputeCase
        fields = (
            "id",
            "case_number",
            "org_unit",
            "applicant",
            "respondent",
            "received_on",
            "stage",
            "deadline_extended",
            "deadline_on",
            "closed_on",
            "closed_how",
            "final_award",
            "amount",
            "remark",
        )


class WageArrearsCaseResource(RegisterResource):
    id = id_field()
    case_number = column("case_number", "案号")
    org_unit = org_unit_field()
    employer = column("employer", "用人单位")
    source = column("source", "案件来源", ChoiceWidget, WageArrearsCase.Source)
    opened_on = column("opened_on", "立案日期", DayWidget)
    closed_on = column("closed_on", "结案日期", DayWidget)
    workers = column("workers", "涉及劳动者人数", WholeNumberWidget)
    amount_recovered = column("amount_recovered", "追发工资待遇(元)", DecimalWidget)
    referred_to_police = column("referred_to_police", "移送公安", YesNoWidget, blank=False)
    court_enforcement = column("court_enforcement", "申请法院强制执行", YesNoWidget, blank=False)
    remark = remark_field()

    class Meta(RegisterResource.Meta):
        model = WageArrearsCase
        fields = (
            "id",
            "case_number",
            "org_unit",
            "employer",
            "source",
            "opened_on",
            "closed_on",
            "workers",
            "amount_recovered",
            "referred_to_police",
            "court_enforcement",
            "remark",
        )


class CreditRatingResource(RegisterResource):
    id = id_field()
    employer = column("employer", "用人单位")
    credit_code = column("credit_code", "统一社会信用代码")
    org_unit = org_unit_field()
    year = column("year", "评价年度", WholeNumberWidget)
    grade = column("grade", "评价等级", ChoiceWidget, CreditRating.Grade)
    remark = remark_field()

    class Meta(RegisterResource.Meta):
        model = CreditRating
        fields = (
            "id",
            "employer",
            "credit_code",
            "org_unit",
            "year",
            "grade",
            "remark",
        )


class BlacklistEntryResource(RegisterResource):
    id = id_field()
    employer = column("employer", "用人单位")
    credit_code = column("credit_code", "统一社会信用代码")
    org_unit = org_unit_field()
    listed_on = column("listed_on", "列入日期", DayWidget)
    reason = column("reason", "列入事由")
    removed_on = column("removed_on", "移出日期", DayWidget)
    remark = remark_field()

    class Meta(RegisterResource.Meta):
        model = BlacklistEntry
        fields = (
            "id",
            "employer",
            "credit_code",
            "org_unit",
            "listed_on",
            "reason",
            "removed_on",
            "remark",
        )
