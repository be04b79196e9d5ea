"""A township's monthly report file read into rows and problems. Pure: no database, no Django models.

Every problem in the file is collected, each naming its sheet, row and column, so the person fixes the
file in one go. `rows` holds only the rows read without a problem; a report with any problem must not
be applied. Whether a code exists, a township may report it, or a figure is allowed is for the layer
above; this layer only says what the file holds."""

from __future__ import annotations

import logging
import re
import warnings
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl.utils import get_column_letter

from common.errors import Problem

from .budget import UPLOAD_BUDGET, Meter, ReadBudget
from .cells import (
    NO_CACHED_VALUE,
    ExcelError,
    cell_code,
    cell_number,
    cell_text,
    has_content,
    header_name,
)
from .kept import KeptSheet
from .layout import (
    CODE_HEADER,
    HEADER_SCAN_ROWS,
    VALUE_HEADERS,
    Columns,
    Found,
    Meta,
    header_columns,
    is_header,
    is_meta_sheet,
    is_sign_off,
    is_sign_off_label,
    is_skipped_sheet,
    is_total_label,
    read_meta,
    total_label,
    visible_labels,
)
from .numbers import NumberError, shown
from .readers import Row, Sheet, read_sheets
from .sniff import FileProblem, renamed_problem, size_problem, sniff

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# Twice the largest city-wide report (23 townships × every indicator is far below 100,000 rows): a
# longer sheet is not a report, and reading it would only tie up a worker.
MAX_DATA_ROWS = 200_000
_SUM_TEXT = re.compile(r"^\s*=\s*(?:SUM|SUBTOTAL)\s*\(", re.IGNORECASE)
UNREADABLE = "文件无法读取。请用Excel或WPS打开文件,确认内容无误后另存为.xlsx文件,再上传。"


@dataclass(frozen=True, slots=True)
class ParsedRow:
    sheet: str
    row: int  # 1-based, as Excel shows it
    indicator_code: str
    org_code: str | None  # the 区划代码 column, else the sheet's visible 区划代码, else None
    value: Decimal | None  # None: blank, not reported (never zero)
    value_unit: str | None  # a unit the person wrote after the number (万元, 亿元, 人, 万人, ...)
    raw_value: str
    remark: str
    value_column: str  # Excel column letter
    explanation: str = ""  # the 核实说明 column, where the file has one


@dataclass
class ParsedReport:
    township_code: str | None
    year: int | None
    month: int | None
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    template_version: int | None = None  # from `_meta`; None for a file not made from the template
    notices: list[Problem] = field(default_factory=list)  # worth saying, not wrong: hidden sheets
    # The visible cells that name the township and the month, so a message about either says where.
    township_found: Found | None = None
    period_found: Found | None = None
    # What the portal keeps of each data sheet read: the copy it stores and serves (kept.py).
    kept: list[KeptSheet] = field(default_factory=list)


def parse_report(
    data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES, budget: ReadBudget = UPLOAD_BUDGET
) -> ParsedReport:
    """Read an uploaded .xlsx, .xls or .csv report (told apart by its bytes). Never raises for what is
    in the file: every problem comes back in `problems`, in Chinese, with sheet, row and column.
    `budget` bounds the work (cells, strings, seconds, ...): the web door's by default, the import
    command's IMPORT_BUDGET for the city-wide file."""
    report = ParsedReport(None, None, None)
    try:
        with warnings.catch_warnings():  # openpyxl warns about features it drops; none matter here
            warnings.simplefilter("ignore")
            _parse(bytes(data), filename, max_bytes, budget, report)
    except Exception:  # the last net: a hostile file must never turn into a server error
        logger.exception("Unexpected failure reading the uploaded report %r", filename)
        report.rows.clear()
        report.problems.append(Problem(UNREADABLE))
    return report


def _parse(data: bytes, filename: str, max_bytes: int, budget: ReadBudget, report: ParsedReport) -> None:
    problem = size_problem(len(data), max_bytes)
    if problem:
        report.problems.append(Problem(problem))
        return
    try:
        meter = Meter(budget)
        kind = sniff(data, max_unpacked_bytes=budget.max_unpacked_bytes)
        renamed = renamed_problem(kind, filename)
        if renamed:  # said, and the content still read, so every other problem is shown too
            report.problems.append(Problem(renamed))
        builder = _ReportBuilder(report)
        for sheet in read_sheets(kind, data, filename, meter):
            meter.check_time()
            builder.read_sheet(sheet)
        builder.finish()
    except FileProblem as error:
        report.rows.clear()
        report.problems.append(Problem(str(error)))


