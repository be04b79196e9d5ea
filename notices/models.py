"""Notices: what the portal tells people about the township reports (催报 before and after the deadline,
one-click 催报 by the bureau, a report returned / approved / arrived / resubmitted), and a record of
every delivery of each one, on each channel, to each person.

A Notice is one event about one township's month. The database holds "exactly once": a reminder kind
is unique per (township, kind, month, day), an event kind per (submission, kind), so beat firing twice
or two workers running the same schedule insert one row and the second finds it taken."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Notice(models.Model):
    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "截止前催报"
        DUE_TODAY = "due_today", "截止日催报"
        OVERDUE = "overdue", "逾期催报"
        MANUAL = "manual", "一键催报"
        RETURNED = "returned", "月报被退回"
        APPROVED = "approved", "月报审核通过"
        ARRIVED = "arrived", "收到月报"
        RESUBMITTED = "resubmitted", "退回后重新报送"

    # Reminders chase a township that owes a month; events follow one submission.
    REMINDER_KINDS = (Kind.DUE_SOON, Kind.DUE_TODAY, Kind.OVERDUE, Kind.MANUAL)
    EVENT_KINDS = (Kind.RETURNED, Kind.APPROVED, Kind.ARRIVED, Kind.RESUBMITTED)

    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    township = models.ForeignKey(
        "orgs.OrgUnit", verbose_name="区镇街道", on_delete=models.PROTECT, related_name="notices"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    # The day (Asia/Shanghai) the reminder is for: part of its exactly-once key.
    date = models.DateField("日期")
    submission = models.ForeignKey(
        "reporting.Submission",
        verbose_name="月报提交",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    note = models.CharField("催报附言", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="空 = 系统按计划发送。",
    )
    created_at = models.DateTimeField("发送时间", default=timezone.now)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["township", "kind", "year", "month", "date"],
                condition=Q(kind__in=["due_soon", "due_today", "overdue", "manual"]),
                name="notice_reminder_once_a_day",
                violation_error_message="同一区镇街道同一月份同一天的同类催报只发送一次。",
            ),
            models.UniqueConstraint(
                fields=["submission", "kind"],
                condition=Q(kind__in=["returned", "approved", "arrived", "resubmitted"]),
                name="notice_event_once_per_submission",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["due_soon", "due_today", "overdue", "manual"])
                | Q(submission__isnull=False),
                name="notice_event_has_submission",
            ),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="notice_month_1_12"),
        ]
        # The status page counts each township's reminders for a month (notices.selectors).
        indexes = [models.Index(fields=["year", "month", "township", "kind"], name="notice_period")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.township.name} {self.year}年{self.month}月"


class Delivery(models.Model):
    """One notice to one person on one channel: sent or failed, and for the portal, when it was read."""

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"
        CANCELLED = "cancelled", "已取消(已报送)"

    notice = models.ForeignKey(
        Notice, verbose_name="通知", on_delete=models.CASCADE, related_name="deliveries"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField("发送方式", max_length=16)
    address = models.CharField("地址", max_length=254, blank=True, help_text="邮箱等;站内通知为空。")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    sent_at = models.DateTimeField("送达时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知送达记录"
        verbose_name_plural = "通知送达记录"
        ordering = ["-notice__created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "recipient", "channel"], name="delivery_once_per_channel"
            ),
        ]
        indexes = [
            # The badge on every page: one index-only count of a person's unread portal notices.
            models.Index(
                fields=["recipient"],
                condition=Q(channel="portal", read_at__isnull=True),
                name="delivery_unread",
            ),
            models.Index(fields=["recipient", "channel", "-id"], name="delivery_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.notice} → {self.recipient} ({self.channel}, {self.get_status_display()})"
