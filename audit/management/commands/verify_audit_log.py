from django.core.management.base import BaseCommand, CommandError

from audit.models import SecurityEvent
from audit.services import audit_chain_verify


class Command(BaseCommand):
    help = "校验安全审计日志的哈希链:找出被修改、插入或删除的记录。发现问题时以非零状态退出。"

    def handle(self, *args, **options) -> None:
        problems = audit_chain_verify()
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"安全审计日志校验未通过:发现{len(problems)}处问题。")
        self.stdout.write(f"安全审计日志校验通过:共{SecurityEvent.objects.count()}条记录,哈希链完整。")
