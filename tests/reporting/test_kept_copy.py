"""What a submission keeps and serves (issue 23, point 5): the portal's own .xlsx of the cells it read,
every figure at the sheet, row and column it had in the upload; never the upload's bytes, its macros,
controls, external links or pictures, nor the name or type the township gave it."""

from __future__ import annotations

import io
import zipfile

import openpyxl


def test_the_copy_writes_every_kind_of_cell_as_it_was_read_and_never_a_formula():
    """The writer on its own (no database): what the readers hand over, written and read back."""
    import datetime as dt
    from decimal import Decimal

    from orgs.models import OrgUnit
    from reporting.kept_copy import kept_workbook
    from reporting.parsing import ParsedReport
    from reporting.parsing.cells import NO_CACHED_VALUE, ExcelError
    from reporting.parsing.kept import KeptRow, KeptSheet

    cells = (
        "=1+1", " 两头有空格 ", "a\x01b", True, 12, 1.5, Decimal("3.25"),
        dt.date(2024, 11, 1), dt.datetime(2024, 11, 1, 8, 30), ExcelError("#DIV/0!"), NO_CACHED_VALUE, "<&>",
    )  # fmt: skip
    sheet = KeptSheet("月报[1]/草稿", len(cells), [KeptRow(3, cells)])
    report = ParsedReport("429005001", 2024, 11, kept=[sheet], template_version=1)

    data = kept_workbook(
        report=report,
        township=OrgUnit(code="429005001", name="园林街道"),
        year=2024,
        month=11,
        original_name="=cmd|' /C calc'!A0.xlsm",
        original_sha256="0" * 64,
    )

    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["月报_1__草稿", "文件说明", "_meta"] and book["_meta"].sheet_state == "hidden"
    row = [c.value for c in book["月报_1__草稿"][3]]
    assert row == [
        "=1+1", " 两头有空格 ", "ab", True, 12, 1.5, 3.25,
        dt.datetime(2024, 11, 1), dt.datetime(2024, 11, 1, 8, 30), "#DIV/0!", None, "<&>",
    ]  # fmt: skip
    assert book["月报_1__草稿"]["A3"].data_type == "s" and book["月报_1__草稿"]["A3"].quotePrefix
    note = {r[0].value: r[1] for r in book["文件说明"].iter_rows()}
    assert note["上传的文件名"].value.startswith("=cmd") and note["上传的文件名"].data_type == "s"
    assert "工作表改名" in note
    assert [[c.value for c in r] for r in book["_meta"].iter_rows()] == [
        ["township_code", "429005001"], ["year", 2024], ["month", 11], ["template_version", 1]
    ]  # fmt: skip
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheets = [package.read(n).decode() for n in package.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in xml or "<f " in xml for xml in sheets)  # no formula anywhere
