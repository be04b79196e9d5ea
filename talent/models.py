"""Talent registers: public-institution recruitment plans (事业单位公开招聘), campus recruitment
(校园招聘), vocational certificates (职业技能等级证书) and the certification bodies that issue them
(评价机构), skills competitions (职业技能竞赛) and their awards. The certificate register feeds the
provincial quota indicators: every certificate counts once, in the month it was issued."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from registers.declaration import Column, Register
from registers.models import AuditedRecord, RegisterRecord, count_field
from registers.personal import Personal, masked
from registers.validators import RecordErrors, within


class RecruitmentPlan(RegisterRecord):
    """事业单位公开招聘计划: one employer's plan in a year and how it ended."""

    year = models.PositiveSmallIntegerField("年度")
    employer = models.CharField("招聘单位", max_length=100)
    # The plan counts in the month it was approved (全市共批复招聘计划124个): the report's figures by month.
    approved_on = models.DateField("批复日期")
    posts = count_field("计划招聘岗位数")
    applicants = count_field("报名人数")
    hired = count_field("聘用人数")

    register = Register(
        columns=["org_unit", "year", "employer", "approved_on", "posts", "applicants", "hired"],
        list_display=["year", "employer", "org_unit", "approved_on", "posts", "applicants", "hired"],
        list_filter=["year"],
        search_fields=["employer"],
        api_filters=["year"],
    )

    class Meta:
        verbose_name = "事业单位公开招聘计划"
        verbose_name_plural = "事业单位公开招聘计划"
        ordering = ["-year", "employer"]
        constraints = [within("hired", "applicants"), within("hired", "posts")]

    def __str__(self) -> str:
        return f"{self.year}年 {self.employer}"

    def clean(self) -> None:
        errors = RecordErrors.of(self)
        # A plan may be for next year; a year before 2000 or after that is a typing error.
        if self.year is not None and not 2000 <= self.year <= timezone.localdate().year + 1:
            errors.add("year", f"年度“{self.year}”无效。")
        errors.raise_any()


class CampusRecruitment(RegisterRecord):
    """校园招聘: one recruitment event at a university."""

    university = models.CharField("高校", max_length=100)
    held_on = models.DateField("举办日期")
    applicants = count_field("投递简历人数")
    signed = count_field("签约人数")
    masters = count_field("其中:硕士及以上")
    first_tier = count_field("其中:一本院校", default=0)

    register = Register(
        columns=["org_unit", "university", "held_on", "applicants", "signed", "masters", "first_tier"],
        list_display=["held_on", "university", "applicants", "signed", "masters", "first_tier"],
        search_fields=["university"],
        date_hierarchy="held_on",
        api_filters={"held_on": ["gte", "lte"]},
        happened=["held_on"],
    )

    class Meta:
        verbose_name = "校园招聘"
        verbose_name_plural = "校园招聘"
        ordering = ["-held_on", "university"]
        constraints = [
            within("signed", "applicants"),
            within("masters", "signed", label="其中硕士及以上人数"),
            within("first_tier", "signed", label="其中一本院校人数"),
        ]

    def __str__(self) -> str:
        return f"{self.university}({self.held_on})"


