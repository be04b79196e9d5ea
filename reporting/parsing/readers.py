"""Rows out of .xlsx, .xls and .csv files, one sheet at a time, as (row number, cell values from
column A). Rows are streamed, never gathered: memory stays flat however long the sheet is."""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import xlrd
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import column_index_from_string
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from .cells import NO_CACHED_VALUE, ExcelError
from .sniff import CORRUPT, ENCRYPTED, UPLOAD_HINT, FileProblem, Kind, decode_text

Row = tuple[int, Sequence[object]]


@dataclass
class Sheet:
    name: str
    rows: Iterator[Row]


def read_sheets(kind: Kind, data: bytes, filename: str) -> Iterator[Sheet]:
    """Raises FileProblem when the file cannot be opened at all."""
    if kind is Kind.XLSX:
        return _xlsx_sheets(data)
    if kind is Kind.XLS:
        return _xls_sheets(data)
    return iter([_csv_sheet(data, filename)])


# --- .xlsx (Excel 2007+, WPS, LibreOffice) ---


def _xlsx_sheets(data: bytes) -> Iterator[Sheet]:
    """openpyxl opens the package and reads the workbook part, shared strings and styles; the worksheets
    are left to _XlsxRows. (load_workbook would also scan every worksheet for its dimensions, and a file
    written by a streaming writer has none before its data: that is a whole extra parse of every sheet.)"""
    try:
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        found = [
            (sheet.name, rel.target)
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]
    except Exception:  # any failure to open the package means a damaged or foreign file
        raise FileProblem(CORRUPT) from None

    def sheets() -> Iterator[Sheet]:
        try:
            for name, path in found:
                yield Sheet(name, _XlsxRows(reader, path).rows())
        finally:
            reader.archive.close()

    return sheets()


_NS = f"{{{SHEET_MAIN_NS}}}"
_ROW, _CELL, _VALUE, _FORMULA, _INLINE, _TEXT, _RUN = (
    _NS + tag for tag in ("row", "c", "v", "f", "is", "t", "r")
)
_TEXT_RESULTS = ("str", "s", "inlineStr")


class _XlsxRows:
    """A worksheet's rows read straight from its XML; openpyxl's ExcelReader opens the package and
    supplies the shared strings and date styles (its own attributes, openpyxl 3.1).

    Not openpyxl's row reader, for two reasons. In data_only mode it folds a formula whose result was
    never saved into None, like a blank cell; but blank means "not reported", so such a formula must be
    told apart (NO_CACHED_VALUE). And it builds rich-text objects for every inline string (what openpyxl
    itself writes), which made reading a big file twice as slow. Error results become ExcelError."""

    def __init__(self, reader: ExcelReader, path: str):
        book = reader.wb
        self.archive, self.path = reader.archive, path
        self.shared_strings = reader.shared_strings
        self.date_formats = book._date_formats
        self.timedelta_formats = book._timedelta_formats
        self.epoch = book.epoch

    def rows(self) -> Iterator[Row]:
        number = 0
        with self.archive.open(self.path) as source:
            for _, element in iterparse(source):
                if element.tag != _ROW:
                    continue
                attribute = element.get("r")
                number = int(float(attribute)) if attribute else number + 1
                values = self._cells(element)
                element.clear()  # keeps memory flat: the rows read are dropped
                if values:
                    yield number, values

    def _cells(self, row) -> list[object]:
        values: list[object] = []
        column = 0
        for cell in row:  # plain iteration: ElementPath lookups (find, iterfind) cost a third more
            if cell.tag != _CELL:
                continue
            reference = cell.get("r")
            column = _column_index(reference.rstrip("0123456789")) if reference else column + 1
            value = self._value(cell)
            if value is not None:
                if column > len(values):
                    values.extend([None] * (column - len(values)))
                values[column - 1] = value
        return values

    def _value(self, cell) -> object:
        data_type = cell.get("t", "n")
        text = inline = None
        formula = False
        for part in cell:
            if part.tag == _VALUE:
                text = part.text or ""
            elif part.tag == _FORMULA:
                formula = True
            elif part.tag == _INLINE:
                inline = part
        if data_type == "inlineStr":
            return _inline_text(inline)
        if not text:
            # An empty result is real only for a text formula (=IF(A1="","",…)); openpyxl writes <v/>
            # for every formula it stores, since it calculates nothing.
            no_result = formula and (text is None or data_type not in _TEXT_RESULTS)
            return NO_CACHED_VALUE if no_result else None
        if data_type == "n":
            return self._number(text, int(cell.get("s", 0)))
        if data_type == "s":
            return self.shared_strings[int(text)]
        if data_type == "b":
            return text.strip() not in ("0", "false")
        if data_type == "e":
            return ExcelError(text.strip().upper())
        if data_type == "d":
            return from_ISO8601(text)
        return text  # "str": a formula's text result

    def _number(self, text: str, style: int) -> object:
        number = float(text) if any(c in text for c in ".eE") else int(text)
        if style in self.date_formats:
            try:
                return from_excel(number, self.epoch, timedelta=style in self.timedelta_formats)
            except (OverflowError, ValueError):
                return number
        return number


