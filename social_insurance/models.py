"""Social insurance registers: the month-end insured counts (参保人数月报), the social security card
issuance register (社保卡发放登记) and the dated unemployment-insurance rates (失业保险费率) that the
contribution calculator reads. Rates are records, not constants: the 1% rate runs out on 2025-12-31
and the next one is a policy decision the bureau types in, not a code change."""

from __future__ import annotations

from datetime import date

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from common.years import year_in_range, year_out_of_range_message
from registers.declaration import Column, Register
from registers.models import AuditedRecord, RegisterRecord, count_field
from registers.validators import RecordErrors, month_has_come, month_rule, not_negative_rule, on_or_after


def _period_problems(year: int | None, month: int | None) -> dict[str, str]:
    """A monthly figure's year and month: a real month that has come (the month in progress counts)."""
    if year is None or month is None:
        return {}
    if not year_in_range(year):
        return {"year": year_out_of_range_message(year)}
    if not 1 <= month <= 12:
        return {"month": f"月份“{month}”无效,须在1至12之间。"}
    problem = month_has_come(year, month)
    return {"month": problem} if problem else {}


class MonthlyRecord(RegisterRecord):
    """A register kept month by month: one row per org unit and month (and type, where there is one)."""

    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")

    class Meta:
        abstract = True

    def clean(self) -> None:
        problems = _period_problems(self.year, self.month)
        if problems:
            raise ValidationError(problems)


class InsuranceType(models.TextChoices):
    PENSION = "pension", "养老保险"
    INJURY = "injury", "工伤保险"
    UNEMPLOYMENT = "unemployment", "失业保险"


class InsuredCount(MonthlyRecord):
    """参保人数月报: how many people are insured at the month's end, per insurance type."""

    insurance_type = models.CharField("险种", max_length=16, choices=InsuranceType.choices)
    insured = count_field("参保人数(人)")

    # Kept month by month: a sheet's row is matched by its org unit, month and type, not by an id.
    register = Register(
        columns=["org_unit", "year", "month", "insurance_type", Column("insured", "参保人数")],
        import_key=["org_unit", "year", "month", "insurance_type"],
        list_display=["org_unit", "year", "month", "insurance_type", "insured", "updated_at"],
        list_filter=["year", "insurance_type"],
        search_fields=["org_unit__name", "org_unit__code"],
        api_filters=["year", "month", "insurance_type"],
    )

    class Meta:
        verbose_name = "参保人数月报"
        verbose_name_plural = "参保人数月报"
        ordering = ["-year", "-month", "org_unit__code", "insurance_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "year", "month", "insurance_type"],
                name="insured_count_one_per_org_month_type",
                violation_error_message="该单位该月该险种的参保人数已经登记过,请修改原记录。",
            ),
            month_rule("insured_count_month_1_12"),
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year}年{self.month}月 {self.get_insurance_type_display()} {self.insured}人"


class CardIssuance(MonthlyRecord):
    """社保卡发放登记: third-generation physical cards issued and electronic cards signed in a month.
    E-card coverage is a running total, so the end-2023 level can sit in one opening record (期初)."""

    physical_cards = count_field("三代社保卡发放(张)", default=0)
    ecards_signed = count_field("电子社保卡签发(张)", default=0)

    register = Register(
        columns=[
            "org_unit", "year", "month",
            Column("physical_cards", "三代社保卡发放张数"), Column("ecards_signed", "电子社保卡签发张数"),
        ],
        import_key=["org_unit", "year", "month"],
        list_display=["org_unit", "year", "month", "physical_cards", "ecards_signed", "remark"],
        list_filter=["year"],
        search_fields=["org_unit__name", "org_unit__code", "remark"],
        api_filters=["year", "month"],
    )  # fmt: skip

    class Meta:
        verbose_name = "社保卡发放登记"
        verbose_name_plural = "社保卡发放登记"
        ordering = ["-year", "-month", "org_unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "year", "month"],
                name="card_issuance_one_per_org_month",
                violation_error_message="该单位该月的社保卡发放情况已经登记过,请修改原记录。",
            ),
            month_rule("card_issuance_month_1_12"),
        ]

    def __str__(self) -> str:
        return f"{self.org_unit} {self.year}年{self.month}月 社保卡发放"


