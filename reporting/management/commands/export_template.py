from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from common.errors import PortalError
from orgs.models import OrgUnit
from reporting.templates_xlsx import city_template_workbook, template_workbook


class Command(BaseCommand):
    help = "导出区镇街道月报模板(--township 429005 导出全市23个区镇街道合一的模板)。"

    def add_arguments(self, parser):
        parser.add_argument("--township", required=True, help="区划代码")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, required=True)
        parser.add_argument("-o", "--output", required=True, help="输出的 .xlsx 文件")

    def handle(self, *args, township, year, month, output, **options):
        unit = OrgUnit.objects.filter(code=township).first()
        if unit is None:
            raise CommandError(f"区划代码“{township}”不存在。")
        try:
            data = (
                city_template_workbook(year=year, month=month, unit=unit)
                if unit.is_upper
                else template_workbook(township=unit, year=year, month=month)
            )
        except PortalError as exc:
            raise CommandError(exc.message) from exc
        Path(output).write_bytes(data)
        self.stdout.write(f"已导出 {unit.name} {year}年{month}月 月报模板:{output}")
