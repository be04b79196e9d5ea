"""The facts: indicators, the annual quotas handed down, and the monthly values reported.
Completion is derived from these elsewhere and never typed."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from common.numbers import format_figure

# Exact decimals. Money is kept in 万元 with six places (to the 分); counts are whole numbers.
VALUE_DIGITS, VALUE_PLACES = 20, 6


class Area(models.TextChoices):
    EMPLOYMENT = "employment", "就业"
    SOCIAL_INSURANCE = "social_insurance", "社会保险"
    TALENT = "talent", "人才人事"
    LABOR_RELATIONS = "labor_relations", "劳动关系"


class Channel(models.TextChoices):
    """Through which door a figure arrived."""

    ADMIN = "admin", "管理后台"
    SHEET = "sheet", "后台月度填报"
    SPLIT = "split", "目标任务分解"
    IMPORT = "import", "后台批量导入"
    API = "api", "接口"
    UPLOAD = "upload", "区镇报表上传"
    REGISTER = "register", "业务台账汇总"
    COMMAND = "command", "命令行"
    DEMO = "demo", "演示数据"


class Indicator(models.Model):
    class Kind(models.TextChoices):
        FLOW = "flow", "累计型"
        STOCK = "stock", "时点型"
        RATIO = "ratio", "比率型"

    code = models.CharField("指标代码", max_length=64, unique=True)
    name = models.CharField("指标名称", max_length=100)
    area = models.CharField("业务领域", max_length=20, choices=Area.choices)
    unit = models.CharField("计量单位", max_length=10)
    kind = models.CharField("指标类型", max_length=10, choices=Kind.choices)
    numerator = models.ForeignKey(
        "self", verbose_name="分子指标", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    denominator = models.ForeignKey(
        "self", verbose_name="分母指标", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="“其中”所属指标",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        help_text="“其中”项是上一级指标的一部分,任何月份都不能大于它。",
    )
    value_places = models.PositiveSmallIntegerField("数值小数位", default=0)
    rate_places = models.PositiveSmallIntegerField("完成率显示小数位", default=1)
    township_reported = models.BooleanField("区镇街道填报", default=True)
    fed_by = models.CharField(
        "数据来源台账",
        max_length=50,
        blank=True,
        help_text="由业务台账自动汇总的指标不能手工填报,只能在台账中更正记录。",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    description = models.TextField("口径说明", blank=True)

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="ratio", numerator__isnull=False, denominator__isnull=False))
                | (~Q(kind="ratio") & Q(numerator__isnull=True, denominator__isnull=True)),
                name="indicator_ratio_has_numerator_and_denominator",
                violation_error_message="比率型指标必须指定分子和分母指标,其他类型不能指定。",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="indicator_parent_not_self",
                violation_error_message="指标不能是自己的“其中”项。",
            ),
            models.CheckConstraint(
                condition=Q(value_places__lte=VALUE_PLACES) & Q(rate_places__lte=4),
                name="indicator_places_in_range",
                violation_error_message=f"数值小数位不能超过{VALUE_PLACES}位,完成率小数位不能超过4位。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.unit})"

    @property
    def is_ratio(self) -> bool:
        return self.kind == self.Kind.RATIO

    @property
    def is_register_fed(self) -> bool:
        return bool(self.fed_by)


class Quota(models.Model):
    """The annual target for an indicator at an org unit: the city's as handed down by the province
    (省级下达指标), a township's as the city splits it. For a ratio indicator the target is a rate in %."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="quotas"
    )
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="组织机构", on_delete=models.PROTECT, related_name="quotas"
    )
    year = models.PositiveSmallIntegerField("年度")
    target = models.DecimalField("年度目标", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    note = models.CharField("备注", max_length=200, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "年度目标任务"
        verbose_name_plural = "年度目标任务"
        ordering = ["-year", "indicator__sort_order", "org_unit__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "indicator", "org_unit"], name="quota_one_per_indicator_org_year"
            ),
            models.CheckConstraint(
                condition=Q(target__gt=0),
                name="quota_target_positive",
                violation_error_message="年度目标必须大于0。",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="quota_year_in_range",
                violation_error_message="年度须在2000至2100之间。",
            ),
        ]

    def __str__(self) -> str:
        figure = format_figure(self.target, max(self.indicator.value_places, self.indicator.rate_places))
        return f"{self.year}年 {self.org_unit.name} {self.indicator.name} {figure}{self.indicator.unit}"


class MonthlyValue(models.Model):
    """One reported figure: an indicator at an org unit for one month. For a flow indicator it is the
    month's own amount, for a stock indicator the level at the month's end. No row = not reported."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="values"
    )
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="组织机构", on_delete=models.PROTECT, related_name="values"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    value = models.DecimalField("数值", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    remark = models.CharField("备注", max_length=200, blank=True)
    channel = models.CharField("来源", max_length=10, choices=Channel.choices, default=Channel.ADMIN)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "月度数据"
        verbose_name_plural = "月度数据"
        ordering = ["-year", "-month", "indicator__sort_order", "org_unit__sort_order"]
        constraints = [
            # Field order matters: the completion engine reads one year at a time through this index.
            models.UniqueConstraint(
                fields=["year", "indicator", "org_unit", "month"],
                name="monthlyvalue_one_per_indicator_org_month",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="monthlyvalue_not_negative",
                violation_error_message="数值不能为负数。",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="monthlyvalue_month_1_12",
                violation_error_message="月份须在1至12之间。",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="monthlyvalue_year_in_range",
                violation_error_message="年度须在2000至2100之间。",
            ),
        ]

    def __str__(self) -> str:
        figure = format_figure(self.value, self.indicator.value_places)
        return f"{self.year}年{self.month}月 {self.org_unit.name} {self.indicator.name} {figure}{self.indicator.unit}"


class FigureChange(models.Model):
    """The history of every figure: who changed what, when, from what to what (the value and its remark;
    a quota's target and its note), through which door. Written by the services in the same transaction
    as the change itself, for every change, a remark-only one too."""

    class Subject(models.TextChoices):
        VALUE = "value", "月度数据"
        QUOTA = "quota", "年度目标"

    subject = models.CharField("对象", max_length=10, choices=Subject.choices)
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="+")
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="组织机构", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", null=True, blank=True)
    old_value = models.DecimalField(
        "原值", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    new_value = models.DecimalField(
        "新值", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    # A figure's remark (a quota's note) before and after: a change of the remark alone is a change too.
    old_remark = models.CharField("原备注", max_length=200, blank=True, default="")
    new_remark = models.CharField("新备注", max_length=200, blank=True, default="")
    changed_at = models.DateTimeField("修改时间", default=timezone.now, db_index=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the record still names the person if the account is removed.
    changed_by_name = models.CharField("修改人姓名", max_length=150, blank=True)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "数据修改记录"
        verbose_name_plural = "数据修改记录"
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["year", "indicator", "org_unit", "month"], name="figurechange_cell")]

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d %H:%M} {self.changed_by_name} {self.old_value}→{self.new_value}"
