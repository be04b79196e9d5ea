"""Writing cells people will open in Excel or WPS."""

from __future__ import annotations

from openpyxl.cell import Cell

# Text starting with one of these would be read as a formula by Excel or WPS (formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def put_text(cell: Cell, text: str) -> Cell:
    """Write text that stays text: a leading = + - @ must never become a formula."""
    cell.value = text
    if text.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
        cell.quotePrefix = True  # Excel's leading apostrophe: stays text when the cell is edited
    return cell


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
