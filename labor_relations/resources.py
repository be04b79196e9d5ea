"""Spreadsheet import and export of the labour-relations registers, with the Chinese column headers the
bureau's ledgers use. All or nothing (registers.resources.RegisterResource): one bad row and the file
writes nothing. A row with 系统编号 (as exported) corrects that record; a row without it adds one, and a
case number already registered, or repeated in the file, is refused."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from import_export import fields, widgets

from registers.resources import RegisterResource, org_unit_field

from .models import BlacklistEntry, CreditRating, DisputeCase, WageArrearsCase


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # Full-width digits and punctuation (１２３,2024-3-5) as typed in WPS.
    return unicodedata.normalize("NFKC", str(value)).strip()


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
        match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(\s+00:00(:00)?)?", text)
        try:
            if match:
                return date(*(int(g) for g in match.groups()[:3]))
        except ValueError:
            pass  # 2024-02-30
        raise ValueError(f"{self.label}“{text}”不是有效日期,请写成2024-03-05的形式。")

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class MoneyWidget(widgets.Widget):
    """An amount in 元: thousands separators and full-width digits are accepted, text is not."""

    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        text = _text(value).replace(",", "").replace(" ", "")
        if not text:
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{self.label}“{text}”不是数字。") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else format(value, "f")


class CountWidget(widgets.Widget):
    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        text = _text(value).replace(",", "")
        if not text:
            return None
        if not re.fullmatch(r"\d+(\.0+)?", text):
            raise ValueError(f"{self.label}“{text}”须为不小于0的整数。")
        return int(Decimal(text))

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ChoiceWidget(widgets.Widget):
    """A choice by its Chinese label (as exported) or its stored value."""

    def __init__(self, label: str, choices, *, blank: bool = False):
        super().__init__()
        self.label, self.choices, self.blank = label, dict(choices), blank

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return "" if self.blank else None
        for stored, shown in self.choices.items():
            if text in (stored, shown):
                return stored
        raise ValueError(f"{self.label}“{text}”无效,可填:{'、'.join(self.choices.values())}。")

    def render(self, value, obj=None, **kwargs):
        return self.choices.get(value, value or "")


class YesNoWidget(widgets.Widget):
    YES, NO = {"是", "1", "true", "y", "yes", "√"}, {"否", "0", "false", "n", "no", ""}

    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = _text(value).lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(f"{self.label}“{text}”无效,请填“是”或“否”。")

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


def _field(attribute: str, column: str, widget: widgets.Widget | None = None) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=widget or widgets.CharWidget())


class LaborRegisterResource(RegisterResource):
    """A number column that must not repeat within one file (case numbers)."""

    unique_column: str | None = None

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        if self.unique_column and self.unique_column in (dataset.headers or []):
            seen: dict[str, int] = {}
            for line, value in enumerate(dataset[self.unique_column], start=2):
                key = _text(value)
                if key and key in seen:
                    raise ValueError(
                        f"第{line}行:{self.unique_column}“{key}”与第{seen[key]}行重复,整个文件未导入。"
                    )
                seen.setdefault(key, line)


class DisputeCaseResource(LaborRegisterResource):
    unique_column = "案号"
    id = _field("id", "系统编号", widgets.IntegerWidget())
    case_number = _field("case_number", "案号")
    org_unit = org_unit_field()
    applicant = _field("applicant", "申请人")
    respondent = _field("respondent", "被申请人(用人单位)")
    received_on = _field("received_on", "受理日期", DayWidget("受理日期"))
    stage = _field("stage", "办理阶段", ChoiceWidget("办理阶段", DisputeCase.Stage.choices))
    deadline_extended = _field("deadline_extended", "经批准延期", YesNoWidget("经批准延期"))
    deadline_on = _field("deadline_on", "审限届满日", DayWidget("审限届满日"))
    closed_on = _field("closed_on", "结案日期", DayWidget("结案日期"))
    closed_how = _field(
        "closed_how", "结案方式", ChoiceWidget("结案方式", DisputeCase.Closing.choices, blank=True)
    )
    final_award = _field("final_award", "终局裁决", YesNoWidget("终局裁决"))
    amount = _field("amount", "涉案金额(元)", MoneyWidget("涉案金额"))
    remark = _field("remark", "备注")

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


class WageArrearsCaseResource(LaborRegisterResource):
    unique_column = "案号"
    id = _field("id", "系统编号", widgets.IntegerWidget())
    case_number = _field("case_number", "案号")
    org_unit = org_unit_field()
    employer = _field("employer", "用人单位")
    source = _field("source", "案件来源", ChoiceWidget("案件来源", WageArrearsCase.Source.choices))
    opened_on = _field("opened_on", "立案日期", DayWidget("立案日期"))
    closed_on = _field("closed_on", "结案日期", DayWidget("结案日期"))
    workers = _field("workers", "涉及劳动者人数", CountWidget("涉及劳动者人数"))
    amount_recovered = _field("amount_recovered", "追发工资待遇(元)", MoneyWidget("追发工资待遇"))
    referred_to_police = _field("referred_to_police", "移送公安", YesNoWidget("移送公安"))
    court_enforcement = _field("court_enforcement", "申请法院强制执行", YesNoWidget("申请法院强制执行"))
    remark = _field("remark", "备注")

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


class CreditRatingResource(LaborRegisterResource):
    id = _field("id", "系统编号", widgets.IntegerWidget())
    employer = _field("employer", "用人单位")
    credit_code = _field("credit_code", "统一社会信用代码")
    org_unit = org_unit_field()
    year = _field("year", "评价年度", CountWidget("评价年度"))
    grade = _field("grade", "评价等级", ChoiceWidget("评价等级", CreditRating.Grade.choices))
    remark = _field("remark", "备注")

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


class BlacklistEntryResource(LaborRegisterResource):
    id = _field("id", "系统编号", widgets.IntegerWidget())
    employer = _field("employer", "用人单位")
    credit_code = _field("credit_code", "统一社会信用代码")
    org_unit = org_unit_field()
    listed_on = _field("listed_on", "列入日期", DayWidget("列入日期"))
    reason = _field("reason", "列入事由")
    removed_on = _field("removed_on", "移出日期", DayWidget("移出日期"))
    remark = _field("remark", "备注")

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
