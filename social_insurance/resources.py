"""Spreadsheet import and export with Chinese column names. All or nothing (RegisterResource): one
bad row — an unknown division code, a negative count, a duplicate month — and the file writes nothing."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from registers.resources import RegisterResource, column, org_unit_field, remark_field
from registers.widgets import ChoiceWidget, DayWidget, DecimalWidget, WholeNumberWidget

from .models import CardIssuance, InsuranceType, InsuredCount, UnemploymentInsuranceRate


class InsuredCountResource(RegisterResource):
    org_unit = org_unit_field()
    year = column("year", "年度", WholeNumberWidget)
    month = column("month", "月份", WholeNumberWidget)
    insurance_type = column("insurance_type", "险种", ChoiceWidget, InsuranceType)
    insured = column("insured", "参保人数", WholeNumberWidget)
    remark = remark_field()

    class Meta(RegisterResource.Meta):
        model = InsuredCount
        import_id_fields = ["org_unit", "year", "month", "insurance_type"]
        fields = ["org_unit", "year", "month", "insurance_type", "insured", "remark"]


class CardIssuanceResource(RegisterResource):
    org_unit = org_unit_field()
    year = column("year", "年度", WholeNumberWidget)
    month = column("month", "月份", WholeNumberWidget)
    physical_cards = column("physical_cards", "三代社保卡发放张数", WholeNumberWidget)
    ecards_signed = column("ecards_signed", "电子社保卡签发张数", WholeNumberWidget)
    remark = remark_field()

    class Meta(RegisterResource.Meta):
        model = CardIssuance
        import_id_fields = ["org_unit", "year", "month"]
        fields = ["org_unit", "year", "month", "physical_cards", "ecards_signed", "remark"]


class UnemploymentRateResource(RegisterResource):
    valid_from = column("valid_from", "执行起始日期", DayWidget)
    valid_to = column("valid_to", "执行截止日期", DayWidget)
    employer_rate = column("employer_rate", "单位费率(%)", DecimalWidget)
    individual_rate = column("individual_rate", "个人费率(%)", DecimalWidget)
    policy_document = column("policy_document", "政策文件")
    remark = remark_field()

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
