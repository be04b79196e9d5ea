"""The labour-relations registers: dispute cases (劳动人事争议案件), wage-arrears cases (欠薪案件),
employer credit ratings (劳动保障守法诚信等级评价) and the wage-arrears blacklist (失信联合惩戒名单).

How the report's dispute figures fit one register: a case the commission receives is either settled
by mediation before it is filed for arbitration (仲裁前调解, at the 一站式劳动争议维权中心) or filed and
heard by an arbitration tribunal (仲裁立案). The report's mediation rate (442 ÷ 483 = 91.51%) counts
mediated closings at both stages over all closings; its arbitration finality rate (177 ÷ 187 = 94.65%)
counts, over the arbitration-stage closings only, those ended for good at arbitration: by a mediation
statement (仲裁调解书, binding once served, no appeal) or a final award (终局裁决, Art. 47 of the
劳动争议调解仲裁法). 442 + 187 > 483 because an arbitral mediation is in both figures."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import models
from django.db.models import Q

from registers.declaration import Register
from registers.models import RegisterRecord, count_field
from registers.personal import Personal, masked
from registers.validators import (
    AT_UPPER_OR_TOWNSHIP,
    RecordErrors,
    not_negative_rule,
    on_or_after,
    year_rule,
)

from .credit_codes import validate_credit_code

# 劳动争议调解仲裁法 Art. 43: an award within 45 days of acceptance; the commission's director may
# extend it once, by at most 15 days. Periods the rules do not count (suspension, expert appraisal,
# service by notice) can push the date further, so the date is stored, with these as its default.
STATUTORY_DAYS = 45
EXTENSION_DAYS = 15

MONEY = {"max_digits": 14, "decimal_places": 2}


# Cases are registered at the city (市本级; a county's or prefecture's own) or a township, never at a
# village service point.
CITY_OR_TOWNSHIP = AT_UPPER_OR_TOWNSHIP


class DisputeCase(RegisterRecord):
    class Stage(models.TextChoices):
        MEDIATION = "mediation", "仲裁前调解"
        ARBITRATION = "arbitration", "仲裁立案审理"

    class Closing(models.TextChoices):
        MEDIATED = "mediated", "调解"
        AWARDED = "awarded", "仲裁裁决"
        WITHDRAWN = "withdrawn", "撤诉"
        OTHER = "other", "其他"

    case_number = models.CharField(
        "案号", max_length=60, unique=True, error_messages={"unique": "该案号已登记,不能重复。"}
    )
    applicant = models.CharField("申请人", max_length=100)
    respondent = models.CharField("被申请人(用人单位)", max_length=200)
    received_on = models.DateField("受理日期")
    stage = models.CharField(
        "办理阶段",
        max_length=12,
        choices=Stage.choices,
        default=Stage.MEDIATION,
        help_text="调解不成转入仲裁立案的,改为“仲裁立案审理”。",
    )
    deadline_extended = models.BooleanField("经批准延期", default=False, help_text="延长期限不超过15日。")
    deadline_on = models.DateField(
        "审限届满日", blank=True, help_text="不填则按受理日期加45日(经批准延期的加60日)计算。"
    )
    closed_on = models.DateField("结案日期", null=True, blank=True)
    closed_how = models.CharField("结案方式", max_length=10, choices=Closing.choices, blank=True)
    final_award = models.BooleanField("终局裁决", default=False, help_text="仅适用于以仲裁裁决结案的案件。")
    amount = models.DecimalField("涉案金额(元)", **MONEY, default=Decimal(0))

    register = Register(
        columns=[
            "case_number", "org_unit", "applicant", "respondent", "received_on", "stage", "deadline_extended",
            "deadline_on", "closed_on", "closed_how", "final_award", "amount",
        ],
        list_display=[
            "case_number", "applicant", "respondent", "org_unit", "received_on", "stage", "deadline_on",
            "closed_on", "closed_how", "final_award", "amount",
        ],
        list_filter=["stage", "closed_how", "final_award", "deadline_extended", "received_on"],
        search_fields=["case_number", "applicant", "respondent"],
        date_hierarchy="received_on",
        sections={
            "受理与审限": ["received_on", "stage", "deadline_extended", "deadline_on"],
            "结案": ["closed_on", "closed_how", "final_award"],
        },
        api_filters=["stage", "closed_how", "final_award"],
        personal={"applicant": Personal.NAME},
        counted_at=CITY_OR_TOWNSHIP,
        happened=["received_on", "closed_on"],
    )  # fmt: skip

    class Meta:
        verbose_name = "劳动人事争议案件"
        verbose_name_plural = "劳动人事争议案件"
        ordering = ["-received_on", "case_number"]
        indexes = [
            # The feeds count by these dates, month by month.
            models.Index(fields=["received_on"], name="dispute_received"),
            models.Index(fields=["closed_on"], name="dispute_closed"),
        ]
        constraints = [
            on_or_after("closed_on", "received_on"),
            on_or_after("deadline_on", "received_on"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, closed_how="")
                | (Q(closed_on__isnull=False) & ~Q(closed_how="")),
                name="dispute_closed_with_how",
                violation_error_message="结案日期和结案方式须同时填写。",
            ),
            models.CheckConstraint(
                condition=~Q(closed_how="awarded") | Q(stage="arbitration"),
                name="dispute_award_only_in_arbitration",
                violation_error_message="只有仲裁立案审理的案件才能以仲裁裁决结案。",
            ),
            models.CheckConstraint(
                condition=Q(final_award=False) | Q(closed_how="awarded"),
                name="dispute_final_only_when_awarded",
                violation_error_message="只有以仲裁裁决结案的案件才能标记为终局裁决。",
            ),
            not_negative_rule("amount", "涉案金额", name="dispute_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {masked(Personal.NAME, self.applicant)}诉{self.respondent}"

    @staticmethod
    def default_deadline(received_on: date, extended: bool) -> date:
        return received_on + timedelta(days=STATUTORY_DAYS + (EXTENSION_DAYS if extended else 0))

    @property
    def closed_on_time(self) -> bool:
        return bool(self.closed_on and self.closed_on <= self.deadline_on)

    def clean_fields(self, exclude=None) -> None:
        # The deadline defaults from the received date before the "required" check runs.
        if self.deadline_on is None and self.received_on:
            self.deadline_on = self.default_deadline(self.received_on, self.deadline_extended)
        super().clean_fields(exclude)

    def save(self, *args, **kwargs) -> None:
        if self.deadline_on is None and self.received_on:
            self.deadline_on = self.default_deadline(self.received_on, self.deadline_extended)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = RecordErrors.of(self)
        if bool(self.closed_on) != bool(self.closed_how):
            errors.add("closed_how" if self.closed_on else "closed_on", "结案日期和结案方式须同时填写。")
        if self.closed_how == self.Closing.AWARDED and self.stage != self.Stage.ARBITRATION:
            errors.add("closed_how", "只有仲裁立案审理的案件才能以仲裁裁决结案。")
        if self.final_award and self.closed_how != self.Closing.AWARDED:
            errors.add("final_award", "只有以仲裁裁决结案的案件才能标记为终局裁决。")
        errors.raise_any()


class WageArrearsCase(RegisterRecord):
    class Source(models.TextChoices):
        COMPLAINT = "complaint", "投诉举报"
        PLATFORM = "platform", "欠薪线索平台"
        CAMPAIGN = "campaign", "专项行动"
        INSPECTION = "inspection", "日常巡查"
        REFERRAL = "referral", "部门移交"

    case_number = models.CharField(
        "案号", max_length=60, unique=True, error_messages={"unique": "该案号已登记,不能重复。"}
    )
    employer = models.CharField("用人单位", max_length=200)
    source = models.CharField("案件来源", max_length=12, choices=Source.choices)
    opened_on = models.DateField("立案日期")
    closed_on = models.DateField("结案日期", null=True, blank=True)
    workers = count_field("涉及劳动者人数", default=0)
    # In 元 as the case file has it; the indicator is in 万元 (divided in the feed).
    amount_recovered = models.DecimalField("追发工资待遇(元)", **MONEY, default=Decimal(0))
    referred_to_police = models.BooleanField(
        "移送公安", default=False, help_text="以拒不支付劳动报酬罪移送。"
    )
    court_enforcement = models.BooleanField("申请法院强制执行", default=False)

    register = Register(
        columns=[
            "case_number", "org_unit", "employer", "source", "opened_on", "closed_on", "workers",
            "amount_recovered", "referred_to_police", "court_enforcement",
        ],
        list_display=[
            "case_number", "employer", "org_unit", "source", "opened_on", "closed_on", "workers",
            "amount_recovered", "referred_to_police", "court_enforcement",
        ],
        list_filter=["source", "referred_to_police", "court_enforcement", "opened_on"],
        search_fields=["case_number", "employer"],
        date_hierarchy="opened_on",
        api_filters=["source", "referred_to_police", "court_enforcement"],
        counted_at=CITY_OR_TOWNSHIP,
        happened=["opened_on", "closed_on"],
    )  # fmt: skip

    class Meta:
        verbose_name = "欠薪案件"
        verbose_name_plural = "欠薪案件"
        ordering = ["-opened_on", "case_number"]
        indexes = [models.Index(fields=["closed_on"], name="wage_case_closed")]
        constraints = [
            on_or_after("closed_on", "opened_on"),
            not_negative_rule("amount_recovered", "追发工资待遇金额", name="wage_case_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.employer}"


class CreditRating(RegisterRecord):
    class Grade(models.TextChoices):
        A = "A", "A级(守法诚信)"
        B = "B", "B级(基本守法诚信)"
        C = "C", "C级(不守法诚信)"

    employer = models.CharField("用人单位", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, validators=[validate_credit_code])
    year = models.PositiveSmallIntegerField("评价年度")
    grade = models.CharField("评价等级", max_length=1, choices=Grade.choices)
    # The file made (生成年度诚信评价档案) and, where the employer asked for one, the rating report issued
    # (开具诚信等级评价报告): the report counts each in its month (labor_relations.feeds).
    rated_on = models.DateField("档案生成日期")
    report_issued_on = models.DateField("开具评价报告日期", null=True, blank=True)

    register = Register(
        columns=["employer", "credit_code", "org_unit", "year", "grade", "rated_on", "report_issued_on"],
        list_filter=["year", "grade", "rated_on"],
        search_fields=["employer", "credit_code"],
        api_filters=["year", "grade"],
        counted_at=CITY_OR_TOWNSHIP,
        counted_as="诚信等级评价档案",
        happened=["year", "rated_on", "report_issued_on"],
    )

    class Meta:
        verbose_name = "用人单位守法诚信等级评价"
        verbose_name_plural = "用人单位守法诚信等级评价"
        ordering = ["-year", "employer"]
        constraints = [
            on_or_after("report_issued_on", "rated_on"),
            models.UniqueConstraint(
                fields=["credit_code", "year"],
                name="credit_rating_one_per_year",
                violation_error_message="该用人单位本年度已有诚信等级评价档案。",
            ),
            year_rule("credit_rating_year_range", label="评价年度"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.employer} {self.grade}级"


class BlacklistEntry(RegisterRecord):
    employer = models.CharField("用人单位", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, validators=[validate_credit_code])
    listed_on = models.DateField("列入日期")
    reason = models.CharField("列入事由", max_length=300)
    removed_on = models.DateField("移出日期", null=True, blank=True)

    register = Register(
        columns=["employer", "credit_code", "org_unit", "listed_on", "reason", "removed_on"],
        list_display=["employer", "credit_code", "org_unit", "listed_on", "removed_on", "reason"],
        list_filter=["listed_on", "removed_on"],
        search_fields=["employer", "credit_code"],
        counted_at=CITY_OR_TOWNSHIP,
        counted_as="失信联合惩戒名单",
        happened=["listed_on", "removed_on"],
    )

    class Meta:
        verbose_name = "拖欠农民工工资失信联合惩戒名单"
        verbose_name_plural = "拖欠农民工工资失信联合惩戒名单"
        ordering = ["-listed_on", "employer"]
        constraints = [
            on_or_after("removed_on", "listed_on"),
            # An employer is on the list at most once at a time; it may be listed again after removal.
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=Q(removed_on__isnull=True),
                name="blacklist_one_current_listing",
                violation_error_message="该用人单位已在失信联合惩戒名单中,尚未移出。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer}({self.listed_on:%Y-%m-%d}列入)"

    @property
    def is_current(self) -> bool:
        return self.removed_on is None


class InspectionComplaint(RegisterRecord):
    """劳动监察投诉举报: one visit, call or letter received by the labour inspection brigade (劳动监察大队),
    and what came of it. The report counts the complaints received (接待…投诉举报3400余人次)."""

    class Channel(models.TextChoices):
        VISIT = "visit", "来访"
        PHONE = "phone", "来电"
        LETTER = "letter", "来信"
        ONLINE = "online", "网上投诉"

    class Outcome(models.TextChoices):
        EXPLAINED = "explained", "政策解答"
        MEDIATED = "mediated", "调解处理"
        CASE = "case", "立案查处"
        REFERRED = "referred", "转办"

    number = models.CharField(
        "登记编号", max_length=40, unique=True, error_messages={"unique": "该登记编号已登记,不能重复。"}
    )
    received_on = models.DateField("接待日期")
    channel = models.CharField("接待方式", max_length=10, choices=Channel.choices)
    complainant = models.CharField("投诉举报人", max_length=50)
    employer = models.CharField("被投诉单位", max_length=200)
    matter = models.CharField("投诉事项", max_length=200)
    workers = count_field("涉及劳动者人数", default=1)
    outcome = models.CharField("处理方式", max_length=10, choices=Outcome.choices, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)

    register = Register(
        columns=[
            "number", "org_unit", "received_on", "channel", "complainant", "employer", "matter", "workers",
            "outcome", "closed_on",
        ],
        list_display=[
            "number", "received_on", "channel", "complainant", "employer", "org_unit", "outcome", "closed_on",
        ],
        list_filter=["channel", "outcome", "received_on"],
        search_fields=["number", "complainant", "employer", "matter"],
        date_hierarchy="received_on",
        api_filters=["channel", "outcome"],
        personal={"complainant": Personal.NAME},
        counted_at=CITY_OR_TOWNSHIP,
        counted_as="投诉举报",
        happened=["received_on", "closed_on"],
    )  # fmt: skip

    class Meta:
        verbose_name = "劳动监察投诉举报"
        verbose_name_plural = "劳动监察投诉举报"
        ordering = ["-received_on", "id"]
        indexes = [models.Index(fields=["received_on"], name="inspection_complaint_received")]
        constraints = [on_or_after("closed_on", "received_on")]

    def __str__(self) -> str:
        return f"{self.received_on:%Y-%m-%d} {masked(Personal.NAME, self.complainant)} 投诉 {self.employer}"


class WageArrearsLead(RegisterRecord):
    """全国根治欠薪线索反映平台的线索: one lead the platform assigned to the city, and its handling. The
    report counts the leads handled (处置…线索319条), in the month they were closed on the platform."""

    lead_number = models.CharField(
        "线索编号", max_length=40, unique=True, error_messages={"unique": "该线索编号已登记,不能重复。"}
    )
    assigned_on = models.DateField("接收日期")
    employer = models.CharField("被反映单位", max_length=200)
    workers = count_field("反映人数", default=1)
    amount_claimed = models.DecimalField("反映欠薪金额(元)", **MONEY, default=Decimal(0))
    handled_on = models.DateField("办结日期", null=True, blank=True)
    became_case = models.BooleanField("转立案", default=False)

    register = Register(
        columns=[
            "lead_number", "org_unit", "assigned_on", "employer", "workers", "amount_claimed", "handled_on",
            "became_case",
        ],
        list_display=["lead_number", "employer", "org_unit", "assigned_on", "handled_on", "became_case"],
        list_filter=["became_case", "assigned_on", "handled_on"],
        search_fields=["lead_number", "employer"],
        date_hierarchy="assigned_on",
        api_filters=["became_case"],
        counted_at=CITY_OR_TOWNSHIP,
        happened=["assigned_on", "handled_on"],
    )  # fmt: skip

    class Meta:
        verbose_name = "欠薪线索"
        verbose_name_plural = "欠薪线索"
        ordering = ["-assigned_on", "lead_number"]
        indexes = [models.Index(fields=["handled_on"], name="arrears_lead_handled")]
        constraints = [
            on_or_after("handled_on", "assigned_on"),
            not_negative_rule("amount_claimed", "反映欠薪金额", name="arrears_lead_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.lead_number} {self.employer}"
