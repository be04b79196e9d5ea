""".xlsx (Excel 2007+, WPS, LibreOffice) read part by part, each through the bounded XML stream
(xmlstream.py) and metered against the read budget.

Not openpyxl's reader, for three reasons. Its shared-string and style readers load their whole part
(195 MB of strings took 21.8 s and 525 MB) before anything can be counted; its workbook reader parses
parts whole with lxml. In data_only mode it folds a formula whose result was never saved into None,
like a blank cell; but blank means "not reported", so such a formula must be told apart
(NO_CACHED_VALUE). And its read-only mode skips merged ranges, which must be seen: a value merged
across two indicator rows leaves the second one silently blank. openpyxl's helpers still read the
number formats, dates and cell references."""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils import column_index_from_string, range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601
from openpyxl.xml.constants import (
    ARC_CONTENT_TYPES,
    ARC_STYLE,
    PKG_REL_NS,
    REL_NS,
    SHARED_STRINGS,
    SHEET_MAIN_NS,
    XLSM,
    XLSX,
    XLTM,
    XLTX,
)

from .budget import Meter
from .cells import NO_CACHED_VALUE, ExcelError
from .sheet import Merged, Row, Sheet
from .sniff import CORRUPT, FileProblem
from .xmlstream import MAX_DEPTH, Target, parse_stream

_NS = f"{{{SHEET_MAIN_NS}}}"
_ROW, _CELL, _VALUE, _FORMULA, _INLINE, _TEXT, _PHONETIC, _MERGE = (
    _NS + tag for tag in ("row", "c", "v", "f", "is", "t", "rPh", "mergeCell")
)
_SI, _NUMFMT, _XF, _CELL_XFS, _STYLE_XFS = (
    _NS + tag for tag in ("si", "numFmt", "xf", "cellXfs", "cellStyleXfs")
)
_WORKBOOK_TYPES = (XLSX, XLSM, XLTX, XLTM)
_SUM_FORMULA = re.compile(r"^\s*(?:SUM|SUBTOTAL)\s*\(", re.IGNORECASE)
_TEXT_RESULTS = ("str", "s", "inlineStr")
_LAST_ROW = 1_048_576
_HIDDEN = ("hidden", "veryHidden")


@dataclass(frozen=True)
class _SheetEntry:
    name: str
    path: str
    hidden: bool


@dataclass
class _Book:
    strings: list[str]
    date_styles: frozenset[int]
    timedelta_styles: frozenset[int]
    epoch: object
    sheets: list[_SheetEntry]


