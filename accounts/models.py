from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class User(AbstractUser):
    """A portal user. The role decides what the user may do, the unit where: every business account
    belongs to one unit (the bureau or leadership of a province, prefecture, county or city, or a
    township) and reaches that unit and what lies under it. A bureau or leadership account made
    without a unit (the quick start's, a command's) belongs to the portal's own unit, the top; the
    security administrator's form asks for the unit wherever there are levels between the top and the
    townships, so a prefecture's account is not made without one by mistake.
    A new account has no role and may do nothing until an administrator gives it one (fail closed):
    `create_user` without a role must never hand out the bureau's powers. Superusers need no role."""

    class Role(models.TextChoices):
        BUREAU = "bureau", "局业务科室"
        LEADER = "leader", "领导"
        TOWNSHIP = "township", "区镇街道"
        # 三员分立 (等保2.0 访问控制): the three administrators manage the system, never the bureau's
        # figures or registers (accounts.permissions.has_portal_role is False for them).
        SYSTEM_ADMIN = "sysadmin", "系统管理员"
        SECURITY_ADMIN = "secadmin", "安全管理员"
        AUDIT_ADMIN = "auditor", "审计管理员"

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
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="只能看到本单位及下级单位的数据。区镇街道用户必须指定;局业务科室和领导不指定即为本门户的顶层单位(如潜江市)。",
    )
    phone = models.CharField("联系电话", max_length=20, blank=True)
    # 身份鉴别: a password someone else set (a new account, a reset) is changed at the next sign-in
    # (accounts.middleware.PasswordPolicyMiddleware); cleared only by the person's own change.
    must_change_password = models.BooleanField(
        "下次登录须修改密码", default=False, help_text="管理员新建账号或重置密码后自动勾选。"
    )
    # When the password was last set: it expires PASSWORD_MAX_AGE_DAYS later.
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True, editable=False)
    # Made only by `create_demo_users`, which refuses under production settings; such an account signs
    # in only where settings.DEMO_ACCOUNTS_ALLOWED (the quick start), and goes without the second factor.
    is_demo = models.BooleanField("演示账号", default=False, editable=False)

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
                condition=Q(role__in=["", "bureau", "leader", "township", "sysadmin", "secadmin", "auditor"]),
                name="user_role_known",
                violation_error_message="角色无效。",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        from orgs.models import OrgUnit  # orgs' models load before accounts'; no import cycle at start

        leadership = self.role in (self.Role.BUREAU, self.Role.LEADER)
        levels_between = OrgUnit.objects.filter(level__in=("prefecture", "county"), parent__isnull=False)
        if leadership and not self.org_unit_id and levels_between.exists():
            raise ValidationError({"org_unit": "本门户有多级单位:局业务科室和领导账号必须指定所属单位。"})

    def __str__(self) -> str:
        label = self.get_full_name() or self.username
        role = self.get_role_display() or ("超级管理员" if self.is_superuser else "未分配角色")
        return f"{label}({role})"

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def save(self, *args, **kwargs) -> None:
        # Django sets _password when set_password was called (save() clears it); create_user writes the
        # hash without it, so a new account's password counts as set too.
        password_set = self._password is not None or self._state.adding
        if password_set and self.password_changed_at is None:
            self.password_changed_at = timezone.now()
        super().save(*args, **kwargs)
        if password_set and self.has_usable_password():
            PasswordHistory.objects.create(user=self, password=self.password)


class PasswordHistory(models.Model):
    """Every password an account has had (the hash, never the password): a new one may not be any of
    the last PASSWORD_HISTORY_COUNT (accounts.validators.PasswordHistoryValidator)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField("密码(哈希)", max_length=128)
    created_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
