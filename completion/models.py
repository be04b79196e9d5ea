"""Derived figures. Everything here can be thrown away and rebuilt by `recompute_completion`;
nothing is typed in, and readers never compute completion themselves."""

from django.db import models
from django.utils import timezone

from indicators.models import VALUE_DIGITS, VALUE_PLACES

RATE_DIGITS, RATE_PLACES = 14, 4


class Status(models.TextChoices):
    AHEAD = "ahead", "超序时进度"
    BEHIND = "behind", "落后序时进度"
    FAR_BEHIND = "far_behind", "严重落后"
    NO_QUOTA = "no_quota", "无目标任务"
    NO_DATA = "no_data", "未报送"


class Completion(models.Model):
    """One indicator at one org unit at the end of one month: year-to-date actual against the annual
    quota and the calendar. Rates are percentages kept to four places; pages round them half up."""

    # Derived rows, rewritten by the engine from ids it just read: no database FK checks (60,000 deferred
    # checks at each cold commit in the benchmark); Django still cascades deletes. completion_org_month
    # serves lookups by org unit, so that FK needs no index of its own.
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name="指标",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="组织机构",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    # Flow: sum of months 1..month. Stock: latest reported level. Ratio: the rate in %.
    actual = models.DecimalField(
        "累计完成", max_digits=VALUE_DIGITS + 4, decimal_places=VALUE_PLACES, null=True
    )
    numerator = models.DecimalField(
        "分子", max_digits=VALUE_DIGITS + 4, decimal_places=VALUE_PLACES, null=True
    )
    denominator = models.DecimalField(
        "分母", max_digits=VALUE_DIGITS + 4, decimal_places=VALUE_PLACES, null=True
    )
    quota = models.DecimalField("年度目标", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True)
    completion_rate = models.DecimalField(
        "完成率(%)", max_digits=RATE_DIGITS, decimal_places=RATE_PLACES, null=True
    )
    time_progress = models.DecimalField("时序进度(%)", max_digits=7, decimal_places=RATE_PLACES)
    gap = models.DecimalField(
        "与进度差(百分点)", max_digits=RATE_DIGITS, decimal_places=RATE_PLACES, null=True
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices)
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "指标完成情况"
        verbose_name_plural = "指标完成情况"
        ordering = ["year", "month", "indicator__sort_order", "org_unit__sort_order"]
        constraints = [
            # Field order serves the readers: a month's panel, then one indicator across townships.
            models.UniqueConstraint(
                fields=["year", "month", "indicator", "org_unit"], name="completion_one_per_cell"
            ),
        ]
        indexes = [models.Index(fields=["org_unit", "year", "month"], name="completion_org_month")]

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月 {self.org_unit_id} {self.indicator_id} {self.completion_rate}"


class CompletionRun(models.Model):
    """One run of the engine, so pages can say when the figures were last computed."""

    class Trigger(models.TextChoices):
        CHANGE = "change", "数据变更"
        CATCH_UP = "catch_up", "补算积压"
        NIGHTLY = "nightly", "夜间定时"
        COMMAND = "command", "手工命令"
        DEMO = "demo", "演示数据"

    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", null=True, blank=True, help_text="空表示全年")
    trigger = models.CharField("触发方式", max_length=10, choices=Trigger.choices)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("完成时间")
    rows = models.PositiveIntegerField("计算格数")
    rows_changed = models.PositiveIntegerField("变化格数")
    # An incremental run (a change recomputed along its units' ancestors): how many indicators and
    # units it recomputed. Empty for a whole year.
    indicators = models.PositiveIntegerField("重算指标数", null=True, blank=True, help_text="空表示全部指标")
    org_units = models.PositiveIntegerField("重算单位数", null=True, blank=True, help_text="空表示全部单位")

    class Meta:
        verbose_name = "完成率计算记录"
        verbose_name_plural = "完成率计算记录"
        ordering = ["-finished_at"]
        indexes = [models.Index(fields=["year", "-finished_at"], name="completionrun_year_latest")]

    def __str__(self) -> str:
        return f"{self.year}年 {self.finished_at:%Y-%m-%d %H:%M:%S}"


class RecomputeRequest(models.Model):
    """A year whose figures changed and have not been recomputed since: the durable record of the
    need, written in the same transaction as the change (completion.services.completion_request_recompute)
    and deleted by the run that saw it before it began computing. One row per changing transaction and
    year, written and widened only by that transaction: concurrent saves of a year take no lock on a
    shared row. Redis only carries the fast path (a marker and the task); if it loses them, the
    worker's drain and beat find these.

    What changed: the indicators and the units whose own figures or quotas changed; the run recomputes
    those indicators (and the ratios on them) at those units and every unit above them. Empty: the
    whole year (the indicator set, the org tree, a request from before they were kept)."""

    year = models.PositiveSmallIntegerField("年度")
    requested_at = models.DateTimeField("提出时间", default=timezone.now)
    indicator_ids = models.JSONField("变更的指标", null=True, blank=True, help_text="空表示全年全部指标")
    org_unit_ids = models.JSONField("变更的单位", null=True, blank=True, help_text="空表示全部单位")

    class Meta:
        verbose_name = "待重新计算"
        verbose_name_plural = "待重新计算"
        indexes = [models.Index(fields=["year"], name="recomputerequest_year")]

    def __str__(self) -> str:
        return f"{self.year}年 {self.requested_at:%Y-%m-%d %H:%M:%S}"
