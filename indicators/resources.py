"""Spreadsheet import and export of monthly values and quotas (django-import-export).

Import-export's per-row flow is kept only for the preview (new / changed / removed per row). The rules
and the write belong to the services: before_import reads every row and checks them all at once for
the importing user; after_import, on the confirmed run and only if no row has a problem, writes the
whole file through the service in one transaction. One bad row means the file writes nothing.

A blank value cell means "not reported": it removes a stored figure, and is never read as zero."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from import_export import fields, resources, widgets
from import_export.results import RowResult

from accounts.permissions import can_write_figures, is_bureau
from common.errors import PortalError, Problem
from orgs.models import OrgUnit
from registers.widgets import DecimalWidget, LookupWidget, WholeNumberWidget, cell_text

from .models import Channel, Indicator, MonthlyValue, Quota
from .services import (
    ValueEntry,
    monthly_values_apply,
    monthly_values_check,
    quota_delete,
    quota_problems,
    quota_set,
)

REMARK_MAX = 200
YEAR_COLUMN = "年度"


def _text(value) -> str:
    return cell_text(value, normalize=False)


class YearIndicatorWidget(LookupWidget):
    """An indicator by its code in the row's year: each year's set is its own rows (indicators.models),
    so a code names one indicator per year. One lookup per code and year per file."""

    def __init__(self):
        super().__init__("指标代码", Indicator)

    def clean(self, value, row=None, **kwargs):
        code = cell_text(value, normalize=True)
        if not code:
            return None
        try:
            year = WholeNumberWidget(YEAR_COLUMN).clean((row or {}).get(YEAR_COLUMN))
        except ValueError:
            return None  # the 年度 column's own widget says what is wrong with it
        if year is None:
            return None
        key = f"{year}|{code}"
        if key not in self._found:
            self._found[key] = Indicator.objects.filter(code=code, year=year).first()
        if self._found[key] is None:
            raise ValueError(
                f"{year}年的指标体系中没有指标代码“{code}”,请核对(代码须与该年度导出的文件一致)。"
            )
        return self._found[key]


class _ServiceResource(resources.ModelResource):
    """The shared mechanics. A subclass names its key and value fields and says how a batch of parsed
    rows is checked (`check`) and written (`write`), both through the services."""

    # The columns both files share. Names and units are exported for people to read; import ignores them.
    indicator = fields.Field("indicator", "指标代码", YearIndicatorWidget())
    indicator_name = fields.Field("indicator__name", "指标名称", readonly=True)
    unit = fields.Field("indicator__unit", "单位", readonly=True)
    org_unit = fields.Field("org_unit", "区划代码", LookupWidget("区划代码", OrgUnit))
    org_name = fields.Field("org_unit__name", "机构名称", readonly=True)
    year = fields.Field("year", YEAR_COLUMN, WholeNumberWidget(YEAR_COLUMN))

    key_fields: tuple[str, ...] = ()
    value_field: str = ""
    text_field: str = ""  # the optional remark column
    display_name = ""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._user = None
        self._items: list = []
        self._problems: dict[int, list[Problem]] = {}  # by sheet row
        self._blank_rows: set[int] = set()
        self._unreadable = False

    @classmethod
    def get_display_name(cls) -> str:
        return cls.display_name

    def column(self, name: str) -> str:
        return self.fields[name].column_name

    # --- reading and checking the whole file, before any row is previewed ---

    def before_import(self, dataset, **kwargs):
        if "user" not in kwargs:
            raise ValueError("import_data() needs user= (None only for a trusted system process)")
        self._user = kwargs["user"]
        if dataset.headers:
            dataset.headers = [_text(h) for h in dataset.headers]
        required = [self.column(n) for n in (*self.key_fields, self.value_field)]
        missing = [c for c in required if c not in (dataset.headers or [])]
        if missing:
            self._unreadable = True
            raise PortalError(f"文件缺少必需的列:{'、'.join(missing)}。第1行须为表头,列名与导出的文件一致。")
        problems: list[Problem] = []
        for number, values in enumerate(dataset, start=1):
            if all(_text(v) == "" for v in values):
                self._blank_rows.add(number)
                continue
            item, row_problems = self._parse(
                dict(zip(dataset.headers, values, strict=True)), sheet_row=number + 1
            )
            problems += row_problems
            if item is not None:
                self._items.append(item)
        problems += self.check(self._items, self._user)
        for problem in problems:
            self._problems.setdefault(problem.row, []).append(problem)

    def _parse(self, row: dict, *, sheet_row: int) -> tuple[object | None, list[Problem]]:
        values, problems = {}, []
        for name in (*self.key_fields, self.value_field, self.text_field):
            field = self.fields[name]
            if field.column_name not in row:  # only the remark column may be left out
                values[name] = ""
                continue
            try:
                values[name] = field.clean(row)
            except ValueError as exc:
                problems.append(Problem(str(exc), field=name, row=sheet_row))
        failed = {p.field for p in problems}
        for name in self.key_fields:
            if name not in failed and values.get(name) is None:
                problems.append(Problem(f"“{self.column(name)}”不能为空。", field=name, row=sheet_row))
        remark = values[self.text_field] = _text(values.get(self.text_field))
        if len(remark) > REMARK_MAX:
            problems.append(Problem(f"备注不能超过{REMARK_MAX}个字。", field=self.text_field, row=sheet_row))
        if problems:
            return None, problems
        return self.make_item(values, sheet_row), []

    def make_item(self, values: dict, sheet_row: int):
        raise NotImplementedError

    def check(self, items: list, user) -> list[Problem]:
        raise NotImplementedError

    def write(self, items: list, user, note: str) -> None:
        raise NotImplementedError

    # --- the per-row flow: problems are reported, good rows previewed, nothing saved row by row ---

    def import_row(self, row, instance_loader, **kwargs):
        number = kwargs["row_number"]
        if self._unreadable or number in self._blank_rows:
            result = self.get_row_result_class()()
            result.import_type = RowResult.IMPORT_TYPE_SKIP
            return result
        problems = self._problems.get(number + 1)
        if problems:
            result = self.get_row_result_class()()
            result.import_type = RowResult.IMPORT_TYPE_INVALID
            result.validation_error = ValidationError(self._error_dict(problems))
            return result
        return super().import_row(row, instance_loader, **kwargs)

    def _error_dict(self, problems: list[Problem]) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            key = self.column(problem.field) if problem.field in self.fields else NON_FIELD_ERRORS
            errors.setdefault(key, []).append(problem.message)
        return errors

    def for_delete(self, row, instance) -> bool:
        return _text(row.get(self.column(self.value_field))) == ""

    def save_instance(self, instance, is_create, row, **kwargs):
        """Nothing is saved row by row: the service writes the whole file in after_import."""

    def delete_instance(self, instance, row, **kwargs):
        """Removal too goes through the service, in after_import."""

    def after_import(self, dataset, result, **kwargs):
        # Not ModelResource.after_import: no ids are inserted, so there is no sequence to reset.
        if kwargs.get("dry_run", True) or self._unreadable or not self._items:
            return
        if self._problems or result.has_errors() or result.has_validation_errors():
            return
        self.write(self._items, self._user, note=f"批量导入:{kwargs.get('file_name') or ''}")


class MonthlyValueResource(_ServiceResource):
    """指标代码 | 指标名称 | 单位 | 区划代码 | 机构名称 | 年度 | 月份 | 数值 | 备注: the same layout for export and
    import, so an exported file can be corrected and imported again. Names and units are for reading."""

    month = fields.Field("month", "月份", WholeNumberWidget("月份"))
    value = fields.Field("value", "数值", DecimalWidget("数值"))
    remark = fields.Field("remark", "备注", widgets.CharWidget(allow_blank=True))

    key_fields = ("indicator", "org_unit", "year", "month")
    value_field = "value"
    text_field = "remark"
    display_name = "月度数据"

    class Meta:
        model = MonthlyValue
        fields = (
            "indicator",
            "indicator_name",
            "unit",
            "org_unit",
            "org_name",
            "year",
            "month",
            "value",
            "remark",
        )
        export_order = fields
        import_id_fields = ("indicator", "org_unit", "year", "month")
        skip_unchanged = True
        use_transactions = True

    def make_item(self, values: dict, sheet_row: int) -> ValueEntry:
        return ValueEntry(
            indicator=values["indicator"],
            org_unit=values["org_unit"],
            year=values["year"],
            month=values["month"],
            value=values["value"],
            remark=values["remark"],
            row=sheet_row,
        )

    def check(self, items: list[ValueEntry], user) -> list[Problem]:
        return monthly_values_check(entries=items, user=user) if items else []

    def write(self, items: list[ValueEntry], user, note: str) -> None:
        monthly_values_apply(entries=items, user=user, channel=Channel.IMPORT, note=note)


@dataclass
class QuotaRow:
    indicator: Indicator
    org_unit: OrgUnit
    year: int
    target: Decimal | None  # None: remove the quota
    note: str
    row: int

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.indicator.pk, self.org_unit.pk, self.year)


class QuotaResource(_ServiceResource):
    """指标代码 | 指标名称 | 单位 | 区划代码 | 机构名称 | 年度 | 年度目标 | 备注. There is no batch service for
    quotas: the rows are checked all together first, then set one by one in one transaction."""

    target = fields.Field("target", "年度目标", DecimalWidget("年度目标"))
    note = fields.Field("note", "备注", widgets.CharWidget(allow_blank=True))

    key_fields = ("indicator", "org_unit", "year")
    value_field = "target"
    text_field = "note"
    display_name = "年度目标任务"

    class Meta:
        model = Quota
        fields = ("indicator", "indicator_name", "unit", "org_unit", "org_name", "year", "target", "note")
        export_order = fields
        import_id_fields = ("indicator", "org_unit", "year")
        skip_unchanged = True
        use_transactions = True

    def make_item(self, values: dict, sheet_row: int) -> QuotaRow:
        return QuotaRow(
            indicator=values["indicator"],
            org_unit=values["org_unit"],
            year=values["year"],
            target=values["target"],
            note=values["note"],
            row=sheet_row,
        )

    def check(self, items: list[QuotaRow], user) -> list[Problem]:
        problems, seen = [], set()
        for item in items:
            if item.target is not None:
                found = quota_problems(
                    indicator=item.indicator,
                    org_unit=item.org_unit,
                    year=item.year,
                    target=item.target,
                    user=user,
                )
                problems += [replace(p, row=item.row) for p in found]
            elif user is not None and not (is_bureau(user) and can_write_figures(user, item.org_unit.pk)):
                problems.append(Problem("只有局业务科室可以删除年度目标。", field="org_unit", row=item.row))
            if item.key in seen:
                message = f"“{item.indicator.name}”在{item.year}年的目标重复填报,请只保留一行。"
                problems.append(Problem(message, field="indicator", row=item.row))
            seen.add(item.key)
        return problems

    @transaction.atomic
    def write(self, items: list[QuotaRow], user, note: str) -> None:
        stored = {
            (q.indicator_id, q.org_unit_id, q.year): q
            for q in Quota.objects.filter(
                indicator__in={i.indicator for i in items},
                org_unit__in={i.org_unit for i in items},
                year__in={i.year for i in items},
            )
        }
        for item in items:
            quota = stored.get(item.key)
            if item.target is None:
                if quota is not None:
                    quota_delete(quota=quota, user=user, channel=Channel.IMPORT)
            elif quota is None or quota.target != item.target or quota.note != item.note:
                quota_set(
                    indicator=item.indicator,
                    org_unit=item.org_unit,
                    year=item.year,
                    target=item.target,
                    note=item.note,
                    user=user,
                    channel=Channel.IMPORT,
                )
