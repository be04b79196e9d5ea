"""The monthly report template a township office downloads, fills in Excel or WPS and uploads again.

The layout is a contract with the upload parser: sheet `月报` (in the city-wide file one sheet per township,
named by the township), metadata in row 2, the header in row 4, one row per indicator from row 5, and a
hidden `_meta` sheet. Change it only together with the parser and a new TEMPLATE_VERSION.

Protection has no password on purpose: it guards against slips (typing over a code, inserting a row,
renaming the sheet), not against a determined user; the parser checks every cell anyway, and a password
would have to be handed to every township office, so it would protect nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from common.errors import PortalError
from common.xlsx import SafeWorkbook, new_workbook, print_setup, put, put_text, workbook_bytes
from common.years import year_in_range, year_out_of_range_message
from indicators.models import Indicator, MonthlyValue
from orgs.models import OrgUnit
from orgs.selectors import org_subtree_ids

from .models import Submission

TEMPLATE_VERSION = 2  # 2: the 核实说明 column (version 1 files are read all the same)
REPORT_SHEET = "月报"
META_SHEET = "_meta"
GUIDE_SHEET = "填报说明"
TITLE = "潜江市人力资源和社会保障局 区镇街道人社数据月报"
HEADERS = ("指标代码", "指标名称", "单位", "本月数值", "备注", "上月数值", "去年同月", "核实说明")
HEADER_ROW, FIRST_DATA_ROW = 4, 5
CODE_COL, NAME_COL, UNIT_COL, VALUE_COL, REMARK_COL, LAST_MONTH_COL, LAST_YEAR_COL, EXPLAIN_COL = "ABCDEFGH"
COLUMNS = "ABCDEFGH"
# The sign-off block starts one blank row below the last indicator: label in A, input in B.
SIGN_OFF_LABELS = ("填报人:", "联系电话:", "审核人:", "填报日期:")
META_KEYS = ("township_code", "year", "month", "template_version")

_WIDTHS = {"A": 38, "B": 42, "C": 8, "D": 16, "E": 26, "F": 16, "G": 16, "H": 30}
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REFERENCE_FILL = PatternFill("solid", fgColor="E7E6E6")
_REFERENCE_FONT = Font(color="595959")
_INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
_UNLOCKED = Protection(locked=False)


@dataclass(frozen=True)
class _Figure:
    value: Decimal
    remark: str
    explanation: str = ""


# (indicator id, org unit id, year, month) -> the stored figure
_Figures = dict[tuple[int, int, int, int], _Figure]


def template_workbook(
    *,
    township: OrgUnit,
    year: int,
    month: int,
    this_month: dict[int, tuple[Decimal | None, str]] | None = None,
) -> bytes:
    """One township's template for a month, with last month's and last year's figures beside each
    indicator and this month's figures pre-filled where there are some (填报说明 rule 7: a correction
    starts from what was sent): the township's report waiting for review or sent back, with its
    remarks and 核实说明, else the figures stored. Three queries whatever the number of indicators.

    `this_month` (indicator id -> value, remark) fills the month's column with those figures instead:
    a submission's own figures, for the township's copy of a city-wide file."""
    _check_period(year, month)
    if township.level != OrgUnit.Level.TOWNSHIP:
        raise PortalError(f"“{township.name}”不是区镇街道,没有区镇月报模板。", field="org_unit")
    indicators = _reported_indicators(year)
    figures = _figures(indicators, [township.pk], year, month)
    sent = _sent_figures(township, year, month) if this_month is None else None
    if sent is not None:
        figures = {key: f for key, f in figures.items() if key[2:] != (year, month)}
        figures.update({(i, township.pk, year, month): f for i, f in sent.items()})
    if this_month is not None:
        figures = {key: f for key, f in figures.items() if key[2:] != (year, month)}
        for indicator_id, (value, remark) in this_month.items():
            if value is not None or remark:
                figures[(indicator_id, township.pk, year, month)] = _Figure(value, remark)
    book = new_workbook()
    book.remove(book.active)
    _report_sheet(book.create_sheet(REPORT_SHEET), township, year, month, indicators, figures)
    return _finish(book, township_code=township.code, year=year, month=month)


def city_template_workbook(*, year: int, month: int, unit: OrgUnit | None = None) -> bytes:
    """Every active township under `unit` (the portal's own unit by default: the city) in one file for
    bureau staff: one sheet per township, named by it, each laid out exactly like a township's own
    `月报` sheet; `_meta` names the unit. Three queries whatever the number of townships."""
    _check_period(year, month)
    townships = Q(level=OrgUnit.Level.TOWNSHIP, is_active=True)
    if unit is not None:
        townships &= Q(id__in=org_subtree_ids(unit.pk))
    # The top (for its code) in the same query as the townships.
    found = list(OrgUnit.objects.filter(townships | Q(parent__isnull=True)).order_by("sort_order", "code"))
    unit = unit or next(u for u in found if u.parent_id is None)
    townships = [u for u in found if u.level == OrgUnit.Level.TOWNSHIP]
    indicators = _reported_indicators(year)
    figures = _figures(indicators, [t.pk for t in townships], year, month)
    book = new_workbook()
    book.remove(book.active)
    for township in townships:
        sheet = book.create_sheet(_sheet_title(township, book.sheetnames))
        _report_sheet(sheet, township, year, month, indicators, figures)
    return _finish(book, township_code=unit.code, year=year, month=month)


def _check_period(year: int, month: int) -> None:
    if not 1 <= month <= 12:
        raise PortalError(f"月份“{month}”无效,须在1至12之间。", field="month")
    if not year_in_range(year):
        raise PortalError(year_out_of_range_message(year), field="year")


def _previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _reported_indicators(year: int) -> list[Indicator]:
    """What townships type in the year's set: in use and supplied by the townships (never a ratio,
    which is computed, nor a register's count)."""
    return list(
        Indicator.objects.filter(year=year, source=Indicator.Source.TOWNSHIP, is_active=True).order_by(
            "sort_order", "code"
        )
    )


def _figures(indicators: list[Indicator], org_ids: list[int], year: int, month: int) -> _Figures:
    """This month, last month and the same month last year, for all the org units in one query, by this
    year's indicator (last year's figures belong to last year's set: matched by code)."""
    last_year, last_month = _previous_month(year, month)
    this_year = {i.code: i.pk for i in indicators}
    rows = MonthlyValue.objects.filter(
        Q(year=year, month=month) | Q(year=last_year, month=last_month) | Q(year=year - 1, month=month),
        indicator__code__in=this_year,
        org_unit_id__in=org_ids,
    ).values_list("indicator__code", "org_unit_id", "year", "month", "value", "remark", "explanation")
    return {(this_year[code], org, y, m): _Figure(*figure) for code, org, y, m, *figure in rows}


def _sent_figures(township: OrgUnit, year: int, month: int) -> dict[int, _Figure] | None:
    """The figures of the township's latest report of the month if it waits for review or was sent
    back (not yet the stored figures); None otherwise. A blank figure stays blank."""
    latest = (
        Submission.objects.filter(township=township, year=year, month=month)
        .exclude(status__in=(Submission.Status.DRAFT, Submission.Status.SUPERSEDED))
        .order_by("-version")
        .first()
    )
    if latest is None or latest.status not in (Submission.Status.PENDING, Submission.Status.RETURNED):
        return None
    return {
        v.indicator_id: _Figure(v.value, v.remark, v.explanation)
        for v in latest.values.all()
        if v.value is not None or v.remark or v.explanation
    }


def _sheet_title(township: OrgUnit, taken: Iterable[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique in the book."""
    title = "".join(c for c in township.name if c not in "[]:*?/\\")[:31] or township.code
    return title if title not in taken else f"{title[:21]}{township.code}"


def _finish(book: SafeWorkbook, *, township_code: str, year: int, month: int) -> bytes:
    _guide_sheet(book.create_sheet(GUIDE_SHEET))
    _meta_sheet(book.create_sheet(META_SHEET), township_code, year, month)
    book.active = 0
    # No renaming, moving, adding or unhiding sheets: the parser finds the sheets by name.
    book.security = WorkbookProtection(lockStructure=True)
    book.properties.creator = "潜江市人力资源和社会保障局"
    book.properties.title = TITLE
    return workbook_bytes(book)


def _text(sheet: Worksheet, coordinate: str, text: str) -> Cell:
    """Write text that stays text (common.xlsx.put_text: never a formula in Excel or WPS)."""
    return put_text(sheet[coordinate], text)


def _number(value: Decimal | None) -> int | Decimal | None:
    """The exact stored figure: an int when whole, else the Decimal itself (openpyxl writes it as
    its decimal text, exact up to Excel's 15 significant digits)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


def _number_format(places: int) -> str:
    return "#,##0" + ("." + "0" * places if places else "")


def _report_sheet(
    sheet: Worksheet,
    township: OrgUnit,
    year: int,
    month: int,
    indicators: list[Indicator],
    figures: _Figures,
) -> None:
    _heading(sheet, township, year, month)
    last_row = FIRST_DATA_ROW + len(indicators) - 1
    rows = {ind.pk: FIRST_DATA_ROW + n for n, ind in enumerate(indicators)}
    periods = ((year, month), _previous_month(year, month), (year - 1, month))
    for ind in indicators:
        current, last_month, last_year = (figures.get((ind.pk, township.pk, y, m)) for y, m in periods)
        _data_row(sheet, rows[ind.pk], ind, current, last_month, last_year)
    _validations(sheet, indicators, rows)
    _part_warnings(sheet, indicators, rows)
    _sign_off(sheet, last_row + 2)
    _page_setup(sheet, last_row + 1 + len(SIGN_OFF_LABELS))


def _heading(sheet: Worksheet, township: OrgUnit, year: int, month: int) -> None:
    sheet.merge_cells("A1:H1")
    title = _text(sheet, "A1", TITLE)
    title.font = Font(size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    for coordinate, text in (
        ("A2", "区镇街道:"),
        ("B2", township.name),
        ("C2", "区划代码:"),
        ("D2", township.code),
        ("E2", "报表期:"),
        ("F2", f"{year}年{month}月"),
    ):
        _text(sheet, coordinate, text).font = Font(bold=coordinate in ("B2", "D2", "F2"))
    sheet["D2"].number_format = "@"  # the code is text: 429005001, never 4.29E+08
    sheet.merge_cells("A3:H3")
    note = _text(
        sheet,
        "A3",
        "请只填写白色的“本月数值”“备注”和“核实说明”列;灰色为参考数,不需填写。没有数据请留空,不要填0。"
        "系统提示需要核实的数,确实无误的请在“核实说明”中写明原因。详见“填报说明”。",
    )
    note.font = Font(size=9, color="C00000")
    for column, header in zip(COLUMNS, HEADERS, strict=True):
        cell = _text(sheet, f"{column}{HEADER_ROW}", header)
        cell.font, cell.fill, cell.border = Font(bold=True), _HEADER_FILL, _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for column, width in _WIDTHS.items():
        sheet.column_dimensions[column].width = width
    # The codes are the parser's, not the clerk's: column A stays (old files and the parser find the
    # columns by their headers) but out of sight, so the first column a clerk reads is the Chinese name.
    sheet.column_dimensions[CODE_COL].hidden = True
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"


def _data_row(
    sheet: Worksheet,
    row: int,
    ind: Indicator,
    current: _Figure | None,
    last_month: _Figure | None,
    last_year: _Figure | None,
) -> None:
    _text(sheet, f"{CODE_COL}{row}", ind.code)
    # A "其中" row's name already starts with 其中:; the indent shows it belongs to the row above.
    _text(sheet, f"{NAME_COL}{row}", ind.name).alignment = Alignment(indent=2 if ind.parent_id else 0)
    _text(sheet, f"{UNIT_COL}{row}", ind.unit).alignment = Alignment(horizontal="center")
    number_format = _number_format(ind.value_places)
    value = sheet[f"{VALUE_COL}{row}"]
    put(value, _number(current.value) if current else None)
    value.number_format = number_format
    remark = sheet[f"{REMARK_COL}{row}"]
    if current and current.remark:
        _text(sheet, remark.coordinate, current.remark)
    remark.number_format = "@"  # "1-3月" stays text instead of turning into a date
    explanation = sheet[f"{EXPLAIN_COL}{row}"]
    if current and current.explanation:
        _text(sheet, explanation.coordinate, current.explanation)
    explanation.number_format = "@"
    for cell in (value, remark, explanation):
        cell.protection, cell.fill = _UNLOCKED, _INPUT_FILL
    for column, figure in ((LAST_MONTH_COL, last_month), (LAST_YEAR_COL, last_year)):
        cell = sheet[f"{column}{row}"]
        put(cell, _number(figure.value) if figure else None)
        cell.number_format, cell.fill, cell.font = number_format, _REFERENCE_FILL, _REFERENCE_FONT
    for column in COLUMNS:
        sheet[f"{column}{row}"].border = _BOX


def _validations(sheet: Worksheet, indicators: list[Indicator], rows: dict[int, int]) -> None:
    """Excel and WPS refuse a negative, a text or (for counts) a fraction as it is typed. The parser
    checks again on upload: validation does not stop a pasted value."""
    groups: dict[tuple[int, str], DataValidation] = {}
    for ind in indicators:
        key = (ind.value_places, ind.kind)
        if key not in groups:
            groups[key] = _validation(*key)
            sheet.add_data_validation(groups[key])
        groups[key].add(f"{VALUE_COL}{rows[ind.pk]}")


def _validation(places: int, kind: str) -> DataValidation:
    rule = "不小于0的整数" if places == 0 else f"不小于0的数,最多{places}位小数"
    what = "本月月末的时点数" if kind == Indicator.Kind.STOCK else "本月当月发生数(不是年初以来累计数)"
    return DataValidation(
        type="whole" if places == 0 else "decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorStyle="stop",
        errorTitle="数值不符合要求",
        error=f"请填写{rule},只填数字,不带单位和文字。没有数据请留空,不要填0。",
        promptTitle="本月数值",
        prompt=f"填{what},单位见C列,{rule}。没有数据请留空。",
    )


def _part_warnings(sheet: Worksheet, indicators: list[Indicator], rows: dict[int, int]) -> None:
    """Show a "其中" value in red while it exceeds its total: the portal will refuse it."""
    for ind in indicators:
        if ind.parent_id in rows:
            part, whole = f"{VALUE_COL}{rows[ind.pk]}", f"{VALUE_COL}{rows[ind.parent_id]}"
            sheet.conditional_formatting.add(
                part,
                FormulaRule(
                    formula=[f"AND(ISNUMBER({part}),ISNUMBER({whole}),{part}>{whole})"],
                    fill=PatternFill("solid", fgColor="FFC7CE"),
                    font=Font(color="9C0006"),
                ),
            )


def _sign_off(sheet: Worksheet, first_row: int) -> None:
    for row, label in enumerate(SIGN_OFF_LABELS, start=first_row):
        _text(sheet, f"A{row}", label).alignment = Alignment(horizontal="right")
        cell = sheet[f"B{row}"]
        cell.protection, cell.number_format = _UNLOCKED, "@"
        cell.border = Border(bottom=_THIN)


def _page_setup(sheet: Worksheet, last_row: int) -> None:
    sheet.protection.sheet = True  # no password: see the module docstring
    # Widening a column or a row is harmless and helps with long names on small screens.
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    print_setup(
        sheet,
        title=f"{TITLE} {sheet['B2'].value} {sheet['F2'].value}",
        header_rows=f"{HEADER_ROW}:{HEADER_ROW}",
    )
    sheet.print_area = f"A1:H{last_row}"


_GUIDE = [
    ("各列含义", ""),
    ("指标代码", "系统识别指标用的代码,在隐藏的A列,不需要看,也不得修改。"),
    ("指标名称、单位", "指标的口径名称和计量单位,不得修改。名称以“其中:”开头的行是上一行总数的一部分。"),
    (
        "本月数值",
        "本报表期的数值。累计型指标填当月发生数(不是年初以来累计数);时点型指标(如参保人数)填月末数。",
    ),
    ("备注", "需要说明的情况(如口径变化、数据来源),可不填。"),
    ("上月数值、去年同月", "灰色列,系统中已有的数据,供对照参考,不需填写,改动也不会被采用。"),
    (
        "核实说明",
        "上传后系统会按本年度的校验规则审核每个数:明显不可能的数(如人数超过全市常住人口)一律拒收;"
        "需要核实的数(如一个月超过全市去年全年)请核对,确实无误的在本列写明原因(至少6个字),"
        "也可以在上传后的预览页面填写。审核人会看到这些说明。",
    ),
    ("填报人、联系电话、审核人、填报日期", "表格下方,请如实填写,便于核实数据。"),
    ("填写规则", ""),
    ("1. 空白表示未报", "没有数据或尚未统计的指标请留空。不要用0表示未报:填0表示本月实际为0。"),
    ("2. 人数等计数", "人、人次、件、笔、家、张等计数一律填整数,例如 1234,不要填小数。"),
    ("3. 金额", "金额一律以“万元”为单位,最多保留4位小数,例如 1545.7482;不要填“元”或“亿元”。"),
    ("4. 只填数字", "单元格中只填数字,不要带单位、文字、空格或“约”“多”等字样。"),
    ("5. 其中项", "“其中”行的数值不能大于它所属的总数行;超过时单元格会变红,系统也会拒收。"),
    ("6. 不要改动表格", "不要修改指标代码、名称、单位,不要插入、删除或调整行,不要重命名或删除工作表。"),
    (
        "7. 预填的数值",
        "本月如已报过(包括待审核和被退回的),“本月数值”“备注”“核实说明”列会预填最近一次报送的内容;"
        "如需更正,直接修改后重新上传即可。",
    ),
    ("8. 保存格式", "在 Excel 或 WPS 中填好后,请保存为 .xlsx 格式(不要另存为 .xls、.et 或 .csv)。"),
    (
        "9. 上传",
        "请在市人社局规定的报送截止时间前,登录潜江市人社数据平台上传本文件;上传后请查看校验结果并按提示更正。",
    ),
]


def _guide_sheet(sheet: Worksheet) -> None:
    _text(sheet, "A1", "填报说明").font = Font(size=14, bold=True)
    for row, (topic, text) in enumerate(_GUIDE, start=3):
        _text(sheet, f"A{row}", topic).font = Font(bold=True, size=12 if not text else 11)
        cell = _text(sheet, f"B{row}", text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 90
    sheet.protection.sheet = True
    print_setup(sheet, title=f"{TITLE} 填报说明")


def _meta_sheet(sheet: Worksheet, township_code: str, year: int, month: int) -> None:
    for row, (key, value) in enumerate(
        zip(META_KEYS, (township_code, year, month, TEMPLATE_VERSION), strict=True), start=1
    ):
        _text(sheet, f"A{row}", key)
        cell = put(sheet[f"B{row}"], value)
        if isinstance(value, str):
            cell.number_format = "@"
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True