def xlsx_sheets(data: bytes, meter: Meter) -> Iterator[Sheet]:
    """Raises FileProblem when the package cannot be opened or passes the budget."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        book = _read_book(archive, meter)
    except FileProblem:
        raise
    except Exception:  # any failure to open the package means a damaged or foreign file
        raise FileProblem(CORRUPT) from None

    def sheets() -> Iterator[Sheet]:
        try:
            for entry in book.sheets:
                sheet = Sheet(entry.name, iter(()), hidden=entry.hidden)
                sheet.rows = _rows(archive, entry.path, book, meter, sheet)
                yield sheet
        finally:
            archive.close()

    return sheets()


def _read_book(archive: zipfile.ZipFile, meter: Meter) -> _Book:
    types = _elements(archive, ARC_CONTENT_TYPES, meter)
    overrides = {a.get("ContentType"): a.get("PartName", "") for t, a in types if t.endswith("}Override")}
    workbook = next((overrides[t] for t in _WORKBOOK_TYPES if t in overrides), "/xl/workbook.xml").lstrip("/")
    entries, date1904 = _workbook(archive, workbook, meter)
    strings_part = overrides.get(SHARED_STRINGS, "").lstrip("/")
    date_styles, timedelta_styles = _styles(archive, meter)
    meter.add_sheets(len(entries))
    return _Book(
        strings=_strings(archive, strings_part, meter) if strings_part else [],
        date_styles=date_styles,
        timedelta_styles=timedelta_styles,
        epoch=CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900,
        sheets=entries,
    )


def _workbook(archive: zipfile.ZipFile, part: str, meter: Meter) -> tuple[list[_SheetEntry], bool]:
    """The worksheets in workbook order (chart and macro sheets left out), and whether dates count
    from 1904."""
    folder, name = posixpath.split(part)
    targets = _relationships(archive, posixpath.join(folder, "_rels", name + ".rels"), meter)
    entries, date1904 = [], False
    for tag, attrib in _elements(archive, part, meter):
        if tag == _NS + "workbookPr":
            date1904 = attrib.get("date1904", "").lower() in ("1", "true")
        elif tag == _NS + "sheet":
            kind, path = targets.get(attrib.get(f"{{{REL_NS}}}id", ""), ("", ""))
            if kind.endswith("/worksheet") and path in archive.NameToInfo:
                hidden = attrib.get("state", "visible") in _HIDDEN
                entries.append(_SheetEntry(attrib.get("name", ""), path, hidden))
    return entries, date1904


def _relationships(archive: zipfile.ZipFile, part: str, meter: Meter) -> dict[str, tuple[str, str]]:
    """Id -> (type, target as a path in the package), resolved the way openpyxl resolves them."""
    if part not in archive.NameToInfo:
        return {}
    parent = posixpath.split(posixpath.dirname(part))[0]
    found = {}
    for tag, attrib in _elements(archive, part, meter):
        if tag != f"{{{PKG_REL_NS}}}Relationship" or attrib.get("TargetMode") == "External":
            continue
        target = attrib.get("Target", "")
        path = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(parent, target))
        found[attrib.get("Id", "")] = (attrib.get("Type", ""), path)
    return found


class _Elements(Target):
    def __init__(self, meter: Meter, where: str):
        super().__init__(meter, where)
        self.found: list[tuple[str, dict[str, str]]] = []

    def on_start(self, tag: str, attrib: dict[str, str]) -> None:
        self.found.append((tag, attrib))


def _elements(archive: zipfile.ZipFile, part: str, meter: Meter) -> list[tuple[str, dict[str, str]]]:
    """Every element of a small part (content types, workbook, relationships): tag and attributes."""
    info = archive.getinfo(part)
    meter.check_part_size(info.file_size, part)
    target = _Elements(meter, f"“{part}”部件")
    with archive.open(info) as source:
        for _ in parse_stream(source, target, meter):
            pass
    return target.found


class _Strings(Target):
    """The shared-string table, counted string by string (added to the meter once a chunk): reading
    stops at the budget's limit instead of loading the whole part first. Hot like a sheet, so start
    and end replace Target's with its checks inlined."""

    def __init__(self, meter: Meter):
        super().__init__(meter, "共享字符串表")
        self.strings: list[str] = []
        self.parts: list[str] | None = None
        self.phonetic = False
        self.count = self.chars = 0

    def flush(self) -> None:
        super().flush()
        self.meter.add_strings(self.count, self.chars)
        self.count = self.chars = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.depth += 1
        self.starts += 1
        if self.depth > MAX_DEPTH:
            self.too_deep()
        if tag == _SI:
            self.parts, self.text_chars = [], 0
        elif tag == _TEXT and self.parts is not None and not self.phonetic:
            self.text = []
        elif tag == _PHONETIC:
            self.phonetic = True

    def end(self, tag: str) -> None:
        self.depth -= 1
        if tag == _TEXT and self.text is not None:
            self.parts.append(self.collected())
        elif tag == _SI and self.parts is not None:
            # As openpyxl reads them: the text and rich-text runs, no phonetics, "_x005F_" unescaped.
            text = "".join(self.parts).replace("x005F_", "")
            self.count += 1
            self.chars += len(text)
            self.strings.append(text)
            self.parts = None
        elif tag == _PHONETIC:
            self.phonetic = False

    def text_place(self) -> str:
        return f"共享字符串表第{len(self.strings) + 1}条文字"


