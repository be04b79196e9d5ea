""".xls (Excel 97-2003, and WPS's .et which is the same format) read with xlrd, after a scan of the
file's records has held it to the read budget.

xlrd parses the whole shared-string table when it opens a book and a whole sheet when it loads one,
in Python: a 10 MB file of a million small cells ties a worker up for seconds and hundreds of MB
before any of it can be counted. So its records (4 bytes of header each, no parsing) are counted
first: sheets, cells and the blanks xlrd pads rows with, rows, strings, formats, merged ranges; past a
limit the file is refused and xlrd never sees it. formatting_info=True is what makes xlrd read merged
ranges (its docs: "Extracted only if open_workbook(..., formatting_info=True)"); ragged_rows=True keeps
it from padding every row to the widest one."""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator

import xlrd
from xlrd import compdoc

from .budget import Meter
from .cells import ExcelError
from .sheet import Merged, Row, Sheet
from .sniff import CORRUPT, ENCRYPTED, UPLOAD_HINT, FileProblem

NOT_A_WORKBOOK = f"不是电子表格文件(可能是Word等其他Office文件)。{UPLOAD_HINT}"
_BOF, _FILEPASS, _BOUNDSHEET, _SST, _CONTINUE = 0x0809, 0x002F, 0x0085, 0x00FC, 0x003C
_XF, _FORMAT, _MERGEDCELLS, _LABEL = 0x00E0, 0x041E, 0x00E5, 0x0204
_CELLS = frozenset((0x0203, 0x027E, 0x00FD, 0x0204, 0x0201, 0x0205, 0x0006, 0x00D6))  # one cell each
_MULRK, _MULBLANK = 0x00BD, 0x00BE  # a run of cells in one row: (row, first column, …, last column)
_RECORD = struct.Struct("<HH")
_CHECK_EVERY = 4096


def xls_sheets(data: bytes, meter: Meter) -> Iterator[Sheet]:
    """Raises FileProblem when the file cannot be opened or passes the budget."""
    _scan(data, meter)
    book = _open(data)
    try:
        _check_strings(book, meter)
    except FileProblem:
        book.release_resources()
        raise

    def sheets() -> Iterator[Sheet]:
        try:
            visibility = getattr(book, "_sheet_visibility", [])  # from the BOUNDSHEET records
            for index, name in enumerate(book.sheet_names()):
                sheet = Sheet(name, iter(()), hidden=index < len(visibility) and visibility[index] != 0)
                sheet.rows = _rows(book, index, sheet.merged, meter)
                yield sheet
        finally:
            book.release_resources()

    return sheets()


def _open(data: bytes) -> xlrd.Book:
    for formatting_info in (True, False):  # merged ranges where xlrd can read the formatting
        try:
            return xlrd.open_workbook(
                file_contents=data,
                on_demand=True,
                formatting_info=formatting_info,
                ragged_rows=True,
                logfile=io.StringIO(),
            )
        except Exception as error:
            text = str(error)
            if "encrypted" in text.lower():
                raise FileProblem(ENCRYPTED) from None
            if "Can't find workbook" in text:
                raise FileProblem(NOT_A_WORKBOOK) from None
    raise FileProblem(CORRUPT)


def _workbook_stream(data: bytes) -> tuple[bytes, int, int]:
    try:
        document = compdoc.CompDoc(data, logfile=io.StringIO())
        for name in ("Workbook", "Book"):
            stream, base, length = document.locate_named_stream(name)
            if stream:
                return stream, base, length
    except Exception:
        raise FileProblem(CORRUPT) from None
    raise FileProblem(NOT_A_WORKBOOK)


class _Extent:
    """One sheet's rows and cells as xlrd will hold them: every row up to the last one used, each
    row up to its last cell (ragged rows)."""

    def __init__(self, meter: Meter):
        self.meter = meter
        self.last_row = -1
        self.row_ends: dict[int, int] = {}

    def cells(self, row: int, last_column: int) -> None:
        if row > self.last_row:
            self.meter.add_rows(row - self.last_row)
            self.last_row = row
        end = self.row_ends.get(row, -1)
        if last_column > end:
            self.meter.add_cells(last_column - end)
            self.row_ends[row] = last_column


def _scan(data: bytes, meter: Meter) -> None:
    """Count the workbook stream's records against the budget; raise at the first limit passed."""
    stream, position, length = _workbook_stream(data)
    end, records, extent = position + length, 0, _Extent(meter)
    sst_bytes, in_sst = 0, False
    while position + 4 <= end:
        kind, size = _RECORD.unpack_from(stream, position)
        body = stream[position + 4 : position + 4 + min(size, 8)]
        position += 4 + size
        records += 1
        if records % _CHECK_EVERY == 0:
            meter.add_elements(_CHECK_EVERY)
            meter.check_time()
        in_sst = kind == _SST or (in_sst and kind == _CONTINUE)
        if in_sst:
            sst_bytes += size
            # A character takes one or two bytes, a string three more: at most this many characters.
            meter.check_strings(0, sst_bytes // 3)
        if kind in _CELLS and len(body) >= 4:
            extent.cells(*struct.unpack_from("<HH", body))
            if kind == _LABEL and len(body) >= 8:
                meter.check_cell_chars(struct.unpack_from("<H", body, 6)[0], "某个单元格")
        elif kind in (_MULRK, _MULBLANK) and size >= 6:
            row, first = struct.unpack_from("<HH", body)
            extent.cells(row, max(first, struct.unpack_from("<H", stream, position - 2)[0]))
        elif kind == _BOF:  # the next sheet (or the workbook globals) begins
            extent = _Extent(meter)
        elif kind == _BOUNDSHEET:
            meter.add_sheets(1)
        elif kind in (_XF, _FORMAT):
            meter.add_styles()
        elif kind == _MERGEDCELLS and len(body) >= 2:
            meter.add_merged(struct.unpack_from("<H", body)[0])
        elif kind == _SST and len(body) >= 8:
            meter.check_strings(struct.unpack_from("<i", body, 4)[0], 0)  # the distinct strings it declares
        elif kind == _FILEPASS:
            raise FileProblem(ENCRYPTED)


def _rows(book: xlrd.Book, index: int, merged: list[Merged], meter: Meter) -> Iterator[Row]:
    try:
        sheet = book.sheet_by_index(index)
        merged.extend(
            (first_row + 1, end_row, first_column + 1, end_column)
            for first_row, end_row, first_column, end_column in sheet.merged_cells
            if end_row - first_row > 1 or end_column - first_column > 1
        )
        for r in range(sheet.nrows):
            if r % 1000 == 0:
                meter.check_time()
            yield r + 1, [_value(book, cell) for cell in sheet.row(r)]
    finally:
        book.unload_sheet(index)


def _check_strings(book: xlrd.Book, meter: Meter) -> None:
    """The shared strings xlrd read when it opened the book, counted (the scan bounded their bytes)."""
    strings = getattr(book, "_sharedstrings", [])  # xlrd's table, read when the book was opened
    meter.check_cell_chars(max(map(len, strings), default=0), "某个单元格")
    meter.add_strings(len(strings), sum(map(len, strings)))


def _value(book: xlrd.Book, cell: xlrd.sheet.Cell) -> object:
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
