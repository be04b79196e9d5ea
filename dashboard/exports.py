"""The cockpit and a ranking as formatted workbooks to take into a meeting: title, units, the date the
figures are from, frozen header, number formats; all text escaped against formula injection."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from common.numbers import PERCENT_PLACES
from common.xlsx import SafeWorkbook, new_workbook, number_format, print_setup, put, put_text, workbook_bytes
from completion.progress import Progress
from indicators.models import Indicator

from .scorecard import SCORE_FORMULA, STATUS_COLOURS, Scorecard, ScoreRow
from .selectors import Cockpit, IndicatorDetail

HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
# The same colours as the pages (static/css/portal.css): the engine's status.
STATUS_FILL = {status: PatternFill("solid", fgColor=colour) for status, colour in STATUS_COLOURS.items()}
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
    print_setup(sheet, title=title, header_rows="4:4")
    return 5


def _rate_cell(
    sheet: Worksheet, row: int, col: int, value: Decimal | None, places: int = PERCENT_PLACES
) -> None:
    """A percentage: every rate column at PERCENT_PLACES (common.numbers), a ratio's figure at its own."""
    cell = put(sheet.cell(row=row, column=col), None if value is None else value / 100)
    cell.number_format = number_format(places, percent=True, grouping=False)


def _figure_cell(sheet: Worksheet, row: int, col: int, value: Decimal | None, p: Progress) -> None:
    ind = p.indicator
    if ind.kind == Indicator.Kind.RATIO:
        _rate_cell(sheet, row, col, value, ind.rate_places)
        return
    cell = put(sheet.cell(row=row, column=col), value)
    cell.number_format = number_format(ind.value_places)


def _progress_row(sheet: Worksheet, row: int, first: list[str], p: Progress) -> None:
    for col, text in enumerate(first, start=1):
        put_text(sheet.cell(row=row, column=col), text)
    base = len(first)
    _figure_cell(sheet, row, base + 1, p.actual, p)
    _figure_cell(sheet, row, base + 2, p.quota, p)
    _rate_cell(sheet, row, base + 3, p.completion_rate)
    _rate_cell(sheet, row, base + 4, p.benchmark)
    gap = put(sheet.cell(row=row, column=base + 5), p.gap)
    gap.number_format = "+0.0;-0.0;0.0"
    put_text(sheet.cell(row=row, column=base + 6), p.status_label)
    _figure_cell(sheet, row, base + 7, p.projected_actual, p)
    _rate_cell(sheet, row, base + 8, p.projected_rate)
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
    book = new_workbook()
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
    book = new_workbook()
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


def warnings_workbook(
    rows: list[Progress],
    *,
    groups: list | None,
    year: int,
    month: int,
    title_unit: str = "",
    notice: str = "",
) -> bytes:
    """The warnings list as the page shows it (its filters, its order; grouped by unit when asked)."""
    book = new_workbook()
    sheet = book.active
    sheet.title = "落后时序进度预警"
    row = _frame(
        sheet,
        f"{title_unit}{year}年1-{month}月 落后时序进度预警清单",
        _stamp(year, month, notice),
        ["单位", "指标", "计量单位", "累计完成", "年度目标", "完成率", "时序进度", "与进度差(百分点)",
         "距序时进度还差", "状态"],
        [14, 34, 8, 14, 14, 10, 10, 12, 14, 10],
    )  # fmt: skip
    ordered = [p for g in groups for p in g.rows] if groups is not None else rows
    for p in ordered:
        _warning_row(sheet, row, p)
        row += 1
    return _save(book)


def _warning_row(sheet: Worksheet, row: int, p: Progress) -> None:
    for col, text in enumerate((p.org_name, p.indicator.name, p.indicator.unit), start=1):
        put_text(sheet.cell(row=row, column=col), text)
    _figure_cell(sheet, row, 4, p.actual, p)
    _figure_cell(sheet, row, 5, p.quota, p)
    _rate_cell(sheet, row, 6, p.completion_rate)
    _rate_cell(sheet, row, 7, p.benchmark)
    gap = put(sheet.cell(row=row, column=8), p.gap)
    gap.number_format = "+0.0;-0.0;0.0"
    _figure_cell(sheet, row, 9, p.shortfall, p)
    put_text(sheet.cell(row=row, column=10), p.status_label)
    for col in range(1, 11):
        sheet.cell(row=row, column=col).border = BORDER
    if p.status in STATUS_FILL:
        sheet.cell(row=row, column=10).fill = STATUS_FILL[p.status]


def scorecard_workbook(card: Scorecard, *, notice: str = "") -> bytes:
    """The scorecard as on the page: the city's row first, then the townships by rank; each rate cell
    filled with its status colour, the score formula under the title; one A4 landscape page when printed."""
    book = new_workbook()
    sheet = book.active
    sheet.title = "考核排名表"
    headers = ["名次", "区镇街道", *(f"{c.name}({c.unit})" for c in card.columns), "总得分"]
    row = _frame(
        sheet,
        f"{card.year}年1-{card.month}月 区镇街道人社主要指标考核排名表",
        _stamp(card.year, card.month, notice),
        headers,
        [6, 12, *(11 for _ in card.columns), 9],
    )
    put_text(sheet["A3"], SCORE_FORMULA).font = Font(size=9, color="555555")
    sheet.row_dimensions[4].height = 60
    for r in [card.city, *card.townships] if card.city else card.townships:
        _score_row(sheet, row, r)
        row += 1
    put_text(
        sheet.cell(row=row + 1, column=1),
        "底色:绿 = 超序时进度,黄 = 落后序时进度,红 = 严重落后;白 = 无目标任务或未报送。",
    ).font = Font(size=9, color="555555")
    print_setup(sheet, title=sheet["A1"].value, header_rows="4:4", one_page=True)
    return _save(book)


def _score_row(sheet: Worksheet, row: int, r: ScoreRow) -> None:
    put_text(sheet.cell(row=row, column=1), "—" if r.rank is None else str(r.rank))
    put_text(sheet.cell(row=row, column=2), r.org_name)
    for col, c in enumerate(r.cells, start=3):
        _rate_cell(sheet, row, col, c.completion_rate)
        if c.rated and c.completion_rate is None:
            put_text(sheet.cell(row=row, column=col), "未报送")  # scores 0
        if c.status in STATUS_FILL:
            sheet.cell(row=row, column=col).fill = STATUS_FILL[c.status]
    score = put(sheet.cell(row=row, column=len(r.cells) + 3), r.score)
    score.number_format = "0.0"
    score.font = Font(bold=True)
    for col in range(1, len(r.cells) + 4):
        sheet.cell(row=row, column=col).border = BORDER
    if r.is_city:
        for col in range(1, len(r.cells) + 4):
            sheet.cell(row=row, column=col).font = Font(bold=True)


def _save(book: SafeWorkbook) -> bytes:
    book.properties.creator = "潜江市人力资源和社会保障局"
    return workbook_bytes(book)