def _strings(archive: zipfile.ZipFile, part: str, meter: Meter) -> list[str]:
    if part not in archive.NameToInfo:
        return []
    target = _Strings(meter)
    with archive.open(part) as source:
        for _ in parse_stream(source, target, meter):
            pass
    return target.strings


class _Styles(Target):
    """Only what reading values needs: which cell formats (cellXfs) show a date or a duration."""

    def __init__(self, meter: Meter):
        super().__init__(meter, "单元格格式表(styles.xml)")
        self.formats: dict[int, str] = {}
        self.pending: list[int] = []
        self.cell_formats: list[int] = []

    def on_start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag == _XF:
            self.meter.add_styles()
            self.pending.append(_int(attrib.get("numFmtId")))
        elif tag == _NUMFMT:
            self.meter.add_styles()
            self.formats[_int(attrib.get("numFmtId"))] = attrib.get("formatCode", "")

    def on_end(self, tag: str) -> None:
        # <xf> elements sit in cellStyleXfs (named styles) and in cellXfs (what cells point at).
        if tag == _CELL_XFS:
            self.cell_formats = self.pending
        if tag in (_CELL_XFS, _STYLE_XFS):
            self.pending = []


def _styles(archive: zipfile.ZipFile, meter: Meter) -> tuple[frozenset[int], frozenset[int]]:
    if ARC_STYLE not in archive.NameToInfo:
        return frozenset(), frozenset()
    target = _Styles(meter)
    with archive.open(ARC_STYLE) as source:
        for _ in parse_stream(source, target, meter):
            pass
    kinds = {}
    for number_format in set(target.cell_formats):
        code = target.formats.get(number_format) or builtin_format_code(number_format)
        kinds[number_format] = (is_date_format(code), is_timedelta_format(code))
    formats = list(enumerate(target.cell_formats))
    return (
        frozenset(i for i, f in formats if kinds[f][0]),
        frozenset(i for i, f in formats if kinds[f][1]),
    )


def _int(text: str | None) -> int:
    try:
        return int(text or 0)
    except ValueError:
        return -1  # no such format: read as a plain number


def _rows(archive: zipfile.ZipFile, path: str, book: _Book, meter: Meter, sheet: Sheet) -> Iterator[Row]:
    """Rows as the parser completes them, a chunk at a time: memory stays flat however long the sheet."""
    target = _SheetRows(meter, book, sheet)

    def completed() -> list[Row]:
        rows, target.rows = target.rows, []
        return rows

    with archive.open(path) as source:
        try:
            for _ in parse_stream(source, target, meter):
                yield from completed()
        except FileProblem:
            raise
        except Exception:  # damaged: first the rows read before the damage, so the problem says where
            yield from completed()
            raise


