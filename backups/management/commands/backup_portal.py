from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.errors import BackupError
from backups.services import backup_create


class Command(BaseCommand):
    help = (
        "备份门户:数据库(pg_dump 自定义格式)和上传的文件(MEDIA_ROOT)写成一个带校验清单的归档。"
        "Back up the database and the uploaded files into one archive with a manifest of checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, required=True, help="备份目录")
        parser.add_argument("--keep", type=int, help="只保留最新的N份备份(本命令写的 qianjiang-*.tar)")

    def handle(self, *args, dir: Path, keep: int | None, **options):
        try:
            result = backup_create(directory=dir, keep=keep)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"备份完成:{result.path}({result.bytes / 1024 / 1024:.1f} MB,SHA-256 {result.sha256}),"
            f"{result.tables} 个表 {result.rows} 行,{result.files} 个上传文件。"
        )
        for path in result.removed:
            self.stdout.write(f"已删除旧备份:{path}")
