from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.services import audit_log_purge
from common.errors import PortalError


class Command(BaseCommand):
    help = "清理超过保存期限的安全审计日志(默认 AUDIT_RETENTION_DAYS 天之前;少于180天的记录一律拒绝清理)。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days", type=int, default=settings.AUDIT_RETENTION_DAYS, help="清理多少天之前的记录"
        )

    def handle(self, *args, days: int, **options) -> None:
        try:
            purged = audit_log_purge(before=timezone.now() - timedelta(days=days))
        except PortalError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已清理{purged}条安全审计日志。")
