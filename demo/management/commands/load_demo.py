from django.core.management.base import BaseCommand

from demo.services import demo_load


class Command(BaseCommand):
    help = "载入演示数据(23个区镇街道、指标、2024年目标任务和月度数据),可重复运行。"

    def handle(self, *args, **options):
        stats = demo_load()
        self.stdout.write(
            f"演示数据已就绪:{stats['townships']} 个区镇街道,{stats['values']} 条月度数据"
            f"(本次写入 {stats['written']} 条),完成情况 {stats['completion_rows']} 格。"
        )
