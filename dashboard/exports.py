"""The cockpit and a ranking as formatted workbooks to take into a meeting: title, units, the date the
figures are from, frozen header, number formats; all text escaped against formula injection."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from common.xlsx import number_format, put_text
from indicators.models import Indicator

from .selectors import Cockpit, IndicatorDetail, Progress

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
STATUS_FILL = {
    "ahead": PatternFill("solid", fgColor="D8F0DC"),
    "behind": PatternFill("solid", fgColor="FFF0C2"),
    "far_behind": PatternFill("solid", fgColor="F8D2D0"),
}
THIN = Side(style="thin", color="B0B7C3")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _frame(sheet: Worksheet, title: str, subtitle: str, headers: list[str], widths: list[int]) -> int:
    """Title, subtitle and a bold header row; returns the first data row."""
    put_text(sheet["A1"], title).font = Font(bold=True, size=14)
    put_text(sheet["A2"], subtitle).font = Font(size=10, color="555555")
    for col, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(row=4, column=col)
        put_text(cell, header)
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A5"
    return 5


def _rate_cell(sheet: Worksheet, row: int, col: int, value: Decimal | None, places: int) -> None:
    cell = sheet.cell(row=row, column=col, value=None if value is None else value / 100)
    cell.number_format = number_format(places, percent=True, grouping=False)


def _figure_cell(sheet: Worksheet, row: int, col: int, value: Decimal | None, p: Progress) -> None:
    ind = p.indicator
    if ind.kind == Indicator.Kind.RATIO:
        _rate_cell(sheet, row, col, value, ind.rate_places)
        return
    cell = sheet.cell(row=row, column=col, value=value)
    cell.number_format = number_format(ind.value_places)


def _progress_row(sheet: Worksheet, row: int, first: list[str], p: Progress) -> None:
    for col, text in enumerate(first, start=1):
        put_text(sheet.cell(row=row, column=col), text)
    base = len(first)
    _figure_cell(sheet, row, base + 1, p.actual, p)
    _figure_cell(sheet, row, base + 2, p.quota, p)
    _rate_cell(sheet, row, base + 3, p.completion_rate, p.indicator.rate_places)
    _rate_cell(sheet, row, base + 4, p.time_progress, 1)
    gap = sheet.cell(row=row, column=base + 5, value=p.gap)
    gap.number_format = "+0.0;-0.0;0.0"
    put_text(sheet.cell(row=row, column=base + 6), p.status_label)
    _figure_cell(sheet, row, base + 7, p.projected_actual, p)
    _rate_cell(sheet, row, base + 8, p.projected_rate, p.indicator.rate_places)
    for col in range(1, base + 9):
        sheet.cell(row=row, column=col).border = BORDER
    if p.status in STATUS_FILL:
        sheet.cell(row=row, column=base + 6).fill = STATUS_FILL[p.status]


FIGURE_HEADERS = [
    "累计完成",
    "年度目标",
    "完成率",
    "时序进度",
    "与进度差(百分点)",
    "状态",
    "预计全年",
    "预计完成率",
]
FIGURE_WIDTHS = [14, 14, 10, 10, 12, 12, 14, 11]


def _stamp(year: int, month: int, notice: str) -> str:
    now = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    line = f"数据截至{year}年{month}月末 · 时序进度{month * 100 / 12:.1f}% · 导出于{now}(北京时间)"
    return f"{line} · 注意:{notice}" if notice else line


def cockpit_workbook(cockpit: Cockpit, *, notice: str = "") -> bytes:
    """notice: the freshness notice (completion.selectors.Freshness.notice), printed under the title."""
    book = Workbook()
    sheet = book.active
    sheet.title = "指标完成情况"
    row = _frame(
        sheet,
        f"{cockpit.org_name} {cockpit.year}年1-{cockpit.month}月 人社主要指标完成情况",
        _stamp(cockpit.year, cockpit.month, notice),
        ["领域", "指标", "单位", *FIGURE_HEADERS],
        [10, 34, 6, *FIGURE_WIDTHS],
    )
    for group in cockpit.areas:
        for p in group.rows:
            _progress_row(sheet, row, [group.label, p.indicator.name, p.indicator.unit], p)
            row += 1
    return _save(book)


def ranking_workbook(detail: IndicatorDetail, *, year: int, month: int, notice: str = "") -> bytes:
    ind = detail.indicator
    book = Workbook()
    sheet = book.active
    sheet.title = "区镇街道排名"
    row = _frame(
        sheet,
        f"{year}年1-{month}月 {ind.name}({ind.unit}) 区镇街道完成情况排名",
        _stamp(year, month, notice),
        ["名次", "区划代码", "区镇街道", *FIGURE_HEADERS],
        [6, 12, 14, *FIGURE_WIDTHS],
    )
    for rank, p in enumerate(detail.ranking, start=1):
        shown_rank = str(rank) if p.completion_rate is not None else "—"
        _progress_row(sheet, row, [shown_rank, p.org_code, p.org_name], p)
        row += 1
    return _save(book)


def _save(book: Workbook) -> bytes:
    book.properties.creator = "潜江市人力资源和社会保障局"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
