import json
import unicodedata

from django.core.management.base import BaseCommand, CommandError

from common.numbers import format_figure
from completion.progress import Progress
from completion.selectors import completion_for_month


def _dec(value) -> str | None:
    """Decimals as exact strings (JSON numbers would be floats)."""
    return None if value is None else format(value, "f")


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
    def _as_json(r: Progress) -> dict:
        return {
            "code": r.indicator.code,
            "name": r.indicator.name,
            "unit": r.indicator.unit,
            "org": r.org_code,
            "actual": _dec(r.actual),
            "quota": _dec(r.quota),
            "completion_rate": _dec(r.completion_rate),
            "time_progress": _dec(r.time_progress),
            "gap": _dec(r.gap),
            "status": r.status,
        }

    def _table(self, rows: list[Progress]) -> None:
        first = rows[0]
        self.stdout.write(f"{first.org_name}({first.org_code}) {first.year}年1-{first.month}月 指标完成情况")
        self.stdout.write(f"时序进度 {format_figure(first.time_progress, 2)}%")
        widths = [38, 6, 14, 12, 10, 10, 12]
        header = ["指标", "单位", "累计完成", "年度目标", "完成率", "与进度差", "状态"]
        self.stdout.write(_line(header, widths))
        for r in rows:
            ind = r.indicator
            # The table's own plain figures: the rate at the indicator's rate_places without trailing
            # zeros, the quota without a ceiling's ≤.
            rate = (
                "—" if r.completion_rate is None else f"{format_figure(r.completion_rate, ind.rate_places)}%"
            )
            gap = "—" if r.gap is None else format_figure(r.gap, 2)
            quota = format_figure(r.quota, ind.figure_places)
            cells = [ind.name, ind.unit, r.actual_display, quota, rate, gap, r.status_label]
            self.stdout.write(_line(cells, widths))


def _width(text: str) -> int:
    """Display columns: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _line(cells: list[str], widths: list[int]) -> str:
    """Text cells left-aligned, figures right-aligned."""
    out = []
    for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        pad = " " * max(0, width - _width(cell))
        out.append(cell + pad if i in (0, 1, 6) else pad + cell)
    return " ".join(out).rstrip()
