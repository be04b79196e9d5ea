from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from orgs.models import OrgUnit
from orgs.selectors import org_root

PASSWORD = "qianjiang2024"

# username, name, role, unit (None: the city, the portal's own unit; administrators: none), is_staff,
# is_superuser
DEMO_USERS = [
    ("admin", "超级管理员(仅本地)", User.Role.BUREAU, None, True, True),
    ("bureau", "局业务科室经办人", User.Role.BUREAU, None, True, False),
    ("leader", "局领导", User.Role.LEADER, None, False, False),
    ("yuanlin", "园林街道人社服务中心", User.Role.TOWNSHIP, "429005001", False, False),
    ("yangshi", "杨市街道人社服务中心", User.Role.TOWNSHIP, "429005002", False, False),
    # 三员分立: the three administrators (accounts, security, the security log).
    ("sysadmin", "系统管理员", User.Role.SYSTEM_ADMIN, None, True, False),
    ("secadmin", "安全管理员", User.Role.SECURITY_ADMIN, None, True, False),
    ("auditor", "审计管理员", User.Role.AUDIT_ADMIN, None, False, False),
]


def _unit(role: str, code: str | None) -> OrgUnit | None:
    if code:
        return OrgUnit.objects.get(code=code)
    # The city's bureau and leadership belong to the city; the administrators to no unit.
    return org_root() if role in (User.Role.BUREAU, User.Role.LEADER) else None


class Command(BaseCommand):
    help = "创建每个角色的演示账号并打印登录信息(仅用于本地演示)。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--addr", default="127.0.0.1:8000", help="登录地址中的主机和端口(make run 传入 RUNSERVER_ADDR)"
        )
        parser.add_argument("--quiet", action="store_true", help="只创建,不打印")
        parser.add_argument(
            "--print-only",
            action="store_true",
            help="只打印账号和登录地址(make run 在启动服务器前最后打印,不被演示数据的输出冲走)",
        )

    def handle(self, *args, addr: str, quiet: bool, print_only: bool, **options):
        if not print_only:
            # Public password, no second factor: only where the settings allow demo accounts (the quick
            # start's local settings; production forces DEMO_ACCOUNTS_ALLOWED off). No override.
            if not settings.DEMO_ACCOUNTS_ALLOWED:
                raise CommandError(
                    "演示账号使用公开的密码且免双因素认证,只能在本地演示环境中创建,生产环境一律拒绝。"
                )
            for username, name, role, township, is_staff, is_superuser in DEMO_USERS:
                user, _ = User.objects.get_or_create(username=username)
                user.first_name, user.role = name, role
                user.is_staff, user.is_superuser = is_staff, is_superuser
                user.is_demo = True
                user.org_unit = _unit(role, township)
                user.set_password(PASSWORD)
                user.save()
        if not quiet:
            self._print_logins(addr)

    def _print_logins(self, addr: str) -> None:
        base = f"http://{_browsable(addr)}"
        self.stdout.write(f"演示账号(密码均为 {PASSWORD}):")
        for username, name, role, _township, _staff, _superuser in DEMO_USERS:
            self.stdout.write(f"  {username:<8} {User.Role(role).label:<8} {name}")
        self.stdout.write(f"登录:{base}/accounts/login/  管理后台:{base}/admin/")
        self.stdout.write(
            "注意:只有以上演示账号免双因素认证;其他局业务科室和管理员账号登录时须启用并输入身份验证器的验证码。"
        )


def _browsable(addr: str) -> str:
    """runserver's address as a browser reaches it: a bare port is 127.0.0.1's, 0.0.0.0 is this machine."""
    if ":" not in addr:
        return f"127.0.0.1:{addr}"
    host, port = addr.rsplit(":", 1)
    return f"{'127.0.0.1' if host in ('', '0.0.0.0') else host}:{port}"