class _ReportBuilder:
    def __init__(self, report: ParsedReport):
        self.report = report
        self.meta = Meta()
        self.townships: list[Found] = []
        self.periods: list[Found] = []
        self.data_sheets = 0
        self.unreadable_header = False
        self.content_rows = 0
        self.reported_values = 0
        self.row_problems = 0
        self.last_row = 0
        self.codes: dict[str, str] = {}
        self.code_rows: list[int] = []  # the current sheet's rows that name an indicator
        self.sums: dict[tuple[int, int], str] = {}  # the current sheet's SUM formulas
        self.kept: KeptSheet | None = None  # the current data sheet's copy
        self.hidden: list[str] = []

    def problem(self, message: str, sheet: str, row: int | None = None, column: str | None = None) -> None:
        self.report.problems.append(Problem(message, sheet=sheet, row=row, column=column))

    def read_sheet(self, sheet: Sheet) -> None:
        """Visible sheets only, and the template's hidden `_meta`: a hidden sheet is often a stale copy
        (旧版数据) whose rows would clash with the real ones, and no one checks what they cannot see."""
        self.last_row, self.code_rows = 0, []
        with closing(sheet.rows) as rows:
            if sheet.hidden and not is_meta_sheet(sheet.name):
                self.hidden.append(sheet.name)
                return
            try:
                if is_meta_sheet(sheet.name):
                    self.meta = read_meta(sheet.name, rows, self.report.problems)
                elif not is_skipped_sheet(sheet.name):
                    self._read_table(sheet, rows)
            except FileProblem:  # the whole file is refused (a budget limit): not this sheet's damage
                raise
            except Exception:  # a damaged part of the file: say where reading stopped
                logger.warning("Damaged sheet %r in an uploaded report", sheet.name, exc_info=True)
                after = f"读到第{self.last_row}行后" if self.last_row else ""
                self.problem(
                    f"工作表已损坏,{after}无法继续读取。请用Excel或WPS打开文件后重新保存,再上传。", sheet.name
                )

    def _read_table(self, sheet: Sheet, rows: Iterator[Row]) -> None:
        """Find the header in the first rows, then read every row under it."""
        above: list[Row] = []
        self.sums = sheet.sums
        for number, values in rows:
            self.last_row = number
            if number > HEADER_SCAN_ROWS:
                return  # no header: not a data sheet
            if is_header(values):
                columns = self._read_data(sheet.name, number, values, above, rows)
                if columns is not None:
                    self._merged_problems(sheet, columns)
                return
            above.append((number, values))

    def _read_data(
        self, sheet: str, header_row: int, header: Sequence[object], above: list[Row], rows: Iterator[Row]
    ) -> Columns | None:
        self.data_sheets += 1
        columns = header_columns(sheet, header_row, header)
        if isinstance(columns, list):
            self.report.problems.extend(columns)
            self.unreadable_header = True
            return None
        self.kept = KeptSheet.start(sheet, header_row, header, columns, above)
        self.report.kept.append(self.kept)
        township, period = visible_labels(sheet, above, self.report.problems)
        self.townships += [township] if township and township.value else []
        self.periods += [period] if period else []
        sheet_org = township.value if township and township.value else None
        for number, values in rows:
            self.last_row = number
            if self.content_rows >= MAX_DATA_ROWS:
                self.problem(f"数据超过{MAX_DATA_ROWS}行的上限,后面的行没有读取。", sheet, number)
                return None
            self._data_row(sheet, number, values, columns, sheet_org)
        return columns

    def _merged_problems(self, sheet: Sheet, columns: Columns) -> None:
        """A value cell merged with another indicator's row keeps its figure in the first row only and
        leaves the others blank, i.e. "not reported" without anyone having meant it: refused. (The
        merged ranges of an .xlsx come after its rows, so this runs once the rows are read.)"""
        value, rows = columns.value + 1, sorted(self.code_rows)
        for first_row, last_row, first_column, last_column in sheet.merged:
            at = bisect_left(rows, first_row)
            if not first_column <= value <= last_column or at == len(rows) or rows[at] > last_row:
                continue
            name = columns.value_name
            if first_row != last_row:
                message = f"第{first_row}-{last_row}行『{name}』为合并单元格,请取消合并后逐行填写。"
            elif first_column < value:
                cells = f"{get_column_letter(first_column)}{first_row}:{get_column_letter(last_column)}{first_row}"
                message = (
                    f"第{first_row}行『{name}』与左边的单元格合并在了一起({cells}),数值不在本列,"
                    "请取消合并后填写。"
                )
            else:
                continue  # one row, starting at the value cell: the figure is where it belongs
            self.problem(message, sheet.name, first_row, columns.value_letter)

    def _data_row(
        self,
        sheet: str,
        number: int,
        values: Sequence[object],
        columns: Columns,
        sheet_org: str | None,
    ) -> None:
        code_cell = _at(values, columns.code)
        code = self._code(code_cell)
        if not code or code_cell is NO_CACHED_VALUE or isinstance(code_cell, ExcelError):
            self._row_without_code(sheet, number, values, columns, code_cell)
            return
        if is_sign_off_label(code):
            self.kept.add_extra(number, values)
            return
        if is_total_label(code) and self._left_out_total(sheet, number, values, columns):
            return
        if code == CODE_HEADER and header_name(_at(values, columns.value)) in VALUE_HEADERS:
            return  # the header repeated (blocks pasted one under another)
        self.content_rows += 1
        self.code_rows.append(number)
        value_cell = _at(values, columns.value)
        try:
            value, unit = cell_number(value_cell)
        except NumberError as error:
            self.row_problems += 1
            message = f"{_indicator(values, columns, code)}的{columns.value_name}:{error}"
            self.problem(message, sheet, number, columns.value_letter)
            return
        self.reported_values += value is not None
        org = self._code(_at(values, columns.org)) if columns.org is not None else ""
        self.report.rows.append(
            ParsedRow(
                sheet=sheet,
                row=number,
                indicator_code=code,
                org_code=org or sheet_org,
                value=value,
                value_unit=unit,
                raw_value=_raw(value_cell, value),
                remark=cell_text(_at(values, columns.remark)) if columns.remark is not None else "",
                value_column=columns.value_letter,
                explanation=cell_text(_at(values, columns.explanation))
                if columns.explanation is not None
                else "",
            )
        )
        self.kept.add_indicator(number, values, org or sheet_org)

    def _row_without_code(
        self, sheet: str, number: int, values: Sequence[object], columns: Columns, code_cell: object
    ) -> None:
        """A total or a sign-off row is no figure; anything else with content needs its code."""
        if self._left_out_total(sheet, number, values, columns):
            return
        if is_sign_off(values):
            self.kept.add_extra(number, values)
        elif any(has_content(v) for v in values):
            self.content_rows += 1
            self._code_problem(sheet, number, values, columns, code_cell)

    def _left_out_total(self, sheet: str, number: int, values: Sequence[object], columns: Columns) -> bool:
        """A 合计/总计/小计 row, told by its label or by a SUM formula in its value cell, is left out
        with a notice: the figures are read from the indicators' own rows."""
        value_cell = _at(values, columns.value)
        formula = self.sums.get((number, columns.value + 1))
        if formula is None and isinstance(value_cell, str) and _SUM_TEXT.match(value_cell):
            formula = value_cell.strip()  # a .csv keeps the formula as text
        label = total_label(values)
        if label is None and formula is None:
            return False
        what = f"“{shown(label)}”" if label else f"求和公式“{shown(formula)}”"
        self.report.notices.append(
            Problem(
                f"这一行是合计行({what}),合计不是单独的指标,系统没有读取这一行;"
                "各指标的数值按各自的行读取,无需修改。",
                sheet=sheet,
                row=number,
                column=columns.value_letter,
            )
        )
        self.kept.add_extra(number, values)
        return True

    def _code(self, value: object) -> str:
        """Codes repeat (every township lists the same indicators): each text is cleaned once."""
        if not isinstance(value, str):
            return cell_code(value)
        code = self.codes.get(value)
        if code is None:
            code = self.codes[value] = cell_code(value)
        return code

    def _code_problem(
        self, sheet: str, number: int, values: Sequence[object], columns: Columns, code_cell: object
    ) -> None:
        self.row_problems += 1
        if isinstance(code_cell, ExcelError):
            message = f"指标代码单元格是Excel错误值{code_cell.code},请填写正确的指标代码。"
        elif code_cell is NO_CACHED_VALUE:
            message = "指标代码单元格是没有计算结果的公式,请填写指标代码。"
        else:
            index = next(i for i, v in enumerate(values) if has_content(v))
            found = f"{get_column_letter(index + 1)}列“{shown(cell_text(values[index]))}”"
            message = f"这一行没有填指标代码,但有内容({found})。请补上指标代码,或删除这一行。"
        self.problem(message, sheet, number, columns.code_letter)

    def finish(self) -> None:
        report, meta = self.report, self.meta
        if self.hidden:
            names = "”“".join(self.hidden)
            report.notices.append(
                Problem(
                    f"文件中的隐藏工作表“{names}”没有读取:系统只读取显示出来的工作表。"
                    "如果要上报的数据在隐藏的工作表中,请在Excel或WPS中取消隐藏后重新上传。"
                )
            )
        report.template_version = meta.template_version
        report.township_code = meta.township_code or _agreed([t.value for t in self.townships])
        report.township_found = self.townships[0] if self.townships else None
        report.period_found = self.periods[0] if self.periods else None
        report.year, report.month = self._period()
        if self.data_sheets == 0:
            report.problems.append(
                Problem(
                    f"文件中没有找到数据表:各工作表的前{HEADER_SCAN_ROWS}行都没有“{CODE_HEADER}”表头。"
                    f"请使用市人社局下发的模板填写,或在表头中写明“{CODE_HEADER}”和“{VALUE_HEADERS[0]}”列。"
                )
            )
        elif self.content_rows == 0 and not self.unreadable_header:
            report.problems.append(Problem("文件中没有数据行:表头下面是空的。请填写数据后再上传。"))
        elif self.content_rows and not self.row_problems and not self.reported_values:
            report.problems.append(
                Problem("所有指标的本月数值都是空的,文件中没有可导入的数据。请填写数值后再上传。")
            )

    def _period(self) -> tuple[int | None, int | None]:
        """The month the file is for: `_meta`'s, else the visible 报表期; every 报表期 must agree."""
        meta = self.meta
        first_found = self.periods[0] if self.periods else None
        first = first_found.value if first_found else (None, None)
        year = meta.year if meta.year is not None else first[0]
        month = meta.month if meta.month is not None else first[1]
        reference = None if meta.year or meta.month else first_found
        for found in self.periods:
            if found.value != (year, month):
                self.problem(
                    _period_mismatch(found, year, month, reference), found.sheet, found.row, found.column
                )
        return year, month


