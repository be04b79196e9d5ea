from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.errors import BackupError
from backups.services import backup_check, backup_restore


class Command(BaseCommand):
    help = (
        "从 backup_portal 的归档恢复到一个空数据库和 MEDIA_ROOT,并核对每个表的行数和每个文件。"
        "Restore an archive into an empty database and MEDIA_ROOT, then verify it."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--check", action="store_true", help="只核对归档本身,不恢复")

    def handle(self, *args, archive: Path, check: bool, **options):
        try:
            if check:
                manifest = backup_check(archive=archive)
                self.stdout.write(
                    f"归档完好:{archive},{manifest['created_at']} 备份,"
                    f"{len(manifest['rows'])} 个表,{len(manifest['media'])} 个上传文件。"
                )
                return
            result = backup_restore(archive=archive)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"恢复完成并已核对:{result.tables} 个表 {result.rows} 行,"
            f"{result.files} 个上传文件(本次写入 {result.files_written} 个)。"
        )
        if result.migrations_to_apply:
            self.stdout.write(
                f"备份比本版本旧:请运行 python manage.py migrate(待执行 {len(result.migrations_to_apply)} 个迁移)。"
            )
