"""What every register record shares: who last changed it and when, and (for most registers) the org
unit it counts at. The domain apps' registers (loans, cases, certificates, ...) build on these abstract
models; city-wide reference records (certification bodies, competitions) have no org unit."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .validators import NotNegative, RecordErrors


class AuditedRecord(models.Model):
    remark = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更新人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        """The rules declared once, in Meta.constraints and the model's `register` (RecordErrors.of); a
        model with a rule of its own extends RecordErrors.of(self) in its clean()."""
        RecordErrors.of(self).raise_any()


class RegisterRecord(AuditedRecord):
    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="所属区镇街道",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="记录计入哪个单位:区镇街道,或市本级(潜江市)。",
    )

    class Meta:
        abstract = True


def count_field(name: str, **kwargs) -> models.PositiveIntegerField:
    """A register's count (people, cards): a whole number, refused below 0 in the shared wording."""
    return models.PositiveIntegerField(name, validators=[NotNegative(name)], **kwargs)


class Door(models.TextChoices):
    """Through which door a register record was written: 操作入口, so as not to be read as the figures'
    渠道 (indicators.Channel), which says how a monthly value came in."""

    ADMIN = "admin", "管理后台"
    IMPORT = "import", "后台批量导入"
    API = "api", "接口"
    COMMAND = "command", "命令行"
    DEMO = "demo", "演示数据"


class RecordChange(models.Model):
    """The history of every register record, field by field: who added, changed or deleted which
    record, when, through which door, and each field's old and new value as users read them (a
    borrower's old name, a choice's label). Written by registers.services in the same transaction as
    the record; a deleted record keeps its history (the record's id and its name at the time)."""

    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"

    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name="台账", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.BigIntegerField("记录ID")
    object_repr = models.CharField("记录", max_length=200)
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    # [{"field": name, "label": verbose name, "old": text, "new": text}, ...] for the fields that changed.
    changes = models.JSONField("修改内容", default=list)
    changed_at = models.DateTimeField("修改时间", default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the history still names the person if the account is removed.
    changed_by_name = models.CharField("修改人姓名", max_length=150, blank=True)
    door = models.CharField("操作入口", max_length=10, choices=Door.choices)

    class Meta:
        verbose_name = "台账修改记录"
        verbose_name_plural = "台账修改记录"
        ordering = ["-changed_at", "-id"]
        # The admin's history page of one record reads by these.
        indexes = [
            models.Index(fields=["content_type", "object_id", "changed_at"], name="recordchange_record")
        ]

    def __str__(self) -> str:
        return f"{self.object_repr} {self.get_action_display()}"
