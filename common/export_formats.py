"""The spreadsheet formats of every admin import and export (django-import-export). Text that looks like
a formula stays text on export: a township's remark =HYPERLINK(…) must never become a live link in the
bureau's workbook. import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is not used: it only
strips a leading "=", leaving + - @ tab and CR live, and it changes the text people wrote."""

from __future__ import annotations

import tablib
from import_export.formats import base_formats
from import_export.formats.base_formats import CSV, XLSX
from openpyxl.styles import Font

from .xlsx import append_row, csv_text, csv_text_read, new_workbook, workbook_bytes


class SafeXLSX(XLSX):
    def export_data(self, dataset: tablib.Dataset, **kwargs) -> bytes:
        book = new_workbook()
        sheet = book.active
        sheet.title = (dataset.title or "导出数据")[:31]
        append_row(sheet, list(dataset.headers or []))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in dataset:
            append_row(sheet, row)
        return workbook_bytes(book)


class SafeCSV(CSV):
    def export_data(self, dataset: tablib.Dataset, **kwargs) -> str:
        escaped = tablib.Dataset(headers=dataset.headers, title=dataset.title)
        for row in dataset:
            escaped.append([csv_text(value) for value in row])
        return escaped.export("csv", **kwargs)

    def create_dataset(self, in_stream, **kwargs) -> tablib.Dataset:
        dataset = super().create_dataset(in_stream, **kwargs)
        unescaped = tablib.Dataset(headers=dataset.headers, title=dataset.title)
        for row in dataset:
            unescaped.append([csv_text_read(value) for value in row])
        return unescaped


# import-export exports numbers and dates as native cells only for the formats in this list, and checks
# membership by exact type (import_export.admin: `type(file_format) in BINARY_FORMATS`, 4.3): a subclass
# must be added, or every figure would be exported as text. The admin imported the same list object.
# tests/common/test_exports.py fails loudly if an upgrade changes this.
if SafeXLSX not in base_formats.BINARY_FORMATS:
    base_formats.BINARY_FORMATS.append(SafeXLSX)

SAFE_FORMATS = [SafeXLSX, SafeCSV]
