"""Sheets out of .xlsx, .xls and .csv files, one at a time, each with its rows streamed, never
gathered, and every step metered against the read budget (budget.py)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from .budget import Meter
from .layout import CODE_HEADER, HEADER_SCAN_ROWS
from .numbers import clean_text, shown
from .sheet import Row, Sheet
from .sniff import UPLOAD_HINT, FileProblem, Kind, decode_text
from .xls import xls_sheets
from .xlsx import xlsx_sheets

__all__ = ["Row", "Sheet", "read_sheets"]


def read_sheets(kind: Kind, data: bytes, filename: str, meter: Meter) -> Iterator[Sheet]:
    """Raises FileProblem when the file cannot be opened at all, or reading it passes the budget."""
    if kind is Kind.XLSX:
        return xlsx_sheets(data, meter)
    if kind is Kind.XLS:
        return xls_sheets(data, meter)
    return iter([_csv_sheet(data, filename, meter)])


# --- .csv (one sheet, named after the file as Excel names it) ---


def _csv_sheet(data: bytes, filename: str, meter: Meter) -> Sheet:
    text = decode_text(data)
    if text is None:
        raise FileProblem(f"不是电子表格文件,无法识别其内容。{UPLOAD_HINT}")
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    if not base.lower().endswith(".csv") and not _has_header(text):
        # A note, a .txt, a file with no name: text, but no table. Saying that its 指标代码 header
        # is missing would send the person looking for a header in a file that was never a report.
        raise FileProblem(
            f"上传的“{shown(base)}”是纯文本文件,不是电子表格。"
            "请用Excel或WPS打开市人社局下发的月报模板,填写后保存为.xlsx文件,再上传。"
        )
    name = base.rsplit(".", 1)[0] or "CSV"
    return Sheet(name, _csv_rows(text, name, meter))


def _has_header(text: str) -> bool:
    """Whether the 指标代码 header is in the first lines, where the report reader looks for it."""
    return any(CODE_HEADER in clean_text(line) for line in text[:20000].splitlines()[:HEADER_SCAN_ROWS])


def _csv_rows(text: str, sheet: str, meter: Meter) -> Iterator[Row]:
    delimiter = _delimiter(text)
    # Counted before the csv module builds a row: a line of ten million commas would be one list of
    # ten million cells before anything could be counted.
    meter.add_rows(max(text.count("\n"), text.count("\r")))
    meter.add_cells(text.count(delimiter))
    reader = csv.reader(_lines(text), delimiter=delimiter)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if number % 1000 == 0:
                meter.check_time()
            for cell in cells:
                if len(cell) > meter.budget.max_cell_chars:
                    meter.check_cell_chars(len(cell), f"工作表“{sheet}”第{number}行")
            yield number, [cell if cell.strip() else None for cell in cells]
    except csv.Error as error:
        if "field larger than field limit" in str(error):  # 131,072 characters: above every budget's
            meter.check_cell_chars(csv.field_size_limit() + 1, f"工作表“{sheet}”第{number + 1}行")
        raise


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines(text: str) -> Iterator[str]:
    """The lines with their ends (\r\n, \r or \n, as csv wants them), one at a time: io.StringIO would
    hold the whole text again at four bytes a character."""
    return (match.group() for match in _LINE.finditer(text))


def _delimiter(text: str) -> str:
    """Comma, or the tab of Excel's “文本文件(制表符分隔)”: whichever splits the header line more."""
    for line in text[:20000].splitlines()[:15]:
        if "指标代码" in line:
            return "\t" if line.count("\t") > line.count(",") else ","
    return ","
