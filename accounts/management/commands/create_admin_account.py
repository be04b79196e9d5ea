"""The first administrators, from the host (nobody can sign in to make them: production refuses the
superuser at the web). Prints a one-time initial password that must be changed at first sign-in,
where the second factor is enrolled too."""

import secrets

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from audit.models import Kind
from audit.services import security_event_record

ROLES = {
    "sysadmin": User.Role.SYSTEM_ADMIN,
    "secadmin": User.Role.SECURITY_ADMIN,
    "auditor": User.Role.AUDIT_ADMIN,
}


class Command(BaseCommand):
    help = "创建系统管理员、安全管理员或审计管理员账号,打印一次性初始密码(首次登录须修改并启用双因素认证)。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLES), required=True)
        parser.add_argument("--name", default="", help="姓名")

    def handle(self, *args, username: str, role: str, name: str, **options) -> None:
        if User.objects.filter(username=username).exists():
            raise CommandError(f"账号“{username}”已存在。")
        password = secrets.token_urlsafe(12) + "-Aa1"  # random, and of every character class
        user = User(username=username, first_name=name, role=ROLES[role], is_staff=role != "auditor")
        user.must_change_password = True
        user.set_password(password)
        user.save()
        security_event_record(
            kind=Kind.ACCOUNT_CREATED, object=username, detail=f"命令行创建{user.get_role_display()}账号。"
        )
        self.stdout.write(f"已创建{user.get_role_display()}账号 {username},初始密码(仅显示一次):{password}")
