"""Spreadsheet import and export of the employment registers, with the column headers the bureau's
own ledgers use. All or nothing (RegisterResource): one bad row and the file writes nothing.

A row with a 系统编号 (the record's id, as exported) corrects that record; a row without one is a
new record. Rows are never matched on a case number: a loan number already registered is refused as
a duplicate rather than silently overwriting the other loan."""

from __future__ import annotations

from registers.resources import (
    RegisterResource,
    column,
    id_field,
    org_name_field,
    org_unit_field,
    remark_field,
)
from registers.widgets import (
    ChoiceWidget,
    DayWidget,
    DecimalWidget,
    LookupWidget,
    WholeNumberWidget,
    YesNoWidget,
)

from .models import GigStation, GigStationMonth, GuaranteeLoan, ReturneeStartup, TrainingClass

# A station by its name.
STATION = {"model": GigStation, "field": "name", "missing": "请先登记该驿站。"}


class GuaranteeLoanResource(RegisterResource):
    id = id_field()
    loan_number = column("loan_number", "贷款编号")
    borrower_name = column("borrower_name", "借款人")
    borrower_kind = column("borrower_kind", "借款人类型", ChoiceWidget, GuaranteeLoan.BorrowerKind)
    org_unit = org_unit_field()
    org_name = org_name_field()
    issued_on = column("issued_on", "发放日期", DayWidget)
    amount = column("amount", "贷款金额(万元)", DecimalWidget)
    term_months = column("term_months", "贷款期限(月)", WholeNumberWidget)
    jobs_created = column("jobs_created", "带动就业人数", WholeNumberWidget)
    remark = remark_field()

    class Meta(RegisterResource.Meta):
        model = GuaranteeLoan
        name = "创业担保贷款台账"
        fields = (
            "id", "loan_number", "borrower_name", "borrower_kind", "org_unit", "org_name",
            "issued_on", "amount", "term_months", "jobs_created", "remark",
        )  # fmt: skip


class TrainingClassResource(RegisterResource):
    id = id_field()
    name = column("name", "培训班名称")
    training_type = column("training_type", "培训类型", ChoiceWidget, TrainingClass.Type)
    org_unit = org_unit_field()
    org_name = org_name_field()
    start_on = column("start_on", "开班日期", DayWidget)
    end_on = column("end_on", "结业日期", DayWidget)
    trainees = column("trainees", "培训人数", WholeNumberWidget)
    completions = column("completions", "结业人数", WholeNumberWidget)
    remark = remark_field()

    class Meta(RegisterResource.Meta):
        model = TrainingClass
        name = "职业技能培训台账"
        fields = (
            "id", "name", "training_type", "org_unit", "org_name",
            "start_on", "end_on", "trainees", "completions", "remark",
        )  # fmt: skip


class ReturneeStartupResource(RegisterResource):
    id = id_field()
    founder_name = column("founder_name", "创业人")
    business_name = column("business_name", "创业项目名称")
    org_unit = org_unit_field()
    org_name = org_name_field()
    started_on = column("started_on", "创业日期", DayWidget)
    jobs_created = column("jobs_created", "带动就业人数", WholeNumberWidget)
    remark = remark_field()

    class Meta(RegisterResource.Meta):
        model = ReturneeStartup
        name = "返乡创业台账"
        fields = (
            "id", "founder_name", "business_name", "org_unit", "org_name",
            "started_on", "jobs_created", "remark",
        )  # fmt: skip


class GigStationResource(RegisterResource):
    id = id_field()
    name = column("name", "驿站名称")
    kind = column("kind", "驿站层级", ChoiceWidget, GigStation.Kind)
    org_unit = org_unit_field()
    org_name = org_name_field()
    parent = column("parent", "上级驿站", LookupWidget, **STATION)
    opened_on = column("opened_on", "建站日期", DayWidget)
    is_active = column("is_active", "运营中", YesNoWidget, blank=True)
    remark = remark_field()

    class Meta(RegisterResource.Meta):
        model = GigStation
        name = "零工驿站台账"
        fields = ("id", "name", "kind", "org_unit", "org_name", "parent", "opened_on", "is_active", "remark")


class GigStationMonthResource(RegisterResource):
    id = id_field()
    station = column("station", "驿站名称", LookupWidget, **STATION)
    year = column("year", "年度", WholeNumberWidget)
    month = column("month", "月份", WholeNumberWidget)
    services = column("services", "服务人次", WholeNumberWidget)
    registrations = column("registrations", "零工登记人数", WholeNumberWidget)
    job_postings = column("job_postings", "发布岗位数", WholeNumberWidget)
    consultations = column("consultations", "政策咨询人次", WholeNumberWidget)
    placements = column("placements", "成功对接就业人数", WholeNumberWidget)
    remark = remark_field()

    class Meta(RegisterResource.Meta):
        model = GigStationMonth
        name = "零工驿站月度服务台账"
        fields = ("id", "station", "year", "month", *GigStationMonth.COUNTS, "remark")
