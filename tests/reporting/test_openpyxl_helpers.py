"""The upload reader (reporting/parsing/xlsx.py) reads the package itself, with expat, and takes only
openpyxl's public helpers for what Excel's format means: which number formats are dates or durations, the
built-in formats, Excel's day numbers in both calendars, cell references. If an openpyxl upgrade changes
what one of them answers, this fails, naming the version (requirements.txt pins it for this)."""

from __future__ import annotations

from datetime import datetime, timedelta

import openpyxl
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils import column_index_from_string, range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

VERSION = f"openpyxl {openpyxl.__version__}"


def test_number_formats_are_read_as_the_reader_assumes():
    assert builtin_format_code(14) == "mm-dd-yy", VERSION
    assert is_date_format("yyyy年m月d日") and is_date_format(builtin_format_code(14)), VERSION
    assert not is_date_format("0.00%") and not is_date_format("#,##0"), VERSION
    assert is_timedelta_format("[h]:mm:ss") and not is_timedelta_format("h:mm"), VERSION


def test_excel_day_numbers_in_both_calendars():
    assert from_excel(45356, epoch=CALENDAR_WINDOWS_1900) == datetime(2024, 3, 5), VERSION
    assert from_excel(43894, epoch=CALENDAR_MAC_1904) == datetime(2024, 3, 5), VERSION
    assert from_excel(1.5, epoch=CALENDAR_WINDOWS_1900, timedelta=True) == timedelta(days=1, hours=12), (
        VERSION
    )
    assert from_ISO8601("2024-03-05T00:00:00Z") == datetime(2024, 3, 5), VERSION


def test_cell_references():
    assert column_index_from_string("AB") == 28, VERSION
    assert range_boundaries("B2:D5") == (2, 2, 4, 5), VERSION
