"""One worksheet as the readers hand it to the report builder."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

Row = tuple[int, Sequence[object]]  # (1-based row number, cell values from column A)
Merged = tuple[int, int, int, int]  # (first row, last row, first column, last column), 1-based


@dataclass
class Sheet:
    name: str
    rows: Iterator[Row]
    hidden: bool = False  # hidden or "very hidden" in the workbook
    # The sheet's merged ranges. An .xlsx lists them after its rows, so the list is complete only once
    # `rows` is exhausted.
    merged: list[Merged] = field(default_factory=list)
    # (row, column), 1-based -> "=SUM(D5:D9)": the cells whose formula adds others up (SUM, SUBTOTAL),
    # so a 合计 row can be told even without a label. Filled as the rows are read (.xlsx only: an .xls
    # keeps no formula text xlrd reads, a .csv has the text itself in the cell).
    sums: dict[tuple[int, int], str] = field(default_factory=dict)