RATE_RANGE = [
    MinValueValidator(0, message="费率不能为负数。"),
    MaxValueValidator(100, message="费率不能超过100%。"),
]


class UnemploymentInsuranceRate(AuditedRecord):
    """失业保险费率: employer and individual rates (per cent of the payroll) for a span of dates: city-wide
    policy, so an audited record without an org unit.
    Spans never overlap, so exactly one rate (or none) is in force on any day; on PostgreSQL an
    exclusion constraint (migration 0002) guards that too."""

    valid_from = models.DateField("执行起始日期")
    valid_to = models.DateField("执行截止日期", null=True, blank=True, help_text="留空表示长期有效。")
    employer_rate = models.DecimalField("单位费率(%)", max_digits=7, decimal_places=4, validators=RATE_RANGE)
    individual_rate = models.DecimalField(
        "个人费率(%)", max_digits=7, decimal_places=4, validators=RATE_RANGE
    )
    policy_document = models.CharField("政策文件", max_length=200)

    # A span is matched by the day it starts.
    register = Register(
        columns=["valid_from", "valid_to", "employer_rate", "individual_rate", "policy_document"],
        import_key=["valid_from"],
        list_display=[
            "valid_from", "valid_to", "employer_rate", "individual_rate", "total_rate", "policy_document",
        ],
    )  # fmt: skip

    class Meta:
        verbose_name = "失业保险费率"
        verbose_name_plural = "失业保险费率"
        ordering = ["valid_from"]
        constraints = [
            on_or_after("valid_to", "valid_from"),
            models.CheckConstraint(
                condition=Q(employer_rate__gte=0, individual_rate__gte=0),
                name="unemployment_rate_not_negative",
                violation_error_message="费率不能为负数。",
            ),
        ]

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "长期"
        return f"{self.total_rate.normalize():f}%({self.valid_from.isoformat()}至{end})"

    @property
    @admin.display(description="合计费率(%)")
    def total_rate(self):
        return (self.employer_rate or 0) + (self.individual_rate or 0)

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def clean(self) -> None:
        errors = RecordErrors.of(self)
        if self.valid_from is not None and not errors and (clash := self.overlapping().first()):
            errors.add("valid_from", f"执行期间与已有的失业保险费率“{clash}”重叠,请先调整原记录。")
        errors.raise_any()

    def shares_days_with(self, other: UnemploymentInsuranceRate) -> bool:
        """Whether two spans (not yet both stored, e.g. two rows of one file) share a day."""
        return (self.valid_to is None or other.valid_from <= self.valid_to) and (
            other.valid_to is None or self.valid_from <= other.valid_to
        )

    def overlapping(self) -> models.QuerySet[UnemploymentInsuranceRate]:
        """Other rate records whose span shares at least one day with this one."""
        others = UnemploymentInsuranceRate.objects.exclude(pk=self.pk)
        if self.valid_to is not None:
            others = others.filter(valid_from__lte=self.valid_to)
        return others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))


class LandRequisitionEstimate(RegisterRecord):
    """被征地农民养老保险资金测算: one land-requisition project whose farmers' pension subsidy the bureau
    estimated (为20个项目2373人进行…测算,涉及补偿资金1.4亿元), in the month the estimate was issued."""

    project = models.CharField("征地项目", max_length=200)
    estimated_on = models.DateField("测算日期")
    people = count_field("被征地农民人数")
    # In 万元, as the estimate states it (the report: 1.4亿元 = 14,000万元 over the year's projects).
    amount = models.DecimalField("补偿资金(万元)", max_digits=14, decimal_places=2)

    register = Register(
        columns=["project", "org_unit", "estimated_on", "people", "amount"],
        list_display=["project", "org_unit", "estimated_on", "people", "amount"],
        list_filter=["estimated_on"],
        search_fields=["project"],
        date_hierarchy="estimated_on",
        happened=["estimated_on"],
    )

    class Meta:
        verbose_name = "被征地农民养老保险资金测算"
        verbose_name_plural = "被征地农民养老保险资金测算"
        ordering = ["-estimated_on", "project"]
        constraints = [
            not_negative_rule("amount", "补偿资金", name="land_estimate_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project}({self.estimated_on:%Y-%m-%d})"
