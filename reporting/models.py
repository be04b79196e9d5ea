"""Township monthly reports: each upload is a versioned submission that keeps a copy of its file.
Its values count (become MonthlyValue rows) only when the bureau approves it. Versions of one township
and month are ordered: confirming a version supersedes the earlier drafts and the one waiting for
review, approving it supersedes the earlier approved one, and an older version is never sent or
approved over a newer one (reporting.services.workflow).

What an upload leaves behind is bounded (issue 23): the kept file is the portal's own copy of the
cells it read (reporting.kept_copy), never the upload's bytes; a draft holds it in its row, not on
disk, until it is confirmed; a township has one draft per month, replaced by its next upload; drafts
never confirmed are purged (REPORT_DRAFT_RETENTION_HOURS); and an account's uploads are counted
(UploadAttempt) and bounded per hour (REPORT_UPLOADS_PER_HOUR)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from indicators.models import EXPLANATION_LABEL, EXPLANATION_MAX_CHARS, VALUE_DIGITS, VALUE_PLACES


class Submission(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿(待确认)"
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已通过"
        RETURNED = "returned", "已退回"
        SUPERSEDED = "superseded", "已被新版本替代"

    township = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="区镇街道", on_delete=models.PROTECT, related_name="submissions"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    version = models.PositiveIntegerField("版本")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Written when the draft is confirmed, never changed or deleted after (backups rely on it). Empty
    # for a draft: its file waits in `preview_file`.
    file = models.FileField("保存的文件", upload_to="submissions/%Y/%m/", blank=True)
    # The kept copy of a draft, until it is confirmed (then written to `file`) or purged. In the row, so
    # a replaced or purged draft takes it along in the same transaction, and nothing is left on disk.
    preview_file = models.BinaryField("待确认的文件", null=True, blank=True, editable=False)
    # Whether `file` is the portal's copy (kept_copy) or, for a submission stored before issue 23, the
    # upload's own bytes: those are served as a copy made when asked (services.files).
    file_is_copy = models.BooleanField("保存的是系统生成的副本", default=False)
    # Uploaded from the bureau's city-wide file (one sheet per township): a township is never given
    # that file, only its own template filled with its figures (services.files).
    is_city_file = models.BooleanField("全市合一文件", default=False)
    original_filename = models.CharField("文件名", max_length=255)
    # The upload's own bytes, for "the same file as version N" (services.versions).
    original_sha256 = models.CharField("上传文件SHA-256", max_length=64, blank=True)
    # The kept file's, checked by every backup (backups.services).
    file_sha256 = models.CharField("保存文件SHA-256", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    is_late = models.BooleanField("逾期提交", default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    warnings = models.JSONField("确认过的提醒", default=list, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name="替代它的版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "月报提交"
        verbose_name_plural = "月报提交"
        ordering = ["-year", "-month", "township__sort_order", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "year", "month", "version"], name="submission_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="submission_month_1_12",
                violation_error_message="月份须在1至12之间。",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="submission_returned_has_reason",
                violation_error_message="退回必须写明原因。",
            ),
            models.CheckConstraint(
                condition=(Q(status="superseded") & Q(superseded_by__isnull=False))
                | (~Q(status="superseded") & Q(superseded_by__isnull=True)),
                name="submission_superseded_names_its_successor",
                violation_error_message="被替代的月报必须记录替代它的版本。",
            ),
            # One version of a township's month waits for review at a time: confirming a newer one
            # supersedes it (two pending versions let an older one be approved over a newer one).
            models.UniqueConstraint(
                fields=["township", "year", "month"],
                condition=Q(status="pending"),
                name="submission_one_pending_per_period",
                violation_error_message="同一区镇街道同一月份只能有一个待审核的版本。",
            ),
            # One draft per township and month: the next upload replaces it, so previews that are
            # never confirmed cannot pile up (issue 23).
            models.UniqueConstraint(
                fields=["township", "year", "month"],
                condition=Q(status="draft"),
                name="submission_one_draft_per_period",
                violation_error_message="同一区镇街道同一月份只能有一份待确认的草稿。",
            ),
            # A version sent to the bureau always has its file.
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(file=""),
                name="submission_sent_has_file",
                violation_error_message="已提交的月报必须保存文件。",
            ),
        ]
        indexes = [models.Index(fields=["year", "month", "township"], name="submission_period")]

    def __str__(self) -> str:
        return f"{self.township.name} {self.year}年{self.month}月 第{self.version}版({self.get_status_display()})"


class SubmissionValue(models.Model):
    """One figure as the township sent it. value None = left blank (not reported)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(
        "indicators.Indicator", verbose_name="指标", on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(
        "数值", max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    remark = models.CharField("备注", max_length=200, blank=True)
    # The township's 核实说明 for a figure a 核实 rule flags: the reviewer reads it, approval keeps it.
    explanation = models.CharField(EXPLANATION_LABEL, max_length=EXPLANATION_MAX_CHARS, blank=True)
    sheet = models.CharField("工作表", max_length=64, blank=True)
    row = models.PositiveIntegerField("行号", null=True, blank=True)

    class Meta:
        verbose_name = "月报数值"
        verbose_name_plural = "月报数值"
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "indicator"], name="submissionvalue_one_per_indicator"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="submissionvalue_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}={self.value}"


class LockOverride(models.Model):
    """The bureau opens a locked month for one township until a given time."""

    township = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="区镇街道", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    open_until = models.DateTimeField("开放至")
    reason = models.CharField("原因", max_length=200)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="开放人", on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField("开放时间", auto_now_add=True)

    class Meta:
        verbose_name = "月报解锁"
        verbose_name_plural = "月报解锁"
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["township", "year", "month"], name="lockoverride_period")]

    def __str__(self) -> str:
        return f"{self.township.name} {self.year}年{self.month}月 开放至{self.open_until:%Y-%m-%d %H:%M}"


class UploadAttempt(models.Model):
    """One upload through the web door, counted against REPORT_UPLOADS_PER_HOUR for its account (every
    upload is read and checked, whether it passes or not). Rows older than an hour count for nothing
    and are purged with the drafts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "月报上传记录"
        verbose_name_plural = "月报上传记录"
        indexes = [models.Index(fields=["user", "at"], name="uploadattempt_user_at")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.at:%Y-%m-%d %H:%M}"
