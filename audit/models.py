"""The security log (等保2.0 安全审计): who did what, from where, to what, with which outcome. Append-only
(on PostgreSQL the database refuses UPDATE and DELETE: migration 0002) and chained: each entry carries
the hash of the one before (audit.chain), so `manage.py verify_audit_log` finds an entry edited,
inserted or deleted behind the portal's back."""

from django.db import models
from django.utils import timezone

# The hash the first entry points back to.
GENESIS = "0" * 64


class Kind(models.TextChoices):
    SIGN_IN = "sign_in", "登录"
    SIGN_IN_FAILED = "sign_in_failed", "登录失败"
    LOCKED_OUT = "locked_out", "登录锁定"
    SIGN_OUT = "sign_out", "退出登录"
    SIGN_IN_REFUSED = "sign_in_refused", "登录被拒绝"
    OTP_ENROLLED = "otp_enrolled", "启用双因素认证"
    OTP_VERIFIED = "otp_verified", "双因素认证通过"
    OTP_FAILED = "otp_failed", "双因素认证失败"
    RECOVERY_CODE_USED = "recovery_used", "使用恢复码登录"
    RECOVERY_CODES_RENEWED = "recovery_renewed", "重新生成恢复码"
    OTP_RESET = "otp_reset", "重置双因素认证"
    PASSWORD_CHANGED = "password_changed", "修改密码"
    PASSWORD_CHANGE_FAILED = "password_change_failed", "修改密码失败"
    PASSWORD_RESET = "password_reset", "重置密码"
    ACCOUNT_CREATED = "account_created", "新建账号"
    ACCOUNT_CHANGED = "account_changed", "修改账号"
    ROLE_CHANGED = "role_changed", "角色与权限变更"
    ACCOUNT_DELETED = "account_deleted", "删除账号"
    ACCOUNT_DISABLED = "account_disabled", "停用账号"
    UNLOCKED = "unlocked", "解除锁定"
    ACCESS_DENIED = "access_denied", "越权访问被拒"
    EXPORT = "export", "导出数据"
    DOWNLOAD = "download", "下载文件"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "退回月报"
    REPORT_UNLOCKED = "report_unlocked", "开放月报填报"
    PERSONAL_DATA_VIEWED = "personal_viewed", "查看个人信息"
    SETTINGS_CHANGED = "settings_changed", "安全配置变更"
    AUDIT_PURGED = "audit_purged", "清理过期审计日志"


class Outcome(models.TextChoices):
    SUCCESS = "success", "成功"
    FAILURE = "failure", "失败"


class SecurityEvent(models.Model):
    """One entry. No foreign key to the account: removing an account must not touch its entries (an
    ON DELETE action would be an UPDATE the database refuses), so the id and the name are copied."""

    seq = models.BigIntegerField("序号", unique=True, editable=False)
    at = models.DateTimeField("时间", default=timezone.now, editable=False)
    user_id = models.BigIntegerField("账号ID", null=True, blank=True, editable=False)
    username = models.CharField("账号", max_length=150, blank=True, editable=False)
    source_ip = models.GenericIPAddressField("来源地址", null=True, blank=True, editable=False)
    kind = models.CharField("事件", max_length=32, choices=Kind.choices, editable=False)
    object = models.CharField("对象", max_length=300, blank=True, editable=False)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, editable=False)
    detail = models.TextField("说明", blank=True, editable=False)
    prev_hash = models.CharField("上一条哈希", max_length=64, editable=False)
    hash = models.CharField("哈希", max_length=64, editable=False)

    class Meta:
        verbose_name = "安全审计日志"
        verbose_name_plural = "安全审计日志"
        ordering = ["-seq"]
        indexes = [
            # The audit administrator's searches: by time (always), by account, by event.
            models.Index(fields=["at"], name="securityevent_at"),
            models.Index(fields=["username", "at"], name="securityevent_user"),
            models.Index(fields=["kind", "at"], name="securityevent_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.seq} {self.get_kind_display()} {self.username}"


class ChainHead(models.Model):
    """One row (id 1): the last entry's seq and hash (so a deleted last entry is found too), and where
    the chain starts after a purge (the last purged entry's seq and hash). Locked FOR UPDATE by each
    writer, which orders the entries."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)
    purged_through_seq = models.BigIntegerField(default=0)
    purged_through_hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        verbose_name = "审计日志链头"
        verbose_name_plural = "审计日志链头"

    def __str__(self) -> str:
        return f"链头 {self.seq}"


class SettingsSnapshot(models.Model):
    """The security settings as the last deployment had them (audit.receivers.settings_changes_record,
    at every `migrate`): a change between two deployments becomes a 安全配置变更 entry."""

    at = models.DateTimeField(default=timezone.now)
    values = models.JSONField(default=dict)

    class Meta:
        verbose_name = "安全配置快照"
        verbose_name_plural = "安全配置快照"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"安全配置 {self.at:%Y-%m-%d %H:%M}"