class _SheetRows(Target):
    """A worksheet's rows: (row number, values from column A). Error results become ExcelError, a
    formula without a saved result NO_CACHED_VALUE; merged ranges go to the sheet.

    The hot path of every upload: start and end replace Target's with its checks inlined, a cell's
    attributes are read only when it holds something, and cells are added to the meter once a chunk
    (at most a few thousand late), all of which halves the time a cell takes."""

    def __init__(self, meter: Meter, book: _Book, sheet: Sheet):
        super().__init__(meter, f"工作表“{sheet.name}”")
        self.book, self.merged, self.sums = book, sheet.merged, sheet.sums
        self.max_row_cells = meter.budget.max_row_cells
        self.rows: list[Row] = []
        self.number = self.cells = 0
        self.row_number: str | None = None
        self.values: list[object] = []
        self.column = self.row_cells = 0
        self.attrib: dict[str, str] = {}
        self.value: str | None = None
        self.formula, self.phonetic = False, False
        self.formula_text = ""
        self.inline: list[str] | None = None

    def flush(self) -> None:
        super().flush()
        self.meter.add_cells(self.cells)
        self.cells = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.depth += 1
        self.starts += 1
        if self.depth > MAX_DEPTH:
            self.too_deep()
        if tag == _CELL:
            self.cells += 1
            self.row_cells += 1
            if self.row_cells > self.max_row_cells:
                self.meter.check_row_cells(
                    self.row_cells, f"{self.where}第{self.row_number or self.number + 1}行"
                )
            self.attrib, self.value, self.formula, self.inline, self.text_chars = attrib, None, False, None, 0
            self.formula_text = ""
        elif tag == _VALUE:
            self.text = []
        elif tag == _ROW:
            self.meter.add_rows()
            self.row_number, self.values, self.column, self.row_cells = attrib.get("r"), [], 0, 0
        elif tag == _FORMULA:
            self.formula = True
            self.text = []
        elif tag == _INLINE:
            self.inline = []
        elif tag == _TEXT and self.inline is not None and not self.phonetic:
            self.text = []
        elif tag == _PHONETIC:
            self.phonetic = True
        elif tag == _MERGE:
            self._merge(attrib.get("ref", ""))

    def end(self, tag: str) -> None:
        self.depth -= 1
        if tag == _CELL:
            ref = self.attrib.get("r")
            self.column = _column_index(ref.rstrip("0123456789")) if ref else self.column + 1
            if self.value is not None or self.inline is not None or self.formula:
                self._place(self._cell_value())
            if self.formula_text and _SUM_FORMULA.match(self.formula_text):
                self._sum()
        elif tag == _VALUE:
            self.value = self.collected()
        elif tag == _FORMULA:
            self.formula_text = self.collected()
        elif tag == _ROW:
            self.number = int(float(self.row_number)) if self.row_number else self.number + 1
            if self.values:
                self.rows.append((self.number, self.values))
            self.values = []
        elif tag == _TEXT and self.text is not None:
            self.inline.append(self.collected())
        elif tag == _PHONETIC:
            self.phonetic = False

    def text_place(self) -> str:
        return f"{self.where}的单元格{self.attrib.get('r', '')}"

    def _place(self, value: object) -> None:
        if value is None:
            return
        values, column = self.values, self.column
        gap = column - 1 - len(values)
        if gap > 0:  # the blanks before a far-right cell cost memory like cells: counted as cells
            self.meter.add_cells(gap)
            values.extend([None] * gap)
        if column > len(values):
            values.append(value)
        else:
            values[column - 1] = value

    def _sum(self) -> None:
        row = int(float(self.row_number)) if self.row_number else self.number + 1
        self.sums[(row, self.column)] = "=" + self.formula_text.strip()

    def _cell_value(self) -> object:
        data_type, text = self.attrib.get("t", "n"), self.value
        if data_type == "inlineStr":
            return "".join(self.inline) if self.inline is not None else None
        if not text:
            # An empty result is real only for a text formula (=IF(A1="","",…)); openpyxl writes <v/>
            # for every formula it stores, since it calculates nothing.
            no_result = self.formula and (text is None or data_type not in _TEXT_RESULTS)
            return NO_CACHED_VALUE if no_result else None
        if data_type == "n":
            return self._number(text)
        if data_type == "s":
            return self.book.strings[int(text)]
        if data_type == "b":
            return text.strip() not in ("0", "false")
        if data_type == "e":
            return ExcelError(text.strip().upper())
        if data_type == "d":
            return from_ISO8601(text)
        return text  # "str": a formula's text result

    def _number(self, text: str) -> object:
        number = float(text) if any(c in text for c in ".eE") else int(text)
        style = int(self.attrib.get("s") or 0)
        if style in self.book.date_styles:
            try:
                return from_excel(number, self.book.epoch, timedelta=style in self.book.timedelta_styles)
            except (OverflowError, ValueError):
                return number
        return number

    def _merge(self, ref: str) -> None:
        first_column, first_row, last_column, last_row = range_boundaries(ref)
        merged: Merged = (first_row or 1, last_row or _LAST_ROW, first_column or 1, last_column or 16_384)
        if merged[0] != merged[1] or merged[2] != merged[3]:  # a one-cell "merge" merges nothing
            self.meter.add_merged()
            self.merged.append(merged)


@functools.cache
def _column_index(letters: str) -> int:
    return column_index_from_string(letters)
