"""Reading the monthly reports townships upload: .xlsx, .xls and .csv into rows and Chinese problems.
Pure Python; the reporting app checks the rows against the catalogue and writes them."""

from .budget import IMPORT_BUDGET, UPLOAD_BUDGET, ReadBudget
from .numbers import NumberError, UnitError, parse_number, to_indicator_unit
from .report import DEFAULT_MAX_BYTES, ParsedReport, ParsedRow, parse_report

__all__ = [
    "DEFAULT_MAX_BYTES",
    "IMPORT_BUDGET",
    "UPLOAD_BUDGET",
    "NumberError",
    "ParsedReport",
    "ParsedRow",
    "ReadBudget",
    "UnitError",
    "parse_number",
    "parse_report",
    "to_indicator_unit",
]
