"""What every register record shares: who last changed it and when, and (for most registers) the org
unit it counts at. The domain apps' registers (loans, cases, certificates, ...) build on these abstract
models; city-wide reference records (certification bodies, competitions) have no org unit."""

from django.conf import settings
from django.db import models


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
