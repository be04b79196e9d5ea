"""Real report files for the workflow tests: the portal's own template, filled in as a person would."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest

from reporting.templates_xlsx import FIRST_DATA_ROW, REPORT_SHEET, template_workbook


def fill(
    data: bytes, values: dict[str, object], *, sheet: str = REPORT_SHEET, extra_rows=(), explanations=None
) -> bytes:
    """Type values into the value column (D) of the rows whose code (A) is given, and 核实说明 (H) where
    `explanations` gives one; append extra rows."""
    book = openpyxl.load_workbook(BytesIO(data))
    ws = book[sheet]
    explanations = explanations or {}
    for row in ws.iter_rows(min_row=FIRST_DATA_ROW):
        code = row[0].value
        if code in values:
            row[3].value = values[code]
        if code in explanations:
            row[7].value = explanations[code]
    for extra in extra_rows:
        ws.insert_rows(FIRST_DATA_ROW)
        for column, value in enumerate(extra, start=1):
            ws.cell(row=FIRST_DATA_ROW, column=column, value=value)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def report_file(indicators, orgs):
    """report_file("429005001", 2024, 11, {"employment.urban_new_jobs": 120}) -> .xlsx bytes."""

    def _make(code: str, year: int, month: int, values: dict[str, object], **kwargs) -> bytes:
        return fill(template_workbook(township=orgs[code], year=year, month=month), values, **kwargs)

    return _make


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