class CertificationBody(AuditedRecord):
    """评价机构: who may issue vocational skill level certificates, from the date it was recognised."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", "用人单位(企业)"
        SOCIAL = "social", "社会培训评价组织"
        SCHOOL = "school", "技工院校"

    name = models.CharField(
        "机构名称",
        max_length=100,
        unique=True,
        error_messages={"unique": "该评价机构已经登记过,不能重复登记。"},
    )
    kind = models.CharField("机构类别", max_length=16, choices=Kind.choices)
    recognised_on = models.DateField("备案(认定)日期")

    # The city's own records; a certificate's sheet names its body by its name.
    register = Register(
        columns=["name", "kind", "recognised_on"],
        list_filter=["kind"],
        search_fields=["name"],
        named_by="name",
        happened=["recognised_on"],
    )

    class Meta:
        verbose_name = "评价机构"
        verbose_name_plural = "评价机构"
        ordering = ["recognised_on", "name"]

    def __str__(self) -> str:
        return self.name


class SkillLevel(models.TextChoices):
    JUNIOR = "junior", "初级工"
    INTERMEDIATE = "intermediate", "中级工"
    SENIOR = "senior", "高级工"
    TECHNICIAN = "technician", "技师"
    SENIOR_TECHNICIAN = "senior_technician", "高级技师"


class SkillCertificate(RegisterRecord):
    """职业技能等级证书发放登记: one certificate, counted at the holder's township in the month issued."""

    number = models.CharField(
        "证书编号", max_length=40, unique=True, error_messages={"unique": "证书编号已经登记过,不能重复登记。"}
    )
    holder_name = models.CharField("持证人姓名", max_length=50)
    issued_on = models.DateField("发证日期")
    occupation = models.CharField("职业(工种)", max_length=100)
    level = models.CharField("等级", max_length=20, choices=SkillLevel.choices)
    body = models.ForeignKey(
        CertificationBody, verbose_name="评价机构", on_delete=models.PROTECT, related_name="certificates"
    )

    register = Register(
        columns=["number", "holder_name", "org_unit", "issued_on", "occupation", "level", "body"],
        list_filter=["level", "body"],
        search_fields=["number", "holder_name", "occupation"],
        date_hierarchy="issued_on",
        api_filters={"issued_on": ["gte", "lte"], "level": ["exact"], "number": ["exact"]},
        personal={"holder_name": Personal.NAME},
        happened=["issued_on"],
    )

    class Meta:
        verbose_name = "职业技能等级证书发放登记"
        verbose_name_plural = "职业技能等级证书发放登记"
        ordering = ["-issued_on", "number"]
        indexes = [models.Index(fields=["issued_on"], name="skill_certificate_issued_on")]

    def __str__(self) -> str:
        return f"{self.number} {masked(Personal.NAME, self.holder_name)}"

    def clean(self) -> None:
        errors = RecordErrors.of(self)
        body = self.body if self.body_id else None
        if body and self.issued_on and self.issued_on < body.recognised_on:
            errors.add(
                "issued_on",
                f"发证日期{self.issued_on.isoformat()}早于评价机构“{body.name}”的备案日期"
                f"{body.recognised_on.isoformat()},该机构当时还不能发证。",
            )
        errors.raise_any()


class SkillCompetition(AuditedRecord):
    """职业技能竞赛 our city held or took part in."""

    class Level(models.TextChoices):
        NATIONAL = "national", "国家级"
        PROVINCIAL = "provincial", "省级"
        CITY = "city", "市级"

    name = models.CharField("竞赛名称", max_length=150)
    level = models.CharField("竞赛级别", max_length=16, choices=Level.choices)
    held_on = models.DateField("举办日期")
    hosted = models.BooleanField("我市承办", default=False)
    contestants = count_field("参赛人数")
    regions = models.PositiveSmallIntegerField("参赛地区数", null=True, blank=True)

    # The city's own records; an award's sheet names its competition by its name.
    register = Register(
        columns=["name", "level", "held_on", "hosted", "contestants", "regions"],
        list_display=["name", "level", "held_on", "hosted", "contestants"],
        list_filter=["level", "hosted"],
        search_fields=["name"],
        api_filters=["level", "hosted"],
        named_by="name",
        happened=["held_on"],
    )

    class Meta:
        verbose_name = "职业技能竞赛"
        verbose_name_plural = "职业技能竞赛"
        ordering = ["-held_on", "name"]

    def __str__(self) -> str:
        return f"{self.name}({self.get_level_display()})"


class CompetitionAward(AuditedRecord):
    """获奖: a prize our contestants won at a competition."""

    class Prize(models.TextChoices):
        GOLD = "gold", "金奖"
        SILVER = "silver", "银奖"
        BRONZE = "bronze", "铜奖"
        FIRST = "first", "一等奖"
        SECOND = "second", "二等奖"
        THIRD = "third", "三等奖"
        MERIT = "merit", "优秀奖"

    competition = models.ForeignKey(
        SkillCompetition, verbose_name="竞赛", on_delete=models.PROTECT, related_name="awards"
    )
    winner = models.CharField("获奖选手", max_length=100)
    prize = models.CharField("奖项", max_length=16, choices=Prize.choices)

    register = Register(
        columns=[Column("competition", "竞赛名称"), "winner", "prize"],
        list_display=["winner", "prize", "competition"],
        list_filter=["prize"],
        search_fields=["winner", "competition__name"],
        api_filters=["competition", "prize"],
        personal={"winner": Personal.NAME},
    )

    class Meta:
        verbose_name = "竞赛获奖"
        verbose_name_plural = "竞赛获奖"
        ordering = ["competition", "prize"]

    def __str__(self) -> str:
        return f"{masked(Personal.NAME, self.winner)} {self.get_prize_display()}"
