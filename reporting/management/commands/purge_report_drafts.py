from django.conf import settings
from django.core.management.base import BaseCommand

from reporting.drafts import report_drafts_purge


class Command(BaseCommand):
    help = (
        "清理超过保留时间(REPORT_DRAFT_RETENTION_HOURS)仍未确认提交的月报草稿,以及上传目录中"
        "没有任何记录指向的文件(beat 每小时自动运行一次)。"
    )

    def handle(self, *args, **options):
        result = report_drafts_purge()
        self.stdout.write(
            f"已清理超过{settings.REPORT_DRAFT_RETENTION_HOURS}小时未确认的草稿 {result.drafts} 份、"
            f"无记录的文件 {result.files} 个、过期的上传计数 {result.upload_counts} 条。"
        )
