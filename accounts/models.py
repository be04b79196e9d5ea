from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class User(AbstractUser):
    """A portal user. The role decides what the user sees; a township user is tied to one township."""

    class Role(models.TextChoices):
        BUREAU = "bureau", "局业务科室"
        LEADER = "leader", "领导"
        TOWNSHIP = "township", "区镇街道"

    role = models.CharField("角色", max_length=10, choices=Role.choices, default=Role.BUREAU)
    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name="所属区镇街道",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="区镇街道用户必须指定,且只能看到和修改本区镇街道的数据。",
    )
    phone = models.CharField("联系电话", max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=Q(role="township", org_unit__isnull=False) | ~Q(role="township"),
                name="user_township_has_org_unit",
                violation_error_message="区镇街道用户必须指定所属区镇街道。",
            )
        ]

    def __str__(self) -> str:
        label = self.get_full_name() or self.username
        return f"{label}({self.get_role_display()})"
