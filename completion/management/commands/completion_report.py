import json

from django.core.management.base import BaseCommand, CommandError

from common.numbers import format_decimal
from completion.models import Status
from completion.selectors import completion_for_month


def _dec(value, places: int | None = None) -> str | None:
    if value is None:
        return None
    return format(value if places is None else round(value, places), "f")


class Command(BaseCommand):
    help = "打印指标完成情况表。Print the completion table for a month (from the computed figures)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, required=True)
        parser.add_argument("--org", default="429005", help="区划代码,默认全市 429005")
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument("--all", action="store_true", help="包括没有目标任务的指标")

    def handle(self, *args, year, month, org, format, all, **options):
        rows = completion_for_month(year=year, month=month, org_codes=[org], with_quota_only=not all)
        if not rows:
            raise CommandError(
                f"{year}年{month}月没有{org}的完成率数据。请确认已填报数据,并运行 "
                f"python manage.py recompute_completion --year {year}"
            )
        if format == "json":
            self.stdout.write(json.dumps([self._as_json(r) for r in rows], ensure_ascii=False, indent=2))
        else:
            self._table(rows)

    @staticmethod
    def _as_json(r) -> dict:
        return {
            "code": r.code,
            "name": r.name,
            "unit": r.unit,
            "org": r.org,
            "actual": _dec(r.actual),
            "quota": _dec(r.quota),
            "completion_rate": _dec(r.completion_rate),
            "time_progress": _dec(r.time_progress),
            "gap": _dec(r.gap),
            "status": r.status,
        }

    def _table(self, rows) -> None:
        first = rows[0]
        self.stdout.write(f"{first.org_name}({first.org}) {first.year}年1-{first.month}月 指标完成情况")
        self.stdout.write(f"时序进度 {format_decimal(first.time_progress, 2)}%")
        header = (
            f"{'指标':<24}{'单位':<5}{'累计完成':>14}{'年度目标':>12}{'完成率':>10}{'差(百分点)':>10}  状态"
        )
        self.stdout.write(header)
        for r in rows:
            places = 2 if r.kind == "ratio" else r.value_places
            rate = (
                "—" if r.completion_rate is None else f"{format_decimal(r.completion_rate, r.rate_places)}%"
            )
            gap = "—" if r.gap is None else format_decimal(r.gap, 2)
            self.stdout.write(
                f"{r.name[:22]:<24}{r.unit:<5}{format_decimal(r.actual, places):>14}"
                f"{format_decimal(r.quota, places):>12}{rate:>10}{gap:>10}  {Status(r.status).label}"
            )
