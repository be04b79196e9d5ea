from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class User(AbstractUser):
    """A portal user. The role decides what the user sees; a township user is tied to one township.
    A new account has no role and may do nothing until an administrator gives it one (fail closed):
    `create_user` without a role must never hand out the bureau's powers. Superusers need no role."""

    class Role(models.TextChoices):
        BUREAU = "bureau", "局业务科室"
        LEADER = "leader", "领导"
        TOWNSHIP = "township", "区镇街道"

    role = models.CharField(
        "角色",
        max_length=10,
        choices=Role.choices,
        blank=True,
        default="",
        help_text="未分配角色的账号不能使用门户的任何功能(超级管理员除外)。",
    )
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
            ),
            models.CheckConstraint(
                condition=Q(role__in=["", "bureau", "leader", "township"]),
                name="user_role_known",
                violation_error_message="角色无效。",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_full_name() or self.username
        role = self.get_role_display() or ("超级管理员" if self.is_superuser else "未分配角色")
        return f"{label}({role})"
