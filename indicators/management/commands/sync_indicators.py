from django.core.management.base import BaseCommand

from indicators.catalog_sync import indicator_catalog_sync


class Command(BaseCommand):
    help = (
        "按各业务应用声明的指标目录建立尚无指标体系的年度(--year),并在各年度指标体系中更新业务台账汇总的指标"
        "(可重复运行;已建立的年度指标体系由局业务科室维护,本命令不改名、不停用)。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help="要建立的年度(可重复);不填时:已有指标体系的年度,数据库中没有任何年度时为本年度。",
        )

    def handle(self, *args, years=None, **options):
        count = indicator_catalog_sync(years=years)
        self.stdout.write(f"指标体系已同步:{count} 项指标。")