@functools.cache
def _column_index(letters: str) -> int:
    return column_index_from_string(letters)


def _inline_text(element) -> str | None:
    """The plain text of an inline string: its <t>, or its rich-text runs joined (phonetics left out)."""
    if element is None:
        return None
    parts = []
    for child in element:
        if child.tag == _TEXT:
            parts.append(child.text or "")
        elif child.tag == _RUN:
            parts.extend(part.text or "" for part in child if part.tag == _TEXT)
    return "".join(parts)


# --- .xls (Excel 97-2003, and WPS's .et which is the same format) ---


def _xls_sheets(data: bytes) -> Iterator[Sheet]:
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=io.StringIO())
    except Exception as error:
        text = str(error)
        if "encrypted" in text.lower():
            raise FileProblem(ENCRYPTED) from None
        if "Can't find workbook" in text:
            raise FileProblem(f"不是电子表格文件(可能是Word等其他Office文件)。{UPLOAD_HINT}") from None
        raise FileProblem(CORRUPT) from None

    def sheets() -> Iterator[Sheet]:
        try:
            for index, name in enumerate(book.sheet_names()):
                yield Sheet(name, _xls_rows(book, index))
        finally:
            book.release_resources()

    return sheets()


def _xls_rows(book: xlrd.Book, index: int) -> Iterator[Row]:
    sheet = book.sheet_by_index(index)
    try:
        for r in range(sheet.nrows):
            yield r + 1, [_xls_value(book, cell) for cell in sheet.row(r)]
    finally:
        book.unload_sheet(index)


def _xls_value(book: xlrd.Book, cell: xlrd.sheet.Cell) -> object:
    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(value, book.datemode)
        except Exception:  # a serial outside Excel's dates: show it as the number it is
            return value
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_ERROR:
        return ExcelError(xlrd.error_text_from_code.get(value, "#错误"))
    return value  # float for numbers, str for text


# --- .csv (one sheet, named after the file as Excel names it) ---


def _csv_sheet(data: bytes, filename: str) -> Sheet:
    text = decode_text(data)
    if text is None:
        raise FileProblem(f"不是电子表格文件,无法识别其内容。{UPLOAD_HINT}")
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "CSV"
    return Sheet(name, _csv_rows(text))


def _csv_rows(text: str) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    for number, cells in enumerate(reader, start=1):
        yield number, [cell if cell.strip() else None for cell in cells]


def _delimiter(text: str) -> str:
    """Comma, or the tab of Excel's “文本文件(制表符分隔)”: whichever splits the header line more."""
    for line in text[:20000].splitlines()[:15]:
        if "指标代码" in line:
            return "\t" if line.count("\t") > line.count(",") else ","
    return ","