def _period_mismatch(found: Found, year: int | None, month: int | None, reference: Found | None) -> str:
    """`reference` None: the month is the template's own, kept where the person cannot see it (the
    hidden `_meta`), so the message names it in words and says which of the two to change."""
    found_year, found_month = found.value
    written = f"报表期“{found_year}年{found_month}月”"
    if reference is None:
        return (
            f"{written}与这份模板所属的月份({year}年{month}月,下载模板时选定)不一致,"
            f"一个文件只能填报一个月的数据。如果填的是{year}年{month}月的数据,请把报表期改回“{year}年{month}月”;"
            f"如果填的是{found_year}年{found_month}月的数据,请下载{found_year}年{found_month}月的模板重新填写。"
        )
    return (
        f"{written}与{reference.where}的报表期“{year}年{month}月”不一致,一个文件只能填报一个月的数据。"
        "请把各处的报表期改成同一个月。"
    )


def _indicator(values: Sequence[object], columns: Columns, code: str) -> str:
    """The indicator as the person reads it on the row: its 指标名称, else its code."""
    name = cell_text(_at(values, columns.name)) if columns.name is not None else ""
    return f"“{shown(name)}”" if name else f"指标“{shown(code)}”"


def _agreed(codes: list[str]) -> str | None:
    """The township all sheets name; None when they name several (a city-wide file)."""
    return codes[0] if codes and len(set(codes)) == 1 else None


def _raw(cell: object, value: Decimal | None) -> str:
    """The value cell as written: the text typed, or the number as Excel shows it."""
    if isinstance(cell, str):
        return cell.strip()
    return format(value, "f") if value is not None else cell_text(cell)


def _at(values: Sequence[object], index: int | None) -> object:
    return values[index] if index is not None and index < len(values) else None
