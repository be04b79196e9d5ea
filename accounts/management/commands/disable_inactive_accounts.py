from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.services import inactive_accounts_disable


class Command(BaseCommand):
    help = "停用超过 ACCOUNT_INACTIVE_DAYS 天未登录的账号(每天由定时任务执行,也可手动执行)。"

    def handle(self, *args, **options) -> None:
        disabled = inactive_accounts_disable()
        days = settings.ACCOUNT_INACTIVE_DAYS
        self.stdout.write(
            f"已停用{len(disabled)}个超过{days}天未登录的账号"
            + (f":{'、'.join(disabled)}" if disabled else "。")
        )
