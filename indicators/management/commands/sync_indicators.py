from django.core.management.base import BaseCommand

from indicators.catalog_sync import indicator_catalog_sync


class Command(BaseCommand):
    help = "按各业务应用声明的指标目录创建或更新指标(可重复运行)。"

    def handle(self, *args, **options):
        self.stdout.write(f"指标目录已同步:{indicator_catalog_sync()} 项。")
