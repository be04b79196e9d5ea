from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from common.errors import PortalError
from orgs.models import OrgUnit
from reporting.parsing import IMPORT_BUDGET
from reporting.services.upload import city_report_upload, submission_upload
from reporting.services.workflow import submissions_approve, submissions_confirm

CHANGE_LABELS = {"new": "新增", "changed": "修改", "unchanged": "不变", "removed": "删除"}


class Command(BaseCommand):
    help = "导入区镇街道月报(以局业务科室身份):先检查并打印预览或全部错误,有错误时以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--township", required=True, help="区划代码")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, required=True)
        parser.add_argument("--dry-run", action="store_true", help="只检查和预览,不保存")
        parser.add_argument("--approve", action="store_true", help="提交后直接审核通过(数据计入完成率)")
        parser.add_argument("--user", default=None, help="以哪个局业务科室账号操作(默认第一个超级用户)")

    def handle(self, *args, file, township, year, month, dry_run, approve, user, **options):
        actor = self._actor(user)
        unit = OrgUnit.objects.filter(code=township).first()
        if unit is None:
            raise CommandError(f"区划代码“{township}”不存在。")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在:{file}")
        try:
            with transaction.atomic():
                preview = self._upload(actor, unit, year, month, path, dry_run)
                self._print(preview)
                if not preview.ok:
                    raise CommandError(f"共 {len(preview.problems)} 个问题,未导入任何数据。")
                if dry_run:
                    self.stdout.write("试运行:没有保存任何数据。")
                    return
                self._send(preview.submissions, actor, approve)
        except PortalError as exc:
            raise CommandError(exc.message) from exc

    @staticmethod
    def _upload(actor, unit, year, month, path, dry_run):
        # The bureau's own tool reads the city-wide file (23 sheets, up to 100,000 values): the larger
        # budget. The web door keeps the township's tight one.
        upload = {
            "data": path.read_bytes(),
            "filename": path.name,
            "dry_run": dry_run,
            "budget": IMPORT_BUDGET,
        }
        if unit.is_upper:  # the city-wide file: one submission per township (those under the actor)
            return city_report_upload(user=actor, year=year, month=month, **upload)
        return submission_upload(user=actor, township=unit, year=year, month=month, **upload)

    def _send(self, drafts, actor, approve: bool) -> None:
        """The file's drafts (a township's one, or the city-wide file's 23) confirmed together and, with
        --approve, approved together: judged and written as one batch each (reporting.services.workflow)."""
        sent = submissions_confirm(submissions=drafts, user=actor)
        result = submissions_approve(submissions=sent, user=actor) if approve else None
        for submission in sent:
            name = submission.township.name
            if result is None:
                self.stdout.write(f"{name}:已提交,待审核(第{submission.version}版)。")
                continue
            part = result.of_unit(submission.township_id)
            self.stdout.write(
                f"{name}:已审核通过,新增 {part.created},修改 {part.updated},"
                f"删除 {part.deleted},不变 {part.unchanged}。"
            )

    @staticmethod
    def _actor(username: str | None) -> User:
        users = User.objects.filter(is_active=True)
        actor = (
            users.filter(username=username).first() if username else users.filter(is_superuser=True).first()
        )
        if actor is None:
            raise CommandError("找不到局业务科室账号:请用 --user 指定,或先创建超级用户。")
        return actor

    def _print(self, preview) -> None:
        for problem in preview.problems:
            self.stderr.write(f"错误 {problem}")
        for notice in preview.notices:
            self.stdout.write(f"说明 {notice}")
        for warning in preview.warnings:
            self.stdout.write(f"提醒 {warning}")
        unchanged = 0
        for item in preview.items:
            if item.change == "unchanged":
                unchanged += 1
                continue
            old = "—" if item.old is None else f"{item.old.normalize():f}"
            new = "—" if item.new is None else f"{item.new.normalize():f}"
            self.stdout.write(
                f"{CHANGE_LABELS[item.change]:<4} {item.township.name} {item.indicator.name}:"
                f"{old} → {new} {item.indicator.unit}"
            )
        if preview.ok:
            self.stdout.write(f"另有 {unchanged} 项不变。")
