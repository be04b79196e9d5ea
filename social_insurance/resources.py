"""Spreadsheet import and export with Chinese column names. All or nothing (RegisterResource): one
bad row — an unknown division code, a negative count, a duplicate month — and the file writes nothing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from indicators.resources import WholeNumberWidget
from registers.resources import RegisterResource, org_unit_field

from .models import CardIssuance, InsuranceType, InsuredCount, UnemploymentInsuranceRate


class ChoiceLabelWidget(widgets.Widget):
    """A choice by the label people write (养老保险, or just 养老) or by its code; exported as the label."""

    def __init__(self, choices, label: str):
        super().__init__()
        self.choices = dict(choices)
        self.label = label

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return ""
        for code, name in self.choices.items():
            if text in (code, name) or name.startswith(text):
                return code
        raise ValueError(f"{self.label}“{text}”无效,应为:{'、'.join(self.choices.values())}。")

    def render(self, value, obj=None, **kwargs):
        return self.choices.get(value, value or "")


class OneRowPerKeyMixin:
    """These registers update a record by its natural key (org unit, month, type), so a file that
    names the same key twice would silently keep its last row; it is refused instead."""

    key_columns: tuple[str, ...] = ()

    def before_import(self, dataset, **kwargs):
        self._seen_keys: set[tuple] = set()
        return super().before_import(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        key = tuple(str(row.get(column, "")).strip().removesuffix(".0") for column in self.key_columns)
        if key in self._seen_keys:
            raise ValueError(
                f"“{'、'.join(self.key_columns)}”为{'、'.join(key)}的行在本文件中重复出现,请只保留一行。"
            )
        self._seen_keys.add(key)
        return super().before_import_row(row, **kwargs)


def _remark() -> fields.Field:
    return fields.Field(attribute="remark", column_name="备注", widget=widgets.CharWidget())


def _whole(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=WholeNumberWidget(column))


class InsuredCountResource(OneRowPerKeyMixin, RegisterResource):
    key_columns = ("区划代码", "年度", "月份", "险种")

    org_unit = org_unit_field()
    year = _whole("year", "年度")
    month = _whole("month", "月份")
    insurance_type = fields.Field(
        attribute="insurance_type",
        column_name="险种",
        widget=ChoiceLabelWidget(InsuranceType.choices, "险种"),
    )
    insured = _whole("insured", "参保人数")
    remark = _remark()

    class Meta(RegisterResource.Meta):
        model = InsuredCount
        import_id_fields = ["org_unit", "year", "month", "insurance_type"]
        fields = ["org_unit", "year", "month", "insurance_type", "insured", "remark"]


class CardIssuanceResource(OneRowPerKeyMixin, RegisterResource):
    key_columns = ("区划代码", "年度", "月份")

    org_unit = org_unit_field()
    year = _whole("year", "年度")
    month = _whole("month", "月份")
    physical_cards = _whole("physical_cards", "三代社保卡发放张数")
    ecards_signed = _whole("ecards_signed", "电子社保卡签发张数")
    remark = _remark()

    class Meta(RegisterResource.Meta):
        model = CardIssuance
        import_id_fields = ["org_unit", "year", "month"]
        fields = ["org_unit", "year", "month", "physical_cards", "ecards_signed", "remark"]


class UnemploymentRateResource(RegisterResource):
    valid_from = fields.Field(attribute="valid_from", column_name="执行起始日期", widget=widgets.DateWidget())
    valid_to = fields.Field(attribute="valid_to", column_name="执行截止日期", widget=widgets.DateWidget())
    employer_rate = fields.Field(
        attribute="employer_rate", column_name="单位费率(%)", widget=widgets.DecimalWidget()
    )
    individual_rate = fields.Field(
        attribute="individual_rate", column_name="个人费率(%)", widget=widgets.DecimalWidget()
    )
    policy_document = fields.Field(
        attribute="policy_document", column_name="政策文件", widget=widgets.CharWidget()
    )
    remark = _remark()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True) -> None:
        # The rows are written at the end (one batch): a span overlapping an earlier row of the same
        # file is refused here, as clean() refuses one overlapping a stored rate.
        super().validate_instance(instance, import_validation_errors, validate_unique)
        for earlier in [*self.create_instances, *self.update_instances]:
            if instance.valid_from and earlier.valid_from and instance.shares_days_with(earlier):
                raise ValidationError(
                    {"valid_from": f"执行期间与本文件中的费率“{earlier}”重叠,请只保留一行。"}
                )

    class Meta(RegisterResource.Meta):
        model = UnemploymentInsuranceRate
        import_id_fields = ["valid_from"]
        fields = ["valid_from", "valid_to", "employer_rate", "individual_rate", "policy_document", "remark"]
